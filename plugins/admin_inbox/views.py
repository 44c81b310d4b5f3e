"""What operators and users see: texts and keyboards. No database, no sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.i18n import Translator
from core.pagination import Page, add_nav
from core.types import Button, Keyboard, keyboard
from plugins.admin_inbox.buttons import Act, OnConversation, QueuePage, SetPriority
from plugins.admin_inbox.models import PRIORITIES

TEXT_LIMIT = 4096  # Telegram's limit for a message
CAPTION_LIMIT = 1024  # and for a caption


@dataclass(frozen=True, slots=True)
class ConversationView:
    id: int
    user_id: int
    status: str
    priority: int
    assigned_to: int | None
    created_at: datetime
    first_answer_at: datetime | None
    last_activity_at: datetime
    waiting_since: datetime | None
    closed_at: datetime | None

    @property
    def priority_name(self) -> str:
        return PRIORITIES[self.priority]


@dataclass(frozen=True, slots=True)
class MessageView:
    direction: str
    text: str
    media_kind: str | None
    created_at: datetime


def data(act: Act, conversation_id: int) -> str:
    return OnConversation(act, conversation_id).pack()


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def minutes(seconds: float, t: Translator) -> str:
    m = int(seconds // 60)
    if m < 60:
        return t("inbox-minutes", minutes=m)
    if m < 48 * 60:
        return t("inbox-hours", hours=m // 60, minutes=m % 60)
    return t("inbox-days", days=m // 1440)


def who(user_id: int, first_name: str | None, username: str | None) -> str:
    name = first_name or "?"
    return f"{name} (@{username}, id {user_id})" if username else f"{name} (id {user_id})"


def priority(t: Translator, level: int) -> str:
    return t("inbox-priority-" + PRIORITIES[level])


def status(t: Translator, name: str) -> str:
    return t("inbox-status-" + name)


def header(conv: ConversationView, sender: str, t: Translator) -> str:
    return f"#{conv.id} · {sender} · {priority(t, conv.priority)}"


def routed_buttons(conv_id: int, t: Translator) -> Keyboard:
    return keyboard([Button(t("inbox-button-reply"), data(Act.REPLY, conv_id)),
                     Button(t("inbox-button-close"), data(Act.CLOSE, conv_id)),
                     Button(t("inbox-button-priority"), data(Act.PRIORITY, conv_id))])


def priority_buttons(conv_id: int, t: Translator) -> Keyboard:
    return keyboard([Button(priority(t, level).capitalize(), SetPriority(conv_id, level).pack())
                     for level in range(len(PRIORITIES))])


def card_buttons(conv: ConversationView, banned: bool, t: Translator) -> Keyboard:
    open_or_close = (Button(t("inbox-button-reopen"), data(Act.REOPEN, conv.id))
                     if conv.status == "closed"
                     else Button(t("inbox-button-close"), data(Act.CLOSE, conv.id)))
    ban = (Button(t("inbox-button-unban"), data(Act.UNBAN, conv.id)) if banned
           else Button(t("inbox-button-ban"), data(Act.BAN, conv.id)))
    return keyboard([Button(t("inbox-button-reply"), data(Act.REPLY, conv.id)), open_or_close,
                     Button(t("inbox-button-priority"), data(Act.PRIORITY, conv.id))],
                    [Button(t("inbox-button-assign"), data(Act.ASSIGN, conv.id)), ban])


def card(conv: ConversationView, sender: str, history: list[MessageView], now: datetime,
         assignee: str | None, t: Translator) -> str:
    lines = [header(conv, sender, t),
             t("inbox-card-status", status=status(t, conv.status),
               assignee=assignee or t("inbox-nobody"))]
    if conv.waiting_since is not None and conv.status == "open":
        lines.append(t("inbox-card-waiting",
                       wait=minutes((now - conv.waiting_since).total_seconds(), t)))
    lines.append("")
    if not history:
        lines.append(t("inbox-no-messages"))
    for m in history:
        arrow = "→" if m.direction == "in" else "←"
        media = f"[{m.media_kind}] " if m.media_kind else ""
        lines.append(f"{arrow} {m.created_at:%m-%d %H:%M} {media}{fit(m.text, 300)}")
    return fit("\n".join(lines), TEXT_LIMIT)


def queue_line(conv: ConversationView, sender: str, now: datetime, t: Translator) -> str:
    if conv.status == "open" and conv.waiting_since is not None:
        wait = t("inbox-waiting", wait=minutes((now - conv.waiting_since).total_seconds(), t))
    else:
        wait = status(t, conv.status)
    return f"#{conv.id} {priority(t, conv.priority)} · {sender} · {wait}"


def queue_buttons(convs: list[tuple[ConversationView, str]], page: Page[ConversationView],
                  t: Translator) -> Keyboard:
    rows: list[list[Button]] = [[Button(fit(f"#{c.id} {priority(t, c.priority)} · {name}", 60),
                                        data(Act.VIEW, c.id))] for c, name in convs]
    add_nav(rows, page, lambda n: QueuePage(n + 1).pack(), t)
    return rows
