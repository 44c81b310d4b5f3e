"""The bot token checked with the settings and by `doctor`; a Telegram that cannot be reached
stops `python -m core` with one line and status 1, well within 30 s, and no traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.kernel import Kernel
from core.testing_telegram import API_HASH, telegram_settings
from tests.test_cli import core

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the form @BotFather gives
TELEGRAM = {"BOT_TELEGRAM__API_ID": "12345", "BOT_TELEGRAM__API_HASH": API_HASH}


@pytest.mark.parametrize("token", ["123:abc", "not a token", "123456789", ":AAHdqTcvCH1vGWJxfSeo",
                                   "12345678 9:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"])
def test_a_malformed_token_is_a_settings_error_that_does_not_show_it(
        tmp_path: Path, token: str) -> None:
    settings = telegram_settings(tmp_path)
    settings.update({"telegram.bot_token": token, "telegram.api_id": 12345,
                     "telegram.api_hash": API_HASH})
    with pytest.raises(ConfigError) as caught:
        Kernel.configure(settings)
    [problem] = [e for e in caught.value.errors if "bot_token" in e]
    assert "@BotFather" in problem and token not in problem


def test_a_well_formed_token_passes(tmp_path: Path) -> None:
    settings = telegram_settings(tmp_path)
    settings.update({"telegram.bot_token": TOKEN, "telegram.api_id": 12345,
                     "telegram.api_hash": API_HASH})
    assert Kernel.configure(settings).settings.telegram.bot_token == TOKEN


def test_doctor_checks_the_token_and_the_libraries(tmp_path: Path) -> None:
    done = core(tmp_path, "doctor", BOT_TELEGRAM__BOT_TOKEN=TOKEN, **TELEGRAM)
    assert "[ok] telegram: bot token well-formed" in done.stdout
    assert "[ok] telegram: kurigram and tgcrypto installed" in done.stdout
    assert TOKEN not in done.stdout + done.stderr
    bad = core(tmp_path, "doctor", BOT_TELEGRAM__BOT_TOKEN="123:abc", **TELEGRAM)
    assert bad.returncode == 1 and "bot_token" in bad.stdout and "@BotFather" in bad.stdout


def test_an_unreachable_telegram_is_one_line_and_status_one(tmp_path: Path) -> None:
    started = time.monotonic()
    done = core(tmp_path, "run", BOT_TELEGRAM__BOT_TOKEN=TOKEN,
                BOT_TELEGRAM__SESSION_DIR=str(tmp_path), **TELEGRAM)
    took = time.monotonic() - started
    assert done.returncode == 1 and took < 30, (took, done.stderr[-2000:])
    assert "Telegram is unreachable" in done.stderr and "network" in done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stdout + done.stderr
    assert "TgCrypto is missing" not in done.stdout + done.stderr
