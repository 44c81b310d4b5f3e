"""The transport's life cycle as `python -m core run` drives it: build, attach, start, run,
stop; and the client it builds from settings."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pyrogram import raw

from core.kernel import Kernel
from core.testing_telegram import (
    API_HASH,
    OfflineClient,
    TelegramHarness,
    TgUser,
    telegram_settings,
)
from core.transports.telegram import TelegramTransport

f = raw.functions
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the form @BotFather gives


async def test_run_sets_the_menu_serves_updates_and_stops(tmp_path: Path) -> None:
    kernel = Kernel.configure(telegram_settings(tmp_path))
    client = OfflineClient()
    transport = TelegramTransport(kernel, client)
    kernel.attach(transport)
    await transport.connect()
    await kernel.start()
    running = asyncio.create_task(transport.run())
    try:
        deadline = asyncio.get_running_loop().time() + 30
        languages = len(kernel.texts.languages)
        while asyncio.get_running_loop().time() < deadline and sum(
            isinstance(q, f.bots.SetBotCommands) for q in client.requests
        ) < 1 + languages:  # until connected and the menu is set, in every language
            await asyncio.sleep(0)
        assert client.is_connected
        menus = {q.lang_code: q for q in client.requests if isinstance(q, f.bots.SetBotCommands)}
        assert sorted(menus) == sorted(["", *kernel.texts.languages])
        assert [c.command for c in menus[""].commands] == ["help", "language", "start"]
        assert [c.description for c in menus["ru"].commands] == [
            "Что умеет этот бот", "Выбрать язык", "Запустить бота"]
        harness = TelegramHarness(kernel, transport, client)
        await harness.message(TgUser(42, "Alice"), "/start")
        assert harness.sent_texts(42) == ["Hello! Send /help to see what I can do."]
    finally:
        await transport.stop()
        await asyncio.wait_for(running, 5)
        await kernel.stop()
        await transport.close()
    assert not client.is_connected


async def test_client_built_from_settings_keeps_its_session_under_session_dir(
        tmp_path: Path) -> None:
    settings = telegram_settings(tmp_path)
    settings.update({"telegram.api_id": 12345, "telegram.api_hash": API_HASH,
                     "telegram.bot_token": TOKEN, "telegram.session_dir": "sessions"})
    kernel = Kernel.configure(settings, root=tmp_path)
    transport = TelegramTransport(kernel)
    client = transport.client
    assert transport.name == "telegram"
    assert (client.api_id, client.bot_token) == (12345, TOKEN)
    assert Path(client.workdir) == tmp_path / "sessions" and client.workdir.is_dir()
    assert client.sleep_threshold == 0  # flood waits reach the outbox, which paces per chat
    assert not client.in_memory
