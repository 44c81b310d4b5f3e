"""Secrets never reach a log line or a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

from loguru import logger

from core import logs
from core.kernel import Kernel
from core.testing import base_settings, running_bot

TOKEN = "123456789:AAE-very-secret-token-value"
HASH = "0123456789abcdef0123456789abcdef"


async def test_secrets_are_redacted_from_logs_and_tracebacks(tmp_path: Path) -> None:
    json_file = tmp_path / "log.json"
    overrides = {"telegram.bot_token": TOKEN, "telegram.api_hash": HASH,
                 "telegram.api_id": 12345, "logging.json_file": str(json_file),
                 "database.url": f"sqlite:///{tmp_path / 'bot.db'}"}
    settings = base_settings(tmp_path)
    settings.update(overrides)
    kernel = Kernel.configure(settings)
    stream = io.StringIO()
    logs.setup(kernel.settings, kernel.redact.secrets, stream=stream)

    logger.info("connecting with token {}", TOKEN)
    try:
        secret = TOKEN

        def inner() -> None:
            raise RuntimeError(f"auth failed for {secret} / {HASH}")

        inner()
    except RuntimeError:
        logger.exception("startup failed")

    text = stream.getvalue() + json_file.read_text()
    assert TOKEN not in text and HASH not in text
    assert text.count(logs.REDACTED) >= 4
    assert "RuntimeError: auth failed for [REDACTED]" in stream.getvalue()
    for line in json_file.read_text().splitlines():
        json.loads(line)  # each line stays valid JSON


async def test_handler_errors_do_not_leak_secrets(tmp_path: Path) -> None:
    overrides = {"payments.provider_token": "tok_live_SECRET_999999",
                 "telegram.bot_token": "", "logging.level": "DEBUG"}
    async with running_bot(tmp_path, overrides, plugins=["tests.sample_plugin"]) as bot:
        stream = io.StringIO()
        logs.setup(bot.kernel.settings, bot.kernel.redact.secrets, stream)

        from tests import sample_plugin

        async def leaky(ctx: object) -> None:
            raise ValueError("provider said no to tok_live_SECRET_999999")

        original = sample_plugin.boom.__code__
        try:
            sample_plugin.boom.__code__ = leaky.__code__
            reply = await bot.send("/boom", user=bot.user(42))
        finally:
            sample_plugin.boom.__code__ = original
        assert reply.outcome == "error"
        out = stream.getvalue()
        assert "ValueError: provider said no to [REDACTED]" in out
        assert "tok_live_SECRET_999999" not in out
        assert all("tok_live" not in a.text for a in reply.messages)
