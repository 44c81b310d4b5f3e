"""The journal's cost per update: the same updates through the whole kernel with the journal
(`kernel.ingest`: appended with group commit, handled on the kernel's workers, marked done)
and without it (`kernel.handle` on one task per update, bounded the same), in the same run.

    make bench            (or: .venv/bin/python bench/journal.py [--updates N] [--rounds R])

Updates arrive as a transport hands them in: batches of 20 from 200 users, on SQLite with the
memory cache, outbound pacing off. The figure is updates per second of wall time for the
whole run (the last done-mark included); rounds are interleaved so machine load hits both.
Target (issue 12): the journal costs at most 15 % per update.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import logs
from core.context import Context
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.testing import RecordingTransport, base_settings
from core.transports.local import LocalUpdates
from core.types import Action, Command, Sender, Sent, Update

BATCH = 20


class NullTransport(RecordingTransport):
    async def execute(self, action: Action) -> Sent:
        return Sent(1)


async def ping(ctx: Context) -> None:
    """Trivial reply"""
    await ctx.reply("pong")


class BenchPlugin:
    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("ping", ping)]


def make_updates(n: int, users: int, tag: str) -> list[Update]:
    local = LocalUpdates("bench_bot", prefix=f"bench-{tag}")
    people = [Sender(10_000 + i, f"User {i}") for i in range(users)]
    return [u for i in range(n) if (u := local.message("/ping", people[i % users])) is not None]


async def with_journal(kernel: Kernel, updates: list[Update], receivers: int = 1) -> float:
    """`receivers` tasks hand batches in at once (kurigram runs several handler workers)."""
    batches = [updates[i:i + BATCH] for i in range(0, len(updates), BATCH)]

    async def receive(mine: list[list[Update]]) -> None:
        for batch in mine:
            await kernel.ingest(batch)

    started = time.perf_counter()
    await asyncio.gather(*(receive(batches[r::receivers]) for r in range(receivers)))
    await kernel.idle()
    return len(updates) / (time.perf_counter() - started)


async def without_journal(kernel: Kernel, updates: list[Update]) -> float:
    limit = asyncio.Semaphore(kernel.pipeline.settings.workers)
    tasks: list[asyncio.Task[str]] = []

    async def one(update: Update) -> str:
        async with limit:
            return await kernel.handle(update)

    started = time.perf_counter()
    for i in range(0, len(updates), BATCH):
        tasks += [asyncio.create_task(one(u)) for u in updates[i:i + BATCH]]
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    await kernel.idle()  # the outbox too
    return len(updates) / (time.perf_counter() - started)


async def main(n: int, users: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = base_settings(Path(tmp))
        settings.update({"ratelimit.default": "1000000/minute", "logging.level": "WARNING"})
        kernel = Kernel.configure(settings, extra_plugins=[BenchPlugin()])
        logs.setup(kernel.settings, kernel.redact.secrets)
        kernel.attach(NullTransport())
        await kernel.start()
        try:
            await without_journal(kernel, make_updates(users, users, "warm"))  # users known
            plain: list[float] = []
            one: list[float] = []
            many: list[float] = []
            for r in range(rounds):
                plain.append(await without_journal(kernel, make_updates(n, users, f"p{r}")))
                one.append(await with_journal(kernel, make_updates(n, users, f"j{r}")))
                many.append(await with_journal(kernel, make_updates(n, users, f"m{r}"), 16))
        finally:
            await kernel.stop()
    base = statistics.median(plain)
    print(f"{n} updates from {users} users per round, {rounds} rounds, SQLite, one process")
    print(f"without the journal (kernel.handle)       : {base:8.0f} updates/s (median)")
    for label, rates in (("1 receiver", one), ("16 receivers", many)):
        rate = statistics.median(rates)
        print(f"with the journal, {label:<13} (ingest): {rate:8.0f} updates/s (median)  "
              f"cost {base / rate - 1:+.1%} per update (target <= +15%)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.users, args.rounds))
