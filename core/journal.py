"""The durable update journal: every update is written here before the transport acknowledges
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

import asyncio
import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol, TypeVar

import peewee

from core.db import Database
from core.models import JournalEntry, utcnow
from core.types import Chat, ChatType, Media, PaymentInfo, Sender, Update, UpdateKind

T = TypeVar("T")

PENDING, DONE, DEAD = "pending", "done", "dead"
STATES = (PENDING, DONE, DEAD)
PRIORITY_KINDS = frozenset({UpdateKind.PRE_CHECKOUT, UpdateKind.PAYMENT})
# Not journaled: a pre-checkout query expires ten seconds after it was sent (no money has
# moved yet; the buyer simply tries again), so an answer after a restart is worthless, and
# waiting for the journal's commit could only make the answer late.
EPHEMERAL_KINDS = frozenset({UpdateKind.PRE_CHECKOUT})
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
    durable: bool = True  # False: never written to the journal (see EPHEMERAL_KINDS)

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

    async def release(self) -> None:
        """Forget every lease: the one process handling this bot's updates is starting, so
        whoever held them is gone (a broker reclaims idle entries instead)."""
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


# Fields holding the kernel's small types; every other field is plain JSON.
NESTED: dict[str, type] = {"user": Sender, "chat": Chat, "sender_chat": Chat, "media": Media,
                           "payment": PaymentInfo}
UPDATE_FIELDS = frozenset(f.name for f in fields(Update)) - {"key", "raw"}


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _build(cls: type, body: dict[str, Any]) -> Any:
    values = {k: base64.b64decode(v["b64"]) if isinstance(v, dict) and "b64" in v else v
              for k, v in body.items()}
    if cls is Chat:
        values["type"] = ChatType(values.get("type", ChatType.PRIVATE))
    return cls(**values)


def encode(update: Update) -> str:
    """Every field but `raw` (and the key, stored beside it), as JSON."""
    body = {name: _plain(getattr(update, name)) for name in sorted(UPDATE_FIELDS)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def decode(key: str, text: str) -> Update:
    values: dict[str, Any] = {}
    for name, value in json.loads(text).items():
        if name not in UPDATE_FIELDS:
            continue  # written by a newer version: a field this one does not know
        if name in NESTED and value is not None:
            value = _build(NESTED[name], value)
        elif name == "album":
            value = tuple(_build(Media, item) for item in value)
        elif name == "kind":
            value = UpdateKind(value)
        values[name] = value
    return Update(key, **values)


# ---- group commit -------------------------------------------------------------------------------


class GroupCommit:
    """Concurrent callers share one transaction: each `submit` waits for the commit that
    carries its work. While one transaction is being written, new work gathers for the next,
    so under load a commit carries many updates and costs each of them little."""

    def __init__(self, db: Database, limit: int = 256) -> None:
        self.db = db
        self.limit = limit
        self._waiting: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, work: Callable[[], T]) -> T:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((work, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await asyncio.shield(future)

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:self.limit], self._waiting[self.limit:]

            def run(batch: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = batch
                    ) -> list[Any]:
                return [work() for work, _ in batch]

            try:
                results = await self.db.transaction(run)
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)


# ---- the embedded journal -----------------------------------------------------------------------


class SqlJournal:
    """The journal as a table (`journal`) in the bot's own database."""

    def __init__(self, db: Database, *, lease: float = 300.0) -> None:
        self.db = db
        self.lease = lease
        self.commits = GroupCommit(db)

    def _entry(self, row: JournalEntry) -> Entry:
        return Entry(row.id, decode(row.key, row.body), row.attempts, row.state, row.error,
                     row.created_at)

    async def append(self, updates: Sequence[Update]) -> list[Entry]:
        fresh: dict[str, Update] = {}
        for update in updates:
            if len(update.key) > KEY_LENGTH:
                raise ValueError(f"update key longer than {KEY_LENGTH}: {update.key[:40]}...")
            fresh.setdefault(update.key, update)
        if not fresh:
            return []

        def write() -> list[Entry]:
            now = utcnow()
            known = {k for (k,) in JournalEntry.select(JournalEntry.key)
                     .where(JournalEntry.key.in_(list(fresh))).tuples()}
            rows = [{"key": key, "kind": u.kind.value, "chat_id": u.chat.id,
                     "body": encode(u), "state": PENDING, "attempts": 0, "next_at": now,
                     "leased_until": now + timedelta(seconds=self.lease), "created_at": now}
                    for key, u in fresh.items() if key not in known]
            if not rows:
                return []
            JournalEntry.insert_many(rows).on_conflict_ignore().execute()
            ids = dict(JournalEntry.select(JournalEntry.key, JournalEntry.id)
                       .where(JournalEntry.key.in_([r["key"] for r in rows])
                              & (JournalEntry.created_at == now)).tuples())
            return [Entry(ids[r["key"]], fresh[r["key"]], created_at=now)
                    for r in rows if r["key"] in ids]

        return await self.commits.submit(write)

    async def release(self) -> None:
        def forget() -> None:
            (JournalEntry.update(leased_until=None)
             .where((JournalEntry.state == PENDING) & JournalEntry.leased_until.is_null(False))
             .execute())

        await self.db.transaction(forget)

    async def take(self, limit: int) -> list[Entry]:
        def claim() -> list[Entry]:
            now = utcnow()
            rows = list(JournalEntry.select()
                        .where((JournalEntry.state == PENDING) & (JournalEntry.next_at <= now)
                               & (JournalEntry.leased_until.is_null()
                                  | (JournalEntry.leased_until < now)))
                        .order_by(JournalEntry.id).limit(limit))
            taken = []
            for row in rows:
                # Another process may claim the same row: only the one whose update matched
                # takes it.
                claimed = (JournalEntry.update(leased_until=now + timedelta(seconds=self.lease))
                           .where((JournalEntry.id == row.id) & (JournalEntry.state == PENDING)
                                  & (JournalEntry.leased_until.is_null()
                                     | (JournalEntry.leased_until < now)))
                           .execute())
                if claimed:
                    taken.append(self._entry(row))
            return taken

        return await self.db.transaction(claim)

    async def done(self, entry: Entry, outcome: str) -> None:
        def mark() -> None:
            (JournalEntry.update(state=DONE, outcome=outcome[:32], finished_at=utcnow(),
                                 leased_until=None)
             .where(JournalEntry.id == entry.id).execute())

        await self.commits.submit(mark)

    async def retry(self, entry: Entry, error: str, delay: float) -> Entry:
        def mark() -> None:
            when = utcnow() + timedelta(seconds=delay)
            # Still this process's: it retries the entry itself when the time comes.
            (JournalEntry.update(attempts=JournalEntry.attempts + 1, error=error[:2000],
                                 next_at=when,
                                 leased_until=when + timedelta(seconds=self.lease))
             .where(JournalEntry.id == entry.id).execute())

        await self.commits.submit(mark)
        return replace(entry, attempts=entry.attempts + 1, error=error)

    async def dead(self, entry: Entry, error: str) -> None:
        def mark() -> None:
            (JournalEntry.update(state=DEAD, attempts=JournalEntry.attempts + 1,
                                 error=error[:2000], outcome="dead", finished_at=utcnow(),
                                 leased_until=None)
             .where(JournalEntry.id == entry.id).execute())

        await self.commits.submit(mark)

    async def list(self, state: str = DEAD, limit: int = 50) -> list[Entry]:
        def read() -> list[Entry]:
            query = (JournalEntry.select().where(JournalEntry.state == state)
                     .order_by(JournalEntry.id.desc()).limit(limit))
            return [self._entry(row) for row in query]

        return await self.db.run(read)

    async def replay(self, entry_id: int) -> Entry | None:
        def reset() -> Entry | None:
            changed = (JournalEntry.update(state=PENDING, attempts=0, next_at=utcnow(),
                                           leased_until=None, finished_at=None, outcome=None)
                       .where((JournalEntry.id == entry_id) & (JournalEntry.state != PENDING))
                       .execute())
            if not changed:
                return None
            return self._entry(JournalEntry.get_by_id(entry_id))

        return await self.db.transaction(reset)

    async def counts(self) -> dict[str, int]:
        def read() -> dict[str, int]:
            found = dict(JournalEntry.select(JournalEntry.state, peewee.fn.COUNT(JournalEntry.id))
                         .group_by(JournalEntry.state).tuples())
            return {state: found.get(state, 0) for state in STATES}

        return await self.db.run(read)

    async def prune(self, older_than: float) -> int:
        def forget() -> int:
            limit = utcnow() - timedelta(seconds=older_than)
            return int(JournalEntry.delete()
                       .where((JournalEntry.state == DONE) & (JournalEntry.finished_at < limit))
                       .execute())

        return await self.db.run(forget)
