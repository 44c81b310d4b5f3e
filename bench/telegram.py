"""Telegram transport benchmark (run by `make bench`, never by the tests).

1. Inbound, through the whole stack with every default plugin enabled, beside kurigram with a
   bare high-level handler in the same run (interleaved rounds, CPU time of this process):
   - `/start` -> the reply;
   - a button press -> its answer and an edit of the message.
   Both sides run on the same offline client (the strict fake connection: every request is
   serialised and read back), so only what happens above the connection differs.
   Target: at least 1.3x the bare kurigram rate on both; peak RSS at most 100 MiB.
2. Outbound: a paced broadcast against a server enforcing 30 messages/s on a virtual clock
   (target: at least 95 % of the limit, never over it).
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loguru import logger
from pyrogram import filters, handlers, raw
from pyrogram.enums import ParseMode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.clock import VirtualClock
from core.context import Context
from core.hookspecs import hookimpl
from core.testing_flood import FloodServer
from core.testing_telegram import (
    OfflineClient,
    TelegramHarness,
    TgUser,
    roundtrip,
    telegram_bot,
)
from core.types import CallbackRoute, SendMessage

ROOT = Path(__file__).resolve().parent.parent
USERS = 1000
ROUNDS = 2  # messages per user in a measured round
REPEAT = 3  # measured rounds per side, interleaved
DATE = 1_700_000_000
START_REPLY = "Hello! Send /help to see what I can do."


class Pick:
    """The button the press workload presses: answer, then edit the message."""

    @hookimpl
    def register_callbacks(self) -> list[CallbackRoute]:
        return [CallbackRoute("pick", self.pick)]

    async def pick(self, ctx: Context) -> None:
        await ctx.answer("Noted")
        await ctx.edit(f"You picked {ctx.update.callback_data}")


def container(update: Any, user: TgUser) -> raw.types.Updates:
    return roundtrip(raw.types.Updates(updates=[update], users=[user.raw()], chats=[],
                                       date=DATE, seq=0))


def start_batches(users: list[TgUser], first_id: int) -> list[raw.types.Updates]:
    """One container per `/start`, as the network delivers them."""
    batches = []
    ids = iter(range(first_id, first_id + len(users) * ROUNDS))
    for _ in range(ROUNDS):
        for u in users:
            message = raw.types.Message(
                id=next(ids), peer_id=raw.types.PeerUser(user_id=u.id), date=DATE,
                message="/start", from_id=raw.types.PeerUser(user_id=u.id),
                entities=[raw.types.MessageEntityBotCommand(offset=0, length=6)])
            batches.append(container(raw.types.UpdateNewMessage(message=message, pts=0,
                                                                pts_count=0), u))
    return batches


def press_batches(users: list[TgUser], menus: dict[int, int],
                  first_id: int) -> list[raw.types.Updates]:
    """One container per button press on each user's menu message."""
    batches = []
    ids = iter(range(first_id, first_id + len(users) * ROUNDS))
    for r in range(ROUNDS):
        for u in users:
            update = raw.types.UpdateBotCallbackQuery(
                query_id=next(ids), user_id=u.id, peer=raw.types.PeerUser(user_id=u.id),
                msg_id=menus[u.id], chat_instance=1, data=f"pick:{r}:{first_id}".encode())
            batches.append(container(update, u))
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
    for i, batch in enumerate(batches):
        await client.handle_updates(batch)
        if i % 100 == 99:  # let handlers run, as a socket would between reads
            await asyncio.sleep(0)
    await drain(client, busy)
    return len(batches) / (time.process_time() - started)


class Bare:
    """kurigram with bare high-level handlers: the reply, and the answer plus the edit."""

    def __init__(self, server: Any) -> None:
        self.client = OfflineClient(server, workers=OfflineClient.WORKERS)
        self.running = 0

    async def open(self) -> None:
        await self.client.open()

        async def start(_: object, message: Any) -> None:
            self.running += 1
            try:
                await message.reply_text(START_REPLY, parse_mode=ParseMode.DISABLED)
            finally:
                self.running -= 1

        async def press(_: object, query: Any) -> None:
            self.running += 1
            try:
                await query.answer("Noted")
                await query.message.edit_text(f"You picked {query.data}",
                                              parse_mode=ParseMode.DISABLED)
            finally:
                self.running -= 1

        self.client.add_handler(handlers.MessageHandler(start, filters.command("start")))
        self.client.add_handler(handlers.CallbackQueryHandler(press))
        await asyncio.sleep(0)

    async def rate(self, batches: list[raw.types.Updates]) -> float:
        return await feed(self.client, batches, lambda: self.running > 0)


async def kernel_rate(tg: TelegramHarness, batches: list[raw.types.Updates]) -> float:
    def busy() -> bool:
        return tg.transport.inflight > 0 or tg.kernel.outbox.depth() > 0

    idle = getattr(tg.kernel, "idle", None)
    started = time.process_time()
    for i, batch in enumerate(batches):
        await tg.client.handle_updates(batch)
        if i % 100 == 99:
            await asyncio.sleep(0)
    if idle is not None:
        await idle()
    else:
        await drain(tg.client, busy)
    return len(batches) / (time.process_time() - started)


async def inbound(tmp: Path) -> None:
    users = [TgUser(200_000 + i, f"User{i}") for i in range(USERS)]
    settings = {"outbound.enabled": False, "ratelimit.default": "1000/minute",
                "ratelimit.callbacks": "1000/minute", "monitoring.slow_handler_ms": 0,
                "monitoring.lag_warn_ms": 0}
    defaults = tomllib.loads(ROOT.joinpath("settings.toml").read_text())
    enabled = defaults["default"]["plugins"]["enabled"]  # every default plugin
    async with telegram_bot(tmp, settings, plugins=enabled, extra_plugins=[Pick()]) as tg:
        for u in users:
            tg.server.users[u.id] = u.raw()
        bare = Bare(tg.server)
        await bare.open()
        # Warm-up: every user met once by both, and one menu message each to press on.
        warm = start_batches(users, 1)[:USERS]
        await kernel_rate(tg, warm)
        await bare.rate(warm)
        menus = {}
        for u in users:
            menus[u.id] = tg.server.outgoing(raw.types.InputPeerUser(
                user_id=u.id, access_hash=u.raw().access_hash), "Pick one:").id
        results: dict[str, tuple[list[float], list[float]]] = {"start": ([], []),
                                                               "press": ([], [])}
        for r in range(REPEAT):  # interleaved, so drifts in machine load hit both
            first = 10_000 + r * USERS * ROUNDS * 2
            for name, batches in (("start", start_batches(users, first)),
                                  ("press", press_batches(users, menus, first))):
                bare_side, kernel_side = results[name]
                bare_side.append(await bare.rate(batches))
                kernel_side.append(await kernel_rate(tg, batches))
        outcomes = dict(tg.kernel.dispatcher.counts)
        plugins = ", ".join(p.name for p in tg.kernel.plugins)
        await bare.client.close()
    for name, what in (("start", "/start -> reply"),
                       ("press", "button press -> answer + edit")):
        bare_side, kernel_side = results[name]
        ratio = statistics.median(k / b for b, k in zip(bare_side, kernel_side, strict=True))
        print(f"inbound  {what:31s} kurigram + bare handler: {statistics.median(bare_side):6.0f}"
              f"/s   framework: {statistics.median(kernel_side):6.0f}/s   = {ratio:.2f}x "
              f"(median of {REPEAT} rounds of {USERS * ROUNDS}, per CPU second; target >= 1.3x)")
    print(f"         plugins: {plugins}; outcomes {outcomes}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"         peak RSS of this process: {peak:.0f} MiB (target <= 100 MiB)")


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
