"""A second worker for the payments tests, in its own process: peewee binds models to one
database per process, so two kernels sharing a database must be two processes, as in
production.

    python -m tests.payments_worker <database url> <work dir>

Prints "ready" once its kernel runs; then each stdin line is a JSON payment
{"user": 42, "payload": ..., "currency": ..., "amount": ..., "charge_id": ..., "key": ...}
that it delivers, printing {"outcome": ...}. At end of input it prints
{"thanks": n, "events": n} and stops.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from pathlib import Path

from core.testing import running_bot
from core.types import SendMessage
from tests.payments_support import PLUGINS, PaymentEvents, settings


async def main(url: str, work: Path) -> None:
    events = PaymentEvents()
    loop = asyncio.get_running_loop()
    async with running_bot(work, settings(**{"database.url": url}), plugins=PLUGINS,
                           extra_plugins=[events]) as bot:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            p = json.loads(line)
            update = bot.updates.payment(bot.user(p["user"]).sender, p["payload"],
                                         p["currency"], p["amount"], p["charge_id"])
            update = dataclasses.replace(update, key=p.get("key") or update.key)
            outcome = await bot.deliver(update)
            print(json.dumps({"outcome": outcome.outcome}), flush=True)
        thanks = [a for a in bot.transport.actions
                  if isinstance(a, SendMessage) and "Thank you" in a.text]
        print(json.dumps({"thanks": len(thanks), "events": len(events.seen)}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
