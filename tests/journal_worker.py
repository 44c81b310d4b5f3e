"""A bot process for the journal's crash tests, killed with SIGKILL at a chosen point.

    python -m tests.journal_worker <database url> <work dir> <point> <count>

point `handling`: journals <count> `/note n` updates whose handler never finishes, prints
"journaled", and waits to be killed. point `grant`: takes <count> Stars payments; the first
grant kills the process with SIGKILL, right after the payment row was written.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from core.testing import running_bot
from plugins.payments.service import PaymentsService
from tests.payments_support import PLUGINS, invoice_for, settings

SAMPLE = "tests.sample_plugin"


async def handling(url: str, work: Path, count: int) -> None:
    import tests.sample_plugin as sample

    async def stuck(self: Any, user_id: int, text: str) -> int:
        await asyncio.Event().wait()  # handling never ends: the kill comes first
        raise AssertionError

    sample.SampleService.add_note = stuck  # type: ignore[method-assign]
    async with running_bot(work, {"database.url": url}, plugins=[SAMPLE]) as bot:
        updates = [bot.updates.message(f"/note n{i}", bot.user(100 + i % 3).sender)
                   for i in range(count)]
        await bot.kernel.ingest([u for u in updates if u is not None])
        print("journaled", flush=True)
        await asyncio.Event().wait()


async def grant(url: str, work: Path, count: int) -> None:
    async def die(self: PaymentsService, row: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # the payment row is written; the grant is not

    async with running_bot(work, settings(**{"database.url": url}), plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        payments = []
        for i in range(count):
            invoice = await invoice_for(bot, alice)
            payments.append(bot.updates.payment(alice.sender, invoice.payload, "XTR", 50,
                                                f"charge-k{i}"))
        PaymentsService._grant = die  # type: ignore[method-assign]
        print("paying", flush=True)
        await bot.kernel.ingest(payments)
        await asyncio.Event().wait()


if __name__ == "__main__":
    url, work, point, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    asyncio.run({"handling": handling, "grant": grant}[point](url, work, count))
