"""The credits plugin as users and admins meet it in the chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.testing import BotDriver, TestUser
from plugins.credits.service import CreditsService
from tests.credits_support import Costly, credits_bot


@pytest.fixture
async def bot(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'bot.db'}",
                           {"credits.start_bonus": 10, "credits.history_page_size": 5},
                           extra=[Costly()]) as driver:
        yield driver


def _svc(bot: BotDriver) -> CreditsService:
    return bot.service("credits")


async def _entries(bot: BotDriver) -> int:
    return (await _svc(bot).summary()).entries


async def test_a_new_user_gets_the_start_bonus_once(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    reply = await bot.send("/balance", user=alice)
    assert reply.text.startswith("Balance: 10 credits\nTier: none yet")
    assert "+10 start bonus = 10" in reply.text
    reply = await bot.send("/balance", user=alice)
    assert reply.text.startswith("Balance: 10 credits")
    assert (await _svc(bot).history(42)).total == 1


async def test_balance_shows_tier_and_the_last_five_entries(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    await bot.send("/start", user=alice)
    svc = _svc(bot)
    for i in range(6):
        await svc.credit(42, 100, f"pack {i}", f"pay-{i}", purchased=True)
    reply = await bot.send("/balance", user=alice)
    assert reply.text.startswith("Balance: 610 credits\nTier: silver (5% off)")
    assert "Last 5 of 7 entries:" in reply.text
    assert "pack 5" in reply.text and "pack 0" not in reply.text


# ---- costs ---------------------------------------------------------------------------------


async def test_a_command_with_a_cost_is_charged(tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url, {"credits.start_bonus": 10},
                           extra=[Costly()]) as bot:
        alice = bot.user(42, "Alice")
        reply = await bot.send("/paid", user=alice)
        assert reply.text == "Here is what you paid for."
        assert await _svc(bot).balance(42) == 8
        assert [e.reason for e in (await _svc(bot).history(42)).entries] == [
            "/paid", "start bonus"]


async def test_a_failing_handler_with_a_cost_leaves_the_balance_unchanged(
        tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url, {"credits.start_bonus": 10},
                           extra=[Costly()]) as bot:
        alice = bot.user(42, "Alice")
        reply = await bot.send("/boom", user=alice)
        assert reply.outcome == "error"
        assert "Sorry, something went wrong" in reply.text
        reply = await bot.send("/refuse", user=alice)
        assert reply.outcome == "user_error"
        assert reply.text == "I can't do that with these arguments."
        svc = _svc(bot)
        assert await svc.balance(42) == 10
        kinds = [(e.kind, e.amount) for e in (await svc.history(42)).entries]
        assert kinds == [("refund", 3), ("debit", -3), ("refund", 3), ("debit", -3),
                         ("credit", 10)]
        assert await svc.audit() == []


async def test_a_user_who_cannot_pay_is_told_the_numbers_and_the_handler_does_not_run(
        bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    await bot.send("/start", user=alice)
    await _svc(bot).debit(42, 9, "spend", "spend")
    reply = await bot.send("/paid", user=alice)
    assert reply.outcome == "user_error"
    assert reply.text == "/paid costs 2 credits and your balance is 1 (1 short)."
    assert await _svc(bot).balance(42) == 1


async def test_settings_override_a_declared_cost(tmp_path: Path) -> None:
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'c.db'}",
                           {"credits.start_bonus": 10, "costs": {"paid": 7}},
                           extra=[Costly()]) as bot:
        await bot.send("/paid", user=bot.user(42))
        assert await _svc(bot).balance(42) == 3


# ---- history -------------------------------------------------------------------------------


async def _with_history(bot: BotDriver, user: TestUser, entries: int) -> None:
    await bot.send("/start", user=user)
    for i in range(entries - 1):
        await _svc(bot).credit(user.id, i + 1, f"gift {i + 1}", f"gift-{user.id}-{i}")


async def test_history_pages_with_buttons(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    await _with_history(bot, alice, 12)  # pages of 5: 5, 5, 2
    first = await bot.send("/history", user=alice)
    assert first.text.startswith("History, page 1 of 3:")
    assert "gift 11" in first.text and "gift 6" not in first.text
    assert [b.text for b in first.buttons] == ["Next ›"]  # older entries
    second = await bot.press(first.button("Next"), user=alice)
    assert second.text.startswith("History, page 2 of 3:") and "gift 6" in second.text
    assert [b.text for b in second.buttons] == ["‹ Previous", "Next ›"]
    assert second.messages[0].message_id == first.actions[0][1].message_id  # edited in place
    third = await bot.press(second.button("Next"), user=alice)
    assert third.text.startswith("History, page 3 of 3:") and "start bonus" in third.text
    assert [b.text for b in third.buttons] == ["‹ Previous"]
    back = await bot.press(third.button("Previous"), user=alice)
    assert back.text.startswith("History, page 2 of 3:")


async def test_history_without_entries(bot: BotDriver) -> None:
    reply = await bot.send("/history", user=bot.user(42))
    assert reply.text.startswith("History, page 1 of 1:")  # the start bonus
    await _svc(bot).debit(42, 10, "spend", "s")
    reply = await bot.send("/history", user=bot.user(42))
    assert reply.buttons == []


@pytest.mark.parametrize("data", ["crh:abc", "crh:-1", "crh:", "crh", "crh:1:2", "crh:9999999",
                                  "crh:99", "crh:１", "crh:1 OR 1=1",
                                  "crh:" + "9" * 18, "crh:01", "crh:+1"])
async def test_forged_history_buttons_are_refused(bot: BotDriver, data: str) -> None:
    alice = bot.user(42, "Alice")
    await _with_history(bot, alice, 3)
    reply = await bot.press(data, user=alice)
    assert reply.alert in ("This button is no longer valid.",
                           "That page no longer exists. Send /history again.")
    assert reply.messages == []


async def test_a_history_button_shows_only_the_pressers_own_history(bot: BotDriver) -> None:
    alice, bob = bot.user(42, "Alice"), bot.user(43, "Bob")
    await _with_history(bot, alice, 12)
    await bot.send("/start", user=bob)
    reply = await bot.press("crh:1", user=bob)  # Alice's second page, pressed by Bob
    assert reply.alert == "That page no longer exists. Send /history again."
    reply = await bot.press("crh:0", user=bob)
    assert "gift" not in reply.text and "start bonus" in reply.text


# ---- auto-recharge -------------------------------------------------------------------------


async def test_autorecharge_on_status_and_off(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    reply = await bot.send("/autorecharge", user=alice)
    assert reply.text.startswith("Auto-recharge: off.\nUsage:")
    reply = await bot.send("/autorecharge 20 100", user=alice)
    assert reply.text == ("Auto-recharge is on: when your balance falls below 20, I will offer "
                          "you 100 credits.")
    account = await _svc(bot).account(42)
    assert (account.recharge_threshold, account.recharge_amount) == (20, 100)
    reply = await bot.send("/balance", user=alice)
    assert "Auto-recharge: 100 credits when below 20" in reply.text
    reply = await bot.send("/autorecharge off", user=alice)
    assert reply.text == "Auto-recharge is off."
    assert (await _svc(bot).account(42)).recharge_threshold is None


@pytest.mark.parametrize("args, message", [
    ("abc 100", "Threshold: “abc” is not a whole number."),
    ("0 100", "Threshold: the number must be from 1 to"),
    ("-5 100", "Threshold: the number must be from 1 to"),
    ("20 0", "Amount: the number must be from 1 to"),
    ("20 1.5", "Amount: “1.5” is not a whole number."),
    ("20 99999999999999999999", "Amount: the number must be from 1 to 1,000,000,000."),
    ("２０ 100", "Threshold: “２０” is not a whole number."),
    ("20", "Usage: /autorecharge"),
    ("20 100 7", "Usage: /autorecharge"),
])
async def test_autorecharge_bad_input_changes_nothing(bot: BotDriver, args: str,
                                                      message: str) -> None:
    alice = bot.user(42, "Alice")
    await bot.send("/autorecharge 5 50", user=alice)
    reply = await bot.send(f"/autorecharge {args}", user=alice)
    assert reply.outcome == "user_error"
    assert reply.text.startswith(message)
    account = await _svc(bot).account(42)
    assert (account.recharge_threshold, account.recharge_amount) == (5, 50)


# ---- admins --------------------------------------------------------------------------------


async def test_admin_grants_and_revokes_by_username_or_id(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice", "alice")
    await bot.send("/start", user=alice)
    reply = await bot.send("/grant @Alice 25 welcome back", user=bot.admin)
    assert reply.text.startswith("Granted 25 credits to @alice: balance 35.")
    assert [a.text for a in reply.to(42)] == ["You received 25 credits (welcome back). "
                                              "Balance: 35."]
    reply = await bot.send("/revoke 42 5", user=bot.admin)
    assert reply.text == "Took 5 credits from @alice: balance 30."
    entries = (await _svc(bot).history(42)).entries
    assert [(e.kind, e.amount, e.actor, e.reason) for e in entries[:2]] == [
        ("revoke", -5, 1, "revoked by an admin"), ("credit", 25, 1, "welcome back")]


async def test_admin_credits_shows_a_user_and_the_summary(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice", "alice")
    await bot.send("/start", user=alice)
    await _svc(bot).credit(42, 150, "pack", "pay-1", purchased=True)
    await _svc(bot).debit(42, 20, "spend", "s1")
    reply = await bot.send("/credits @alice", user=bot.admin)
    assert reply.text.startswith("@alice (id 42): 140 credits\nTier: bronze")
    assert "-20 spend = 140" in reply.text and "Bought in total: 150" in reply.text
    reply = await bot.send("/credits", user=bot.admin)
    # Alice: 10 + 150 - 20; the admin got a start bonus too.
    assert reply.text.startswith("Credits issued: 170 (bought: 150)\nSpent: 20\n"
                                 "Outstanding: 150 in 2 accounts")


@pytest.mark.parametrize("command", ["/grant @alice 5", "/revoke @alice 5", "/credits @alice",
                                     "/credits"])
async def test_non_admins_are_refused_and_nothing_changes(bot: BotDriver, command: str) -> None:
    alice = bot.user(42, "Alice", "alice")
    await bot.send("/start", user=alice)
    before = await _entries(bot)
    reply = await bot.send(command, user=alice)
    assert reply.outcome == "denied"
    assert reply.text == "This is for the bot's admins only."
    assert await _entries(bot) == before
    assert await _svc(bot).balance(42) == 10


@pytest.mark.parametrize("command, message", [
    ("/grant", "Usage: /grant <user id or @username> <amount> [reason]"),
    ("/grant @alice", "Usage: /grant <user id or @username> <amount> [reason]"),
    ("/grant @nobody 5", "I don't know the user @nobody"),
    ("/grant 999999 5", "I don't know the user 999999"),
    ("/grant @ 5", "I don't know the user @"),
    ("/grant @alice 0", "Amount: the number must be from 1 to"),
    ("/grant @alice -5", "Amount: the number must be from 1 to"),
    ("/grant @alice abc", "Amount: “abc” is not a whole number."),
    ("/grant @alice 1000000001", "Amount: the number must be from 1 to 1,000,000,000."),
    ("/grant @alice 99999999999999999999999", "Amount: the number must be from 1 to"),
    ("/grant 💥 5", "I don't know the user 💥"),
    ("/revoke @alice 11", "@alice has only 10 credits, 1 fewer than 11: nothing was taken."),
    ("/revoke @alice 0", "Amount: the number must be from 1 to"),
    ("/revoke", "Usage: /revoke <user id or @username> <amount> [reason]"),
    ("/credits @nobody", "I don't know the user @nobody"),
    ("/credits @alice extra", "Usage: /credits [user id or @username]"),
])
async def test_admin_bad_input_gets_a_clear_message_and_changes_nothing(
        bot: BotDriver, command: str, message: str) -> None:
    alice = bot.user(42, "Alice", "alice")
    await bot.send("/start", user=alice)
    await bot.send("/start", user=bot.admin)
    before = await _entries(bot)
    reply = await bot.send(command, user=bot.admin)
    assert reply.outcome == "user_error"
    assert reply.text.startswith(message), reply.text
    assert await _entries(bot) == before
    assert await _svc(bot).balance(42) == 10


async def test_a_repeated_grant_update_is_applied_once(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice", "alice")
    await bot.send("/start", user=alice)
    update = bot.updates.message("/grant @alice 5", bot.admin.sender)
    await bot.deliver(update)
    await bot.kernel.cache.clear()  # a restart forgets seen updates: the ledger still knows
    await bot.deliver(update)
    assert await _svc(bot).balance(42) == 15
