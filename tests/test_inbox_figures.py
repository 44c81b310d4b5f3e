"""Figures (/inbox_stats, the stats hook, health), the admin's /user summary, reminders."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import VirtualClock
from core.testing import ADMIN_ID, BotDriver, running_bot
from plugins.admin_inbox.models import Conversation

pytestmark = pytest.mark.plugins("admin_inbox")


def backdate(bot: BotDriver, conv_id: int, minutes: int) -> None:
    """Pretend the conversation opened `minutes` ago."""
    def work() -> None:
        conv = Conversation.get_by_id(conv_id)
        delta = timedelta(minutes=minutes)
        (Conversation.update(created_at=conv.created_at - delta,
                             waiting_since=conv.waiting_since - delta
                             if conv.waiting_since else None)
         .where(Conversation.id == conv_id).execute())
    bot.kernel.db.call(work, atomic=True)


async def test_figures_count_open_conversations_and_the_median_first_answer(
        bot: BotDriver) -> None:
    for uid in (11, 12, 13):
        await bot.send("hello", user=bot.user(uid))
    backdate(bot, 1, 10)
    backdate(bot, 2, 30)
    backdate(bot, 3, 90)
    for conv in (1, 2, 3):
        await bot.send(f"/reply {conv} hi", user=bot.admin)
    await bot.send("/close 3", user=bot.admin)

    figures = await bot.service("inbox").figures()
    assert figures["open"] == 2
    assert figures["waiting for operators"] == 0
    assert 29.9 <= figures["median first answer (min)"] <= 30.1
    assert figures["conversations per day (7 d)"] == round(3 / 7, 2)

    stats = await bot.send("/inbox_stats", user=bot.admin)
    assert "open: 2" in stats.text and "median first answer (min): 30" in stats.text


async def test_figures_reach_the_stats_hook_and_health(bot: BotDriver) -> None:
    await bot.send("hello", user=bot.user(11))
    [stats] = await bot.kernel.emit("stats", kernel=bot.kernel)
    assert stats["inbox open"] == 1
    assert stats["inbox median first answer (min)"] is None
    health = await bot.kernel.health()
    assert health["status"] == "ok"
    assert health["checks"]["admin_inbox"]["open"] == 1


async def test_user_summary_names_the_open_conversation(bot: BotDriver) -> None:
    en = bot.kernel.texts("en")
    [lines] = await bot.kernel.emit("user_summary", kernel=bot.kernel, user_id=11)
    assert [en.text(line) for line in lines] == ["Inbox: no open conversation"]
    await bot.send("hello", user=bot.user(11))
    [lines] = await bot.kernel.emit("user_summary", kernel=bot.kernel, user_id=11)
    assert [en.text(line) for line in lines] == ["Inbox: #1 waiting for us, normal"]


@pytest.mark.bot_settings({"admin_inbox.remind_after_minutes": 30})
async def test_operators_are_reminded_once_of_long_waits(bot: BotDriver) -> None:
    await bot.send("hello", user=bot.user(11, "Ann"))
    await bot.send("hello", user=bot.user(12, "Bob"))
    await bot.send("/reply 2 hi", user=bot.admin)
    inbox = bot.service("inbox")
    later = inbox.now() + timedelta(minutes=45)
    mark = len(bot.transport.log)

    assert await inbox.remind_overdue(inbox.now() + timedelta(minutes=10)) == []
    assert await inbox.remind_overdue(later) == [1]
    assert await inbox.remind_overdue(later + timedelta(minutes=5)) == []  # once per wait

    reminders = [a for a, _ in bot.transport.log[mark:] if a.chat_id == ADMIN_ID]
    assert len(reminders) == 1
    assert reminders[0].text.startswith("Reminder: #1") and "waiting 45 min" in reminders[0].text
    # The reminder carries the buttons, and replying to it answers Ann.
    reply_id = bot.transport.log[-1][1].message_id
    answer = await bot.send("sorry for the wait", user=bot.admin, reply_to=reply_id)
    assert [a.text for a in answer.to(11)] == ["sorry for the wait"]
    # A new wait can be reminded again.
    await bot.send("still there?", user=bot.user(11, "Ann"))
    assert await inbox.remind_overdue(inbox.now() + timedelta(minutes=31)) == [1]


async def test_the_background_task_reminds_on_the_kernels_clock(tmp_path: Path) -> None:
    clock = VirtualClock()
    settings = {"admin_inbox.remind_after_minutes": 30, "admin_inbox.check_every_seconds": 60}
    async with running_bot(tmp_path, settings, plugins=["admin_inbox"], clock=clock) as bot:
        await bot.send("hello", user=bot.user(11, "Ann"))
        inbox = bot.service("inbox")
        real_now = inbox.now
        inbox.now = lambda: real_now() + timedelta(hours=1)
        clock.start()
        try:
            for _ in range(200):
                if any(getattr(a, "text", "").startswith("Reminder: #1")
                       for a in bot.transport.actions):
                    break
                await asyncio.sleep(0.01)
        finally:
            await clock.stop()
        assert any(getattr(a, "text", "").startswith("Reminder: #1")
                   for a in bot.transport.actions)
        assert clock.now() >= 60
    assert not inbox._task.running  # shutdown cancelled it
