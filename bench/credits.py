"""Debits per second through the credits service, beside the bare conditional UPDATE.

    python bench/credits.py [debits] [concurrency]

Runs on SQLite (a temporary file) and, when TEST_POSTGRES_URL is set, on a fresh PostgreSQL
database. Both measurements go through the kernel's database bridge (thread pool, one
transaction per debit) in the same run, so the ratio shows what the ledger row, the
idempotency key, the cache invalidation and the events cost. Target: service >= 60 % of bare.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loguru import logger

from core.testing import postgres_database, running_bot

USERS = 64
ROUNDS = 3


async def _timed(total: int, concurrency: int, one: Callable[[int], Awaitable[object]]) -> float:
    """Debits per second for `total` calls of `one(i)`, `concurrency` at a time."""
    queue = iter(range(total))

    async def worker() -> None:
        for i in queue:
            await one(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - started)


async def bench(name: str, url: str, total: int, concurrency: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp), {"database.url": url, "database.pool_size": 8},
                               plugins=["credits"]) as bot:
            svc = bot.service("credits")
            db = bot.kernel.db
            for user in range(USERS):
                await svc.credit(user, 10**9, "bench", f"seed-{user}")
            sql = ("UPDATE credit_accounts SET balance = balance - 1 "
                   "WHERE user_id = ? AND balance >= 1")
            if db.kind == "postgresql":
                sql = sql.replace("?", "%s")

            def bare_debit(user: int) -> int:
                return db.peewee.execute_sql(sql, (user, )).rowcount

            group = svc._group
            bare_rates, service_rates, single_rates = [], [], []
            for r in range(ROUNDS):  # interleaved, best of each: noise hits all alike
                bare_rates.append(await _timed(
                    total, concurrency, lambda i: db.transaction(bare_debit, i % USERS)))
                svc._group = group
                service_rates.append(await _timed(
                    total, concurrency,
                    lambda i, r=r: svc.debit(i % USERS, 1, "bench", f"b-{r}-{i}")))
                if group is not None:  # the same service, one transaction per debit
                    svc._group = None
                    single_rates.append(await _timed(
                        total, concurrency,
                        lambda i, r=r: svc.debit(i % USERS, 1, "bench", f"s-{r}-{i}")))
    bare, service = max(bare_rates), max(service_rates)
    line = (f"{name:<11} bare UPDATE {bare:7.0f} debits/s | service {service:7.0f} debits/s, "
            f"{service / bare:6.1%} of bare")
    if group is not None:
        single = max(single_rates)
        line += (f" (groups of {group.changes / max(1, group.groups):.1f}) | without group "
                 f"commit {single:7.0f} debits/s, {single / bare:6.1%}")
    print(line)
    return bare, service


async def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    logger.remove()
    print(f"{total} debits per measurement, {concurrency} concurrent, {USERS} users, "
          f"best of {ROUNDS}")
    with tempfile.TemporaryDirectory() as tmp:
        await bench("sqlite", f"sqlite:///{tmp}/bench.db", total, concurrency)
    import os

    if os.environ.get("TEST_POSTGRES_URL"):
        with ExitStack() as stack:
            url = stack.enter_context(postgres_database())
            await bench("postgresql", url, total, concurrency)
    else:
        print("postgresql  skipped: set TEST_POSTGRES_URL")


if __name__ == "__main__":
    asyncio.run(main())
