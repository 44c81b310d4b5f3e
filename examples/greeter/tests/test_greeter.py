"""The greeter plugin, driven through the whole bot offline (`core.testing`)."""

from __future__ import annotations

from pathlib import Path

from core.testing import running_bot

PLUGIN = "greeter.plugin"


async def test_hello_counts(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=[PLUGIN]) as bot:
        alice = bot.user(42, "Alice")
        assert (await bot.send("/greeter_hello", user=alice)).text == "Hello, Alice! (#1)"
        assert (await bot.send("/greeter_hello", user=alice)).text == "Hello, Alice! (#2)"
        assert "/greeter_hello - Say hello" in (await bot.send("/help", user=alice)).text


async def test_the_greeting_is_a_setting(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {"greeter.greeting": "Hi"}, plugins=[PLUGIN]) as bot:
        reply = await bot.send("/greeter_hello", user=bot.user(7, "Bob"))
        assert reply.text == "Hi, Bob! (#1)"
