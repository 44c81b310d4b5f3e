"""Broadcasts: a draft, a confirmed audience written down as delivery rows, and a runner task
that sends to them through the outbox while one progress message is edited in place.

Nobody is messaged twice, even across a crash. Each delivery row goes `pending -> sending`
(a conditional update: only one runner can claim it) right before its message is handed to
the outbox, then `sent` or `failed` right after. A crash between the two leaves the row
`sending`: we cannot know whether Telegram got it, so on resume such rows become
`interrupted` and are never sent again. That is at most once, and the window is only the
messages in flight at the moment of the crash (at most `broadcast_concurrency`).
The other order (send, then mark) would risk a duplicate for the same window instead; for
a broadcast, a missed announcement is the lesser harm. A clean stop (`shutdown`) lets the
messages in flight finish and records them, so only a real crash leaves `interrupted` rows.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loguru import logger

from core.errors import Unreachable, UserError
from core.i18n import Text
from core.models import utcnow
from core.tasks import cancel_and_wait
from core.types import Action, CopyMessage, EditMessage, SendMessage
from plugins.admin.models import (
    CANCELLED,
    DONE,
    DRAFT,
    FAILED,
    INTERRUPTED,
    PAUSED,
    PENDING,
    RUNNING,
    SENDING,
    SENT,
    Broadcast,
    BroadcastDelivery,
)
from plugins.admin.progress import (
    STATUS_WORDS,
    Counts,
    final_report,
    progress_buttons,
    progress_text,
)
from plugins.admin.service import AdminService, Segment

if TYPE_CHECKING:
    from core.kernel import Kernel

INSERT_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Options:
    batch: int = 50
    concurrency: int = 10
    progress_interval: float = 3.0

    @classmethod
    def from_settings(cls, settings: Any) -> Options:
        a = settings.admin
        return cls(a.broadcast_batch, a.broadcast_concurrency, float(a.progress_interval))


class BroadcastStore:
    """The broadcast tables; each method is one unit of work."""

    def __init__(self, kernel: Kernel) -> None:
        self.db = kernel.db

    async def create(self, created_by: int, segment: Segment, text: str | None,
                     source: tuple[int, int] | None) -> int:
        def write() -> int:
            row = Broadcast.create(
                text=text, source_chat_id=source[0] if source else None,
                source_message_id=source[1] if source else None, segment=segment.name,
                segment_value=segment.value, status=DRAFT, created_by=created_by,
                created_at=utcnow())
            return int(row.id)

        return await self.db.transaction(write)

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await self.db.run(Broadcast.get_or_none, Broadcast.id == broadcast_id)

    async def confirm(self, broadcast_id: int, user_ids: list[int], progress: tuple[int, int]
                      ) -> bool:
        """draft -> running with its audience written down; False when it was not a draft."""
        now = utcnow()

        def write() -> bool:
            changed = (Broadcast.update(status=RUNNING, total=len(user_ids), started_at=now,
                                        progress_chat_id=progress[0],
                                        progress_message_id=progress[1])
                       .where((Broadcast.id == broadcast_id) & (Broadcast.status == DRAFT))
                       .execute())
            if not changed:
                return False
            for start in range(0, len(user_ids), INSERT_CHUNK):
                rows = [{"broadcast_id": broadcast_id, "user_id": uid, "status": PENDING}
                        for uid in user_ids[start:start + INSERT_CHUNK]]
                BroadcastDelivery.insert_many(rows).on_conflict_ignore().execute()
            return True

        return await self.db.transaction(write)

    async def move(self, broadcast_id: int, from_: tuple[str, ...], to: str) -> bool:
        """A conditional status change; False when the broadcast was in none of `from_`."""
        fields: dict[Any, Any] = {Broadcast.status: to}
        if to in (DONE, CANCELLED):
            fields[Broadcast.finished_at] = utcnow()

        def write() -> int:
            return (Broadcast.update(fields)
                    .where((Broadcast.id == broadcast_id) & Broadcast.status.in_(from_))
                    .execute())

        return bool(await self.db.transaction(write))

    async def recent(self, limit: int = 20) -> list[Broadcast]:
        """The latest broadcasts, newest first."""
        return await self.db.run(lambda: list(Broadcast.select()
                                              .order_by(Broadcast.id.desc()).limit(limit)))

    async def status(self, broadcast_id: int) -> str | None:
        row = await self.get(broadcast_id)
        return None if row is None else row.status

    async def with_status(self, status: str) -> list[int]:
        return await self.db.run(lambda: [r.id for r in Broadcast.select(Broadcast.id)
                                          .where(Broadcast.status == status)])

    async def next_pending(self, broadcast_id: int, limit: int) -> list[int]:
        return await self.db.run(lambda: [
            r.user_id for r in BroadcastDelivery.select(BroadcastDelivery.user_id)
            .where((BroadcastDelivery.broadcast_id == broadcast_id)
                   & (BroadcastDelivery.status == PENDING))
            .order_by(BroadcastDelivery.user_id).limit(limit)])

    async def claim(self, broadcast_id: int, user_id: int) -> bool:
        return await self._move_delivery(broadcast_id, user_id, PENDING, SENDING)

    async def settle(self, broadcast_id: int, user_id: int, status: str,
                     error: str | None = None) -> bool:
        return await self._move_delivery(broadcast_id, user_id, SENDING, status, error)

    async def _move_delivery(self, broadcast_id: int, user_id: int, from_: str, to: str,
                             error: str | None = None) -> bool:
        def write() -> int:
            return (BroadcastDelivery.update(status=to, error=error, updated_at=utcnow())
                    .where((BroadcastDelivery.broadcast_id == broadcast_id)
                           & (BroadcastDelivery.user_id == user_id)
                           & (BroadcastDelivery.status == from_))
                    .execute())

        return bool(await self.db.transaction(write))

    async def interrupt_in_flight(self, broadcast_id: int) -> int:
        """Rows left `sending` by a crash: maybe delivered, so never sent again."""
        def write() -> int:
            return (BroadcastDelivery.update(status=INTERRUPTED, error="restart",
                                             updated_at=utcnow())
                    .where((BroadcastDelivery.broadcast_id == broadcast_id)
                           & (BroadcastDelivery.status == SENDING))
                    .execute())

        return await self.db.transaction(write)

    async def counts(self, broadcast_id: int) -> Counts:
        from peewee import fn

        def read() -> Counts:
            query = (BroadcastDelivery.select(BroadcastDelivery.status, fn.COUNT(1))
                     .where(BroadcastDelivery.broadcast_id == broadcast_id)
                     .group_by(BroadcastDelivery.status).tuples())
            return Counts(**{status: n for status, n in query})

        return await self.db.run(read)


class Broadcaster:
    """The `broadcasts` service: creates, confirms and controls broadcasts; runs their tasks."""

    def __init__(self, kernel: Kernel, admin: AdminService, options: Options) -> None:
        self.kernel = kernel
        self.admin = admin
        self.options = options
        self.store = BroadcastStore(kernel)
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.in_flight: set[asyncio.Future[None]] = set()

    # ---- what the handlers call ---------------------------------------------------------------

    async def draft(self, created_by: int, segment: Segment, text: str | None,
                    source: tuple[int, int] | None) -> tuple[int, int]:
        """A draft broadcast and how many users it would reach now."""
        audience = await self.admin.audience(segment)
        return await self.store.create(created_by, segment, text, source), len(audience)

    async def confirm(self, broadcast_id: int, progress: tuple[int, int]) -> int:
        row = await self._get(broadcast_id)
        if row.status != DRAFT:
            word = STATUS_WORDS.get(row.status)
            if word is None:
                raise UserError(Text("admin-broadcast-not-draft", id=str(broadcast_id)))
            raise UserError(Text("admin-broadcast-already", id=str(broadcast_id),
                                 status=Text("admin-status-" + word)))
        # The audience is taken again now: the preview may be minutes old.
        audience = await self.admin.audience(Segment(row.segment, row.segment_value))
        if not await self.store.confirm(broadcast_id, audience, progress):
            raise UserError(Text("admin-broadcast-already-confirmed", id=str(broadcast_id)))
        self.start(broadcast_id)
        return len(audience)

    async def discard(self, broadcast_id: int) -> None:
        await self._get(broadcast_id)
        if not await self.store.move(broadcast_id, (DRAFT,), CANCELLED):
            raise UserError(Text("admin-broadcast-not-draft", id=str(broadcast_id)))

    async def pause(self, broadcast_id: int) -> None:
        await self._get(broadcast_id)
        if not await self.store.move(broadcast_id, (RUNNING,), PAUSED):
            raise UserError(Text("admin-broadcast-not-running", id=str(broadcast_id)))

    async def resume(self, broadcast_id: int) -> None:
        await self._get(broadcast_id)
        if not await self.store.move(broadcast_id, (PAUSED,), RUNNING):
            raise UserError(Text("admin-broadcast-not-paused", id=str(broadcast_id)))
        self.start(broadcast_id)

    async def cancel(self, broadcast_id: int) -> None:
        await self._get(broadcast_id)
        if not await self.store.move(broadcast_id, (RUNNING, PAUSED), CANCELLED):
            raise UserError(Text("admin-broadcast-ended", id=str(broadcast_id)))
        if not self.is_running(broadcast_id):
            await self._finish(broadcast_id, None)  # no runner will: say it here

    async def _get(self, broadcast_id: int) -> Broadcast:
        row = await self.store.get(broadcast_id)
        if row is None:
            raise UserError(Text("admin-no-broadcast", id=str(broadcast_id)))
        return row

    # ---- tasks --------------------------------------------------------------------------------

    def is_running(self, broadcast_id: int) -> bool:
        task = self.tasks.get(broadcast_id)
        return task is not None and not task.done()

    def start(self, broadcast_id: int) -> None:
        if not self.is_running(broadcast_id):
            task = asyncio.get_running_loop().create_task(self._run(broadcast_id))
            self.tasks[broadcast_id] = task
            task.add_done_callback(lambda t: self._forget(broadcast_id, t))

    def _forget(self, broadcast_id: int, task: asyncio.Task[None]) -> None:
        if self.tasks.get(broadcast_id) is task:
            del self.tasks[broadcast_id]
        if not task.cancelled() and task.exception() is not None:
            logger.opt(exception=task.exception()).error("broadcast #{} runner failed",
                                                         broadcast_id)

    async def resume_interrupted(self) -> None:
        """At start-up: every broadcast left running (by a crash or a stop) goes on."""
        for broadcast_id in await self.store.with_status(RUNNING):
            logger.info("resuming broadcast #{}", broadcast_id)
            self.start(broadcast_id)

    async def wait(self, broadcast_id: int) -> None:
        """Until the broadcast's runner stops (finished, paused or cancelled)."""
        task = self.tasks.get(broadcast_id)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    async def stop(self) -> None:
        """Stop every runner; a broadcast stays `running` and resumes at the next start.
        Messages already handed over are finished and recorded first."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*list(self.in_flight), return_exceptions=True)

    # ---- the runner ---------------------------------------------------------------------------

    async def _run(self, broadcast_id: int) -> None:
        while True:
            shown = await self._run_once(broadcast_id)
            status = await self.store.status(broadcast_id)
            if status == RUNNING:
                continue  # resumed while this runner was stopping: it goes on
            if status != shown:
                await self._finish(broadcast_id, None)  # cancelled while it was stopping
            return

    async def _run_once(self, broadcast_id: int) -> str:
        """Send until the broadcast is done or no longer running; return the status shown."""
        row = await self._get(broadcast_id)
        interrupted = await self.store.interrupt_in_flight(broadcast_id)
        if interrupted:
            logger.warning("broadcast #{}: {} messages were in flight at a crash; not resent",
                           broadcast_id, interrupted)
        clock = self.kernel.clock
        started, done_before = clock.now(), (await self.store.counts(broadcast_id)).processed
        limit = asyncio.Semaphore(self.options.concurrency)

        async def tick() -> None:
            # Its own task, so the message moves on time even when a batch is slow (flood
            # waits), and never more often than the interval.
            while True:
                counts = await self.store.counts(broadcast_id)
                elapsed = clock.now() - started
                rate = (counts.processed - done_before) / elapsed if elapsed > 0 else None
                await self._show(row, RUNNING, counts, rate)
                await clock.sleep(self.options.progress_interval)

        async def deliver(user_id: int) -> None:
            async with limit:
                # Once claimed, a delivery runs to its end even if the runner is stopped:
                # `stop` waits for it, so a clean shutdown leaves no row `sending`.
                job = asyncio.ensure_future(self._deliver(row, user_id))
                self.in_flight.add(job)
                job.add_done_callback(self.in_flight.discard)
                await asyncio.shield(job)

        ticker = asyncio.get_running_loop().create_task(tick())
        try:
            while await self.store.status(broadcast_id) == RUNNING:
                batch = await self.store.next_pending(broadcast_id, self.options.batch)
                if not batch:
                    await self.store.move(broadcast_id, (RUNNING,), DONE)
                    break
                await asyncio.gather(*(deliver(uid) for uid in batch))
        finally:
            await cancel_and_wait(ticker)
        return await self._finish(broadcast_id, clock.now() - started)

    def _action(self, row: Broadcast, user_id: int) -> Action:
        if row.text is not None:
            return SendMessage(user_id, row.text)
        return CopyMessage(user_id, row.source_chat_id, row.source_message_id)

    async def _deliver(self, row: Broadcast, user_id: int) -> None:
        if not await self.store.claim(row.id, user_id):
            return  # another runner has it (or it was settled meanwhile)
        try:
            await self.kernel.send(self._action(row, user_id))
        except Unreachable:
            # The kernel has marked the user unreachable: later audiences leave them out.
            await self.store.settle(row.id, user_id, FAILED, "unreachable")
        except Exception as exc:
            logger.warning("broadcast #{} to {} failed: {}", row.id, user_id, exc)
            await self.store.settle(row.id, user_id, FAILED, type(exc).__name__[:64])
        else:
            await self.store.settle(row.id, user_id, SENT)

    async def _show(self, row: Broadcast, status: str, counts: Counts,
                    rate: float | None = None) -> None:
        if row.progress_chat_id is None or row.progress_message_id is None:
            return
        try:
            t = await self.kernel.texts_for(row.created_by)  # the admin who sent it
            text = progress_text(t, row.id, Segment(row.segment, row.segment_value).label,
                                 status, counts, rate)
            await self.kernel.send(EditMessage(row.progress_chat_id, row.progress_message_id,
                                               text, progress_buttons(t, row.id, status)))
        except Exception as exc:  # the progress message is a view: the broadcast goes on
            logger.warning("broadcast #{}: progress message not updated: {}", row.id, exc)

    async def _finish(self, broadcast_id: int, seconds: float | None) -> str:
        """Show where the broadcast stands; with a report when it has ended."""
        row = await self._get(broadcast_id)
        counts = await self.store.counts(broadcast_id)
        await self._show(row, row.status, counts)
        if row.status in (DONE, CANCELLED):
            try:
                t = await self.kernel.texts_for(row.created_by)
                await self.kernel.send(SendMessage(
                    row.progress_chat_id or row.created_by,
                    final_report(t, row.id, row.status, counts, seconds)))
            except Exception as exc:
                logger.warning("broadcast #{}: final report not sent: {}", row.id, exc)
        return str(row.status)
