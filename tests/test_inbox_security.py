"""Non-admins cannot use the inbox's commands or buttons, forged data changes nothing, bans
keep a user's messages from the operators, and a flood is limited without storing twice."""

from pathlib import Path

import pytest

from core.callbacks import INVALID_BUTTON
from core.testing import ADMIN_ID, BotDriver, running_bot
from core.types import Update
from plugins.admin_inbox.models import Conversation, InboxMessage, OperatorCopy

pytestmark = pytest.mark.plugins("admin_inbox")

ADMIN_COMMANDS = ["/inbox", "/reply 1 gotcha", "/close 1", "/assign 1", "/assign 1 42",
                  "/inbox_stats"]
BUTTONS = ["r", "c", "o", "p", "v", "a", "b", "u"]


def snapshot(bot: BotDriver) -> tuple:
    def read() -> tuple:
        return ([c.__data__ for c in Conversation.select().order_by(Conversation.id)],
                InboxMessage.select().count())
    return bot.kernel.db.call(read)


async def test_a_non_admin_cannot_use_any_admin_command(bot: BotDriver) -> None:
    await bot.send("hello", user=bot.user(42, "Alice"))
    eve = bot.user(66, "Eve")
    before = snapshot(bot)
    for command in ADMIN_COMMANDS:
        reply = await bot.send(command, user=eve)
        assert reply.outcome == "denied", command
        assert reply.text == "This is for the bot's admins only.", command
        assert reply.to(42) == [] and reply.to(ADMIN_ID) == []
    assert snapshot(bot) == before


async def test_a_non_admin_cannot_press_any_inbox_button_even_forged(bot: BotDriver) -> None:
    routed = await bot.send("hello", user=bot.user(42, "Alice"))
    eve = bot.user(66, "Eve")
    before = snapshot(bot)
    pressed = [routed.button(label) for label in ("Reply", "Close", "Priority")]
    forged = [f"inbox:{a}:1" for a in BUTTONS] + ["inbox:p:1:2", "inbox:l:1"]
    for button in pressed + forged:
        reply = await bot.press(button, user=eve)
        assert reply.outcome == "denied", button
        assert reply.alert == "This is for the bot's admins only.", button
        assert reply.to(42) == []
    assert snapshot(bot) == before
    # Nor does Eve's "reply" to a message id the operators hold reach Alice.
    copy_id = routed.actions[0][1].message_id
    sneaky = await bot.send("pay me", user=eve, reply_to=copy_id)
    assert sneaky.to(42) == []
    assert bot.kernel.db.call(lambda: Conversation.get(Conversation.user_id == 66)).id == 2


@pytest.mark.parametrize("data", ["inbox:c:999", "inbox:x:1", "inbox:c:-1", "inbox:c:1:2:3",
                                  "inbox:p:1:-1", "inbox:c:abc", "inbox:p:1:7",
                                  "inbox:c:99999999999", "inbox:",
                                  "inbox:c:١", "inbox:l:0", "inbox:l:" + "9" * 18,
                                  "inbox:v:0", "inbox:r:1:1"])
async def test_forged_button_data_from_an_admin_is_refused(bot: BotDriver, data: str) -> None:
    await bot.send("hello", user=bot.user(42, "Alice"))
    before = snapshot(bot)
    reply = await bot.press(data, user=bot.admin)
    assert reply.outcome in ("invalid_button", "user_error"), data
    assert reply.alert and ("no longer valid" in reply.alert or "no conversation" in reply.alert
                            ), reply.alert
    if reply.outcome == "invalid_button":  # malformed: the handler never ran
        assert reply.alert == INVALID_BUTTON
    assert reply.to(42) == []
    assert snapshot(bot) == before


async def test_ban_and_unban_from_a_conversation(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    await bot.send("hello", user=alice)
    card = await bot.press("inbox:v:1", user=bot.admin)
    banned = await bot.press(card.button("Ban"), user=bot.admin)
    assert banned.alert == "User 42 banned."
    row = await bot.kernel.users.row(42)
    assert row["is_banned"] and "inbox #1" in row["ban_reason"]

    ignored = await bot.send("let me in", user=alice)
    assert ignored.outcome == "banned" and ignored.actions == []
    assert bot.kernel.db.call(lambda: InboxMessage.select().count()) == 1

    card = await bot.press("inbox:v:1", user=bot.admin)
    await bot.press(card.button("Unban"), user=bot.admin)
    back = await bot.send("thank you", user=alice)
    assert back.outcome == "ok" and len(back.to(ADMIN_ID)) == 1


async def test_admins_cannot_be_banned_from_the_inbox(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {"admins": [ADMIN_ID, 42]},
                           plugins=["admin_inbox"]) as bot:
        await bot.send("/start", user=bot.user(42, "Al"))
        conv = await bot.service("inbox").receive(42, "k1", "hi", None)
        reply = await bot.press(f"inbox:b:{conv.conversation.id}", user=bot.admin)
        assert reply.outcome == "user_error" and "Admins cannot be banned" in reply.alert
        assert not (await bot.kernel.users.row(42))["is_banned"]


@pytest.mark.bot_settings({"ratelimit.default": "5/minute"})
async def test_a_flood_is_limited_and_nothing_is_stored_twice(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    outcomes = [(await bot.send(f"spam {i}", user=alice)).outcome for i in range(12)]
    assert outcomes == ["ok"] * 5 + ["limited"] * 7
    stored = bot.kernel.db.call(lambda: [m.text for m in InboxMessage.select()])
    assert stored == [f"spam {i}" for i in range(5)]
    copies = bot.kernel.db.call(lambda: OperatorCopy.select().count())
    assert copies == 5  # the operators saw each stored message once, the rest never


async def test_a_redelivered_message_is_stored_and_routed_once(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    update = bot.updates.message("only once", alice.sender)
    assert isinstance(update, Update)
    first = await bot.deliver(update)
    again = await bot.deliver(update)
    assert (first.outcome, again.outcome) == ("ok", "duplicate")
    assert again.actions == []
    # Even past the dispatcher (its memory lost), the unique update key stores nothing.
    inbox = bot.service("inbox")
    assert await inbox.receive(42, update.key, "only once", None) is None
    assert bot.kernel.db.call(lambda: InboxMessage.select().count()) == 1


async def test_an_empty_or_huge_message_is_handled(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    huge = "ж" * 4096
    reply = await bot.send(huge, user=alice)
    [to_ops] = reply.to(ADMIN_ID)
    assert len(to_ops.text) <= 4096 and to_ops.text.endswith("…")
    stored = bot.kernel.db.call(lambda: InboxMessage.get().text)
    assert stored == huge  # the operators' copy is cut to fit; the record is whole
    long_answer = await bot.send("/reply 1 " + "x" * 5000, user=bot.admin)
    assert long_answer.outcome == "user_error" and "too long" in long_answer.text
    assert long_answer.to(42) == []


async def test_help_shows_the_inbox_commands_to_admins_only(bot: BotDriver) -> None:
    for_admin = await bot.send("/help", user=bot.admin)
    for command in ("/inbox ", "/reply ", "/close ", "/assign ", "/inbox_stats "):
        assert command in for_admin.text
    for_user = await bot.send("/help", user=bot.user(42))
    assert "/inbox" not in for_user.text and "/reply" not in for_user.text
