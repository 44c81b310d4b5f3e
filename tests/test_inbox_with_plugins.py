"""The inbox beside the real credits and admin plugins: tiers, /user and /stats."""

import pytest

from core.testing import ADMIN_ID, BotDriver
from plugins.admin_inbox.models import Conversation

pytestmark = [pytest.mark.plugins("credits", "admin", "admin_inbox"),
              pytest.mark.bot_settings({"admin_inbox.tier_priority": {"silver": "high",
                                                                      "gold": "urgent"}})]


async def test_the_credits_tier_raises_the_priority(bot: BotDriver) -> None:
    credits = bot.service("credits")
    await bot.send("/start", user=bot.user(11, "Ann"))
    await bot.send("/start", user=bot.user(12, "Bob"))
    await credits.credit(11, 2500, "bought", "buy-11", purchased=True)  # gold
    await credits.credit(12, 50, "bought", "buy-12", purchased=True)  # no tier yet

    ann = await bot.send("hello", user=bot.user(11, "Ann"))
    bob = await bot.send("hello", user=bot.user(12, "Bob"))

    assert "· urgent" in ann.to(ADMIN_ID)[0].text
    assert "· normal" in bob.to(ADMIN_ID)[0].text
    levels = bot.kernel.db.call(lambda: {c.user_id: c.priority for c in Conversation.select()})
    assert levels == {11: 2, 12: 0}


async def test_admin_user_lookup_and_stats_include_the_inbox(bot: BotDriver) -> None:
    await bot.send("where is my order?", user=bot.user(11, "Ann"))
    lookup = await bot.send("/user 11", user=bot.admin)
    assert "Inbox: #1 waiting for us, normal" in lookup.text
    stats = await bot.send("/stats", user=bot.admin)
    assert "inbox open" in stats.text


async def test_free_text_still_reaches_the_inbox_with_every_plugin_enabled(
        bot: BotDriver) -> None:
    reply = await bot.send("just a question", user=bot.user(11, "Ann"))
    assert reply.outcome == "ok"
    assert "just a question" in reply.to(ADMIN_ID)[0].text
