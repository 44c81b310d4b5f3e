"""Logging: loguru sinks from settings, with secrets redacted from every line and traceback.

Redaction happens before anything is escaped: the terminal sink redacts the formatted line,
and the JSON sink redacts each field (message, exception text) before serialising it, so a
secret containing a backslash or a quote cannot slip through as its JSON-escaped spelling.
`diagnose=False` keeps local variables out of tracebacks; `quiet()` installs that before
settings are read, so no stage of start-up prints locals either.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from loguru import logger

from core.redaction import REDACTED, Redactor

__all__ = ["FORMAT", "REDACTED", "Redactor", "quiet", "setup"]

FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <7} | {name}:{line} | {message}"
# The redactor of the sinks in place (loguru's handlers are process-wide, and so is this):
# what is printed beside the log, such as a one-line failure, is redacted the same way.
_current = [Redactor(())]


def redact(text: str) -> str:
    """`text` with every secret the logging knows redacted and URL passwords masked."""
    return _current[0](text)


def redacting_sink(write: Callable[[str], Any], redact: Redactor) -> Callable[[Any], None]:
    def sink(message: Any) -> None:
        write(redact(str(message)))

    return sink


def json_sink(write: Callable[[str], Any], redact: Redactor) -> Callable[[Any], None]:
    """One JSON object per line; every text field redacted before it is escaped."""

    def sink(message: Any) -> None:
        record = message.record
        data: dict[str, Any] = {
            "time": record["time"].isoformat(),
            "level": record["level"].name,
            "name": record["name"],
            "function": record["function"],
            "line": record["line"],
            "message": redact(record["message"]),
            "extra": json.loads(redact(json.dumps(record["extra"], default=str))),
        }
        exc = record["exception"]
        if exc is not None and exc.type is not None:
            text = "".join(traceback.format_exception(exc.type, exc.value, exc.traceback))
            data["exception"] = redact(text)
        write(json.dumps(data, ensure_ascii=False) + "\n")

    return sink


def _rotating_writer(path: str, max_bytes: int, backups: int) -> Callable[[str], None]:
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes,
                                                   backupCount=backups, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))

    def write(line: str) -> None:
        handler.emit(logging.makeLogRecord({"msg": line.rstrip("\n"), "levelno": logging.INFO}))

    return write


def _not_file_only(record: Any) -> bool:
    return not record["extra"].get("file_only")


def quiet(stream: TextIO | None = None, level: str = "INFO") -> None:
    """The handler in place before settings are read: no locals, URL passwords masked."""
    logger.remove()
    logger.add(redacting_sink((stream or sys.stderr).write, Redactor(())), level=level,
               format=FORMAT, diagnose=False, backtrace=False, colorize=False,
               filter=_not_file_only)


def setup(settings: Any, secrets: Iterable[str], stream: TextIO | None = None) -> Redactor:
    """Replace loguru's handlers with redacting ones configured from `settings.logging`.

    A record marked `file_only` (the traceback behind a one-line failure, logged at DEBUG by
    core/failures.py) goes to the JSON log file only, at any level; the terminal keeps its
    one line.
    """
    redact = Redactor(secrets)
    _current[0] = redact
    logger.remove()
    level = settings.get("logging.level", "INFO")
    out = stream or sys.stderr
    logger.add(redacting_sink(out.write, redact), level=level, format=FORMAT,
               diagnose=False, backtrace=False, colorize=False, filter=_not_file_only)
    path = settings.get("logging.json_file", "")
    if path:
        writer = _rotating_writer(path, settings.get("logging.max_bytes", 20_000_000),
                                  settings.get("logging.backups", 5))
        least = logger.level(level).no
        # The traceback behind a one-line failure is written whatever the level.
        logger.add(json_sink(writer, redact), level="DEBUG", diagnose=False, backtrace=False,
                   filter=lambda r: r["level"].no >= least or bool(r["extra"].get("file_only")))
    return redact

