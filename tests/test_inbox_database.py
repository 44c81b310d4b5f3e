"""The inbox's storage on SQLite and PostgreSQL: racing messages open one conversation."""

import asyncio
from pathlib import Path

from core.testing import running_bot
from plugins.admin_inbox.models import Conversation, InboxMessage


async def test_racing_messages_of_one_user_share_one_conversation(
        tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, {"database.url": database_url},
                           plugins=["admin_inbox"]) as bot:
        alice = bot.user(42, "Alice")
        await bot.send("/start", user=alice)
        inbox = bot.service("inbox")
        results = await asyncio.gather(*(inbox.receive(42, f"race:{i}", f"m{i}", None)
                                         for i in range(8)))
        assert len({r.conversation.id for r in results}) == 1
        assert sum(r.new_thread for r in results) == 1  # one "received" notice
        again = await asyncio.gather(*(inbox.receive(42, f"race:{i}", f"m{i}", None)
                                       for i in range(8)))
        assert again == [None] * 8

        def counts() -> tuple[int, int]:
            return Conversation.select().count(), InboxMessage.select().count()

        assert bot.kernel.db.call(counts) == (1, 8)
        await inbox.close(results[0].conversation.id)
        reopened = await inbox.receive(42, "after", "back", None)
        assert reopened.new_thread and reopened.conversation.id == results[0].conversation.id
        queue = await inbox.queue(1)
        assert [c.id for c in queue.items] == [reopened.conversation.id] and queue.pages == 1
        figures = await inbox.figures()
        assert figures["open"] == 1


async def test_two_workers_reminding_at_once_remind_each_wait_once(
        tmp_path: Path, database_url: str) -> None:
    from datetime import timedelta

    async with running_bot(tmp_path, {"database.url": database_url},
                           plugins=["admin_inbox"]) as bot:
        for uid in range(11, 17):
            await bot.send("hello", user=bot.user(uid))
        inbox = bot.service("inbox")
        later = inbox.now() + timedelta(hours=2)
        a, b = await asyncio.gather(inbox.remind_overdue(later), inbox.remind_overdue(later))
        assert sorted(a + b) == list(range(1, 7))
