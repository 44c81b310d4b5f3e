"""An update's way through the kernel: redelivery, bans, limits, admins, costs, errors."""

from __future__ import annotations

from pathlib import Path

from core.testing import BotDriver, running_bot
from core.testing_telegram import OfflineClient
from core.transports.telegram import TelegramTransport
from core.types import Chat, ChatType, SendMessage, UpdateKind

SAMPLE = "tests.sample_plugin"


async def test_redelivered_update_is_handled_once(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    alice = bot.user(42, "Alice")
    update = bot.updates.message("/note milk", alice.sender)
    first = await bot.deliver(update)
    again = await bot.deliver(update)
    assert first.outcome == "ok" and first.text == "Saved."
    assert again.outcome == "duplicate" and again.actions == []
    assert await bot.service("sample").notes(42) == ["milk"]


async def test_redelivered_payment_is_dropped_even_after_a_restart(tmp_path: Path) -> None:
    """Money updates are remembered in the database, not only in the (memory) cache."""
    settings = {"database.url": f"sqlite:///{tmp_path / 'shared.db'}"}
    async with running_bot(tmp_path, settings) as bot:
        update = bot.updates.payment(bot.user(42).sender, "order-1", "XTR", 50, "charge-1")
        assert (await bot.deliver(update)).outcome != "duplicate"
    async with running_bot(tmp_path, settings) as restarted:
        assert (await restarted.deliver(update)).outcome == "duplicate"


async def test_banned_user_gets_nothing(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    mallory = bot.user(66, "Mallory")
    await bot.send("/start", user=mallory)
    assert await bot.kernel.users.set_banned(66, True, "spam")
    for text in ("/start", "/note x", "hello", "/help"):
        reply = await bot.send(text, user=mallory)
        assert reply.outcome == "banned" and reply.actions == []
    press = await bot.press("sample:show", user=mallory)
    assert press.outcome == "banned" and press.actions == []
    assert await bot.service("sample").notes(66) == []
    await bot.kernel.users.set_banned(66, False)
    assert (await bot.send("/start", user=mallory)).outcome == "ok"


async def test_inbound_limit_answers_once_then_stays_quiet(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    alice = bot.user(42)
    assert (await bot.send("/slow", user=alice)).text == "ok"
    assert (await bot.send("/slow", user=alice)).text == "ok"
    limited = await bot.send("/slow", user=alice)
    assert limited.outcome == "limited"
    assert "going too fast" in limited.text and "Try again in" in limited.text
    for _ in range(5):
        quiet = await bot.send("/slow", user=alice)
        assert quiet.outcome == "limited" and quiet.actions == []
    # Another user and another command are not affected.
    assert (await bot.send("/slow", user=bot.user(43))).text == "ok"
    assert (await bot.send("/greet", user=alice)).outcome == "ok"


async def test_default_limit_applies_to_everything(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {"ratelimit.default": "3/minute"}, plugins=[SAMPLE]) as bot:
        alice = bot.user(42)
        outcomes = [(await bot.send(t, user=alice)).outcome
                    for t in ("/greet", "hello", "/start", "/greet", "/help")]
        assert outcomes == ["ok", "ok", "ok", "limited", "limited"]


async def test_admin_only_command_refuses_others(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    refused = await bot.send("/secret", user=bot.user(42))
    assert refused.outcome == "denied" and "admins only" in refused.text
    assert (await bot.send("/secret", user=bot.admin)).text == "The secret."


async def test_command_cost_is_charged_and_refunded_on_failure(
    bot_with_sample: BotDriver,
) -> None:
    bot = bot_with_sample
    wallet = bot.service("sample").wallet
    alice = bot.user(42)
    poor = await bot.send("/paid", user=alice)
    assert poor.outcome == "user_error" and poor.text == "/paid costs 2; you have 0."
    wallet[42] = 5
    assert (await bot.send("/paid", user=alice)).text == "Paid work done."
    assert wallet[42] == 3
    failed = await bot.send("/paid fail", user=alice)
    assert failed.outcome == "error" and "something went wrong" in failed.text
    assert wallet[42] == 3  # the failed run was given back


async def test_cost_from_settings_overrides_the_declaration(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {"costs": {"paid": 4}}, plugins=[SAMPLE]) as bot:
        bot.service("sample").wallet[42] = 5
        await bot.send("/paid", user=bot.user(42))
        assert bot.service("sample").wallet[42] == 1
        # The cost shown is the cost charged, in /help and in the command menu.
        shown = await bot.send("/help", user=bot.user(42))
        assert "/paid - A command that costs 2 (4 credits)" in shown.text
        menu = dict(TelegramTransport(bot.kernel, OfflineClient()).menu().commands)
        assert menu["paid"] == "A command that costs 2 (4 credits)"


async def test_unexpected_error_gives_a_reference_and_alerts_admins_once(
    bot_with_sample: BotDriver,
) -> None:
    bot = bot_with_sample
    first = await bot.send("/boom", user=bot.user(42))
    assert first.outcome == "error"
    user_text = first.to(42)[0].text  # type: ignore[attr-defined]
    reference = bot.service("sample").errors[0][1]
    assert reference in user_text and "kaboom" not in user_text
    alerts = [a for a in first.to(1) if isinstance(a, SendMessage)]
    assert len(alerts) == 1 and reference in alerts[0].text and "kaboom" in alerts[0].text
    second = await bot.send("/boom", user=bot.user(43))
    assert second.to(1) == []  # same fingerprint: no second alert within the cool-down
    assert bot.kernel.error_counts["RuntimeError"] == 2


async def test_user_error_message_is_shown_as_is(bot_with_sample: BotDriver) -> None:
    reply = await bot_with_sample.send("/note", user=bot_with_sample.user(42))
    assert reply.outcome == "user_error" and reply.text == "Usage: /note TEXT"


async def test_button_press_edits_and_is_answered(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    alice = bot.user(42)
    saved = await bot.send("/note eggs", user=alice)
    pressed = await bot.press(saved.button("Show notes"), user=alice)
    assert pressed.outcome == "ok"
    assert pressed.messages[0].text == "Notes: eggs"
    assert pressed.messages[0].message_id == saved.actions[0][1].message_id  # type: ignore
    assert pressed.alert is None and len(pressed.actions) == 2  # edit + empty answer


async def test_forged_button_data_is_refused(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    for data in ("nope:1", "", "x" * 64, "ü:ñ", "sample"):
        reply = await bot.press(data, user=bot.user(42))
        if data == "sample":
            assert reply.outcome == "ok"
            continue
        assert reply.outcome == "unrouted" and reply.alert == "This button is no longer valid."


async def test_free_text_goes_to_message_handlers_in_private_only(
    bot_with_sample: BotDriver,
) -> None:
    bot = bot_with_sample
    alice = bot.user(42)
    assert (await bot.send("héllo 👋", user=alice)).text == "echo: héllo 👋"
    group = Chat(-100123, ChatType.SUPERGROUP)
    in_group = await bot.send("hello", user=alice, chat=group)
    assert in_group.outcome == "unrouted" and in_group.actions == []


async def test_command_for_another_bot_is_ignored(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    group = Chat(-100123, ChatType.SUPERGROUP)
    assert (await bot.send("/greet@other_bot", user=bot.user(42), chat=group)).outcome == \
        "ignored"
    ours = await bot.send("/greet@test_bot", user=bot.user(42), chat=group)
    assert ours.text == "Hi, Test!"


async def test_huge_and_odd_input_is_handled(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    alice = bot.user(42)
    big = "/note " + "x" * 100_000
    assert (await bot.send(big, user=alice)).text == "Saved."
    assert (await bot.send("/" + "a" * 40, user=alice)).outcome in ("ok", "unrouted")
    assert (await bot.send("\u0000\u202e", user=alice)).outcome == "ok"
    assert bot.updates.message("/start", alice.sender).kind is UpdateKind.COMMAND
