"""Inbound limits on the `limits` package: in memory, and shared through Redis by workers."""

from __future__ import annotations

import uuid

import pytest

from core.ratelimit import InboundLimiter
from core.testing import redis_url


async def test_memory_limiter_counts_per_user_and_scope() -> None:
    limiter = InboundLimiter("memory://")
    assert [await limiter.hit("2/minute", "in", "*", "42") for _ in range(2)] == [None, None]
    wait = await limiter.hit("2/minute", "in", "*", "42")
    assert wait is not None and 1 <= wait <= 60
    assert await limiter.hit("2/minute", "in", "*", "43") is None  # another user
    assert await limiter.hit("2/minute", "in", "buy", "42") is None  # another scope


async def test_redis_limiter_is_shared_between_workers() -> None:
    url = redis_url()
    one, two = InboundLimiter(url), InboundLimiter(url)
    user = uuid.uuid4().hex  # fresh counters for this run
    assert await one.hit("3/minute", "in", "*", user) is None
    assert await two.hit("3/minute", "in", "*", user) is None
    assert await one.hit("3/minute", "in", "*", user) is None
    assert await two.hit("3/minute", "in", "*", user) is not None  # the fourth, on any worker


def test_bad_rate_strings_are_refused_by_settings() -> None:
    from core.config import _is_rate

    assert _is_rate("5/minute") and _is_rate("30 per second") and _is_rate("10/2 minutes")
    for bad in ("lots", "5", "/minute", "-1/minute", 5, None):
        assert not _is_rate(bad)


@pytest.mark.parametrize("rate", ["1/second", "100/day"])
def test_rates_parse(rate: str) -> None:
    assert InboundLimiter().item(rate).amount > 0
