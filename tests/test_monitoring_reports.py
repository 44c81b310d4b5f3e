"""`python -m core health` runs in a process of its own: it shows what running bots published."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from core.config import ROOT
from tests.monitoring_helpers import monitored_bot


async def run_health(database_url: str) -> tuple[int, dict]:
    env = {**os.environ, "BOT_DATABASE__URL": database_url, "BOT_ENV": "development",
           "BOT_PLUGINS__ENABLED": '["monitoring"]'}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "core", "health", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert out, err.decode()
    return process.returncode or 0, json.loads(out)


async def test_core_health_shows_the_running_bots_slowest_commands_and_process(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    async with monitored_bot(tmp_path, {"monitoring.slow_handler_ms": 100}) as bot:
        await bot.send("/slow", user=bot.user(42))
        await bot.send("/start", user=bot.user(42))
        await bot.service("monitoring").publish()  # what the bot does every publish_interval

        status, report = await run_health(url)
        assert status == 0, report
        workers = report["checks"]["workers"]["reports"]
        assert len(workers) == 1
        worker = workers[0]
        assert worker["running"] is True
        assert worker["slowest"][0]["name"] == "/slow"
        assert worker["slowest"][0]["max_ms"] >= 200
        assert worker["process"]["rss_mb"] > 1 and "loop_lag_max_ms" in worker["process"]
        assert worker["outcomes"] == {"ok": 2}
        # The health process itself handled nothing and leaves no report behind.
    status, report = await run_health(url)
    (worker,) = report["checks"]["workers"]["reports"]
    assert worker["running"] is False  # the bot's last report, written as it stopped


async def test_a_taken_port_leaves_the_bot_working_without_endpoints(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    async with monitored_bot(first) as one:
        port = int(one.service("monitoring").http.url.rsplit(":", 1)[1])
        # The bot's log sinks are set up as it starts, on the captured stderr.
        async with monitored_bot(second, {"monitoring.http.port": port}) as two:
            assert two.service("monitoring").http is None
            reply = await two.send("/start", user=two.user(42))
            assert reply.outcome == "ok"
        assert f"monitoring HTTP server not started on 127.0.0.1:{port}" in capsys.readouterr().err
