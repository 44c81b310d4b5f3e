"""Flood-safe sending against a fake server that enforces Telegram's limits on a virtual
clock: a broadcast of 3,000 messages to 1,000 chats."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import VirtualClock
from core.testing_flood import FloodServer
from core.testing_telegram import TelegramHarness, telegram_bot
from core.types import SendMessage

CHATS = range(100_001, 101_001)  # 1,000 users
PER_CHAT = 3


@pytest.fixture
async def clock() -> AsyncIterator[VirtualClock]:
    clock = VirtualClock()
    clock.start()
    yield clock
    await clock.stop()


async def broadcast(tg: TelegramHarness) -> list[BaseException | object]:
    await tg.know(*(tg.user(c) for c in CHATS))
    sends = [tg.kernel.send(SendMessage(c, f"{c}:{i}")) for i in range(PER_CHAT) for c in CHATS]
    return await asyncio.gather(*sends, return_exceptions=True)


def assert_each_once_in_order(server: FloodServer) -> None:
    by_chat: dict[int, list[str]] = defaultdict(list)
    for d in server.delivered:
        by_chat[d.chat_id].append(d.text)
    assert len(server.delivered) == len(CHATS) * PER_CHAT  # none lost, none twice
    assert by_chat == {c: [f"{c}:{i}" for i in range(PER_CHAT)] for c in CHATS}


async def test_paced_broadcast_never_floods(tmp_path: Path, clock: VirtualClock) -> None:
    async with telegram_bot(tmp_path, {"outbound.enabled": True}, clock=clock) as tg:
        server = FloodServer(clock)
        tg.client.on_request = server
        results = await broadcast(tg)
    assert not [r for r in results if isinstance(r, BaseException)]
    assert_each_once_in_order(server)
    assert server.flood_waits == 0
    assert server.max_per_second() <= 30
    # Paced, not slowed: 3,000 messages at 30/s take about 100 virtual seconds.
    assert server.delivered[-1].at < 3000 / 30 + 5


async def test_unpaced_sending_is_refused_by_the_server(tmp_path: Path,
                                                        clock: VirtualClock) -> None:
    # The control: the same server does refuse a sender that does not pace itself.
    async with telegram_bot(tmp_path, {"outbound.enabled": False}, clock=clock) as tg:
        server = FloodServer(clock)
        tg.client.on_request = server
        await tg.know(tg.user(CHATS[0]))
        await asyncio.gather(*(tg.kernel.send(SendMessage(CHATS[0], f"m{i}")) for i in range(10)),
                             return_exceptions=True)
    assert server.flood_waits > 0


async def test_recovers_when_the_server_demands_waits(tmp_path: Path,
                                                      clock: VirtualClock) -> None:
    async with telegram_bot(tmp_path, {"outbound.enabled": True}, clock=clock) as tg:
        server = FloodServer(clock)
        tg.client.on_request = server
        server.demand(7, chat_id=CHATS[5])  # one chat told to wait
        server.demand(3)  # and, once, the whole bot

        async def storm() -> None:  # later, in mid-broadcast, a 10 s global wait
            await clock.sleep(40)
            server.demand(10)

        storm_task = asyncio.create_task(storm())
        results = await broadcast(tg)
        await storm_task
        stats = tg.kernel.outbox.stats
    assert not [r for r in results if isinstance(r, BaseException)]
    assert_each_once_in_order(server)
    assert stats.flood_waits >= 3
    # Waits were honoured: nothing came back to the server before its wait was over, and
    # the global waits paused every chat rather than each chat finding out for itself.
    assert server.early <= 3
    assert server.flood_waits <= 10
    assert server.max_per_second() <= 30


async def test_blocked_users_in_a_broadcast_are_skipped(tmp_path: Path,
                                                        clock: VirtualClock) -> None:
    from pyrogram import errors, raw

    async with telegram_bot(tmp_path, {"outbound.enabled": True}, clock=clock) as tg:
        server = FloodServer(clock)
        blocked = {CHATS[0], CHATS[1]}

        def refuse_blocked(query: object) -> None:
            if isinstance(query, raw.functions.messages.SendMessage) and \
                    query.peer.user_id in blocked:
                raise errors.UserIsBlocked()
            server(query)

        for c in list(CHATS)[:5]:
            await tg.message(tg.user(c), "hi")  # known users with rows in the database
        await tg.kernel.outbox.close()  # the answers to "hi" are out before we count
        tg.clear()
        tg.client.on_request = refuse_blocked
        results = await asyncio.gather(
            *(tg.kernel.send(SendMessage(c, f"{c}:{i}")) for i in range(2)
              for c in list(CHATS)[:5]), return_exceptions=True)
        rows = [await tg.kernel.users.row(c) for c in list(CHATS)[:5]]
        attempts = tg.requests_of(raw.functions.messages.SendMessage)
    assert sum(isinstance(r, BaseException) for r in results) == 4
    assert [bool(r and r["is_unreachable"]) for r in rows] == [True, True, False, False, False]
    assert len(attempts) == 2 + 3 * 2  # one attempt per blocked user, then nothing more
    assert len(server.delivered) == 6


async def test_group_messages_paced_to_twenty_a_minute(tmp_path: Path,
                                                       clock: VirtualClock) -> None:
    async with telegram_bot(tmp_path, {"outbound.enabled": True}, clock=clock) as tg:
        server = FloodServer(clock)
        tg.client.on_request = server
        group = tg.group(555)
        await tg.message(tg.user(42), "hello all", group=group)  # the bot sees the group
        await asyncio.gather(*(tg.kernel.send(SendMessage(group.chat_id, f"g{i}"))
                               for i in range(30)))
    assert [d.text for d in server.delivered] == [f"g{i}" for i in range(30)]
    assert server.flood_waits == 0
    times = [d.at for d in server.delivered]
    # The 21st message after any message comes a full minute later.
    assert all(times[i + 20] - times[i] >= 60 - 1e-6 for i in range(len(times) - 20))
