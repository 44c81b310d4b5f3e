"""What a handler is given: the update, the user, arguments, services and ways to answer."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from loguru import logger

from core.callbacks import CallbackData
from core.errors import UserError
from core.i18n import Text
from core.types import (
    Action,
    AnswerCallback,
    EditMessage,
    Keyboard,
    SendMessage,
    Sent,
    Update,
)

if TYPE_CHECKING:
    from core.conversations import Flow
    from core.i18n import Translator
    from core.kernel import Kernel

B = TypeVar("B", bound=CallbackData)
ADMINS_ONLY = "This is for the bot's admins only."  # English; users see error-admins-only


@dataclass(frozen=True, slots=True)
class BotUser:
    """A user as the kernel knows them (a snapshot of the users row)."""

    id: int
    first_name: str = ""
    username: str | None = None
    language: str | None = None  # Telegram's language_code, as last seen
    is_banned: bool = False
    is_admin: bool = False
    is_new: bool = False
    locale: str | None = None  # the language chosen (/language) or seen on first contact

    @property
    def display(self) -> str:
        return f"@{self.username}" if self.username else (self.first_name or str(self.id))


class Delivery:
    """A message on its way: `ctx.reply` queues it and returns this at once.

        await ctx.reply("Working on it...")                 # queued; the handler goes on
        sent = await ctx.reply("Your card").sent()          # waits: the message's id is needed

    Awaiting the handle itself returns the handle (so `await ctx.reply(...)` never waits for
    Telegram's pacing); `sent()` waits for the delivery and raises what it raised
    (`Unreachable` when the user blocked the bot). A failure nobody awaited is logged.
    """

    __slots__ = ("_future",)

    def __init__(self, future: asyncio.Future[Sent]) -> None:
        self._future = future
        future.add_done_callback(_report_unawaited)

    def __await__(self) -> Generator[Any, None, Delivery]:
        return self
        yield  # a generator that returns at once

    async def sent(self) -> Sent:
        return await asyncio.shield(self._future)

    @property
    def done(self) -> bool:
        return self._future.done()


def _report_unawaited(future: asyncio.Future[Sent]) -> None:
    if future.cancelled():
        return
    exc = future.exception()  # marks it retrieved either way
    if exc is not None and type(exc).__name__ != "Unreachable":
        logger.opt(exception=exc).warning("a queued message could not be delivered")


class Context:
    __slots__ = ("_t", "answered", "kernel", "pressed", "update", "user")

    def __init__(self, kernel: Kernel, update: Update, user: BotUser) -> None:
        self.kernel = kernel
        self.update = update
        self.user = user
        self.answered = False
        self.pressed: CallbackData | None = None  # the parsed button data, set by dispatch
        self._t: Translator | None = None

    @property
    def t(self) -> Translator:
        """Texts in the user's language: `ctx.t("key", name=value)`, `ctx.t.money(...)`."""
        if self._t is None:
            self._t = self.kernel.texts(self.user.locale, self.user.language)
        return self._t

    # ---- what came in -------------------------------------------------------------------------

    @property
    def args(self) -> list[str]:
        return self.update.args.split()

    @property
    def text(self) -> str:
        return self.update.text

    @property
    def chat_id(self) -> int:
        return self.update.chat.id

    @property
    def settings(self) -> Any:
        return self.kernel.settings

    def button(self, kind: type[B]) -> B:
        """The pressed button's data, parsed by the dispatcher against its declaration."""
        if not isinstance(self.pressed, kind):
            raise TypeError(f"this update is not a press of {kind.__name__}")
        return self.pressed

    def pack(self, data: CallbackData) -> str:
        """Button data for a declaration, signed with the kernel's key when it is `signed`."""
        return data.pack(self.kernel.dispatcher.button_key)

    async def converse(self, flow: Flow | str, answers: dict[str, Any] | None = None) -> None:
        """Open a conversation (core/conversations.py) with this user in this chat."""
        await self.kernel.dispatcher.conversations.start(self, flow, answers)

    def require_admin(self) -> None:
        """Refuse a non-admin, for handlers whose route is open to everyone (group messages,
        shared buttons); routes declared `admin_only` are already checked by the dispatcher."""
        if not self.user.is_admin:
            raise UserError(Text("error-admins-only"))

    def service(self, name: str) -> Any:
        return self.kernel.service(name)

    def has_service(self, name: str) -> bool:
        return self.kernel.has_service(name)

    # ---- what goes out ------------------------------------------------------------------------

    async def do(self, action: Action) -> Sent:
        """Any action, through the outbox (paced, flood-safe)."""
        return await self.kernel.outbox.submit(action)

    def queue(self, action: Action) -> Delivery:
        """Queue a paced action (message, edit, media) and return at once; see `Delivery`.

        What can never be delivered fails here, in the handler, rather than later in the
        outbox where nobody may be waiting: an empty text (Telegram refuses it)."""
        if isinstance(action, (SendMessage, EditMessage)) and not action.text.strip():
            raise ValueError("the message text is empty or blank; Telegram refuses empty "
                             "messages (send a text, or no message)")
        return Delivery(self.kernel.outbox.enqueue(action))

    def reply(self, text: str, buttons: Keyboard | None = None, *,
              html: bool = False) -> Delivery:
        """Send a message to the chat the update came from (queued). Plain text is escaped."""
        return self.queue(SendMessage(self.update.chat.id, text, buttons, html))

    def send(self, chat_id: int, text: str, buttons: Keyboard | None = None, *,
             html: bool = False) -> Delivery:
        """Send a message to another chat (queued)."""
        return self.queue(SendMessage(chat_id, text, buttons, html))

    def edit(self, text: str, buttons: Keyboard | None = None, *, html: bool = False,
             message_id: int | None = None) -> Delivery:
        """Edit a message (queued): by default the one whose button was pressed."""
        inline = self.update.inline_message_id if message_id is None else None
        if inline is not None:
            return self.queue(EditMessage(self.update.chat.id, 0, text, buttons, html,
                                          inline_message_id=inline))
        target = message_id or self.update.message_id
        if target is None:
            return self.reply(text, buttons, html=html)
        return self.queue(EditMessage(self.update.chat.id, target, text, buttons, html))

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer a button press (a toast, or an alert). Unanswered presses are answered empty."""
        if self.update.callback_id is None or self.answered:
            return
        self.answered = True
        await self.do(AnswerCallback(self.update.chat.id, self.update.callback_id, text, alert))
