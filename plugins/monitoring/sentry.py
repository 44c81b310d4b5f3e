"""Error monitoring with Sentry, when `sentry-sdk` is installed (extra `sentry`) and a DSN is
in the secrets (`monitoring.sentry_dsn`).

Events carry the reference the user was shown (tag `reference`), and nothing else about them:
no secret (every configured one is replaced wherever it appears), no message text (the update's
text, arguments and button data are replaced, breadcrumbs and local variables are dropped).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from typing import Any

from loguru import logger

from core.logs import REDACTED
from core.types import Update

MESSAGE_TEXT = "[message text]"


def installed() -> bool:
    return importlib.util.find_spec("sentry_sdk") is not None


class Scrubber:
    """Replaces secrets (and, per event, the user's own words) in every string of an event."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted((s for s in secrets if s), key=len, reverse=True)

    def __call__(self, event: dict[str, Any], texts: Iterable[str] = ()) -> dict[str, Any]:
        event.pop("breadcrumbs", None)  # log lines of other updates, with their texts
        event.pop("request", None)
        for exception in _exceptions(event):
            for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
                frame.pop("vars", None)
        event = _replace(event, [(s, REDACTED) for s in self.secrets])
        words = _words(texts)
        if words is not None:
            # An error message may quote the user's text whole, split or repr'd: every word
            # of it goes, in the free-text fields only (frames keep their function names).
            for exception in _exceptions(event):
                if isinstance(exception.get("value"), str):
                    exception["value"] = words.sub(MESSAGE_TEXT, exception["value"])
            for key in ("message", "logentry", "extra"):
                if key in event:
                    event[key] = _substitute(event[key], words)
        return event


def _exceptions(event: dict[str, Any]) -> list[dict[str, Any]]:
    return (event.get("exception") or {}).get("values", []) or []


def _words(texts: Iterable[str]) -> re.Pattern[str] | None:
    words = {w for t in texts for w in re.findall(r"\w{3,}", t)}
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


def _substitute(node: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(node, str):
        return pattern.sub(MESSAGE_TEXT, node)
    if isinstance(node, dict):
        return {k: _substitute(v, pattern) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, pattern) for v in node]
    return node


def _replace(node: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(node, str):
        for old, new in replacements:
            if old in node:
                node = node.replace(old, new)
        return node
    if isinstance(node, dict):
        return {_replace(k, replacements): _replace(v, replacements) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace(v, replacements) for v in node]
    if isinstance(node, tuple):
        return tuple(_replace(v, replacements) for v in node)
    return node


def update_texts(update: Update) -> list[str]:
    """What the user typed or sent, in the forms it may appear in an error."""
    texts = [update.text, update.args, update.callback_data or ""]
    if update.payment is not None:
        texts.append(update.payment.payload)
    return [t for t in texts if t]


class Sentry:
    """The process-wide Sentry client, started by the plugin and closed with it."""

    def __init__(self, dsn: str, scrubber: Scrubber, *, environment: str, release: str,
                 sample_rate: float = 1.0) -> None:
        self.dsn = dsn
        self.scrub = scrubber
        self.environment = environment
        self.release = release
        self.sample_rate = sample_rate
        self.started = False

    def start(self) -> None:
        import sentry_sdk

        sentry_sdk.init(
            dsn=self.dsn,
            environment=self.environment,
            release=self.release,
            sample_rate=self.sample_rate,
            include_local_variables=False,
            max_breadcrumbs=0,
            auto_enabling_integrations=False,
            before_send=self.before_send,
        )
        self.started = True
        logger.info("error monitoring: Sentry on ({})", self.environment)

    def before_send(self, event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
        return self.scrub(event)

    def capture(self, error: BaseException, reference: str, update: Update) -> None:
        import sentry_sdk

        texts = update_texts(update)
        with sentry_sdk.new_scope() as scope:
            scope.set_tag("reference", reference)
            scope.set_tag("update_kind", update.kind.value)
            if update.command:
                scope.set_tag("command", update.command[:32])
            scope.add_event_processor(lambda event, hint: self.scrub(event, texts))
            sentry_sdk.capture_exception(error)

    def stop(self) -> None:
        if not self.started:
            return
        import sentry_sdk

        client = sentry_sdk.get_client()
        client.close(timeout=2.0)
        sentry_sdk.get_global_scope().set_client(None)
        self.started = False
