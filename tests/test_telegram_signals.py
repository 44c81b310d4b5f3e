"""A real process, a real signal: SIGTERM stops the bot gracefully (exit 0) and keeps every
peer it met, so each can be messaged after the restart; peers reach the session file every few
seconds even when the process is killed; a second signal exits at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pyrogram import raw

from core.testing_telegram import FakeTelegram, OfflineClient, TgUser, telegram_bot
from core.transports.telegram import SESSION_SAVE_INTERVAL
from core.types import SendMessage

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "tests" / "tg_signal_bot.py"


def start(folder: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, str(BOT), str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def met(process: subprocess.Popen[str], count: int, deadline: float = 120) -> list[int]:
    """Ids of the first `count` users the bot reports having met."""
    assert process.stdout is not None
    ids: list[int] = []
    end = time.monotonic() + deadline
    while len(ids) < count and time.monotonic() < end:
        line = process.stdout.readline()
        if not line:
            break
        if line.strip().isdigit():
            ids.append(int(line))
    assert len(ids) == count, f"the bot met {len(ids)} users: {process.stderr.read()[-2000:]}"
    return ids


async def message_each(folder: Path, ids: list[int]) -> list[str]:
    """Restart on the same session and database; send each user a message."""
    server = FakeTelegram()
    for i in ids:  # Telegram knows them, with the access hashes the bot must have kept
        server.users[i] = TgUser(i).raw()
    async with telegram_bot(folder, client=OfflineClient(server, workdir=folder)) as tg:
        for i in ids:
            await tg.kernel.send(SendMessage(i, "welcome back"))
        return [q.message for q in tg.requests_of(raw.functions.messages.SendMessage)]


async def test_sigterm_stops_gracefully_and_keeps_every_peer(tmp_path: Path) -> None:
    bot = start(tmp_path)
    try:
        ids = met(bot, 20)
        bot.send_signal(signal.SIGTERM)
        out, err = bot.communicate(timeout=60)
    finally:
        bot.kill()
    assert bot.returncode == 0, err[-2000:]
    assert out.strip().endswith("stopped")
    ids += [int(line) for line in out.split() if line.isdigit()]
    assert "Traceback" not in err
    assert await message_each(tmp_path, ids) == ["welcome back"] * len(ids)


async def test_peers_reach_the_session_file_every_few_seconds(tmp_path: Path) -> None:
    bot = start(tmp_path)
    try:
        ids = met(bot, 10)
        await asyncio.sleep(SESSION_SAVE_INTERVAL * 1.5 + 1)
        bot.kill()  # no chance to save anything at the end
        bot.wait(timeout=30)
    finally:
        bot.kill()
    assert await message_each(tmp_path, ids) == ["welcome back"] * len(ids)


async def test_a_second_signal_exits_at_once(tmp_path: Path) -> None:
    bot = start(tmp_path)
    try:
        met(bot, 3)
        bot.send_signal(signal.SIGINT)
        bot.send_signal(signal.SIGINT)
        bot.communicate(timeout=30)
    finally:
        bot.kill()
    assert bot.returncode in (0, 1)  # the first stop may win the race; never a hang


def test_the_second_signal_exits_with_status_one_without_waiting() -> None:
    from core.lifecycle import Stopper

    async def signalled_twice() -> list[int]:
        exits: list[int] = []
        stopper = Stopper(exit_now=exits.append)
        stopper(signal.SIGTERM)
        assert stopper.requested.is_set() and exits == []
        stopper(signal.SIGINT)
        return exits

    assert asyncio.run(signalled_twice()) == [1]
