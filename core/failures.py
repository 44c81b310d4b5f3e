"""One clear line per failure: what went wrong, and the fix.

An ordinary failure an operator can fix (the database server is down, a password is refused,
Redis is unreachable, Telegram cannot be reached, the token is wrong) is not a traceback. Code
that knows what failed raises `Fatal(what, fix)`; `explain` turns the usual library errors into
one too. `python -m core` prints `error: <what>` and `fix: <fix>` and exits non-zero; the
traceback goes only to the JSON log file, at DEBUG level. Transports add their own cases by
raising `Fatal` (see core/transports/telegram.py).
"""

from __future__ import annotations

import sys
from typing import TextIO

from loguru import logger

from core import logs
from core.errors import Fatal
from core.redaction import mask_urls

__all__ = ["Fatal", "describe", "explain", "report"]


def describe(exc: BaseException) -> str:
    """An exception's first line, URL passwords masked: for `doctor` and one-line reports."""
    text = str(exc).strip().splitlines()
    first = text[0].strip() if text else type(exc).__name__
    return mask_urls(first)[:300]


def _database(exc: BaseException) -> Fatal | None:
    text = str(exc)
    lowered = text.lower()
    if "password authentication failed" in lowered or (
            "role" in lowered and "does not exist" in lowered):
        return Fatal("PostgreSQL refused the login: " + describe(exc),
                     "check the user and password in database.url (.secrets.toml or "
                     "BOT_DATABASE__URL)")
    if "database" in lowered and "does not exist" in lowered:
        return Fatal("PostgreSQL: " + describe(exc),
                     "create the database (createdb) or fix its name in database.url")
    if any(s in lowered for s in ("connection refused", "could not connect", "connection failed",
                                  "timeout expired", "name or service not known",
                                  "could not translate host name")):
        return Fatal("PostgreSQL is unreachable: " + describe(exc),
                     "start the PostgreSQL server, or fix the host and port in database.url")
    if "unable to open database file" in lowered:
        return Fatal("SQLite cannot open the database file: " + describe(exc),
                     "check database.url's path and that its folder is writable")
    return None


def _redis(exc: BaseException) -> Fatal | None:
    return Fatal("Redis is unreachable: " + describe(exc),
                 "start Redis, fix cache.url / ratelimit.storage, or use the memory backends "
                 "(cache.backend = \"memory\", ratelimit.storage = \"memory://\")")


def explain(exc: BaseException) -> Fatal | None:
    """The one-line failure behind a known library error, or None for a real bug."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, Fatal):
            return current
        module = type(current).__module__ or ""
        if module.startswith(("psycopg", "peewee", "playhouse", "sqlite3")):
            found = _database(current)
            if found:
                return found
        if module.startswith("redis") and "connection" in type(current).__name__.lower():
            return _redis(current)
        current = current.__cause__ or current.__context__
    return None


def report(exc: BaseException, command: str, stream: TextIO | None = None) -> int:
    """Print one line for a known failure (exit status 1); log any traceback at DEBUG, to the
    log file only. An unknown error still gets one line, with a pointer to the log file."""
    out = stream or sys.stderr
    found = explain(exc)
    logger.bind(file_only=True).opt(exception=exc).debug("{} failed", command)
    if found is not None:
        fix = f" (fix: {found.fix})" if found.fix else ""
        print(logs.redact(f"error: {found.what}{fix}"), file=out)
    else:
        print(logs.redact(f"error: {command} failed: {type(exc).__name__}: {describe(exc)} "
                          "(this looks like a bug: set logging.json_file for the traceback, "
                          "and report it)"), file=out)
    return 1
