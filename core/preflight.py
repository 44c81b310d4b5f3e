"""Checks before the bot starts: the Redis servers the settings name answer.

A Redis named in the settings but down at start is an operator's mistake to fix (one line,
exit status 1), while Redis going away later is degraded around (see core/cache.py).
`doctor` runs the same checks and prints them.
"""

from __future__ import annotations

from typing import Any

from core.errors import Fatal
from core.redaction import mask_urls


def redis_urls(settings: Any) -> list[tuple[str, str]]:
    """(what, url) for every Redis the settings use."""
    found = []
    if settings.cache.backend == "redis":
        found.append(("cache", settings.cache.url))
    if str(settings.ratelimit.storage).startswith("redis"):
        found.append(("rate limits", settings.ratelimit.storage))
    return found


def ping_redis(what: str, url: str, timeout: float = 2.0) -> None:
    """Raise Fatal when the Redis at `url` does not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Fatal(f"{what}: Redis at {mask_urls(url)} does not answer: "
                    f"{mask_urls(reason)}",
                    "start Redis or fix the URL; or use the memory backends "
                    "(cache.backend = \"memory\", ratelimit.storage = \"memory://\")") from exc
    finally:
        client.close()


def check(settings: Any) -> None:
    for what, url in redis_urls(settings):
        ping_redis(what, url)
