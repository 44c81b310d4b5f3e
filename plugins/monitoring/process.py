"""The process's own health: resident memory and event-loop lag."""

from __future__ import annotations

import os
import resource
import sys
from collections import deque

from loguru import logger

from core.clock import Clock
from core.tasks import BackgroundTask


def resident_memory_bytes() -> int:
    """Current resident set size; the peak where /proc is missing (macOS, BSD)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


class LagSampler:
    """Sleeps `interval` seconds again and again; how late it wakes is the event loop's lag:
    the time other tasks held the loop without yielding (blocking calls, heavy work)."""

    def __init__(self, clock: Clock, interval: float, warn_seconds: float | None,
                 window: int = 60) -> None:
        self.clock = clock
        self.interval = interval
        self.warn_seconds = warn_seconds
        self.last = 0.0
        self.recent: deque[float] = deque(maxlen=window)
        self._task = BackgroundTask("loop-lag")

    @property
    def worst(self) -> float:
        """The largest lag over the last `window` samples."""
        return max(self.recent, default=0.0)

    def start(self) -> None:
        self._task.start(self._run)

    async def stop(self) -> None:
        await self._task.stop()

    async def _run(self) -> None:
        while True:
            before = self.clock.now()
            await self.clock.sleep(self.interval)
            self.record(max(0.0, self.clock.now() - before - self.interval))

    def record(self, lag: float) -> None:
        self.last = lag
        self.recent.append(lag)
        if self.warn_seconds is not None and lag >= self.warn_seconds:
            logger.warning("event loop lagged {:.0f} ms: something blocked it", lag * 1000)
