"""Logging: loguru sinks from settings, with secrets redacted from every line and traceback.

Redaction happens in the sinks, after formatting, so it covers the message, the exception text
and the traceback alike; `diagnose=False` keeps local variables out of tracebacks.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from loguru import logger

REDACTED = "[REDACTED]"
FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <7} | {name}:{line} | {message}"


class Redactor:
    """Replaces every known secret in a string."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = [s for s in secrets if s]

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


def redacting_sink(write: Callable[[str], Any], redact: Redactor) -> Callable[[Any], None]:
    def sink(message: Any) -> None:
        write(redact(str(message)))

    return sink


def _rotating_writer(path: str, max_bytes: int, backups: int) -> Callable[[str], None]:
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes,
                                                   backupCount=backups, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))

    def write(line: str) -> None:
        handler.emit(logging.makeLogRecord({"msg": line.rstrip("\n"), "levelno": logging.INFO}))

    return write


def setup(settings: Any, secrets: Iterable[str], stream: TextIO | None = None) -> Redactor:
    """Replace loguru's handlers with redacting ones configured from `settings.logging`."""
    redact = Redactor(secrets)
    logger.remove()
    level = settings.get("logging.level", "INFO")
    out = stream or sys.stderr
    logger.add(redacting_sink(out.write, redact), level=level, format=FORMAT,
               diagnose=False, backtrace=False, colorize=False)
    path = settings.get("logging.json_file", "")
    if path:
        writer = _rotating_writer(path, settings.get("logging.max_bytes", 20_000_000),
                                  settings.get("logging.backups", 5))
        logger.add(redacting_sink(writer, redact), level=level, serialize=True,
                   diagnose=False, backtrace=False)
    return redact
