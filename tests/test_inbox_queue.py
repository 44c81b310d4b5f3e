"""/inbox ordering, priority (by hand and by rules), close and reopen, assignment."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from core.hookspecs import hookimpl
from core.testing import ADMIN_ID, BotDriver, running_bot
from plugins.admin_inbox.models import Conversation

pytestmark = pytest.mark.plugins("admin_inbox")


def conversations(bot: BotDriver) -> dict[int, Conversation]:
    return bot.kernel.db.call(lambda: {c.user_id: c for c in Conversation.select()})


async def open_for(bot: BotDriver, *users: tuple[int, str]) -> None:
    for uid, name in users:
        await bot.send(f"hello from {name}", user=bot.user(uid, name))


async def test_inbox_orders_by_priority_then_waiting_time(bot: BotDriver) -> None:
    await open_for(bot, (11, "Ann"), (12, "Bob"), (13, "Cid"), (14, "Dee"))
    inbox = bot.service("inbox")
    await inbox.set_priority(3, 1)  # Cid: high
    await inbox.set_priority(4, 2)  # Dee: urgent
    await bot.send("/reply 1 answered", user=bot.admin)  # Ann waits for nobody now

    reply = await bot.send("/inbox", user=bot.admin)

    labels = [b.text for b in reply.buttons]
    assert labels == ["#4 urgent · Dee (id 14)", "#3 high · Cid (id 13)",
                      "#2 normal · Bob (id 12)", "#1 normal · Ann (id 11)"]
    assert "waiting for the user" in reply.text.splitlines()[-1]


async def test_among_equals_the_longest_wait_comes_first(bot: BotDriver) -> None:
    await open_for(bot, (11, "Ann"), (12, "Bob"))
    # Ann's wait restarts later than Bob's: answered, then she writes again.
    await bot.send("/reply 1 ok", user=bot.admin)
    await bot.send("one more thing", user=bot.user(11, "Ann"))
    reply = await bot.send("/inbox", user=bot.admin)
    assert [b.text for b in reply.buttons] == ["#2 normal · Bob (id 12)",
                                               "#1 normal · Ann (id 11)"]


@pytest.mark.bot_settings({"admin_inbox.page_size": 2})
async def test_inbox_pages_and_opens_the_recent_history(bot: BotDriver) -> None:
    await open_for(bot, (11, "Ann"), (12, "Bob"), (13, "Cid"))
    first = await bot.send("/inbox", user=bot.admin)
    assert "page 1 of 2" in first.text
    page2 = await bot.press(first.button("Next"), user=bot.admin)
    assert "page 2 of 2" in page2.text and "#3" in page2.text
    assert page2.button("Previous")

    card = await bot.press(first.button("#1"), user=bot.admin)
    assert "→" in card.text and "hello from Ann" in card.text
    assert {b.text for b in card.buttons} >= {"Reply", "Close", "Priority", "Assign to me",
                                               "Ban"}
    # The card is a conversation message too: replying to it answers Ann.
    card_id = card.actions[0][1].message_id
    answer = await bot.send("Answer from the card", user=bot.admin, reply_to=card_id)
    assert [a.text for a in answer.to(11)] == ["Answer from the card"]


async def test_an_empty_inbox_says_so(bot: BotDriver) -> None:
    reply = await bot.send("/inbox", user=bot.admin)
    assert reply.text == "No open conversations."
    assert (await bot.send("/inbox 3", user=bot.admin)).text == "There is no page 3."
    bad = await bot.send("/inbox two", user=bot.admin)
    assert bad.outcome == "user_error" and bad.text == "Usage: /inbox [page]"


async def test_the_priority_button_sets_a_level(bot: BotDriver) -> None:
    routed = await bot.send("hello", user=bot.user(11, "Ann"))
    choice = await bot.press(routed.button("Priority"), user=bot.admin)
    assert [b.text for b in choice.buttons] == ["Normal", "High", "Urgent"]
    done = await bot.press(choice.button("Urgent"), user=bot.admin)
    assert done.alert == "#1 is now urgent."
    conv = conversations(bot)[11]
    assert conv.priority == 2 and conv.priority_manual


@pytest.mark.bot_settings({"admin_inbox.keywords_high": ["refund"],
                           "admin_inbox.keywords_urgent": ["hacked"]})
async def test_keyword_rules_raise_the_priority(bot: BotDriver) -> None:
    routed = await bot.send("I want a REFUND please", user=bot.user(11, "Ann"))
    assert "· high" in routed.to(ADMIN_ID)[0].text
    await bot.send("my account was hacked!", user=bot.user(12, "Bob"))
    await bot.send("just saying hi", user=bot.user(13, "Cid"))
    convs = conversations(bot)
    assert (convs[11].priority, convs[12].priority, convs[13].priority) == (1, 2, 0)
    # Rules only raise: a calm follow-up keeps the level.
    await bot.send("thanks", user=bot.user(12, "Bob"))
    assert conversations(bot)[12].priority == 2


@pytest.mark.bot_settings({"admin_inbox.keywords_urgent": ["hacked"]})
async def test_rules_never_override_an_admins_choice(bot: BotDriver) -> None:
    await bot.send("hello", user=bot.user(11, "Ann"))
    await bot.service("inbox").set_priority(1, 0)
    await bot.send("I was hacked", user=bot.user(11, "Ann"))
    assert conversations(bot)[11].priority == 0


@dataclass(frozen=True)
class Tier:
    name: str


class FakeCredits:
    """What the inbox asks of the credits plugin: a user's tier (None below the first)."""

    def __init__(self) -> None:
        self.tiers = {11: Tier("vip"), 12: Tier("basic")}

    async def tier(self, user_id: int) -> Tier | None:
        if user_id == 99:
            raise RuntimeError("credits database down")
        return self.tiers.get(user_id)


class FakeCreditsPlugin:
    @hookimpl
    def register_services(self, kernel):
        return {"credits": FakeCredits()}


async def test_the_users_tier_raises_the_priority(tmp_path: Path) -> None:
    settings = {"admin_inbox.tier_priority": {"vip": "urgent"}}
    async with running_bot(tmp_path, settings, plugins=["admin_inbox"],
                           extra_plugins=[FakeCreditsPlugin()]) as bot:
        await open_for(bot, (11, "Ann"), (12, "Bob"), (13, "Cid"))
        convs = conversations(bot)
        assert (convs[11].priority, convs[12].priority, convs[13].priority) == (2, 0, 0)
        # A failing tier lookup costs the user nothing: the message still arrives.
        reply = await bot.send("hello", user=bot.user(99, "Zed"))
        assert reply.outcome == "ok" and len(reply.to(ADMIN_ID)) == 1
        assert conversations(bot)[99].priority == 0


@pytest.mark.bot_settings({"admin_inbox.tier_priority": {"vip": "urgent"}})
async def test_tier_rules_without_the_credits_plugin_change_nothing(bot: BotDriver) -> None:
    reply = await bot.send("hello", user=bot.user(11, "Ann"))
    assert reply.outcome == "ok"
    assert conversations(bot)[11].priority == 0


@pytest.mark.bot_settings({"admin_inbox.escalate_after_minutes": 60,
                           "admin_inbox.remind_after_minutes": 0})
async def test_waiting_longer_than_the_limit_raises_the_priority(bot: BotDriver) -> None:
    await open_for(bot, (11, "Ann"), (12, "Bob"))
    await bot.send("/reply 2 ok", user=bot.admin)  # Bob is not waiting for us
    inbox = bot.service("inbox")
    await inbox.remind_overdue(inbox.now() + timedelta(minutes=30))
    assert conversations(bot)[11].priority == 0
    await inbox.remind_overdue(inbox.now() + timedelta(minutes=61))
    convs = conversations(bot)
    assert (convs[11].priority, convs[12].priority) == (1, 0)


async def test_close_and_reopen_by_button(bot: BotDriver) -> None:
    routed = await bot.send("hello", user=bot.user(11, "Ann"))
    closed = await bot.press(routed.button("Close"), user=bot.admin)
    assert closed.alert == "#1 closed."
    assert [a.text for a in closed.to(11)] == [
        "This conversation is closed. Write again whenever you need us."]
    assert conversations(bot)[11].status == "closed"
    again = await bot.press(routed.button("Close"), user=bot.admin)
    assert again.outcome == "user_error" and "already closed" in again.alert
    assert (await bot.send("/reply 1 late", user=bot.admin)).to(11) == []
    assert (await bot.send("/inbox", user=bot.admin)).text == "No open conversations."

    card = await bot.send("/inbox", user=bot.admin)  # nothing to open from the list...
    assert card.buttons == []
    view = await bot.press("inbox:v:1", user=bot.admin)  # ...but the card still opens
    reopened = await bot.press(view.button("Reopen"), user=bot.admin)
    assert reopened.alert == "#1 reopened."
    assert conversations(bot)[11].status == "open"
    assert "#1" in (await bot.send("/inbox", user=bot.admin)).text


async def test_a_user_writing_after_close_reopens_the_same_conversation(bot: BotDriver) -> None:
    ann = bot.user(11, "Ann")
    await bot.send("hello", user=ann)
    await bot.send("/close 1", user=bot.admin)
    back = await bot.send("me again", user=ann)
    assert "#1 · " in back.to(ADMIN_ID)[0].text
    assert [a.text for a in back.to(11)] == [
        "Thanks! Your message reached the operators; they will answer here."]
    assert conversations(bot)[11].status == "open"


@pytest.mark.bot_settings({"admin_inbox.reopen_hours": 0})
async def test_after_the_reopen_window_a_new_conversation_starts(bot: BotDriver) -> None:
    ann = bot.user(11, "Ann")
    await bot.send("hello", user=ann)
    await bot.send("/close 1", user=bot.admin)
    back = await bot.send("new question", user=ann)
    assert "#2 · " in back.to(ADMIN_ID)[0].text
    statuses = bot.kernel.db.call(
        lambda: sorted((c.id, c.status) for c in Conversation.select()))
    assert statuses == [(1, "closed"), (2, "open")]


async def test_reopening_refuses_when_the_user_has_another_open_one(bot: BotDriver) -> None:
    ann = bot.user(11, "Ann")
    inbox = bot.service("inbox")
    inbox.options.reopen_hours = 0
    await bot.send("hello", user=ann)
    await bot.send("/close 1", user=bot.admin)
    await bot.send("new question", user=ann)  # conversation #2
    refused = await bot.press("inbox:o:1", user=bot.admin)
    assert refused.outcome == "user_error" and "another open conversation" in refused.alert


async def test_assign_to_self_and_to_another_admin(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {"admins": [ADMIN_ID, 2]},
                           plugins=["admin_inbox"]) as bot:
        await bot.send("hello", user=bot.user(11, "Ann"))
        mine = await bot.send("/assign 1", user=bot.admin)
        assert mine.text == "#1 assigned to you."
        await bot.send("/start", user=bot.user(2, "Bea", "bea"))
        theirs = await bot.send("/assign #1 @bea", user=bot.admin)
        assert theirs.text == "#1 assigned to 2."
        assert conversations(bot)[11].assigned_to == 2
        not_admin = await bot.send("/assign 1 11", user=bot.admin)
        assert not_admin.outcome == "user_error" and "not one of the bot's admins" in \
            not_admin.text
        unknown = await bot.send("/assign 1 @nobody", user=bot.admin)
        assert "I don't know @nobody" in unknown.text
        assert conversations(bot)[11].assigned_to == 2
