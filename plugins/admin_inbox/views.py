"""What operators and users see: texts and keyboards. No database, no sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def minutes(seconds: float) -> str:
    m = int(seconds // 60)
    if m < 60:
        return f"{m} min"
    if m < 48 * 60:
        return f"{m // 60} h {m % 60} min"
    return f"{m // 1440} d"


def who(user_id: int, first_name: str | None, username: str | None) -> str:
    name = first_name or "?"
    return f"{name} (@{username}, id {user_id})" if username else f"{name} (id {user_id})"


def header(conv: ConversationView, sender: str) -> str:
    return f"#{conv.id} · {sender} · {conv.priority_name}"


def routed_buttons(conv_id: int) -> Keyboard:
    return keyboard([Button("Reply", data(Act.REPLY, conv_id)),
                     Button("Close", data(Act.CLOSE, conv_id)),
                     Button("Priority", data(Act.PRIORITY, conv_id))])


def priority_buttons(conv_id: int) -> Keyboard:
    return keyboard([Button(name.capitalize(), SetPriority(conv_id, level).pack())
                     for level, name in enumerate(PRIORITIES)])


def card_buttons(conv: ConversationView, banned: bool) -> Keyboard:
    open_or_close = (Button("Reopen", data(Act.REOPEN, conv.id)) if conv.status == "closed"
                     else Button("Close", data(Act.CLOSE, conv.id)))
    ban = (Button("Unban", data(Act.UNBAN, conv.id)) if banned
           else Button("Ban", data(Act.BAN, conv.id)))
    return keyboard([Button("Reply", data(Act.REPLY, conv.id)), open_or_close,
                     Button("Priority", data(Act.PRIORITY, conv.id))],
                    [Button("Assign to me", data(Act.ASSIGN, conv.id)), ban])


STATUS_WORDS = {"open": "waiting for us", "waiting": "waiting for the user", "closed": "closed"}


def card(conv: ConversationView, sender: str, history: list[MessageView], now: datetime,
         assignee: str | None) -> str:
    lines = [header(conv, sender),
             f"Status: {STATUS_WORDS[conv.status]} · assigned: {assignee or 'nobody'}"]
    if conv.waiting_since is not None and conv.status == "open":
        lines.append(f"Waiting {minutes((now - conv.waiting_since).total_seconds())}")
    lines.append("")
    if not history:
        lines.append("(no messages)")
    for m in history:
        arrow = "→" if m.direction == "in" else "←"
        media = f"[{m.media_kind}] " if m.media_kind else ""
        lines.append(f"{arrow} {m.created_at:%m-%d %H:%M} {media}{fit(m.text, 300)}")
    return fit("\n".join(lines), TEXT_LIMIT)


def queue_line(conv: ConversationView, sender: str, now: datetime) -> str:
    if conv.status == "open" and conv.waiting_since is not None:
        wait = "waiting " + minutes((now - conv.waiting_since).total_seconds())
    else:
        wait = STATUS_WORDS[conv.status]
    return f"#{conv.id} {conv.priority_name} · {sender} · {wait}"


def queue_buttons(convs: list[tuple[ConversationView, str]], page: Page[ConversationView]
                  ) -> Keyboard:
    rows: list[list[Button]] = [[Button(fit(f"#{c.id} {c.priority_name} · {name}", 60),
                                        data(Act.VIEW, c.id))] for c, name in convs]
    add_nav(rows, page, lambda n: QueuePage(n + 1).pack())
    return rows
