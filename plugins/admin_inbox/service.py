"""The inbox's rules: conversations, routing to the operators, priority, reminders, figures.

Each unit of work is one `db.transaction`; state changes are conditional updates, so two
operators pressing Close at once, or a user's two messages racing to open a conversation, end
in one consistent state. A message's update key is unique: a redelivery stores nothing.
"""

from __future__ import annotations

import contextlib
import inspect
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import peewee
from loguru import logger

from core.errors import Unreachable, UserError
from core.i18n import Text
from core.models import utcnow
from core.pagination import Page
from core.records import create_once
from core.tasks import BackgroundTask
from core.types import Keyboard, Media, SendMedia, SendMessage, Sent
from plugins.admin_inbox import views
from plugins.admin_inbox.models import PRIORITIES, Conversation, InboxMessage, OperatorCopy
from plugins.admin_inbox.views import ConversationView, MessageView

if TYPE_CHECKING:
    from core.kernel import Kernel

REPLY_MODE_TTL = 600  # seconds an operator who pressed Reply has to write the answer


class _Duplicate(Exception):
    """Raised inside a transaction to roll it back: this update was stored before."""


@dataclass(frozen=True, slots=True)
class Received:
    conversation: ConversationView
    new_thread: bool  # created or reopened: the user is told it arrived


def _view(row: Conversation) -> ConversationView:
    return ConversationView(row.id, row.user_id, row.status, row.priority, row.assigned_to,
                            row.created_at, row.first_answer_at, row.last_activity_at,
                            row.waiting_since, row.closed_at)


def _matches(text: str, keywords: list[str]) -> bool:
    lowered = text.casefold()
    return any(k and k.casefold() in lowered for k in keywords)


class InboxService:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.db = kernel.db
        self.options = kernel.settings.admin_inbox
        self.now: Callable[[], datetime] = utcnow  # wall time for stored dates; tests move it
        self._task = BackgroundTask("inbox-reminders")

    # ---- reading ------------------------------------------------------------------------------

    async def get(self, conv_id: int) -> ConversationView:
        row = await self.db.run(Conversation.get_or_none, Conversation.id == conv_id)
        if row is None:
            raise UserError(Text("inbox-no-conversation", id=str(conv_id)))
        return _view(row)

    async def history(self, conv_id: int, limit: int | None = None) -> list[MessageView]:
        limit = limit or self.options.history_size

        def fetch() -> list[MessageView]:
            rows = (InboxMessage.select().where(InboxMessage.conversation_id == conv_id)
                    .order_by(InboxMessage.id.desc()).limit(limit))
            return [MessageView(r.direction, r.text, r.media_kind, r.created_at)
                    for r in reversed(list(rows))]

        return await self.db.run(fetch)

    async def queue(self, page: int) -> Page[ConversationView]:
        """Conversations not closed: priority first, then those owing an answer, oldest wait
        first. `page` counts from 1, as `/inbox <page>` does."""
        size = self.options.page_size
        owing = peewee.Case(None, [(Conversation.status == "open", 0)], 1)

        def fetch() -> Page[ConversationView]:
            live = Conversation.select().where(Conversation.status != "closed")
            total = live.count()
            rows = live.order_by(Conversation.priority.desc(), owing, Conversation.waiting_since,
                                 Conversation.last_activity_at, Conversation.id)
            return Page.counted([_view(r) for r in rows.paginate(page, size)], page - 1, size,
                                total)

        return await self.db.run(fetch)

    async def live_for_user(self, user_id: int) -> ConversationView | None:
        row = await self.db.run(Conversation.get_or_none, (Conversation.user_id == user_id)
                                & (Conversation.status != "closed"))
        return None if row is None else _view(row)

    async def of_user(self, user_id: int, limit: int = 20) -> list[ConversationView]:
        """A user's conversations, newest first."""
        return await self.db.run(lambda: [
            _view(r) for r in Conversation.select().where(Conversation.user_id == user_id)
            .order_by(Conversation.id.desc()).limit(limit)])

    async def conversation_for_copy(self, chat_id: int, message_id: int) -> int | None:
        row = await self.db.run(OperatorCopy.get_or_none, (OperatorCopy.chat_id == chat_id)
                                & (OperatorCopy.message_id == message_id))
        return None if row is None else row.conversation_id

    # ---- a user writes ------------------------------------------------------------------------

    async def rule_priority(self, user_id: int, text: str) -> int:
        """The level the settings' rules give this message: keywords, then the user's tier."""
        level = 0
        if _matches(text, list(self.options.keywords_urgent)):
            level = 2
        elif _matches(text, list(self.options.keywords_high)):
            level = 1
        tiers = dict(self.options.tier_priority)
        if tiers and level < 2 and self.kernel.has_service("credits"):
            name = await self._tier_name(user_id)
            if name is not None and name in tiers:
                level = max(level, PRIORITIES.index(tiers[name]))
        return level

    async def _tier_name(self, user_id: int) -> str | None:
        """The user's tier from the credits plugin (a `Tier` with a name, or a plain name).
        A failing lookup is logged and ignored: it must never cost a user their message."""
        try:
            tier = self.kernel.service("credits").tier(user_id)
            if inspect.isawaitable(tier):
                tier = await tier
        except Exception:
            logger.exception("inbox: the credits service could not give user {}'s tier",
                             user_id)
            return None
        return None if tier is None else str(getattr(tier, "name", tier))

    async def receive(self, user_id: int, key: str, text: str, media: Media | None
                      ) -> Received | None:
        """Store a user's message in their conversation (opening or reopening one); None when
        this update was stored before."""
        level = await self.rule_priority(user_id, text)
        now = self.now()
        reopen_after = now - timedelta(hours=self.options.reopen_hours)

        def work() -> Received:
            conv, new_thread = self._live_or_new(user_id, now, reopen_after)
            if create_once(InboxMessage, conversation_id=conv.id, direction="in", text=text,
                           media_kind=media.kind if media else None,
                           file_id=media.file_id if media else None,
                           file_name=media.file_name if media else None,
                           update_key=key[:128], created_at=now) is None:
                raise _Duplicate
            (Conversation.update(status="open", last_activity_at=now,
                                 waiting_since=peewee.fn.COALESCE(Conversation.waiting_since, now))
             .where(Conversation.id == conv.id).execute())
            # Rules only raise, and never override a level an admin chose.
            (Conversation.update(priority=level)
             .where((Conversation.id == conv.id) & (Conversation.priority < level)
                    & ~Conversation.priority_manual).execute())
            return Received(_view(Conversation.get_by_id(conv.id)), new_thread)

        try:
            return await self.db.transaction(work)
        except _Duplicate:
            return None

    def _live_or_new(self, user_id: int, now: datetime, reopen_after: datetime
                     ) -> tuple[Conversation, bool]:
        live = Conversation.get_or_none((Conversation.user_id == user_id)
                                        & (Conversation.status != "closed"))
        if live is not None:
            return live, False
        recent = (Conversation.select().where((Conversation.user_id == user_id)
                                              & (Conversation.closed_at >= reopen_after))
                  .order_by(Conversation.closed_at.desc()).first())
        try:
            with self.db.peewee.atomic():
                if recent is not None:
                    reopened = (Conversation.update(status="open", closed_at=None,
                                                    reminded_at=None)
                                .where((Conversation.id == recent.id)
                                       & (Conversation.status == "closed")).execute())
                    if reopened:
                        return Conversation.get_by_id(recent.id), True
                return Conversation.create(user_id=user_id, status="open", created_at=now,
                                           last_activity_at=now, waiting_since=now), True
        except peewee.IntegrityError:
            # Another message of the same user opened one first: continue it.
            return Conversation.get((Conversation.user_id == user_id)
                                    & (Conversation.status != "closed")), False

    # ---- operators act ------------------------------------------------------------------------

    async def answer(self, conv_id: int, admin_id: int, admin_name: str, key: str, text: str,
                     media: Media | None) -> ConversationView:
        """Send an operator's answer to the user, then record it."""
        text = text.strip() if media is None else text
        if media is None and not text:
            raise UserError(Text("inbox-answer-empty"))
        if len(text) > (views.CAPTION_LIMIT if media else views.TEXT_LIMIT):
            raise UserError(Text("inbox-answer-too-long", length=len(text)))
        conv = await self.get(conv_id)
        if conv.status == "closed":
            raise UserError(Text("inbox-reopen-to-answer", id=str(conv_id)))
        shown = f"{admin_name}: {text}" if self.options.show_admin_name and text else text
        try:
            if media is None:
                await self.kernel.send(SendMessage(conv.user_id, views.fit(shown,
                                                                          views.TEXT_LIMIT)))
            else:
                await self.kernel.send(SendMedia(conv.user_id, media,
                                                 views.fit(shown, views.CAPTION_LIMIT)))
        except Unreachable:
            raise UserError(Text("inbox-user-blocked", id=str(conv_id))) from None
        now = self.now()

        def record() -> ConversationView:
            create_once(InboxMessage, conversation_id=conv_id, direction="out",
                        admin_id=admin_id, text=text, media_kind=media.kind if media else None,
                        file_id=media.file_id if media else None,
                        file_name=media.file_name if media else None, update_key=key[:128],
                        created_at=now)
            (Conversation.update(status="waiting", waiting_since=None, reminded_at=None,
                                 last_activity_at=now,
                                 first_answer_at=peewee.fn.COALESCE(
                                     Conversation.first_answer_at, now))
             .where((Conversation.id == conv_id) & (Conversation.status != "closed")).execute())
            return _view(Conversation.get_by_id(conv_id))

        return await self.db.transaction(record)

    async def close(self, conv_id: int) -> ConversationView:
        now = self.now()

        def work() -> int:
            return (Conversation.update(status="closed", closed_at=now, waiting_since=None,
                                        last_activity_at=now)
                    .where((Conversation.id == conv_id) & (Conversation.status != "closed"))
                    .execute())

        if not await self.db.transaction(work):
            conv = await self.get(conv_id)
            raise UserError(Text("inbox-already-closed", id=str(conv.id)))
        conv = await self.get(conv_id)
        await self._tell_user(conv.user_id, self.options.closed_text, "inbox-closed")
        return conv

    async def _tell_user(self, user_id: int, configured: str | None, key: str) -> None:
        """An operator's text from settings; unset, the catalogue's in the user's language;
        empty, nothing."""
        if configured == "":
            return
        text = configured or (await self.kernel.texts_for(user_id))(key)
        with contextlib.suppress(Unreachable):
            await self.kernel.send(SendMessage(user_id, text))

    async def reopen(self, conv_id: int) -> ConversationView:
        now = self.now()

        def work() -> int:
            try:
                with self.db.peewee.atomic():
                    return (Conversation.update(status="open", closed_at=None, reminded_at=None,
                                                waiting_since=now, last_activity_at=now)
                            .where((Conversation.id == conv_id)
                                   & (Conversation.status == "closed")).execute())
            except peewee.IntegrityError:
                raise UserError(Text("inbox-another-open")) from None

        if not await self.db.transaction(work):
            conv = await self.get(conv_id)
            raise UserError(Text("inbox-not-closed", id=str(conv.id)))
        return await self.get(conv_id)

    async def set_priority(self, conv_id: int, level: int) -> ConversationView:
        if not 0 <= level < len(PRIORITIES):
            raise UserError(Text("inbox-unknown-priority"))
        updated = await self.db.transaction(
            lambda: Conversation.update(priority=level, priority_manual=True)
            .where(Conversation.id == conv_id).execute())
        if not updated:
            raise UserError(Text("inbox-no-conversation", id=str(conv_id)))
        return await self.get(conv_id)

    async def assign(self, conv_id: int, admin_id: int) -> ConversationView:
        if not self.kernel.is_admin(admin_id):
            raise UserError(Text("inbox-not-an-admin", admin=str(admin_id)))
        updated = await self.db.transaction(
            lambda: Conversation.update(assigned_to=admin_id)
            .where(Conversation.id == conv_id).execute())
        if not updated:
            raise UserError(Text("inbox-no-conversation", id=str(conv_id)))
        return await self.get(conv_id)

    # ---- to the operators ---------------------------------------------------------------------

    def operator_chats(self) -> list[int]:
        chat = self.options.operators_chat
        return [chat] if chat else sorted(self.kernel.admins)

    async def remember_copy(self, chat_id: int, sent: Sent, conv_id: int) -> None:
        if sent.message_id is None:
            return
        await self.db.run(lambda: OperatorCopy.insert(chat_id=chat_id, message_id=sent.message_id,
                                                      conversation_id=conv_id)
                          .on_conflict_ignore().execute())

    async def to_operators(self, conv_id: int, text: str, media: Media | None = None,
                           buttons: Keyboard | None = None) -> int:
        """Send to every operators' chat, remembering each copy; returns how many arrived.
        One unreachable admin does not stop the others."""
        delivered = 0
        for chat_id in self.operator_chats():
            try:
                if media is None:
                    sent = await self.kernel.send(SendMessage(chat_id, views.fit(
                        text, views.TEXT_LIMIT), buttons))
                else:
                    sent = await self.kernel.send(SendMedia(chat_id, media, views.fit(
                        text, views.CAPTION_LIMIT), buttons))
            except Unreachable:
                logger.warning("operators' chat {} is unreachable", chat_id)
                continue
            await self.remember_copy(chat_id, sent, conv_id)
            delivered += 1
        if not delivered:
            logger.warning("inbox #{}: no operators' chat received it (set admins or "
                           "admin_inbox.operators_chat)", conv_id)
        return delivered

    async def sender_name(self, user_id: int) -> str:
        user = await self.kernel.users.get(user_id)
        return views.who(user_id, user.first_name if user else None,
                         user.username if user else None)

    async def route(self, received: Received, text: str, media: Media | None) -> None:
        conv = received.conversation
        t = self.kernel.texts()  # the operators' chat: the bot's default language
        head = views.header(conv, await self.sender_name(conv.user_id), t)
        body = f"{head}\n\n{text}" if text else head
        await self.to_operators(conv.id, body, media, views.routed_buttons(conv.id, t))
        if received.new_thread:
            await self._tell_user(conv.user_id, self.options.received_text, "inbox-received")

    # ---- waiting too long ---------------------------------------------------------------------

    async def remind_overdue(self, now: datetime | None = None) -> list[int]:
        """Raise the priority of long waits and remind the operators, once per wait, of
        conversations waiting longer than the limits; returns the ids reminded."""
        now = now or self.now()
        escalate = self.options.escalate_after_minutes
        remind = self.options.remind_after_minutes

        def work() -> list[ConversationView]:
            if escalate:
                (Conversation.update(priority=1)
                 .where((Conversation.status == "open") & (Conversation.priority < 1)
                        & ~Conversation.priority_manual
                        & (Conversation.waiting_since <= now - timedelta(minutes=escalate)))
                 .execute())
            if not remind:
                return []
            due = list(Conversation.select().where(
                (Conversation.status == "open") & Conversation.reminded_at.is_null()
                & (Conversation.waiting_since <= now - timedelta(minutes=remind)))
                .order_by(Conversation.priority.desc(), Conversation.waiting_since).limit(20))
            # Claim each one conditionally: with several workers, one reminder per wait.
            return [_view(c) for c in due
                    if Conversation.update(reminded_at=now)
                    .where((Conversation.id == c.id) & Conversation.reminded_at.is_null())
                    .execute()]

        due = await self.db.transaction(work)
        for conv in due:
            name = await self.sender_name(conv.user_id)
            t = self.kernel.texts()
            await self.to_operators(conv.id, t("inbox-reminder",
                                               line=views.queue_line(conv, name, now, t)),
                                    buttons=views.routed_buttons(conv.id, t))
        return [c.id for c in due]

    async def _remind_forever(self) -> None:
        clock = self.kernel.clock
        while True:
            await clock.sleep(self.options.check_every_seconds)
            try:
                await self.remind_overdue()
            except Exception:
                logger.exception("inbox reminders failed; trying again next round")

    def start(self) -> None:
        if self.options.remind_after_minutes or self.options.escalate_after_minutes:
            self._task.start(self._remind_forever)

    async def stop(self) -> None:
        await self._task.stop()

    # ---- figures ------------------------------------------------------------------------------

    async def figures(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or self.now()

        def work() -> dict[str, Any]:
            live = Conversation.select().where(Conversation.status != "closed").count()
            owing = Conversation.select().where(Conversation.status == "open").count()
            answered = (Conversation.select(Conversation.created_at, Conversation.first_answer_at)
                        .where(Conversation.first_answer_at.is_null(False)
                               & (Conversation.created_at >= now - timedelta(days=30))).tuples())
            waits = [(answer - created).total_seconds() / 60 for created, answer in answered]
            week = Conversation.select().where(
                Conversation.created_at >= now - timedelta(days=7)).count()
            return {
                "open": live,
                "waiting for operators": owing,
                "median first answer (min)": round(statistics.median(waits), 1) if waits
                else None,
                "conversations per day (7 d)": round(week / 7, 2),
            }

        return await self.db.run(work)

    async def summary(self, user_id: int) -> list[str | Text]:
        conv = await self.live_for_user(user_id)
        if conv is None:
            return [Text("inbox-summary-none")]
        return [Text("inbox-summary", id=str(conv.id),
                     status=Text("inbox-status-" + conv.status),
                     priority=Text("inbox-priority-" + conv.priority_name))]
