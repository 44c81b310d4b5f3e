"""Errors reach Sentry with the reference the user saw, and without secrets or their words."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

sentry_sdk = pytest.importorskip("sentry_sdk")  # the optional `sentry` extra

from sentry_sdk.envelope import Envelope  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402

from tests.monitoring_helpers import monitored_bot  # noqa: E402

TOKEN = "123456789:AAH-very-secret-bot-token-value"
API_HASH = "0123456789abcdef0123456789abcdef"
DSN = "https://publickey@o1.ingest.example.invalid/42"


class CapturingTransport(Transport):
    """Sentry's network edge, replaced: envelopes are kept instead of sent."""

    envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Events Sentry would send; the plugin's own `sentry_sdk.init` call, with the transport."""
    CapturingTransport.envelopes = []
    monkeypatch.setattr(sentry_sdk, "init",
                        functools.partial(sentry_sdk.init, transport=CapturingTransport))
    events: list[dict[str, Any]] = []

    class View(list):
        def __iter__(self):  # type: ignore[no-untyped-def]
            events[:] = [e.get_event() for e in CapturingTransport.envelopes if e.get_event()]
            return iter(events)

    return View()


SECRETS = {"monitoring.sentry_dsn": DSN, "telegram.bot_token": TOKEN, "telegram.api_id": 1,
           "telegram.api_hash": API_HASH}


async def test_an_error_reaches_sentry_with_the_reference_and_no_secret(
        tmp_path: Path, captured: list[dict[str, Any]]) -> None:
    async with monitored_bot(tmp_path, SECRETS) as bot:
        assert sentry_sdk.get_client().is_active()
        alice = bot.user(42, "Alice")
        # The handler's error message quotes what Alice typed; the token is in the settings.
        reply = await bot.send("/boom my diary: meet Bob at noon " + TOKEN, user=alice)
        assert reply.outcome == "error"
        reference = re.search(r"E-[A-Z0-9]{6}", reply.text).group(0)  # type: ignore[union-attr]

        events = list(captured)
        assert len(events) == 1
        event = events[0]
        assert event["tags"]["reference"] == reference
        assert event["tags"]["command"] == "boom"
        assert event["exception"]["values"][0]["type"] == "RuntimeError"
        sent = json.dumps(event)
        assert TOKEN not in sent and "AAH-very-secret" not in sent
        assert API_HASH not in sent
        assert "meet Bob at noon" not in sent and "diary" not in sent
        assert "[message text]" in event["exception"]["values"][0]["value"]
        assert "Alice" not in sent
    assert not sentry_sdk.get_client().is_active()  # closed with the kernel


async def test_a_user_error_is_not_sent(tmp_path: Path, captured: list[dict[str, Any]]
                                        ) -> None:
    async with monitored_bot(tmp_path, SECRETS) as bot:
        reply = await bot.send("/nope", user=bot.user(42))
        assert reply.outcome == "unrouted"
    assert list(captured) == []


async def test_without_a_dsn_sentry_stays_off(tmp_path: Path, captured: list[dict[str, Any]]
                                              ) -> None:
    async with monitored_bot(tmp_path) as bot:
        assert not sentry_sdk.get_client().is_active()
        await bot.send("/boom", user=bot.user(42))
    assert list(captured) == []
