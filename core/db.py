"""The database: pooled peewee from a URL, and one async bridge for every query.

peewee is synchronous and handlers are async, so all database work goes through
`await db.run(fn, *args)`: `fn` runs on a bounded thread pool sized to the connection pool,
inside `connection_context()`, never on the event loop's thread. Transient failures (connection
lost, database locked, pool exhausted) are retried with exponential backoff and full jitter;
integrity errors never are. `await db.transaction(fn, *args)` does the same inside one
transaction, which is how a unit of work commits together or not at all.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import peewee
from loguru import logger
from playhouse.db_url import connect
from playhouse.pool import MaxConnectionsExceeded

from core.config import ROOT

T = TypeVar("T")
# Told of every call, on the database thread: (function name, seconds, succeeded).
CallObserver = Callable[[str, float, bool], None]

TRANSIENT_WORDS = (
    "database is locked", "database table is locked", "connection", "server closed",
    "terminating", "could not connect", "timeout", "timed out", "ssl", "deadlock",
    "could not serialize", "the database system is", "broken pipe",
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.02
    max_delay: float = 1.0

    def delay(self, attempt: int) -> float:
        """Full jitter: a random wait up to the exponential bound (attempt counts from 1)."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


@dataclass(slots=True)
class DbStats:
    calls: int = 0
    retries: int = 0
    failures: int = 0
    seconds: float = 0.0
    slow: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


_current: ContextVar[peewee.Database | None] = ContextVar("core_database", default=None)


class RoutedDatabase(peewee.DatabaseProxy):
    """What every model is bound to. Inside `db.run`/`db.transaction` it is that Database's
    connection pool, so several kernels (workers in one test process, say) never write to one
    another's database; elsewhere (a test's own checks, tools) it is the last one started."""

    def _target(self) -> peewee.Database:
        target = _current.get() or self.obj
        if target is None:
            raise peewee.InterfaceError("no database: start a kernel first")
        return target

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._target(), attr)

    def __enter__(self) -> Any:
        return self._target().__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._target().__exit__(*exc)


ROUTED = RoutedDatabase()


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, peewee.IntegrityError):
        return False
    if isinstance(exc, MaxConnectionsExceeded):
        return True
    if isinstance(exc, (peewee.OperationalError, peewee.InterfaceError)):
        text = str(exc).lower()
        return any(word in text for word in TRANSIENT_WORDS)
    return False


def _normalise_url(url: str, root: Path) -> tuple[str, str]:
    """Return (peewee URL, kind). Plain sqlite gets the pool; relative paths hang off `root`."""
    scheme, rest = url.split("://", 1)
    if scheme.startswith("sqlite"):
        path = rest[1:]  # sqlite:///rel/path.db or sqlite:////abs/path.db
        if path != ":memory:":
            if not Path(path).is_absolute():
                path = str(root / path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite+pool:///{path}", "sqlite"
    if not scheme.endswith("+pool"):
        scheme = f"{scheme}+pool"
    return f"{scheme}://{rest}", "postgresql"


class Database:
    """A pooled peewee database with an async bridge, retries and health figures."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 8,
        stale_timeout: int = 300,
        wait_timeout: int = 10,
        busy_timeout_ms: int = 5000,
        retry: RetryPolicy | None = None,
        root: Path = ROOT,
        slow_ms: int = 0,
    ) -> None:
        self.url = url
        peewee_url, self.kind = _normalise_url(url, root)
        options: dict[str, Any] = {
            "max_connections": pool_size,
            "stale_timeout": stale_timeout,
            "timeout": wait_timeout,
        }
        if self.kind == "sqlite":
            options.update(
                pragmas={
                    "journal_mode": "wal",
                    "busy_timeout": busy_timeout_ms,
                    "synchronous": "normal",
                    "foreign_keys": 1,
                },
                check_same_thread=False,
                # Write transactions take the lock up front: no deadlocked upgrades.
                lock_type="IMMEDIATE",
            )
        self.peewee: peewee.Database = connect(peewee_url, **options)
        self.pool_size = pool_size
        self.retry = retry or RetryPolicy()
        self.stats = DbStats()
        self.slow_seconds = slow_ms / 1000 if slow_ms > 0 else None
        # Metrics plugins add themselves here; kept a plain list so a call costs nothing when
        # nobody listens.
        self.observers: list[CallObserver] = []
        self._executor = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="db")
        self.in_flight = 0  # calls on the pool's threads now (a virtual clock waits for them)

    @classmethod
    def from_settings(cls, settings: Any, root: Path = ROOT) -> Database:
        db = settings.database
        return cls(
            db.url,
            pool_size=db.pool_size,
            stale_timeout=db.stale_timeout,
            wait_timeout=db.wait_timeout,
            busy_timeout_ms=db.busy_timeout_ms,
            retry=RetryPolicy(db.retry.attempts, db.retry.base_delay, db.retry.max_delay),
            root=root,
            slow_ms=db.get("slow_ms", 0),
        )

    # ---- the bridge ---------------------------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the pool's thread, inside a connection context, with retries."""
        return await self._on_thread(fn, args, False)

    async def transaction(self, fn: Callable[..., T], *args: Any) -> T:
        """Like `run`, inside one transaction: everything `fn` writes commits together."""
        return await self._on_thread(fn, args, True)

    async def _on_thread(self, fn: Callable[..., T], args: tuple[Any, ...], atomic: bool) -> T:
        loop = asyncio.get_running_loop()
        self.in_flight += 1
        try:
            return await loop.run_in_executor(self._executor, self._call, fn, args, atomic)
        finally:
            self.in_flight -= 1

    def call(self, fn: Callable[..., T], *args: Any, atomic: bool = False) -> T:
        """The synchronous form, for command-line tools and migrations (not for handlers)."""
        return self._call(fn, args, atomic)

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...], atomic: bool) -> T:
        attempt = 0
        ok = False
        started = time.perf_counter()
        routed = _current.set(self.peewee)  # models used by `fn` mean this database
        try:
            while True:
                attempt += 1
                try:
                    with self.peewee.connection_context():
                        if atomic:
                            with self.peewee.atomic():
                                result = fn(*args)
                        else:
                            result = fn(*args)
                    ok = True
                    return result
                except Exception as exc:
                    if not is_transient(exc) or attempt >= self.retry.attempts:
                        with self.stats.lock:
                            self.stats.failures += 1
                        raise
                    with self.stats.lock:
                        self.stats.retries += 1
                    wait = self.retry.delay(attempt)
                    logger.debug("transient database error ({}), retry {} in {:.3f}s",
                                 exc, attempt, wait)
                    time.sleep(wait)
        finally:
            _current.reset(routed)
            self._account(fn, time.perf_counter() - started, ok)

    def _account(self, fn: Callable[..., Any], seconds: float, ok: bool) -> None:
        slow = self.slow_seconds is not None and seconds >= self.slow_seconds
        with self.stats.lock:
            self.stats.calls += 1
            self.stats.seconds += seconds
            if slow:
                self.stats.slow += 1
        if slow or self.observers:
            name = getattr(fn, "__qualname__", None) or type(fn).__name__
            if slow:
                logger.warning("slow database call {} took {:.0f} ms", name, seconds * 1000)
            for observe in self.observers:
                try:
                    observe(name, seconds, ok)
                except Exception:
                    logger.exception("database call observer failed")

    # ---- models and health --------------------------------------------------------------------

    def bind(self, models: Iterable[type[peewee.Model]]) -> None:
        """Bind models to the routed database and make this one its default."""
        ROUTED.initialize(self.peewee)
        for model in models:
            model.bind(ROUTED, bind_refs=False, bind_backrefs=False)

    def pool_figures(self) -> dict[str, int]:
        db: Any = self.peewee
        return {
            "in_use": len(getattr(db, "_in_use", {})),
            "idle": len(getattr(db, "_connections", [])),
            "size": self.pool_size,
        }

    async def health(self) -> dict[str, Any]:
        started = time.perf_counter()
        await self.run(lambda: self.peewee.execute_sql("SELECT 1").fetchone())
        return {
            "kind": self.kind,
            "ping_ms": round((time.perf_counter() - started) * 1000, 3),
            "pool": self.pool_figures(),
            "calls": self.stats.calls,
            "retries": self.stats.retries,
            "slow": self.stats.slow,
        }

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        db: Any = self.peewee
        if hasattr(db, "close_all"):
            db.close_all()
        elif not db.is_closed():
            db.close()
