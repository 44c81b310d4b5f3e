"""Checks before the bot starts: the Redis servers the settings name answer, and no other
bot process serves the same SQLite file with a cache of its own.

A Redis named in the settings but down at start is an operator's mistake to fix (one line,
exit status 1), while Redis going away later is degraded around (see core/cache.py).
`doctor` runs the same checks and prints them.

Several processes on one database: the memory cache lives in one process, so a second bot
process on the same SQLite file would show balances and products from its own stale cache.
That combination is refused: `run` holds an exclusive lock on `<database>.lock` while it runs.
With `cache.backend = "redis"` the cache is shared and invalidated across processes, and with
PostgreSQL the workers are meant to share Redis too; neither takes the lock. One-shot commands
(`migrate`, `doctor`, `health`, `backup`, exports) and a scripted console (`--script`) do not
serve users for long and never take it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
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


def sqlite_file(settings: Any, root: Path) -> Path | None:
    """The SQLite database file the settings name, or None (PostgreSQL, in-memory)."""
    scheme, _, rest = str(settings.database.url).partition("://")
    if not scheme.startswith("sqlite") or rest[1:] in ("", ":memory:"):
        return None
    path = Path(rest[1:])
    return path if path.is_absolute() else root / path


@contextlib.contextmanager
def one_process_per_sqlite_file(settings: Any, root: Path) -> Iterator[None]:
    """Hold the database's lock while serving, when the cache is this process's memory."""
    path = sqlite_file(settings, root)
    if path is None or settings.cache.backend != "memory":
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Fatal(f"another bot process is already running on {path} with the memory "
                        "cache; a second one would show stale balances and products",
                        "stop the other process, or share the cache: cache.backend = "
                        "\"redis\" (and PostgreSQL for several workers)") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
