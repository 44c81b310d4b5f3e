"""Rate limits. Inbound: per user (and per command) on the `limits` package, memory or Redis.
Outbound: a pacer that books send slots within Telegram's flood limits.

The outbound pacer is hand-written because it must *schedule* (tell a sender when its slot
is) and run on an injectable clock, which `limits` (test-and-hit on wall time) does not offer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from core.clock import Clock
from core.outage import Outage


def _storage_uri(uri: str) -> tuple[str, dict[str, Any]]:
    if uri.startswith("memory"):
        return "async+memory://", {}
    if uri.startswith("redis"):
        return "async+" + uri, {"implementation": "redispy"}
    return uri, {}


class InboundLimiter:
    """Per-user limits: `await limiter.hit("5/minute", "cmd", "buy", user_id)`.

    With a shared storage (Redis) and an `outage`, a storage that does not answer is replaced
    by a limiter in the process's memory until it answers again (degraded, never down)."""

    def __init__(self, storage: str = "memory://", outage: Outage | None = None) -> None:
        uri, options = _storage_uri(storage)
        self.storage = storage_from_string(uri, **options)
        self.strategy = MovingWindowRateLimiter(self.storage)  # type: ignore[arg-type]
        self.outage = outage if not uri.startswith("async+memory") else None
        self.local = MovingWindowRateLimiter(storage_from_string("async+memory://"))  # type: ignore[arg-type]
        self._items: dict[str, RateLimitItem] = {}

    def item(self, rate: str) -> RateLimitItem:
        item = self._items.get(rate)
        if item is None:
            item = self._items[rate] = parse(rate)
        return item

    async def hit(self, rate: str, *identifiers: str) -> float | None:
        """Count one hit. None when allowed; otherwise seconds until the next is allowed."""
        item = self.item(rate)
        if self.outage is None:
            return await self._hit(self.strategy, item, identifiers)
        return await self.outage.call(lambda: self._hit(self.strategy, item, identifiers),
                                      lambda: self._hit(self.local, item, identifiers))

    @staticmethod
    async def _hit(strategy: MovingWindowRateLimiter, item: RateLimitItem,
                   identifiers: tuple[str, ...]) -> float | None:
        if await strategy.hit(item, *identifiers):
            return None
        stats = await strategy.get_window_stats(item, *identifiers)
        return max(1.0, stats.reset_time - time.time())

    async def clear(self) -> None:
        await self.storage.reset()


class Pacing(Protocol):
    """What the outbox asks of a pacer: this one, or the shared one in core/flood.py."""

    async def acquire(self, chat_id: int) -> tuple[float, bool]: ...

    async def pause(self, chat_id: int | None, seconds: float) -> None: ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _Bucket:
    """Generic cell rate: one send per `interval`, with up to `burst` at once."""

    interval: float
    burst: int
    tat: float = 0.0  # theoretical arrival time of the next send

    def earliest(self, now: float) -> float:
        return max(now, self.tat - (self.burst - 1) * self.interval)

    def book(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval


class Pacer:
    """Books send slots so that no limit is ever exceeded: all chats together, each chat, and
    each group chat per minute. `reserve` returns how long the caller must wait for its slot."""

    def __init__(
        self,
        clock: Clock,
        global_per_second: float = 30,
        chat_per_second: float = 1,
        group_per_minute: float = 20,
        chat_burst: int = 3,
    ) -> None:
        self.clock = clock
        self.all = _Bucket(1 / global_per_second, 1)
        self.chat_interval = 1 / chat_per_second
        self.chat_burst = chat_burst
        # A burst on top of a steady rate would break "N per minute" in a window that opens
        # with the burst (3 at once + 20 spaced = 23 in 60 s): space the rest so that the burst
        # plus what follows within any 60 s stays at N.
        self.group_burst = max(1, min(chat_burst, int(group_per_minute)))
        self.group_interval = 60 / max(1.0, group_per_minute - self.group_burst + 1)
        self.chats: dict[int, _Bucket] = {}
        self.groups: dict[int, _Bucket] = {}

    @classmethod
    def from_settings(cls, settings: Any, clock: Clock) -> Pacer:
        o = settings.outbound
        return cls(clock, o.global_per_second, o.chat_per_second, o.group_per_minute,
                   o.chat_burst)

    def _buckets(self, chat_id: int) -> list[_Bucket]:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = _Bucket(self.chat_interval, self.chat_burst)
        buckets = [self.all, chat]
        if chat_id < 0:  # groups and channels have negative ids
            group = self.groups.get(chat_id)
            if group is None:
                group = self.groups[chat_id] = _Bucket(self.group_interval, self.group_burst)
            buckets.append(group)
        return buckets

    def reserve(self, chat_id: int) -> tuple[float, bool]:
        """(seconds to wait, booked). Until the chat itself may send, nothing is booked, so a
        slow chat never holds a global slot others could use; then the global slot is booked
        and the caller sends once the returned wait is over."""
        now = self.clock.now()
        all_, *own = self._buckets(chat_id)
        ready = max(b.earliest(now) for b in own)
        if ready > now:
            return ready - now, False
        at = all_.earliest(now)
        for b in (all_, *own):
            b.book(at)
        self._forget_idle(now)
        return at - now, True

    async def acquire(self, chat_id: int) -> tuple[float, bool]:
        """`reserve`, as the outbox calls every pacer (the shared one asks Redis)."""
        return self.reserve(chat_id)

    async def pause(self, chat_id: int | None, seconds: float) -> None:
        """A FloodWait: the outbox itself holds the chat; only a shared pacer tells others."""

    async def close(self) -> None:
        pass

    def _forget_idle(self, now: float) -> None:
        # Buckets whose slots are all in the past carry no state worth keeping.
        if len(self.chats) > 10_000:
            self.chats = {k: b for k, b in self.chats.items() if b.tat > now}
            self.groups = {k: b for k, b in self.groups.items() if b.tat > now}
