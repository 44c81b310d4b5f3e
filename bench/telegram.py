"""Telegram transport benchmark (run by `make bench`, never by the tests).

1. Inbound: raw updates per second through kurigram's `handle_updates` -> parsed Message ->
   handler -> a reply request, with the whole kernel as the handler, beside a bare kurigram
   handler that replies directly, in the same run (target: the kernel costs at most 25 % more).
2. Outbound: a paced broadcast against a server enforcing 30 messages/s on a virtual clock
   (target: at least 95 % of the limit, never over it).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from loguru import logger
from pyrogram import filters, handlers, raw
from pyrogram.enums import ParseMode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.clock import VirtualClock
from core.testing_flood import FloodServer
from core.testing_telegram import (
    OfflineClient,
    TelegramHarness,
    TgUser,
    roundtrip,
    telegram_bot,
)
from core.types import SendMessage

USERS = 1000
ROUNDS = 5  # messages per user in the measured run (within the default 30/minute)
ROUNDS_REPEAT = 7


def raw_batches(users: list[TgUser], first_id: int, rounds: int) -> list[raw.types.Updates]:
    """One Updates container per message, as the network delivers them, round-tripped."""
    batches = []
    ids = iter(range(first_id, first_id + len(users) * rounds))
    for _ in range(rounds):
        for u in users:
            message = raw.types.Message(id=next(ids), peer_id=raw.types.PeerUser(user_id=u.id),
                                        date=1_700_000_000, message="/start",
                                        from_id=raw.types.PeerUser(user_id=u.id))
            update = raw.types.UpdateNewMessage(message=message, pts=1, pts_count=1)
            batches.append(roundtrip(raw.types.Updates(updates=[update], users=[u.raw()],
                                                       chats=[], date=1_700_000_000, seq=0)))
    return batches


async def drain(client: OfflineClient, busy: Callable[[], bool]) -> None:
    queue = client.dispatcher.updates_queue
    idle = 0
    while idle < 3:
        await asyncio.sleep(0)
        idle = 0 if queue.qsize() or busy() else idle + 1


async def feed(client: OfflineClient, batches: list[raw.types.Updates],
               busy: Callable[[], bool]) -> float:
    # CPU time of this process (all its threads), not wall time: other processes on a shared
    # machine then hardly move the figures.
    started = time.process_time()
    for batch in batches:
        await client.handle_updates(batch)
        if client.dispatcher.updates_queue.qsize() > 200:  # keep memory flat, like a socket
            await asyncio.sleep(0)
    await drain(client, busy)
    return len(batches) / (time.process_time() - started)


async def bare_rate(users: list[TgUser], batches: list[raw.types.Updates]) -> float:
    client = OfflineClient()
    await client.open()
    running = 0

    async def reply(_: object, message: object) -> None:
        nonlocal running
        running += 1
        try:
            # The cheapest reply kurigram offers: no text parsing (the kernel skips it too
            # for text without markup).
            await message.reply_text(  # type: ignore[attr-defined]
                "Hello! Send /help to see what I can do.", parse_mode=ParseMode.DISABLED)
        finally:
            running -= 1

    client.add_handler(handlers.MessageHandler(reply, filters.incoming))
    await asyncio.sleep(0)
    try:
        return await feed(client, batches, lambda: running > 0)
    finally:
        await client.close()


async def kernel_rate(tg: TelegramHarness, batches: list[raw.types.Updates]) -> float:
    return await feed(tg.client, batches,
                      lambda: (tg.transport.inflight > 0 or tg.kernel.pipeline.unfinished > 0
                              or tg.kernel.outbox.depth() > 0))


async def inbound(tmp: Path) -> None:
    users = [TgUser(200_000 + i, f"User{i}") for i in range(USERS)]
    warm = raw_batches(users, 1, 1)
    async with telegram_bot(tmp, {"outbound.enabled": False}) as tg:
        await feed(tg.client, warm, lambda: (tg.transport.inflight > 0
                                                  or tg.kernel.pipeline.unfinished > 0))
        bare, kernel = [], []
        for r in range(ROUNDS_REPEAT):  # interleaved, so drifts in machine load hit both
            batches = raw_batches(users, 10_000 + r * USERS * ROUNDS, ROUNDS)
            tg.kernel.limiter = type(tg.kernel.limiter)("memory://")  # fresh inbound windows
            bare.append(await bare_rate(users, batches))
            kernel.append(await kernel_rate(tg, batches))
        outcomes = dict(tg.kernel.dispatcher.counts)
    overhead = statistics.median(b / k - 1 for b, k in zip(bare, kernel, strict=True))
    print(f"inbound  kurigram + bare handler : {statistics.median(bare):8.0f} updates/s "
          f"(median of {ROUNDS_REPEAT} rounds of {USERS * ROUNDS}, per CPU second)")
    print(f"inbound  kurigram + kernel       : {statistics.median(kernel):8.0f} updates/s "
          f"(kernel costs {overhead:+.0%} per update, median; target <= +25%)  "
          f"outcomes {outcomes}")


async def outbound(tmp: Path, chats: int, per_chat: int) -> None:
    clock = VirtualClock()
    clock.start()
    try:
        async with telegram_bot(tmp, {"outbound.enabled": True}, clock=clock) as tg:
            server = FloodServer(clock)
            tg.client.on_request = server
            people = [TgUser(300_000 + i) for i in range(chats)]
            await tg.know(*people)
            await asyncio.gather(*(tg.kernel.send(SendMessage(p.id, f"{i}")) for i in
                                   range(per_chat) for p in people))
    finally:
        await clock.stop()
    n = len(server.delivered)
    elapsed = server.delivered[-1].at - server.delivered[0].at
    rate = (n - 1) / elapsed  # n sends span n - 1 intervals
    print(f"outbound {chats:5d} chats x {per_chat:2d}: {n} sent in {elapsed:6.1f} virtual s = "
          f"{rate:5.2f}/s ({rate / 30:.1%} of 30/s; target >= 95%), busiest second "
          f"{server.max_per_second()} (limit 30), FloodWait {server.flood_waits}")


async def main() -> None:
    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        await inbound(Path(tmp) / "in")
        await outbound(Path(tmp) / "out1", 1000, 3)
        await outbound(Path(tmp) / "out2", 100, 30)


if __name__ == "__main__":
    asyncio.run(main())
