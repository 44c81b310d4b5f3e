"""The kernel alone answers /start and /help from the plugins' declarations."""

from core.testing import BotDriver


async def test_start_answers_with_the_start_text(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    reply = await bot.send("/start", user=alice)
    assert reply.outcome == "ok"
    assert reply.text == "Hello! Send /help to see what I can do."


async def test_help_lists_commands_from_declarations(bot: BotDriver) -> None:
    reply = await bot.send("/help", user=bot.user(42))
    assert "/start - Start the bot" in reply.text
    assert "/help - What this bot can do" in reply.text


async def test_unknown_command_is_explained(bot: BotDriver) -> None:
    reply = await bot.send("/nope", user=bot.user(42))
    assert reply.outcome == "unrouted"
    assert "Unknown command /nope" in reply.text


async def test_start_payload_goes_to_the_plugin_that_knows_it(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    alice = bot.user(42)
    assert (await bot.send("/start note-7", user=alice)).text == "Opened note link 7"
    unknown = await bot.send("/start whatever", user=alice)
    assert unknown.text == "Hello! Send /help to see what I can do."
