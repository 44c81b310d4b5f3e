"""Broadcasts: preview, confirm, live progress, pause/resume/cancel, blocked users, restarts."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from peewee import fn

from core.errors import Unreachable
from core.models import User
from core.testing import ADMIN_ID, BotDriver, RecordingTransport
from core.types import Action, CopyMessage, EditMessage, SendMessage
from plugins.admin.models import Broadcast, BroadcastDelivery
from tests.admin_helpers import add_users, paced_bot, recipients, until

USERS = list(range(1001, 1500))  # 499 users, and the admin makes 500
TEXT = "Big news: the shop is open!"
# The admin is a user too: they get the preview and then the broadcast itself.
EVERYONE_ONCE = {**dict.fromkeys(USERS, 1), ADMIN_ID: 2}


async def start_broadcast(bot: BotDriver, command: str = f"/broadcast {TEXT}",
                          reply_to: int | None = None) -> tuple[int, EditMessage | None]:
    preview = await bot.send(command, user=bot.admin, reply_to=reply_to)
    assert preview.outcome == "ok", preview.text
    confirm = preview.button("Confirm")
    broadcast_id = int(confirm.data.rsplit(":", 1)[1])
    await bot.press(confirm, user=bot.admin)
    return broadcast_id, None


def delivery_counts(bot: BotDriver, broadcast_id: int) -> dict[str, int]:
    return dict(BroadcastDelivery.select(BroadcastDelivery.status, fn.COUNT(1))
                .where(BroadcastDelivery.broadcast_id == broadcast_id)
                .group_by(BroadcastDelivery.status).tuples())


def edits_of(actions: list[Action], chat_id: int) -> list[EditMessage]:
    return [a for a in actions if isinstance(a, EditMessage) and a.chat_id == chat_id]


async def test_broadcast_reaches_500_users_once_with_live_progress(tmp_path: Path) -> None:
    async with paced_bot(tmp_path) as bot:
        edited_at: list[float] = []
        bot.transport.fail = lambda action: (
            edited_at.append(bot.kernel.clock.now()) if isinstance(action, EditMessage)
            else None)
        await add_users(bot, USERS)
        preview = await bot.send(f"/broadcast {TEXT}", user=bot.admin)
        assert preview.messages[0].text == TEXT  # the message exactly as users will see it
        assert "to all: 500 users" in preview.text
        assert recipients(bot.transport.actions, TEXT) == {bot.admin.id: 1}  # only the preview
        confirmed = await bot.press(preview.button("Confirm"), user=bot.admin)
        assert "Sending to 500 users" in (confirmed.alert or "")
        broadcast_id = int(preview.button("Confirm").data.rsplit(":", 1)[1])
        await bot.service("broadcasts").wait(broadcast_id)

        assert recipients(bot.transport.actions, TEXT) == EVERYONE_ONCE
        progress = edits_of(bot.transport.actions, bot.admin.id)
        assert len(progress) >= 5  # edited along the way, not only at the end
        # ...and at most every `progress_interval` (2 s of the virtual clock), the final
        # edit apart.
        gaps = [b - a for a, b in pairwise(edited_at[:-1])]
        assert gaps and min(gaps) >= 2
        assert any("Rate" in e.text and "left" in e.text and "█" in e.text
                   for e in progress[:-1])
        assert any(b.text.startswith("⏸") for e in progress[:-1] for row in e.buttons or []
                   for b in row)
        final = progress[-1]
        assert "finished" in final.text and "Sent 500 · Failed 0 · Remaining 0" in final.text
        assert final.buttons is None
        report = [a for a in bot.transport.actions if isinstance(a, SendMessage)
                  and a.chat_id == bot.admin.id][-1]
        assert "Broadcast #1 finished" in report.text and "Delivered: 500 of 500" in report.text
        assert Broadcast.get_by_id(broadcast_id).status == "done"
        assert delivery_counts(bot, broadcast_id) == {"sent": 500}


async def test_users_who_blocked_the_bot_fail_and_are_skipped_next_time(tmp_path: Path
                                                                         ) -> None:
    blocked = {1003, 1100, 1498}

    def fail(action: Action) -> None:
        if isinstance(action, SendMessage) and action.chat_id in blocked:
            raise Unreachable("blocked")

    async with paced_bot(tmp_path) as bot:
        await add_users(bot, USERS)
        bot.transport.fail = fail
        first, _ = await start_broadcast(bot)
        await bot.service("broadcasts").wait(first)
        assert delivery_counts(bot, first) == {"sent": 497, "failed": 3}
        assert {u.id for u in User.select().where(User.is_unreachable)} == blocked
        assert "Failed: 3" in bot.transport.actions[-1].text

        mark = len(bot.transport.log)
        preview = await bot.send("/broadcast Second news", user=bot.admin)
        assert "497 users" in preview.text
        second = int(preview.button("Confirm").data.rsplit(":", 1)[1])
        await bot.press(preview.button("Confirm"), user=bot.admin)
        await bot.service("broadcasts").wait(second)
        later = recipients(bot.transport.actions[mark:], "Second news")
        assert not blocked & set(later)
        assert delivery_counts(bot, second) == {"sent": 497}


async def test_pause_resume_and_every_user_once(tmp_path: Path) -> None:
    async with paced_bot(tmp_path) as bot:
        await add_users(bot, USERS)
        broadcast_id, _ = await start_broadcast(bot)
        service = bot.service("broadcasts")
        await until(lambda: sum(recipients(bot.transport.actions, TEXT).values()) >= 100)
        progress = edits_of(bot.transport.actions, bot.admin.id)[-1]
        paused = await bot.press(progress.buttons[0][0], user=bot.admin,
                                 message_id=progress.message_id)
        assert paused.outcome == "ok" and "Pausing" in (paused.alert or "")
        await service.wait(broadcast_id)
        assert Broadcast.get_by_id(broadcast_id).status == "paused"
        so_far = sum(recipients(bot.transport.actions, TEXT).values())
        assert so_far < 501
        shown = edits_of(bot.transport.actions, bot.admin.id)[-1]
        assert "paused" in shown.text
        resume = shown.buttons[0][0]
        assert resume.text.startswith("▶")
        # Nothing moves while paused, however long.
        await bot.kernel.clock.sleep(60)
        assert sum(recipients(bot.transport.actions, TEXT).values()) == so_far

        await bot.press(resume, user=bot.admin, message_id=shown.message_id)
        await service.wait(broadcast_id)
        assert recipients(bot.transport.actions, TEXT) == EVERYONE_ONCE
        assert Broadcast.get_by_id(broadcast_id).status == "done"


async def test_cancel_stops_the_broadcast(tmp_path: Path) -> None:
    async with paced_bot(tmp_path) as bot:
        await add_users(bot, USERS)
        broadcast_id, _ = await start_broadcast(bot)
        await until(lambda: sum(recipients(bot.transport.actions, TEXT).values()) >= 50)
        cancel = await bot.press(f"bc:cancel:{broadcast_id}", user=bot.admin)
        assert "Cancelled" in (cancel.alert or "")
        await bot.service("broadcasts").wait(broadcast_id)
        so_far = sum(recipients(bot.transport.actions, TEXT).values())
        await bot.kernel.clock.sleep(60)
        assert sum(recipients(bot.transport.actions, TEXT).values()) == so_far < 501
        row = Broadcast.get_by_id(broadcast_id)
        assert row.status == "cancelled"
        counts = delivery_counts(bot, broadcast_id)
        assert counts["sent"] == so_far - 1 and counts["pending"] == 500 - counts["sent"]
        assert "was cancelled" in bot.transport.actions[-1].text
        again = await bot.press(f"bc:resume:{broadcast_id}", user=bot.admin)
        assert "not paused" in (again.alert or "")


async def test_killed_part_way_resumes_without_messaging_anyone_twice(
    tmp_path: Path, database_url: str
) -> None:
    same_database = {"database.url": database_url}
    first_run = RecordingTransport()
    async with paced_bot(tmp_path, same_database, transport=first_run) as bot:
        await add_users(bot, USERS)
        broadcast_id, _ = await start_broadcast(bot)
        await until(lambda: sum(recipients(first_run.actions, TEXT).values()) >= 200)
    # The kernel stopped mid-run (its shutdown cancelled the runner): the broadcast is left
    # `running`, and the next start picks it up.
    before = recipients(first_run.actions, TEXT)
    assert 200 <= sum(before.values()) < 501

    second_run = RecordingTransport()
    async with paced_bot(tmp_path, same_database, transport=second_run) as bot:
        await until(lambda: broadcast_id in bot.service("broadcasts").tasks)
        await bot.service("broadcasts").wait(broadcast_id)
        after = recipients(second_run.actions, TEXT)
        assert before + after == EVERYONE_ONCE
        # A clean stop let the messages in flight finish and recorded them.
        assert delivery_counts(bot, broadcast_id) == {"sent": 500}
        assert Broadcast.get_by_id(broadcast_id).status == "done"
        assert edits_of(second_run.actions, bot.admin.id)  # the same progress message goes on


async def test_a_message_in_flight_at_a_crash_is_not_sent_again(tmp_path: Path) -> None:
    """The state a hard crash leaves: some sent, one claimed but unknown, the rest pending."""
    async with paced_bot(tmp_path) as bot:
        await add_users(bot, [2001, 2002, 2003, 2004])

        def crashed() -> int:
            row = Broadcast.create(text="Hello", segment="all", status="running", total=4,
                                   created_by=bot.admin.id, progress_chat_id=bot.admin.id,
                                   progress_message_id=77)
            for uid, status in ((2001, "sent"), (2002, "sending"), (2003, "pending"),
                                (2004, "pending")):
                BroadcastDelivery.create(broadcast_id=row.id, user_id=uid, status=status)
            return row.id

        broadcast_id = await bot.kernel.db.transaction(crashed)
    async with paced_bot(tmp_path) as bot:
        await until(lambda: broadcast_id not in bot.service("broadcasts").tasks
                    and Broadcast.get_by_id(broadcast_id).status == "done")
        assert recipients(bot.transport.actions, "Hello") == {2003: 1, 2004: 1}
        assert delivery_counts(bot, broadcast_id) == {"sent": 3, "interrupted": 1}
        assert "Interrupted by a restart: 1" in bot.transport.actions[-1].text


async def test_a_replied_to_message_is_copied(tmp_path: Path) -> None:
    async with paced_bot(tmp_path) as bot:
        await add_users(bot, [3001, 3002])
        preview = await bot.send("/broadcast", user=bot.admin, reply_to=555)
        assert preview.of(CopyMessage)[0].message_id == 555  # the preview is the copy itself
        await bot.press(preview.button("Confirm"), user=bot.admin)
        await bot.service("broadcasts").wait(1)
        copies = [a for a in bot.transport.actions if isinstance(a, CopyMessage)]
        assert {(c.chat_id, c.from_chat_id, c.message_id) for c in copies} == {
            (bot.admin.id, bot.admin.id, 555), (3001, bot.admin.id, 555),
            (3002, bot.admin.id, 555), }


async def test_pause_then_resume_at_once_does_not_stall(tmp_path: Path) -> None:
    async with paced_bot(tmp_path) as bot:
        await add_users(bot, USERS)
        broadcast_id, _ = await start_broadcast(bot)
        await until(lambda: sum(recipients(bot.transport.actions, TEXT).values()) >= 20)
        await bot.press(f"bc:pause:{broadcast_id}", user=bot.admin)
        resumed = await bot.press(f"bc:resume:{broadcast_id}", user=bot.admin)
        assert "Resumed" in (resumed.alert or "")
        await bot.service("broadcasts").wait(broadcast_id)
        assert Broadcast.get_by_id(broadcast_id).status == "done"
        assert recipients(bot.transport.actions, TEXT) == EVERYONE_ONCE
        status = await bot.send(f"/broadcast_status {broadcast_id}", user=bot.admin)
        assert "finished" in status.text and "Sent 500 · Failed 0 · Remaining 0" in status.text
