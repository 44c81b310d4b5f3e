"""One shared dependency's health as the code using it sees it (Redis, for the cache and the
rate limits): an outage is logged once when it starts and once when it ends, the dependency is
tried again every `retry_after` seconds meanwhile, and readiness reports it as degraded."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from loguru import logger

T = TypeVar("T")


def connection_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable Redis raises (refused, reset, timed out), also through `limits`."""
    import redis.exceptions
    from limits.errors import StorageError

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError,
            StorageError)


class Outage:
    def __init__(self, name: str, fallback: str, retry_after: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.fallback = fallback
        self.retry_after = retry_after
        self.clock = clock
        self.down_since: float | None = None
        self._next_try = 0.0

    @property
    def degraded(self) -> bool:
        return self.down_since is not None

    def should_try(self) -> bool:
        return self.down_since is None or self.clock() >= self._next_try

    async def call(self, primary: Callable[[], Awaitable[T]],
                   fallback: Callable[[], Awaitable[T]]) -> T:
        """`primary()` while the dependency answers, else `fallback()`. A pooled connection
        opened before a restart fails once, so a failure is tried once more before it counts."""
        if self.should_try():
            error: BaseException | None = None
            for _ in range(2):
                try:
                    result = await primary()
                except connection_errors() as exc:
                    error = exc
                    continue
                self.recovered()
                return result
            assert error is not None
            self.failed(error)
        return await fallback()

    def failed(self, exc: BaseException) -> None:
        now = self.clock()
        if self.down_since is None:
            self.down_since = now
            # The type only: a Redis error's text may carry the URL with its password.
            logger.warning("{} unreachable ({}): degraded, using {} until it returns",
                           self.name, type(exc).__name__, self.fallback)
        self._next_try = now + self.retry_after

    def recovered(self) -> None:
        if self.down_since is not None:
            logger.info("{} is back after {:.0f} s; using it again", self.name,
                        self.clock() - self.down_since)
            self.down_since = None
