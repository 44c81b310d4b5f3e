"""The two roles of a bot spread over processes: one receiver, N workers, over Redis Streams.

    receiver = Receiver(broker, max_backlog)       # `python -m core receiver`
    kernel.receiver = receiver                     # the kernel journals, handles nothing

    worker = ShardWorker(kernel, broker, "w1")     # `python -m core worker --name w1`
    await worker.run()                             # until `stop()`

A worker owns a fair share of the shards (shards / live workers, rounded up) through leases it
renews every third of `pipeline.claim_after`. It reads each owned shard through the consumer
group, handles one chat's entries one after another and different chats at once, and
acknowledges each entry after its handling. A worker that starts later makes the others give
shards up (after finishing what they read); a worker that dies, or whose event loop is stuck,
stops renewing, and after `claim_after` its shards are taken over.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from loguru import logger
from redis.exceptions import RedisError

from core.broker import RedisJournal, WorkerFigures, _split
from core.journal import Entry
from core.pipeline import RetryLater
from core.tasks import cancel_and_wait
from core.types import Update

if TYPE_CHECKING:
    from core.kernel import Kernel

BATCH = 100  # entries read from a shard at a time
RETRY_BASE = 0.5  # seconds before the first retry of a failing entry, doubled each time


class Receiver:
    """The receiver's side of the kernel: journal updates onto the broker, and hold the
    transport (which then keeps Telegram's update state where it is) while the backlog is
    above `max_backlog`."""

    def __init__(self, broker: RedisJournal, max_backlog: int, poll: float = 0.2) -> None:
        self.broker = broker
        self.max_backlog = max_backlog
        self.poll = poll
        self.backlog = 0
        self.journaled = 0
        self.held = 0  # times the receiver waited for the workers
        self.unreachable = False

    async def ingest(self, updates: Sequence[Update]) -> None:
        """Returns once every update is journaled (known keys: no-op). While the broker is
        unreachable it keeps trying and does not return: an update is never acknowledged to
        Telegram before it is journaled."""
        if self.backlog > self.max_backlog:
            await self._wait_for_room()
        delay = self.poll
        while True:
            try:
                entries, self.backlog = await self.broker.append_counted(updates)
            except (RedisError, OSError) as exc:
                if not self.unreachable:
                    self.unreachable = True
                    logger.warning("broker unreachable ({}): holding updates until it is "
                                   "back", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            break
        if self.unreachable:
            self.unreachable = False
            logger.info("broker reachable again: taking updates")
        self.journaled += len(entries)

    async def _wait_for_room(self) -> None:
        self.held += 1
        logger.warning("backlog {} above pipeline.max_backlog {}: holding updates until the "
                       "workers catch up", self.backlog, self.max_backlog)
        while self.backlog > self.max_backlog:
            await asyncio.sleep(self.poll)
            self.backlog = await self.broker.backlog()
        logger.info("backlog {}: taking updates again", self.backlog)


@dataclass(slots=True)
class _Shard:
    task: asyncio.Task[None]
    leaving: bool = False  # give it up after the current batch


class ShardWorker:
    def __init__(self, kernel: Kernel, broker: RedisJournal, name: str, *,
                 max_attempts: int = 5, concurrency: int = 64) -> None:
        self.kernel = kernel
        self.broker = broker
        self.name = name
        self.max_attempts = max_attempts
        self.figures = WorkerFigures(name)
        self._shards: dict[int, _Shard] = {}
        self._slots = asyncio.Semaphore(concurrency)
        self._stopping = asyncio.Event()
        self._interval = max(0.1, broker.claim_after / 3)

    @classmethod
    def from_settings(cls, kernel: Kernel, broker: RedisJournal, name: str) -> ShardWorker:
        p = kernel.settings.pipeline
        return cls(kernel, broker, name, max_attempts=p.max_attempts,
                   concurrency=p.worker_concurrency)

    @property
    def shards(self) -> list[int]:
        return sorted(self._shards)

    async def run(self) -> None:
        """Hold leases and consume until `stop()`; then give every shard up."""
        await self.broker.ensure_groups()
        logger.info("worker {}: sharing {} shards with the other workers", self.name,
                    self.broker.shards)
        try:
            while not self._stopping.is_set():
                try:
                    await self._balance()
                except Exception as exc:
                    # Redis away: the shards' own loops wait too; leases lapse if it lasts.
                    logger.warning("worker {}: cannot reach the broker ({}); retrying",
                                   self.name, type(exc).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._interval)
        finally:
            await self._leave_all()

    async def stop(self) -> None:
        self._stopping.set()

    # ---- leases -------------------------------------------------------------------------------

    async def _balance(self) -> None:
        broker = self.broker
        for shard, state in list(self._shards.items()):
            if state.task.done():
                self._shards.pop(shard)
                continue
            # Renewed while the process runs its loop, however long a batch takes (replies
            # wait for their pacing slots): a slow handler is no reason to let a second
            # worker into the same chats. A dead process, or one whose loop is stuck, stops
            # renewing, and the lease lapses after claim_after.
            if not await broker.renew(shard, self.name):
                logger.warning("worker {}: lost shard {}", self.name, shard)
                state.leaving = True
        self.figures.shards = self.shards
        await broker.publish(self.figures)
        alive = sum(1 for w in (await broker.workers()).values() if w["alive"])
        share = math.ceil(broker.shards / max(1, alive))
        mine = [s for s, st in self._shards.items() if not st.leaving]
        for shard in sorted(mine, reverse=True)[:max(0, len(mine) - share)]:
            self._shards[shard].leaving = True  # a newcomer gets it once this batch is done
        if len(mine) < share:
            owners = await broker.owners()
            free = [s for s in range(broker.shards) if s not in owners and s not in self._shards]
            random.shuffle(free)
            for shard in free[:share - len(mine)]:
                if await broker.acquire(shard, self.name):
                    self._shards[shard] = _Shard(asyncio.create_task(
                        self._consume(shard), name=f"shard-{shard}"))

    async def _leave_all(self) -> None:
        for state in self._shards.values():
            state.leaving = True
        timeout = float(self.kernel.settings.get("pipeline.shutdown_timeout", 10))
        tasks = [s.task for s in self._shards.values()]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:
                await cancel_and_wait(task)
        self._shards.clear()
        with contextlib.suppress(Exception):
            await self.broker.forget_worker(self.name)

    # ---- one shard ----------------------------------------------------------------------------

    async def _consume(self, shard: int) -> None:
        broker = self.broker
        state_of = self._shards.get
        pending = True  # first what this shard's previous owner (or we) read and left
        try:
            await broker.claim(shard, self.name)
            handled_since_trim = 0
            while True:
                state = state_of(shard)
                if state is None or state.leaving:
                    return
                try:
                    entries = await broker.read(shard, self.name, BATCH, block_ms=500,
                                                pending=pending)
                except Exception as exc:
                    logger.warning("worker {}: shard {} unreadable ({}); retrying", self.name,
                                   shard, type(exc).__name__)
                    await asyncio.sleep(1)
                    continue
                if not entries:
                    pending = False
                    continue
                try:
                    await self._handle_batch(entries)
                except Exception:
                    logger.exception("worker {}: shard {} batch interrupted", self.name, shard)
                    pending = True  # what was not acknowledged comes back through the PEL
                    await asyncio.sleep(1)
                handled_since_trim += len(entries)
                if handled_since_trim >= 1000:
                    handled_since_trim = 0
                    with contextlib.suppress(Exception):
                        await broker.trim(shard)
        finally:
            with contextlib.suppress(Exception):
                await broker.release(shard, self.name)

    async def _handle_batch(self, entries: list[Entry]) -> None:
        chats: dict[int, list[Entry]] = {}
        for entry in entries:  # read in stream order: each chat's list is in order
            chats.setdefault(entry.update.chat.id, []).append(entry)
        await asyncio.gather(*(self._handle_chat(chat) for chat in chats.values()))

    async def _handle_chat(self, entries: list[Entry]) -> None:
        async with self._slots:
            for entry in entries:
                await self._handle(entry)

    async def _handle(self, entry: Entry) -> None:
        broker = self.broker
        attempts = await broker.attempt(entry)
        _, sid = _split(entry.id)
        self.figures.lag_ms = max(0.0, time.time() * 1000 - int(sid.split("-")[0]))
        while True:
            if attempts > self.max_attempts:
                # Counted before each try: the workers that tried it died or hung in it.
                await broker.dead(replace(entry, attempts=attempts - 1),
                                  f"no worker finished it in {attempts - 1} attempts")
                return
            final = attempts >= self.max_attempts
            try:
                outcome = await self.kernel.dispatcher.handle(entry.update, final)
            except Exception as exc:
                # RetryLater (a handler failed, not the last attempt), or the kernel itself
                # failing (the database away): try again after a backoff, then bury it.
                if not isinstance(exc, RetryLater):
                    logger.exception("worker {}: update {} failed (attempt {})", self.name,
                                     entry.key, attempts)
                if final:
                    await broker.dead(replace(entry, attempts=attempts),
                                      f"{type(exc).__name__}: {exc}")
                    return
                await asyncio.sleep(RETRY_BASE * 2 ** (attempts - 1))
                attempts = await broker.attempt(entry)
                continue
            await broker.done(entry, outcome)
            self.figures.handled += 1
            return

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "shards": self.shards, "handled": self.figures.handled,
                "lag_ms": round(self.figures.lag_ms, 1)}


async def report(broker: RedisJournal) -> dict[str, Any]:
    """The broker's figures for /status, /metrics and health: backlog, dead letters, and
    each worker with its shards, lag and count handled."""
    counts = await broker.counts()
    owners = await broker.owners()
    workers = {}
    for name, figures in sorted((await broker.workers()).items()):
        shards = sorted(s for s, owner in owners.items() if owner == name)
        workers[name] = {"alive": int(figures["alive"]), "shards": len(shards),
                         "shard_list": shards, "lag_ms": figures["lag_ms"],
                         "handled": figures["handled"]}
    return {"backlog": counts["pending"], "dead": counts["dead"],
            "workers_alive": sum(w["alive"] for w in workers.values()),
            "unowned_shards": broker.shards - len(owners), "workers": workers}


def report_lines(figures: dict[str, Any]) -> list[str]:
    lines = [f"Broker: backlog {figures['backlog']}, dead letters {figures['dead']}, "
             f"{figures['workers_alive']} workers alive"
             + (f", {figures['unowned_shards']} shards unowned"
                if figures["unowned_shards"] else "")]
    for name, w in figures["workers"].items():
        state = "" if w["alive"] else " (silent)"
        shards = ", ".join(map(str, w["shard_list"])) or "none"
        lines.append(f"  {name}{state}: shards {shards}; lag {w['lag_ms']:.0f} ms; "
                     f"handled {w['handled']}")
    return lines
