"""Prometheus metrics: one registry per kernel, so several kernels in a process never collide.

Per-update counters are updated as updates finish (`observe_update`); everything the kernel
already counts (errors, outbox, cache, database pool) and what plugins report through the
`stats` hook is read at scrape time by `KernelCollector`, so the hot path pays nothing for it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector

from plugins.monitoring.process import resident_memory_bytes

if TYPE_CHECKING:
    from core.kernel import Kernel
    from plugins.monitoring.process import LagSampler

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
DB_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)


class Metrics:
    def __init__(self, kernel: Kernel, lag: LagSampler | None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("bot_updates", "Updates handled, by kind, command and outcome",
                               ["kind", "command", "outcome"], registry=r)
        self.latency = Histogram("bot_update_seconds", "Time to handle an update, by kind",
                                 ["kind"], buckets=LATENCY_BUCKETS, registry=r)
        self.limited = Counter("bot_rate_limited_updates", "Updates refused by the inbound "
                               "rate limit, by kind", ["kind"], registry=r)
        self.slow_updates = Counter("bot_slow_updates", "Updates slower than "
                                    "monitoring.slow_handler_ms, by command", ["command"],
                                    registry=r)
        self.db_latency = Histogram("bot_db_call_seconds", "Database calls through the bridge "
                                    "(retries included)", ["outcome"], buckets=DB_BUCKETS,
                                    registry=r)
        self._children: dict[tuple[str, str, str], tuple[Any, Any]] = {}
        self._db_children = (self.db_latency.labels("failed"), self.db_latency.labels("ok"))
        self.collector = KernelCollector(kernel, lag)
        r.register(self.collector)
        ProcessCollector(namespace="bot", registry=r)

    def observe_update(self, kind: str, label: str, outcome: str, seconds: float) -> None:
        # `labels()` validates and locks on every call: keep the children, it runs per update.
        key = (kind, label, outcome)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (self.updates.labels(kind, label, outcome),
                                              self.latency.labels(kind))
        children[0].inc()
        children[1].observe(seconds)
        if outcome == "limited":
            self.limited.labels(kind).inc()

    def observe_db(self, name: str, seconds: float, ok: bool) -> None:
        # Called on database threads: prometheus_client's metrics are thread-safe.
        self._db_children[ok].observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class KernelCollector:
    """Reads the kernel's own figures at scrape time."""

    def __init__(self, kernel: Kernel, lag: LagSampler | None) -> None:
        self.kernel = kernel
        self.lag = lag
        self.plugin_figures: dict[tuple[str, str], float] = {}
        self.cache_entries: int | None = None

    def describe(self) -> list[Metric]:
        return []  # figures appear and disappear with plugins: do not pin the names

    def collect(self) -> Iterator[Metric]:
        k = self.kernel
        if not hasattr(k, "dispatcher"):  # not started yet
            return
        yield _gauge("bot_uptime_seconds", "Seconds since the kernel started",
                     time.time() - k.started_at)
        yield _gauge("bot_resident_memory_bytes", "Resident memory of the process",
                     resident_memory_bytes())
        if self.lag is not None:
            yield _gauge("bot_event_loop_lag_seconds", "How late the last timer woke up",
                         self.lag.last)
            yield _gauge("bot_event_loop_lag_max_seconds", "Worst lag of the recent samples",
                         self.lag.worst)
        errors = CounterMetricFamily("bot_errors", "Unexpected errors, by exception type",
                                     labels=["type"])
        for name, count in sorted(k.error_counts.items()):
            errors.add_metric([name], count)
        yield errors
        pipeline = k.pipeline
        yield _gauge("bot_journal_unfinished", "Journaled updates queued or being handled "
                     "by this process", pipeline.unfinished)
        yield _counter("bot_update_retries", "Handling attempts that failed and were retried",
                       pipeline.retries)
        yield _counter("bot_dead_letters", "Updates that failed pipeline.max_attempts times "
                       "(python -m core journal list)", pipeline.dead_letters)
        out = k.outbox.stats
        yield _gauge("bot_outbox_queue_depth", "Actions waiting in the outbound queue",
                     k.outbox.depth())
        yield _counter("bot_outbox_flood_waits", "FloodWait answers from Telegram",
                       out.flood_waits)
        yield _counter("bot_outbox_sent", "Actions delivered", out.sent)
        yield _counter("bot_outbox_failed", "Actions that failed", out.failed)
        yield _counter("bot_outbox_unreachable", "Users found to have blocked the bot",
                       out.unreachable)
        cache = k.cache.stats
        yield _counter("bot_cache_hits", "Cache lookups that found a value", cache.hits)
        yield _counter("bot_cache_misses", "Cache lookups that found nothing", cache.misses)
        if self.cache_entries is not None:
            yield _gauge("bot_cache_entries", "Entries in the cache", self.cache_entries)
        pool = k.db.pool_figures()
        connections = GaugeMetricFamily("bot_db_pool_connections", "Database pool "
                                        "connections, by state", labels=["state"])
        connections.add_metric(["in_use"], pool["in_use"])
        connections.add_metric(["idle"], pool["idle"])
        yield connections
        yield _gauge("bot_db_pool_size", "Database pool capacity", pool["size"])
        stats = k.db.stats
        yield _counter("bot_db_calls", "Database calls", stats.calls)
        yield _counter("bot_db_retries", "Database retries after transient errors",
                       stats.retries)
        yield _counter("bot_db_failures", "Database calls that failed", stats.failures)
        yield _counter("bot_db_slow_calls", "Database calls slower than database.slow_ms",
                       stats.slow)
        if self.plugin_figures:
            figures = GaugeMetricFamily("bot_plugin_figure", "Figures plugins report through "
                                        "the stats hook", labels=["plugin", "figure"])
            for (plugin, figure), value in sorted(self.plugin_figures.items()):
                figures.add_metric([plugin, figure], value)
            yield figures


def numeric_figures(plugin: str, figures: Any, prefix: str = "") -> dict[tuple[str, str], float]:
    """Flatten a plugin's `stats` result to numbers; nested dicts become `a.b` names
    (`{"payments": {"XTR": 3}}` -> `payments.XTR`), other values are left out."""
    found: dict[tuple[str, str], float] = {}
    if not isinstance(figures, dict):
        return found
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            found.update(numeric_figures(plugin, value, name + "."))
        elif (isinstance(value, (int, float)) and not isinstance(value, bool)
              and math.isfinite(value)):
            found[(plugin, name)] = float(value)
    return found


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


def _counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, value=value)
