"""The kernel's own workers: journaled updates are handled here, not on the transport's
receiving path.

    transport -> kernel.ingest(updates) -> journal.append (durable) -> lanes -> workers
              -> dispatcher -> journal.done | journal.retry (backoff) | journal.dead

Each lane has a bounded number of workers. A lane keeps one queue per shard (a chat): a shard's
entries are handled one after another, different shards at once. Pre-checkout queries and
payments go to a lane of their own, so a chat flooding the normal lane never delays money.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from loguru import logger

from core.clock import Clock
from core.journal import EPHEMERAL_KINDS, Entry, Journal
from core.tasks import BackgroundTask
from core.types import Update

# (update, final attempt?, attempt from 1) -> outcome; raises RetryLater to ask for a retry.
Handle = Callable[[Update, bool, int], Awaitable[str]]
RECENT_EPHEMERAL = 10_000


class RetryLater(Exception):
    """Raised by the handle function: this attempt failed, try the update again later."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    workers: int = 16
    priority_workers: int = 4
    max_attempts: int = 5
    retry_base_delay: float = 1.0
    retry_max_delay: float = 300.0
    shutdown_timeout: float = 10.0
    poll_interval: float = 5.0
    resume_batch: int = 500

    @classmethod
    def from_settings(cls, settings: object) -> PipelineSettings:
        p = settings.pipeline  # type: ignore[attr-defined]
        return cls(p.workers, p.priority_workers, p.max_attempts, float(p.retry_base_delay),
                   float(p.retry_max_delay), float(p.shutdown_timeout),
                   float(p.poll_interval))

    def backoff(self, attempt: int) -> float:
        """Exponential with full jitter; `attempt` counts failures from 1."""
        bound = min(self.retry_max_delay, self.retry_base_delay * 2 ** (attempt - 1))
        return random.uniform(bound / 2, bound)


class Lane:
    """Bounded workers over per-shard queues: one shard at a time per worker, in order."""

    def __init__(self, name: str, workers: int, run: Callable[[Entry], Awaitable[None]]) -> None:
        self.name = name
        self.size = workers
        self.run = run
        self._shards: dict[str, deque[Entry]] = {}  # shards with work queued or running
        self._ready: asyncio.Queue[str] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work(), name=f"{self.name}-{i}")
                       for i in range(self.size)]

    def put(self, entry: Entry) -> None:
        queue = self._shards.get(entry.shard)
        if queue is not None:
            queue.append(entry)  # the shard is queued or running: it comes in its turn
            return
        self._shards[entry.shard] = deque([entry])
        self._ready.put_nowait(entry.shard)

    def hold(self, entry: Entry, ready: Awaitable[None]) -> None:
        """Put a failed entry back at the head of its shard; the shard waits for `ready`."""
        self._shards.setdefault(entry.shard, deque()).appendleft(entry)

        async def later() -> None:
            await ready
            self._ready.put_nowait(entry.shard)

        task = asyncio.create_task(later())
        self._tasks.append(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    def queued(self) -> int:
        return sum(len(q) for q in self._shards.values())

    async def _work(self) -> None:
        while True:
            shard = await self._ready.get()
            queue = self._shards.get(shard)
            if not queue:
                self._shards.pop(shard, None)
                continue
            entry = queue.popleft()
            held = False
            try:
                held = await self._run_one(entry)
            finally:
                if not held:
                    if queue:
                        self._ready.put_nowait(shard)
                    else:
                        self._shards.pop(shard, None)

    async def _run_one(self, entry: Entry) -> bool:
        """Run one entry; True when it was put back to wait for a retry (the shard waits)."""
        try:
            await self.run(entry)
        except _Held:
            return True
        except Exception:
            logger.exception("pipeline: entry {} ({}) could not be finished", entry.id,
                             entry.key)
        return False

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []


class _Held(Exception):
    """Internal: the entry went back to its shard for a retry."""


class Pipeline:
    def __init__(self, journal: Journal, handle: Handle, clock: Clock,
                 settings: PipelineSettings) -> None:
        self.journal = journal
        self.handle = handle
        self.clock = clock
        self.settings = settings
        self.normal = Lane("worker", settings.workers, self._run)
        self.priority = Lane("priority", settings.priority_workers, self._run)
        self.unfinished = 0
        self.retries = 0
        self.dead_letters = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._outcomes: dict[str, asyncio.Future[str]] = {}
        self._accepting = False
        self._recent: dict[str, None] = {}  # ephemeral keys lately seen (insertion order)
        self._queued: set[str] = set()  # keys queued or running here
        self._marks: set[asyncio.Task[None]] = set()  # done-marks being written
        self._poller = BackgroundTask("journal-poll")

    async def start(self) -> int:
        """Start the workers and resume what an earlier run left unfinished; how many."""
        self.normal.start()
        self.priority.start()
        self._accepting = True
        await self.journal.release()  # the process that held them is gone
        resumed = await self.resume()
        if resumed:
            logger.info("pipeline: resumed {} unfinished updates", resumed)
        if self.settings.poll_interval > 0:
            self._poller.start(self._poll)
        return resumed

    async def resume(self) -> int:
        """Queue what the journal holds unfinished and unleased: an earlier run's updates, a
        dead process's, a dead letter an operator replayed (`python -m core journal
        replay`). How many."""
        resumed = 0
        while True:
            batch = await self.journal.take(self.settings.resume_batch)
            fresh = [e for e in batch if e.key not in self._queued]
            for entry in fresh:
                self._put(entry)
            resumed += len(fresh)
            if len(batch) < self.settings.resume_batch:
                return resumed

    async def _poll(self) -> None:
        while True:
            await self.clock.sleep(self.settings.poll_interval)
            try:
                await self.resume()
            except Exception:
                logger.exception("pipeline: could not read the journal")

    async def ingest(self, updates: Sequence[Update]) -> list[Entry]:
        """Journal updates (durable on return) and queue the new ones; the new entries."""
        if not self._accepting:
            raise RuntimeError("the kernel is stopping: updates are not taken")
        durable = [u for u in updates if u.kind not in EPHEMERAL_KINDS]
        entries = []
        for update in updates:
            if update.kind in EPHEMERAL_KINDS and update.key not in self._recent:
                self._recent[update.key] = None
                if len(self._recent) > RECENT_EPHEMERAL:
                    del self._recent[next(iter(self._recent))]
                entries.append(Entry(0, update, durable=False))
        for entry in entries:  # first: a pre-checkout query must not wait for a commit
            self._put(entry)
        if durable:
            appended = await self.journal.append(durable)
            for entry in appended:
                self._put(entry)
            entries += appended
        return entries

    def enqueue(self, entry: Entry) -> None:
        """Queue an entry already in the journal (a replayed dead letter)."""
        self._put(entry)

    def outcome(self, key: str) -> asyncio.Future[str]:
        """A future for the outcome of the update with this key (for drivers and tests)."""
        future = self._outcomes.get(key)
        if future is None:
            future = self._outcomes[key] = asyncio.get_running_loop().create_future()
        return future

    def forget(self, key: str) -> None:
        self._outcomes.pop(key, None)

    def _put(self, entry: Entry) -> None:
        self._queued.add(entry.key)
        self.unfinished += 1
        self._idle.clear()
        (self.priority if entry.priority else self.normal).put(entry)

    def _finished(self, entry: Entry, outcome: str) -> None:
        self._queued.discard(entry.key)
        self.unfinished -= 1
        future = self._outcomes.pop(entry.key, None)
        if future is not None and not future.done():
            future.set_result(outcome)
        if self.unfinished == 0:
            self._idle.set()

    async def _run(self, entry: Entry) -> None:
        # A pre-checkout query is answered once, in time, or not at all: never retried.
        final = not entry.durable or entry.attempts + 1 >= self.settings.max_attempts
        try:
            outcome = await self.handle(entry.update, final, entry.attempts + 1)
        except RetryLater as exc:
            if final:  # the handle function should not ask; make it a dead letter anyway
                await self._dead(entry, exc.error)
                return
            self.retries += 1
            delay = self.settings.backoff(entry.attempts + 1)
            again = await self._retry(entry, exc.error, delay)
            lane = self.priority if entry.priority else self.normal
            lane.hold(again, self.clock.sleep(delay))
            raise _Held from None
        except Exception as exc:
            # The kernel itself failed (the database is down...): the entry stays pending in
            # the journal and a later start resumes it; here it is retried like a failure.
            logger.exception("pipeline: update {} failed outside its handler", entry.key)
            if final:
                await self._dead(entry, repr(exc))
                return
            delay = self.settings.backoff(entry.attempts + 1)
            try:
                again = await self._retry(entry, repr(exc), delay)
            except Exception:
                again = replace(entry, attempts=entry.attempts + 1)
            lane = self.priority if entry.priority else self.normal
            lane.hold(again, self.clock.sleep(delay))
            raise _Held from None
        if outcome == "error":
            # The error hooks have reported this attempt's error; keep the last one recorded.
            await self._dead(entry, entry.error or "the handler failed")
            return
        if not entry.durable:
            self._finished(entry, outcome)
            return
        # The worker goes on at once: the done-mark joins the next group commit. Until it is
        # written the entry counts as unfinished (`idle` waits for it); if it is never written
        # the update is handled again, which its idempotent effects allow.
        task = asyncio.create_task(self._mark_done(entry, outcome))
        self._marks.add(task)
        task.add_done_callback(self._marks.discard)

    async def _mark_done(self, entry: Entry, outcome: str) -> None:
        try:
            await self.journal.done(entry, outcome)
        except Exception:
            logger.exception("pipeline: could not mark {} done; it will be handled again",
                             entry.key)
        finally:
            self._finished(entry, outcome)

    async def _retry(self, entry: Entry, error: str, delay: float) -> Entry:
        if not entry.durable:
            return replace(entry, attempts=entry.attempts + 1, error=error)
        return await self.journal.retry(entry, error, delay)

    async def _dead(self, entry: Entry, error: str) -> None:
        self.dead_letters += 1
        logger.error("pipeline: update {} is a dead letter after {} attempts: {}", entry.key,
                     entry.attempts + 1, error[:300])
        if entry.durable:
            await self.journal.dead(entry, error)
        self._finished(entry, "error")

    async def idle(self) -> None:
        """Return when every queued update is finished (done or dead)."""
        await self._idle.wait()

    async def stop(self, timeout: float) -> bool:
        """Take no more updates; let those queued finish within `timeout`. False if some did
        not (they stay unfinished in the journal, and the next start resumes them)."""
        self._accepting = False
        await self._poller.stop()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            drained = True
        except TimeoutError:
            drained = False
            logger.warning("pipeline: {} updates unfinished at stop; the next start resumes "
                           "them", self.unfinished)
        await self.normal.stop()
        await self.priority.stop()
        return drained
