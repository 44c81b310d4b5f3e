"""One cache interface, two backends: in-process memory (TTL, bounded) and Redis.

Values are anything picklable. Keys are strings; `delete_prefix` invalidates a family of keys,
so a plugin names its keys `"<plugin>:<thing>:<id>"` and drops `"<plugin>:<thing>:"` on change.
"""

from __future__ import annotations

import functools
import pickle
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from core.outage import Outage

T = TypeVar("T")
_MISSING: Any = object()


@dataclass(slots=True)
class CacheStats:
    hits: int = 0
    misses: int = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class Cache(ABC):
    """The interface every backend implements. All methods are coroutines."""

    def __init__(self, default_ttl: int = 300) -> None:
        self.default_ttl = default_ttl
        self.stats = CacheStats()

    @abstractmethod
    async def _get(self, key: str) -> Any: ...  # _MISSING when absent

    @abstractmethod
    async def set(self, key: str, value: Any, ttl: float | None = None) -> None: ...

    @abstractmethod
    async def add(self, key: str, value: Any, ttl: float | None = None) -> bool:
        """Set only if absent; True when this call set it. Atomic on every backend."""

    @abstractmethod
    async def delete(self, key: str) -> None: ...

    @abstractmethod
    async def delete_prefix(self, prefix: str) -> int: ...

    @abstractmethod
    async def entries(self) -> int: ...

    @abstractmethod
    async def clear(self) -> None: ...

    async def close(self) -> None:
        return None

    async def get(self, key: str, default: Any = None) -> Any:
        value = await self._get(key)
        if value is _MISSING:
            self.stats.misses += 1
            return default
        self.stats.hits += 1
        return value

    async def get_or_set(
        self, key: str, factory: Callable[[], Awaitable[T]], ttl: float | None = None
    ) -> T:
        value = await self._get(key)
        if value is not _MISSING:
            self.stats.hits += 1
            return value
        self.stats.misses += 1
        value = await factory()
        await self.set(key, value, ttl)
        return value

    async def stats_dict(self) -> dict[str, Any]:
        return {
            "backend": type(self).__name__,
            "hits": self.stats.hits,
            "misses": self.stats.misses,
            "hit_rate": round(self.stats.hit_rate, 4),
            "entries": await self.entries(),
        }

    def cached(
        self, ttl: float | None = None, prefix: str | None = None
    ) -> Callable[[Callable[..., Awaitable[T]]], Callable[..., Awaitable[T]]]:
        """Decorate an async function: results cached by its positional arguments."""
        return cached(ttl=ttl, prefix=prefix, cache=self)


def cached(
    ttl: float | None = None, prefix: str | None = None, cache: Cache | None = None
) -> Callable[[Callable[..., Awaitable[T]]], Callable[..., Awaitable[T]]]:
    """Cache an async function's result under `prefix:arg1:arg2...`.

    Without `cache`, the function must be a method whose object has a `.cache` attribute (a
    plugin service, typically). Invalidate with `await cache.delete_prefix(fn.cache_prefix)`.
    """

    def decorate(fn: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        name = prefix or f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        async def wrapper(*args: Any) -> T:
            if cache is None:
                owner, rest = args[0], args[1:]
                store: Cache = owner.cache
            else:
                rest, store = args, cache
            key = ":".join((name, *map(str, rest)))
            return await store.get_or_set(key, lambda: fn(*args), ttl)

        wrapper.cache_prefix = name + ":"  # type: ignore[attr-defined]
        return wrapper

    return decorate


class MemoryCache(Cache):
    """In-process, least-recently-used once full; expired entries are dropped on read."""

    def __init__(self, max_entries: int = 50_000, default_ttl: int = 300) -> None:
        super().__init__(default_ttl)
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    async def _get(self, key: str) -> Any:
        item = self._data.get(key)
        if item is None:
            return _MISSING
        if item[0] < time.monotonic():
            del self._data[key]
            return _MISSING
        self._data.move_to_end(key)
        return item[1]

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        self._data[key] = (time.monotonic() + (ttl or self.default_ttl), value)
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    async def add(self, key: str, value: Any, ttl: float | None = None) -> bool:
        if await self._get(key) is not _MISSING:
            return False
        await self.set(key, value, ttl)
        return True

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def delete_prefix(self, prefix: str) -> int:
        doomed = [k for k in self._data if k.startswith(prefix)]
        for k in doomed:
            del self._data[k]
        return len(doomed)

    async def entries(self) -> int:
        now = time.monotonic()
        return sum(1 for expires, _ in self._data.values() if expires >= now)

    async def clear(self) -> None:
        self._data.clear()


class RedisCache(Cache):
    """Shared by every worker; keys live under `namespace:`."""

    def __init__(self, url: str, namespace: str = "bot", default_ttl: int = 300,
                 timeout: float = 2.0) -> None:
        import redis.asyncio as redis

        super().__init__(default_ttl)
        self.redis = redis.Redis.from_url(url, socket_timeout=timeout,
                                          socket_connect_timeout=timeout)
        self.namespace = namespace + ":"

    def _k(self, key: str) -> str:
        return self.namespace + key

    async def _get(self, key: str) -> Any:
        raw = await self.redis.get(self._k(key))
        return _MISSING if raw is None else pickle.loads(raw)

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        await self.redis.set(self._k(key), pickle.dumps(value),
                             px=int((ttl or self.default_ttl) * 1000))

    async def add(self, key: str, value: Any, ttl: float | None = None) -> bool:
        done = await self.redis.set(self._k(key), pickle.dumps(value),
                                    px=int((ttl or self.default_ttl) * 1000), nx=True)
        return bool(done)

    async def delete(self, key: str) -> None:
        await self.redis.delete(self._k(key))

    async def _scan(self, prefix: str) -> list[bytes]:
        pattern = self._k(prefix).replace("[", "\\[").replace("*", "\\*").replace("?", "\\?")
        return [k async for k in self.redis.scan_iter(match=pattern + "*", count=500)]

    async def delete_prefix(self, prefix: str) -> int:
        keys = await self._scan(prefix)
        for i in range(0, len(keys), 500):
            await self.redis.unlink(*keys[i : i + 500])
        return len(keys)

    async def entries(self) -> int:
        return len(await self._scan(""))

    async def clear(self) -> None:
        await self.delete_prefix("")

    async def ping(self) -> float:
        started = time.perf_counter()
        await self.redis.ping()
        return (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        await self.redis.aclose()


class FallbackCache(Cache):
    """Redis while it answers; the process's memory with a short TTL while it does not.

    Invalidations made during an outage are replayed on Redis when it returns, so nothing
    dropped meanwhile is read back stale from Redis afterwards."""

    def __init__(self, primary: RedisCache, outage: Outage, fallback_ttl: float = 30.0,
                 max_entries: int = 50_000) -> None:
        super().__init__(primary.default_ttl)
        self.primary = primary
        self.outage = outage
        self.fallback_ttl = fallback_ttl
        self.memory = MemoryCache(max_entries=max_entries, default_ttl=int(fallback_ttl))
        self._missed: list[tuple[str, str]] = []  # ("key" | "prefix", value)

    async def _call(self, op: str, *args: Any, ttl: float | None = None,
                    with_ttl: bool = False) -> Any:
        async def on_redis() -> Any:
            if self._missed:
                await self._replay()
            return await getattr(self.primary, op)(*args, *((ttl,) if with_ttl else ()))

        short = (min(ttl or self.default_ttl, self.fallback_ttl),) if with_ttl else ()
        return await self.outage.call(on_redis,
                                      lambda: getattr(self.memory, op)(*args, *short))

    async def _replay(self) -> None:
        while self._missed:
            kind, value = self._missed[0]
            if kind == "key":
                await self.primary.delete(value)
            else:
                await self.primary.delete_prefix(value)
            self._missed.pop(0)
        await self.memory.clear()

    async def _get(self, key: str) -> Any:
        return await self._call("_get", key)

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        await self._call("set", key, value, ttl=ttl, with_ttl=True)

    async def add(self, key: str, value: Any, ttl: float | None = None) -> bool:
        return bool(await self._call("add", key, value, ttl=ttl, with_ttl=True))

    async def delete(self, key: str) -> None:
        await self._call("delete", key)
        if self.outage.degraded:
            self._missed.append(("key", key))

    async def delete_prefix(self, prefix: str) -> int:
        count = int(await self._call("delete_prefix", prefix))
        if self.outage.degraded:
            self._missed.append(("prefix", prefix))
        return count

    async def entries(self) -> int:
        return int(await self._call("entries"))

    async def clear(self) -> None:
        await self.memory.clear()
        await self._call("clear")
        if self.outage.degraded:
            self._missed.append(("prefix", ""))

    async def ping(self) -> float:
        return await self.primary.ping()

    async def close(self) -> None:
        await self.primary.close()


def from_settings(settings: Any, outage: Outage | None = None) -> Cache:
    """Redis with a fallback to memory when `outage` is given (the kernel's), else as set."""
    c = settings.cache
    if c.backend == "redis":
        redis_cache = RedisCache(c.url, namespace=c.namespace, default_ttl=c.default_ttl)
        if outage is None:
            return redis_cache
        return FallbackCache(redis_cache, outage, max_entries=c.max_entries)
    return MemoryCache(max_entries=c.max_entries, default_ttl=c.default_ttl)
