"""The cache, the same tests on the memory and the Redis backend."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from core.cache import Cache, MemoryCache, RedisCache, cached
from core.testing import redis_url


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        yield MemoryCache(max_entries=100)
        return
    store = RedisCache(redis_url(), namespace=f"test-{uuid.uuid4().hex[:8]}")
    yield store
    await store.clear()
    await store.close()


async def test_hit_miss_and_stats(cache: Cache) -> None:
    assert await cache.get("k") is None
    await cache.set("k", {"a": [1, 2]})
    assert await cache.get("k") == {"a": [1, 2]}
    await cache.set("none", None)
    assert await cache.get("none", "default") is None  # a cached None is a hit
    stats = await cache.stats_dict()
    assert (stats["hits"], stats["misses"], stats["entries"]) == (2, 1, 2)
    assert stats["hit_rate"] == round(2 / 3, 4)


async def test_expiry(cache: Cache) -> None:
    await cache.set("short", 1, ttl=0.05)
    await cache.set("long", 2, ttl=60)
    await asyncio.sleep(0.2)
    assert await cache.get("short") is None
    assert await cache.get("long") == 2


async def test_add_only_when_absent(cache: Cache) -> None:
    assert await cache.add("once", 1, ttl=60)
    assert not await cache.add("once", 2, ttl=60)
    assert await cache.get("once") == 1


async def test_prefix_invalidation(cache: Cache) -> None:
    for i in range(5):
        await cache.set(f"shop:product:{i}", i)
    await cache.set("shop:categories", ["a"])
    await cache.set("shop:product*weird", "kept")  # glob characters are not patterns
    assert await cache.delete_prefix("shop:product:") == 5
    assert await cache.get("shop:product:1") is None
    assert await cache.get("shop:categories") == ["a"]
    assert await cache.get("shop:product*weird") == "kept"
    await cache.delete("shop:categories")
    assert await cache.get("shop:categories") is None


async def test_get_or_set_and_the_cached_decorator(cache: Cache) -> None:
    calls: list[int] = []

    class Catalogue:
        def __init__(self, store: Cache) -> None:
            self.cache = store

        @cached(ttl=60, prefix="catalogue")
        async def product(self, product_id: int) -> dict[str, int]:
            calls.append(product_id)
            return {"id": product_id}

    catalogue = Catalogue(cache)
    assert await catalogue.product(1) == {"id": 1}
    assert await catalogue.product(1) == {"id": 1}
    assert await catalogue.product(2) == {"id": 2}
    assert calls == [1, 2]
    await cache.delete_prefix(Catalogue.product.cache_prefix)  # type: ignore[attr-defined]
    await catalogue.product(1)
    assert calls == [1, 2, 1]

    @cache.cached(ttl=60)
    async def square(x: int) -> int:
        calls.append(x * x)
        return x * x

    assert await square(3) == 9 and await square(3) == 9
    assert calls.count(9) == 1


async def test_memory_cache_is_bounded() -> None:
    store = MemoryCache(max_entries=3)
    for i in range(5):
        await store.set(f"k{i}", i)
    await store.get("k2")
    await store.set("k5", 5)
    assert await store.entries() == 3
    assert await store.get("k0") is None and await store.get("k2") == 2


async def test_redis_cache_is_shared_between_workers() -> None:
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    one, two = RedisCache(redis_url(), namespace), RedisCache(redis_url(), namespace)
    await one.set("user:1", "banned")
    assert await two.get("user:1") == "banned"
    await two.delete_prefix("user:")
    assert await one.get("user:1") is None
    assert await one.add("seen:u1", 1, ttl=60) and not await two.add("seen:u1", 1, ttl=60)
    await one.clear()
    await one.close()
    await two.close()
