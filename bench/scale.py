"""Updates per second with one receiver and N workers over Redis Streams, beside the embedded
default, with a handler spending about 2 ms of CPU; and the broker's own cost per update beside
the embedded journal's.

    make bench            (or: .venv/bin/python bench/scale.py [--updates N] [--cpu-ms 2])

Needs TEST_REDIS_URL (a Redis database the benchmark may write to; its keys are removed
afterwards) and uses TEST_POSTGRES_URL when set (a fresh database, dropped afterwards), else
a SQLite file. The updates are journaled first, as a receiver would, then the workers
(`tests/broker_worker.py`, the real worker role with the offline client) are timed until the
backlog is empty. Scaling is bounded by the machine's cores: on 2 cores, 4 workers cannot
beat 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402

from core import logs  # noqa: E402
from core.broker import RedisJournal  # noqa: E402
from core.kernel import Kernel  # noqa: E402
from core.testing import RecordingTransport, postgres_database  # noqa: E402
from core.types import Action, Chat, Sender, Sent, Update, UpdateKind  # noqa: E402

CHATS = 400


class NullTransport(RecordingTransport):
    async def execute(self, action: Action) -> Sent:
        return Sent(1)


def updates(count: int, tag: str) -> list[Update]:
    return [Update(f"b:{tag}:{i}", UpdateKind.COMMAND, Sender(1000 + i % CHATS, "Bench"),
                   Chat(1000 + i % CHATS), text="/spin", command="spin", args=str(i))
            for i in range(count)]


def settings(database: str, namespace: str, redis_url: str, work: Path) -> dict[str, Any]:
    return {"database.url": database, "cache.backend": "redis", "cache.url": redis_url,
            "cache.namespace": namespace, "ratelimit.storage": "memory://",
            "outbound.enabled": False, "pipeline.broker": redis_url, "pipeline.shards": 16,
            "pipeline.claim_after": 5, "plugins.enabled": ["tests.broker_probe"],
            "telegram.bot_token": "", "telegram.session_dir": str(work),
            "logging.level": "WARNING", "admins": []}


async def embedded(config: dict[str, Any], count: int) -> float:
    """The default: one process handling, `pipeline.workers`-wide concurrency."""
    kernel = Kernel.configure({**config, "pipeline.broker": "", "cache.backend": "memory"})
    logs.setup(kernel.settings, kernel.redact.secrets)
    kernel.attach(NullTransport())
    await kernel.start()
    batch = updates(count, "embedded")
    started = time.perf_counter()
    ingest = getattr(kernel, "ingest", None)
    if ingest is not None and hasattr(kernel, "idle"):  # the journal on main: ingest + idle
        await ingest(batch)
        await kernel.idle()
    else:
        sem = asyncio.Semaphore(16)

        async def one(u: Update) -> None:
            async with sem:
                await kernel.handle(u)

        await asyncio.gather(*(one(u) for u in batch))
    elapsed = time.perf_counter() - started
    await kernel.stop()
    return count / elapsed


async def workers(config: dict[str, Any], count: int, n: int, cpu_ms: float,
                  work: Path) -> float:
    broker = RedisJournal.from_settings(Kernel.configure(config).settings)
    procs = [subprocess.Popen([sys.executable, "-m", "tests.broker_worker", f"b{i}",
                               json.dumps(config)], cwd=ROOT,
                              env={**os.environ, "PROBE_CPU_MS": str(cpu_ms)},
                              stdout=subprocess.DEVNULL,
                              stderr=open(work / f"b{i}.log", "a"))  # noqa: SIM115
             for i in range(n)]
    try:
        # Wait until the workers hold every shard between them.
        deadline = time.monotonic() + 60
        while True:
            live = [w for w in (await broker.workers()).values() if w["alive"]]
            owners = await broker.owners()
            if len(live) == n and len(owners) == broker.shards and all(
                    w["shards"] for w in live):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not start; see " + str(work))
            await asyncio.sleep(0.2)
        await broker.append(updates(count, f"w{n}-{uuid.uuid4().hex[:6]}"))
        started = time.perf_counter()
        while await broker.backlog() > 0:
            await asyncio.sleep(0.01)
        return count / (time.perf_counter() - started)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        await broker.close()


async def journal_cost(config: dict[str, Any], count: int) -> tuple[float, float | None]:
    """Microseconds per update for the journal alone: append, take, acknowledge."""
    broker = RedisJournal.from_settings(Kernel.configure(config).settings)
    batch = updates(count, f"cost-{uuid.uuid4().hex[:6]}")
    started = time.perf_counter()
    for first in range(0, count, 100):
        await broker.append(batch[first:first + 100])
    for shard in range(broker.shards):
        while entries := await broker.read(shard, "cost", 100, block_ms=None):
            for entry in entries:
                await broker.attempt(entry)
                await broker.done(entry, "ok")
    redis_us = (time.perf_counter() - started) / count * 1e6
    await broker.close()
    sql_us = None
    try:
        from core.journal import SqlJournal  # the embedded journal, once on main
    except ImportError:
        return redis_us, None
    kernel = Kernel.configure({**config, "pipeline.broker": ""})
    kernel.attach(NullTransport())
    await kernel.start()
    journal = SqlJournal(kernel.db)
    batch = updates(count, f"sql-{uuid.uuid4().hex[:6]}")
    started = time.perf_counter()
    for first in range(0, count, 100):
        for entry in await journal.append(batch[first:first + 100]):
            await journal.done(entry, "ok")
    sql_us = (time.perf_counter() - started) / count * 1e6
    await kernel.stop()
    return redis_us, sql_us


@contextlib.contextmanager
def database(work: Path) -> Iterator[str]:
    if os.environ.get("TEST_POSTGRES_URL"):
        with postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{work / 'bench.db'}"


async def cleanup(redis_url: str, namespace: str) -> None:
    redis = Redis.from_url(redis_url)
    async for key in redis.scan_iter(f"{namespace}:*", count=1000):
        await redis.delete(key)
    await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--cpu-ms", type=float, default=2.0)
    args = parser.parse_args()
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        print("bench/scale.py: set TEST_REDIS_URL (and TEST_POSTGRES_URL) to run it; skipped")
        return
    os.environ["PROBE_CPU_MS"] = str(args.cpu_ms)
    namespace = f"bench{uuid.uuid4().hex[:6]}"
    with tempfile.TemporaryDirectory() as tmp, database(Path(tmp)) as url:
        work = Path(tmp)
        config = settings(url, namespace, redis_url, work)
        subprocess.run([sys.executable, "-m", "tests.broker_worker", "--migrate",
                        json.dumps(config)], cwd=ROOT, check=True,
                       stderr=subprocess.DEVNULL)
        try:
            base = asyncio.run(embedded(config, args.updates))
            print(f"embedded (one process, no broker): {base:8.0f} updates/s "
                  f"({args.cpu_ms:g} ms CPU per update, {os.cpu_count()} cores)")
            rates = {}
            for n in (1, 2, 4):
                rates[n] = asyncio.run(workers(config, args.updates, n, args.cpu_ms, work))
                print(f"{n} worker{'s' if n > 1 else ' '} over Redis Streams:      "
                      f"{rates[n]:8.0f} updates/s  ({rates[n] / rates[1]:.2f}x one worker)")
            redis_us, sql_us = asyncio.run(journal_cost(config, args.updates))
            print(f"journal cost per update: Redis Streams {redis_us:6.0f} us"
                  + (f", embedded journal {sql_us:6.0f} us" if sql_us is not None
                     else ", embedded journal: not on this branch"))
        finally:
            asyncio.run(cleanup(redis_url, namespace))


if __name__ == "__main__":
    main()
