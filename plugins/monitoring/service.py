"""What the operators see: per-command timings, recent errors, readiness, process health.

`Monitor` is registered as the `monitoring` service; the plugin's hooks feed it and the HTTP
server, `/status` and `python -m core health` read it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import socket
import time
from collections import Counter, deque
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from loguru import logger

from core.models import utcnow
from core.tasks import BackgroundTask
from core.types import Update, UpdateKind
from plugins.monitoring.metrics import Metrics, numeric_figures
from plugins.monitoring.models import WorkerReport
from plugins.monitoring.process import LagSampler, resident_memory_bytes

if TYPE_CHECKING:
    from core.kernel import Kernel
    from plugins.monitoring.http import HttpServer
    from plugins.monitoring.sentry import Sentry

ERROR_WINDOW = 3600.0  # /status shows the errors of the last hour
REPORT_WINDOW = 3600.0  # `python -m core health` lists workers that reported this recently
# Outcomes where a handler ran: the others are refused before any handler, and their time
# says nothing about the command.
HANDLED = frozenset({"ok", "user_error", "error"})


@dataclass(slots=True)
class Timing:
    count: int = 0
    total: float = 0.0
    worst: float = 0.0

    def add(self, seconds: float) -> None:
        self.count += 1
        self.total += seconds
        if seconds > self.worst:
            self.worst = seconds


class Monitor:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        s = kernel.settings.monitoring
        slow_ms = int(s.slow_handler_ms)
        self.slow_seconds = slow_ms / 1000 if slow_ms > 0 else None
        self.ready_timeout = float(s.ready_timeout)
        lag_warn = int(s.lag_warn_ms)
        self.lag = LagSampler(kernel.clock, float(s.lag_interval),
                              lag_warn / 1000 if lag_warn > 0 else None)
        self.metrics = Metrics(kernel, self.lag) if s.metrics else None
        self.timings: dict[str, Timing] = {}
        self.errors: deque[tuple[float, str]] = deque(maxlen=10_000)
        self.sentry: Sentry | None = None
        self.http: HttpServer | None = None
        self.worker = f"{socket.gethostname()}:{os.getpid()}"[:128]
        self.publish_interval = float(s.publish_interval)
        self._publisher = BackgroundTask("monitoring-report")

    # ---- fed by hooks -------------------------------------------------------------------------

    def label(self, update: Update) -> str:
        """A bounded name for an update: known commands and button prefixes by name, the
        rest by kind, so forged commands cannot grow the metrics without end."""
        routes = self.kernel.routes
        if update.kind is UpdateKind.COMMAND:
            name = update.command or ""
            return "/" + name if name in routes.commands else "/(unknown)"
        if update.kind is UpdateKind.CALLBACK:
            route = routes.callback_for(update.callback_data or "")
            return "button " + route.prefix if route is not None else "button (unknown)"
        return update.kind.value

    def update_handled(self, update: Update, outcome: str, seconds: float) -> None:
        label = self.label(update)
        if self.metrics is not None:
            self.metrics.observe_update(update.kind.value, label, outcome, seconds)
        if outcome not in HANDLED:
            return
        timing = self.timings.get(label)
        if timing is None:
            timing = self.timings[label] = Timing()
        timing.add(seconds)
        if self.slow_seconds is not None and seconds >= self.slow_seconds:
            logger.warning("slow update {} ({}) took {:.0f} ms", label, outcome, seconds * 1000)
            if self.metrics is not None:
                self.metrics.slow_updates.labels(label).inc()

    def error_seen(self, error: BaseException, reference: str, update: Update) -> None:
        self.errors.append((self.kernel.clock.now(), type(error).__name__))
        if self.sentry is not None:
            try:
                self.sentry.capture(error, reference, update)
            except Exception:
                logger.exception("could not send error {} to Sentry", reference)

    # ---- read by operators --------------------------------------------------------------------

    def slowest(self, limit: int = 5) -> list[dict[str, Any]]:
        ranked = sorted(self.timings.items(), key=lambda item: -item[1].worst)[:limit]
        return [{"name": name, "count": t.count, "avg_ms": round(t.total / t.count * 1000, 1),
                 "max_ms": round(t.worst * 1000, 1)} for name, t in ranked]

    def recent_errors(self, limit: int = 5) -> list[tuple[str, int]]:
        since = self.kernel.clock.now() - ERROR_WINDOW
        while self.errors and self.errors[0][0] < since:
            self.errors.popleft()
        return Counter(name for _, name in self.errors).most_common(limit)

    def process(self) -> dict[str, Any]:
        return {
            "uptime_s": round(time.time() - self.kernel.started_at),
            "rss_mb": round(resident_memory_bytes() / 2**20, 1),
            "loop_lag_ms": round(self.lag.last * 1000, 1),
            "loop_lag_max_ms": round(self.lag.worst * 1000, 1),
        }

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Can the bot do its work: database, Redis (when configured) and the transport."""
        parts: dict[str, Any] = {"database": self._database()}
        if self.kernel.settings.cache.backend == "redis":
            parts["redis"] = self._redis()
        parts["transport"] = self._transport()
        names = list(parts)
        results = await asyncio.gather(*(self._timed(parts[n]) for n in names))
        checks = dict(zip(names, results, strict=True))
        failing = [n for n in names if not checks[n]["ok"]]
        return not failing, {"status": "ready" if not failing else "unready",
                             "failing": failing, "checks": checks, "process": self.process()}

    async def _timed(self, check: Any) -> dict[str, Any]:
        try:
            details = await asyncio.wait_for(check, self.ready_timeout)
        except TimeoutError:
            return {"ok": False, "error": f"no answer within {self.ready_timeout:g} s"}
        except Exception as exc:
            return {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        return {"ok": True, **details}

    async def _database(self) -> dict[str, Any]:
        details = await self.kernel.db.health()
        return {"kind": details["kind"], "ping_ms": details["ping_ms"]}

    async def _redis(self) -> dict[str, Any]:
        return {"ping_ms": round(await self.kernel.cache.ping(), 3)}

    async def _transport(self) -> dict[str, Any]:
        """A transport may say whether it is usable with `ready()` (sync or async) or a
        kurigram-style `is_connected` flag; one that says nothing is taken as ready."""
        transport = self.kernel.transport
        if transport is None:
            raise RuntimeError("no transport attached")
        ready = getattr(transport, "ready", None)
        if callable(ready):
            answer = ready()
            if inspect.isawaitable(answer):
                answer = await answer
        else:
            answer = getattr(transport, "is_connected", True)
        if not answer:
            raise RuntimeError(f"transport '{transport.name}' is not connected")
        return {"name": transport.name}

    async def refresh_plugin_figures(self) -> dict[str, dict[str, Any]]:
        """Ask every plugin for its `stats` (may be async); keep the numbers for /metrics."""
        by_plugin: dict[str, dict[str, Any]] = {}
        for impl in self.kernel.pm.hook.stats.get_hookimpls():
            try:
                result = impl.function(**{n: self.kernel for n in impl.argnames})
                if inspect.isawaitable(result):
                    result = await result
            except Exception:
                logger.exception("plugin '{}' failed in hook stats", impl.plugin_name)
                continue
            if isinstance(result, dict):
                by_plugin[impl.plugin_name] = result
        if self.metrics is not None:
            figures: dict[tuple[str, str], float] = {}
            for plugin, result in by_plugin.items():
                figures.update(numeric_figures(plugin, result))
            self.metrics.collector.plugin_figures = figures
            # Counting Redis keys means a SCAN of the whole namespace: memory backend only.
            if self.kernel.settings.cache.backend == "memory":
                self.metrics.collector.cache_entries = await self.kernel.cache.entries()
        return by_plugin

    # ---- reports for other processes (`python -m core health` runs in its own) ---------------

    def worker_figures(self) -> dict[str, Any]:
        return {"process": self.process(), "slowest": self.slowest(),
                "errors_last_hour": dict(self.recent_errors()),
                "outcomes": dict(self.kernel.dispatcher.counts)}

    async def publish(self, running: bool = True) -> None:
        """Write this worker's figures to the database, where every process can read them."""
        row = {WorkerReport.reported_at: utcnow(), WorkerReport.running: running,
               WorkerReport.figures: json.dumps(self.worker_figures())}

        database = self.kernel.db.peewee

        # Queries name their database: model binding is per class, and tests and benchmarks
        # run several kernels in one process.
        def write() -> None:
            (WorkerReport.insert({WorkerReport.worker: self.worker, **row})
             .on_conflict(conflict_target=[WorkerReport.worker], update=row).execute(database))

        await self.kernel.db.run(write)

    async def reports(self) -> list[dict[str, Any]]:
        """Figures published by the workers seen in the last hour, newest first."""
        now = utcnow()

        since = now - timedelta(seconds=REPORT_WINDOW)

        database = self.kernel.db.peewee

        def read() -> list[WorkerReport]:
            return list(WorkerReport.select().where(WorkerReport.reported_at >= since)
                        .order_by(WorkerReport.reported_at.desc()).execute(database))

        return [{"worker": r.worker, "running": r.running,
                 "age_s": round((now - r.reported_at).total_seconds()),
                 **json.loads(r.figures)} for r in await self.kernel.db.run(read)]

    def start_publishing(self) -> None:
        if self.publish_interval > 0:
            self._publisher.start(self._publish_every)

    async def stop_publishing(self) -> None:
        await self._publisher.stop()
        # A process that handled nothing (`python -m core health` itself) leaves no report.
        if self.publish_interval > 0 and self.kernel.dispatcher.counts:
            try:
                await self.publish(running=False)
            except Exception:
                logger.exception("could not write the monitoring report at shutdown")

    async def _publish_every(self) -> None:
        while True:
            await self.kernel.clock.sleep(self.publish_interval)
            try:
                await self.publish()
            except Exception:
                logger.exception("could not write the monitoring report")
