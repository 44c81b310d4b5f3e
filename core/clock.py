"""Time, injectable: the real clock, and a virtual one for tests and benchmarks of pacing."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol

from core.tasks import BackgroundTask


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class VirtualClock:
    """Time moves only when every task is waiting: sleeps finish at once, in order.

    `start()` runs a task that, once the loop has had several idle turns, jumps to the earliest
    pending wake-up. Used by tests and benchmarks that would otherwise wait minutes.
    """

    def __init__(self, start: float = 0.0, idle_turns: int = 20) -> None:
        self._now = start
        # Work the loop cannot see (a database call on a thread): time stands still meanwhile.
        self.busy: list[Callable[[], bool]] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._idle_turns = idle_turns
        self._task = BackgroundTask("virtual-clock")

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._seq), fut))
        await fut

    def advance(self) -> bool:
        """Jump to the earliest wake-up and wake everyone due then; False when none waits."""
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)  # cancelled sleepers
        if not self._sleepers:
            return False
        self._now = max(self._now, self._sleepers[0][0])
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)
        return True

    async def _run(self) -> None:
        while True:
            for _ in range(self._idle_turns):
                await asyncio.sleep(0)
            if any(busy() for busy in self.busy):
                await asyncio.sleep(0.001)  # let the threads finish, in real time
                continue
            self.advance()

    def start(self) -> None:
        self._task.start(self._run)

    async def stop(self) -> None:
        await self._task.stop()
