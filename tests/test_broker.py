"""The Redis Streams journal, the receiver's backpressure and the shared flood budget, in one
process on a real Redis (the multi-process runs are in test_workers.py)."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from core.broker import RedisJournal, shard_of
from core.clock import RealClock
from core.flood import SharedPacer
from core.ratelimit import Pacer
from core.testing import redis_url, running_bot
from core.types import Chat, Sender, Update, UpdateKind
from core.workers import Receiver, ShardWorker, report, report_lines


def update(chat: int, n: int, text: str = "/start") -> Update:
    return Update(f"t:{chat}:{n}", UpdateKind.COMMAND, Sender(chat, "Ann"), Chat(chat),
                  text=text, command=text[1:].split()[0], args=str(n))


@pytest.fixture
async def broker() -> AsyncIterator[RedisJournal]:
    namespace = f"bk{uuid.uuid4().hex[:8]}"
    journal = RedisJournal(Redis.from_url(redis_url()), namespace=namespace, shards=4,
                           claim_after=1)
    yield journal
    async for key in journal.redis.scan_iter(f"{namespace}:*"):
        await journal.redis.delete(key)
    await journal.close()


async def test_append_skips_known_keys_and_counts_the_backlog(broker: RedisJournal) -> None:
    first = await broker.append([update(1, 0), update(1, 1), update(2, 0)])
    again = await broker.append([update(1, 1), update(3, 0), update(3, 0)])
    assert [e.key for e in first] == ["t:1:0", "t:1:1", "t:2:0"]
    assert [e.key for e in again] == ["t:3:0"]  # a redelivery, and a repeat in one batch
    assert await broker.backlog() == 4
    # Each entry sits on its chat's shard, and comes back whole.
    entry = first[1]
    shard = shard_of(1, broker.shards)
    assert str(entry.id).startswith(f"{shard}/")
    read = await broker.read(shard, "w1", 10, block_ms=None)
    assert [e.update for e in read if e.update.chat.id == 1] == [update(1, 0), update(1, 1)]


async def test_a_poison_entry_ends_as_a_dead_letter_and_replays(tmp_path: Path,
                                                                broker: RedisJournal) -> None:
    async with running_bot(tmp_path) as bot:
        worker = ShardWorker(bot.kernel, broker, "w1", max_attempts=3)
        [entry] = await broker.append([update(7, 0)])
        shard = shard_of(7, broker.shards)
        # Three workers took it and died before finishing: the next one buries it.
        for _ in range(3):
            await broker.attempt(entry)
        [taken] = await broker.read(shard, "w1", 10, block_ms=None)
        await worker._handle(taken)
        assert bot.transport.actions == []  # not handled a fourth time
        [dead] = await broker.list()
        assert dead.key == entry.key and dead.attempts == 3
        assert "3 attempts" in (dead.error or "")
        assert await broker.counts() == {"pending": 0, "done": 0, "dead": 1}
        # An operator replays it: it is handled like a new entry, at the end of its chat.
        replayed = await broker.replay(dead.id)
        assert replayed is not None and await broker.list() == []
        [again] = await broker.read(shard, "w1", 10, block_ms=None)
        await worker._handle(again)
        assert "Hello" in bot.transport.actions[-1].text  # type: ignore[attr-defined]
        assert await broker.counts() == {"pending": 0, "done": 1, "dead": 0}
        assert await broker.replay("dead/0-1") is None


async def test_workers_share_the_shards_and_take_over_a_silent_one(
        tmp_path: Path, broker: RedisJournal) -> None:
    async with running_bot(tmp_path) as bot:
        await broker.append([update(chat, 0) for chat in range(1, 9)])
        one = ShardWorker(bot.kernel, broker, "one")
        two = ShardWorker(bot.kernel, broker, "two")
        runs = [asyncio.create_task(one.run()), asyncio.create_task(two.run())]

        async def settled() -> None:
            while not (len(one.shards) == len(two.shards) == 2
                       and await broker.backlog() == 0):
                await asyncio.sleep(0.05)

        await asyncio.wait_for(settled(), 10)
        assert set(one.shards).isdisjoint(two.shards)
        figures = await report(broker)
        assert figures["workers_alive"] == 2 and figures["backlog"] == 0
        assert any("one: shards" in line for line in report_lines(figures))
        # "two" goes silent (its loop stops renewing): "one" takes its shards over.
        runs[1].cancel()
        await asyncio.gather(runs[1], return_exceptions=True)
        await broker.redis.delete(*[broker.lease_key(s) for s in range(broker.shards)
                                    if s not in one.shards])
        await asyncio.wait_for(_until(lambda: len(one.shards) == broker.shards), 10)
        await one.stop()
        await runs[0]


async def _until(ready: object) -> None:
    while not ready():  # type: ignore[operator]
        await asyncio.sleep(0.05)


async def test_the_receiver_holds_updates_while_the_backlog_is_full(
        tmp_path: Path, broker: RedisJournal) -> None:
    receiver = Receiver(broker, max_backlog=3, poll=0.05)
    await receiver.ingest([update(1, n) for n in range(4)])  # 4 waiting: above the limit
    held = asyncio.create_task(receiver.ingest([update(1, 4)]))
    await asyncio.sleep(0.3)
    assert not held.done() and receiver.held == 1  # the transport waits; Telegram keeps it
    async with running_bot(tmp_path) as bot:
        worker = ShardWorker(bot.kernel, broker, "w1")
        for entry in await broker.read(shard_of(1, broker.shards), "w1", 2, block_ms=None):
            await worker._handle(entry)
    await asyncio.wait_for(held, 5)
    assert await broker.backlog() == 3


async def test_a_flood_wait_pauses_every_process(broker: RedisJournal) -> None:
    clock = RealClock()
    one = SharedPacer(Redis.from_url(redis_url()), Pacer(clock), broker.prefix)
    two = SharedPacer(Redis.from_url(redis_url()), Pacer(clock), broker.prefix)
    assert await one.acquire(42) == (0.0, True)
    await one.pause(42, 2)
    wait, booked = await two.acquire(42)
    assert not booked and 1.5 < wait <= 2.0
    await asyncio.sleep(0.05)  # past the global spacing after chat 42's message
    assert (await two.acquire(43))[1]  # other chats go on
    await one.pause(None, 1)
    assert not (await two.acquire(44))[1]
    # The global spacing holds across both: the next slot is about 1/30 s later.
    await asyncio.sleep(1.05)
    assert (await one.acquire(45))[1]
    wait, booked = await two.acquire(46)
    assert not booked and 0 < wait <= 1 / 30 * 1.05 + 0.001
    await one.close()
    await two.close()


async def test_without_redis_each_process_paces_itself() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pacer = SharedPacer(Redis.from_url(f"redis://127.0.0.1:{port}/0",
                                       socket_connect_timeout=0.5), Pacer(RealClock()))
    assert (await pacer.acquire(1))[1]  # booked by the local pacer
    assert pacer.degraded
    await pacer.pause(1, 5)  # no error either
    await pacer.close()



def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _redis_server(port: int, work: Path) -> asyncio.subprocess.Process:
    server = await asyncio.create_subprocess_exec(
        "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(work), stdout=asyncio.subprocess.DEVNULL)
    client = Redis.from_url(f"redis://127.0.0.1:{port}/0")
    for _ in range(100):
        try:
            await client.ping()
            break
        except Exception:
            await asyncio.sleep(0.05)
    await client.aclose()
    return server


async def test_the_receiver_holds_updates_while_the_broker_is_down(tmp_path: Path) -> None:
    port = _free_port()
    server = await _redis_server(port, tmp_path)
    broker = RedisJournal(Redis.from_url(f"redis://127.0.0.1:{port}/0",
                                         socket_connect_timeout=0.5), shards=2)
    receiver = Receiver(broker, max_backlog=100, poll=0.05)
    await receiver.ingest([update(1, 0)])
    server.terminate()
    await server.wait()
    held = asyncio.create_task(receiver.ingest([update(1, 1)]))
    await asyncio.sleep(0.5)
    assert not held.done() and receiver.unreachable  # not acknowledged, not dropped
    server = await _redis_server(port, tmp_path)  # back, empty: a server that lost its data
    try:
        await asyncio.wait_for(held, 10)
        assert not receiver.unreachable and receiver.journaled == 2
        assert await broker.backlog() == 1  # the held update, journaled once it could be
        # A worker finds the consumer groups gone with the data, makes them again, and reads
        # what was journaled since.
        shard = shard_of(1, broker.shards)
        broker._groups_ready = True  # as in a worker that started before the restart
        await broker.redis.delete(broker.stream(shard))
        assert len(await broker.append([update(1, 2)])) == 1
        assert await broker.read(shard, "w1", 10, block_ms=None) == []
        assert [e.key for e in await broker.read(shard, "w1", 10, block_ms=None)] == ["t:1:2"]
    finally:
        await broker.close()
        server.terminate()
        await server.wait()
