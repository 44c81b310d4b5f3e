"""(Interim copy of the pipeline branch's interface, for the broker; main's replaces it.)

The durable update journal: every update is written here before the transport acknowledges
it, and marked finished only after its handling.

    entries = await journal.append(updates)      # durable on return; known keys are skipped
    ready   = await journal.take(100)            # unfinished entries to (re)handle, leased
    await journal.done(entry, "ok")              # handled: never again
    await journal.retry(entry, "error", 2.0)     # failed: again after the delay
    await journal.dead(entry, "error")           # failed too often: kept for an operator
    await journal.replay(entry_id)               # an operator re-runs a dead letter

`Journal` is the interface; `SqlJournal`, a table in the bot's own database with group commit,
is the embedded default. A broker implements the same methods (Redis Streams: `append` is
XADD to a chat's shard, `take` XREADGROUP/XAUTOCLAIM, `done` XACK), so the pipeline above it
does not change. An entry's `shard` (its chat) is the unit of order: one chat's entries are
handled one after another; `priority` entries (pre-checkout queries, payments) have a lane of
their own.

The journal stores every field of an `Update` except `raw`, the transport's own object.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.types import Chat, ChatType, Media, PaymentInfo, Sender, Update, UpdateKind

PENDING, DONE, DEAD = "pending", "done", "dead"
STATES = (PENDING, DONE, DEAD)
PRIORITY_KINDS = frozenset({UpdateKind.PRE_CHECKOUT, UpdateKind.PAYMENT})
KEY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Entry:
    """One journaled update."""

    id: int
    update: Update
    attempts: int = 0  # handling attempts that failed so far
    state: str = PENDING
    error: str | None = None
    created_at: datetime | None = None

    @property
    def key(self) -> str:
        return self.update.key

    @property
    def shard(self) -> str:
        """What orders entries: one chat's updates are handled one at a time, in order."""
        lane = "pay" if self.priority else "chat"
        return f"{lane}:{self.update.chat.id}"

    @property
    def priority(self) -> bool:
        return self.update.kind in PRIORITY_KINDS


class Journal(Protocol):
    """What the pipeline needs of a journal. Every method is safe to call concurrently."""

    async def append(self, updates: Sequence[Update]) -> list[Entry]:
        """Record updates durably; return the entries that were new (a key already journaled,
        finished or not, is skipped). Leased to the caller, who handles them next."""
        ...

    async def take(self, limit: int) -> list[Entry]:
        """Unfinished entries whose time has come and whose lease (if any) ran out, oldest
        first, leased to the caller: what start-up resumes."""
        ...

    async def done(self, entry: Entry, outcome: str) -> None:
        """Handling finished (success, or an error the user was told about)."""
        ...

    async def retry(self, entry: Entry, error: str, delay: float) -> Entry:
        """Handling failed; try again after `delay` seconds. Returns the entry, attempts + 1."""
        ...

    async def dead(self, entry: Entry, error: str) -> None:
        """Handling failed `max_attempts` times: keep it for an operator (list, replay)."""
        ...

    async def list(self, state: str = DEAD, limit: int = 50) -> list[Entry]:
        """Entries in a state, newest first."""
        ...

    async def replay(self, entry_id: int) -> Entry | None:
        """Make a dead (or done) entry pending again, attempts reset. None if unknown."""
        ...

    async def counts(self) -> dict[str, int]:
        """Entries per state."""
        ...

    async def prune(self, older_than: float) -> int:
        """Forget finished entries older than `older_than` seconds (their keys stop deduping)."""
        ...


# ---- Update <-> JSON ---------------------------------------------------------------------------


def encode(update: Update) -> str:
    """Every field but `raw`, as JSON."""
    body: dict[str, Any] = {
        "kind": update.kind.value,
        "user": [update.user.id, update.user.first_name, update.user.last_name,
                 update.user.username, update.user.language],
        "chat": [update.chat.id, update.chat.type.value],
        "text": update.text, "command": update.command, "args": update.args,
        "message_id": update.message_id, "reply_to": update.reply_to_message_id,
        "callback_id": update.callback_id, "callback_data": update.callback_data,
    }
    if update.media is not None:
        m = update.media
        body["media"] = [m.kind, m.file_id, m.file_name, m.mime_type,
                         base64.b64encode(m.data).decode() if m.data else None]
    if update.payment is not None:
        p = update.payment
        body["payment"] = [p.currency, p.total_amount, p.payload, p.query_id,
                           p.telegram_payment_charge_id, p.provider_payment_charge_id]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def decode(key: str, text: str) -> Update:
    body = json.loads(text)
    media = payment = None
    if body.get("media"):
        kind, file_id, file_name, mime, data = body["media"]
        media = Media(kind, file_id, file_name, mime, base64.b64decode(data) if data else None)
    if body.get("payment"):
        payment = PaymentInfo(*body["payment"])
    user_id, first, last, username, language = body["user"]
    chat_id, chat_type = body["chat"]
    return Update(key, UpdateKind(body["kind"]), Sender(user_id, first, last, username, language),
                  Chat(chat_id, ChatType(chat_type)), text=body["text"],
                  command=body["command"], args=body["args"], message_id=body["message_id"],
                  reply_to_message_id=body["reply_to"], callback_id=body["callback_id"],
                  callback_data=body["callback_data"], media=media, payment=payment)


