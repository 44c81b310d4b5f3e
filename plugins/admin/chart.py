"""The /stats chart: daily new and active users as a PNG, when the `chart` extra
(matplotlib) is installed. Without it /stats is text only.

Drawing takes a second or more and matplotlib weighs about 50 MB, so the chart is drawn in a
separate worker process (started on the first /stats, kept for the next ones, stopped with
the plugin): the bot's event loop never waits on it and the bot's own memory does not grow.
A chart that fails or takes longer than `timeout` is left out; the figures are still sent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import multiprocessing
from datetime import date

from loguru import logger

from core.types import Media

Days = list[tuple[date, int, int]]


def available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def png(days: Days) -> bytes:
    """The chart as PNG bytes. Runs in the worker process (it imports matplotlib)."""
    import io

    import matplotlib

    matplotlib.use("Agg")  # no display: draw to memory
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.5), dpi=100)
    axes = figure.subplots()
    labels = [d.strftime("%d %b") for d, _, _ in days]
    axes.bar(labels, [a for _, _, a in days], color="#9ecae1", label="active (last seen)")
    axes.plot(labels, [n for _, n, _ in days], color="#d62728", marker="o", markersize=3,
              label="new")
    axes.set_title("Users per day, last 30 days")
    axes.legend(loc="upper left")
    axes.tick_params(axis="x", labelrotation=60, labelsize=7)
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def as_media(data: bytes) -> Media:
    return Media("photo", "", file_name="stats.png", mime_type="image/png", data=data)


def render(days: Days) -> Media:
    """Draw in this process (what the worker does; kept for scripts and the benchmark's
    baseline)."""
    return as_media(png(days))


class ChartWorker:
    """One worker process drawing charts, started when first needed."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: a fork would copy the bot's threads and open connections.
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def draw(self, days: Days) -> Media | None:
        """The chart, or None when it could not be drawn in time (logged)."""
        try:
            # Submitting starts the process on first use: off the event loop's thread.
            future = await asyncio.to_thread(self._executor().submit, png, days)
            data = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except (TimeoutError, concurrent.futures.process.BrokenProcessPool, OSError) as exc:
            logger.warning("the /stats chart was left out: {}", type(exc).__name__)
            self.close()  # a stuck or dead worker is replaced on the next /stats
            return None
        return as_media(data)

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=False, cancel_futures=True)
