"""Conversations: questions one at a time, kept in the database; back, cancel, expiry, restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.models import ConversationState, utcnow
from core.testing import BotDriver, running_bot
from core.types import Chat, ChatType

SAMPLE = "tests.sample_plugin"


async def test_a_flow_asks_validates_and_finishes(bot_with_sample: BotDriver) -> None:
    bot, alice = bot_with_sample, bot_with_sample.user(42)
    assert (await bot.send("/survey", user=alice)).text == "Your name?"
    assert (await bot.send("Alice", user=alice)).text == "Your age?"
    wrong = await bot.send("old", user=alice)
    assert wrong.text == "An age is a number from 1 to 150.\nYour age?"
    assert (await bot.send("33", user=alice)).text == "Thanks Alice, 33."
    # The flow is over: free text goes to the other handlers again.
    assert (await bot.send("hello", user=alice)).text == "echo: hello"


async def test_back_and_cancel(bot_with_sample: BotDriver) -> None:
    bot, alice = bot_with_sample, bot_with_sample.user(42)
    await bot.send("/survey", user=alice)
    await bot.send("Alcie", user=alice)
    assert (await bot.send("/back", user=alice)).text == "Your name?"
    await bot.send("Alice", user=alice)
    assert (await bot.send("/cancel", user=alice)).text == "Stopped; nothing was changed."
    assert (await bot.send("/cancel", user=alice)).text == "Nothing to cancel."
    assert (await bot.send("/back", user=alice)).text == "There is no question to go back to."
    await bot.send("/survey", user=alice)
    assert (await bot.send("Cancel", user=alice)).text == "Stopped; nothing was changed."


async def test_flows_are_per_user_and_per_chat(bot_with_sample: BotDriver) -> None:
    bot, alice, bob = bot_with_sample, bot_with_sample.user(42), bot_with_sample.user(43)
    await bot.send("/survey", user=alice)
    assert (await bot.send("hi", user=bob)).text == "echo: hi"
    group = Chat(-100, ChatType.SUPERGROUP)
    in_group = await bot.send("Alice?", user=alice, chat=group)
    assert in_group.outcome == "unrouted" and in_group.actions == []
    assert (await bot.send("Alice", user=alice)).text == "Your age?"


async def test_an_expired_flow_lets_go(bot_with_sample: BotDriver) -> None:
    bot, alice = bot_with_sample, bot_with_sample.user(42)
    await bot.send("/survey", user=alice)
    await bot.kernel.db.run(lambda: ConversationState.update(
        expires_at=utcnow() - timedelta(seconds=1)).execute())
    assert (await bot.send("Alice", user=alice)).text == "echo: Alice"
    assert await bot.kernel.db.run(ConversationState.select().count) == 0


async def test_a_flow_interrupted_by_a_restart_resumes(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=[SAMPLE]) as bot:
        alice = bot.user(42)
        await bot.send("/survey", user=alice)
        assert (await bot.send("Alice", user=alice)).text == "Your age?"
    async with running_bot(tmp_path, plugins=[SAMPLE]) as bot:
        assert (await bot.send("33", user=bot.user(42))).text == "Thanks Alice, 33."


async def test_a_flow_of_a_plugin_switched_off_is_dropped(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=[SAMPLE]) as bot:
        await bot.send("/survey", user=bot.user(42))
    async with running_bot(tmp_path) as bot:
        reply = await bot.send("Alice", user=bot.user(42))
        assert reply.text == "I only understand commands. Send /help to see them."
        assert await bot.kernel.db.run(ConversationState.select().count) == 0
