"""A bot on the offline client in a process of its own, for the signal tests: it serves through
`core.lifecycle` (as `python -m core` does) and meets a new user every few milliseconds,
printing each one's id once their message was handled. Usage: tg_signal_bot.py <folder>."""

from __future__ import annotations

import asyncio
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import lifecycle
from core.kernel import Kernel
from core.testing_telegram import (
    FakeTelegram,
    OfflineClient,
    TelegramHarness,
    TgUser,
    telegram_settings,
)
from core.transports.telegram import TelegramTransport

FIRST_USER = 500_000


async def main(folder: Path) -> None:
    kernel = Kernel.configure(telegram_settings(folder))
    client = OfflineClient(FakeTelegram(), workdir=folder)
    transport = TelegramTransport(kernel, client)
    harness = TelegramHarness(kernel, transport, client)

    async def meet_people() -> None:
        await transport.serving.wait()
        for i in itertools.count():
            await harness.message(TgUser(FIRST_USER + i, f"User{i}"), "/start")
            print(FIRST_USER + i, flush=True)
            await asyncio.sleep(0.005)

    async def run() -> None:
        meeting = asyncio.create_task(meet_people())
        try:
            await transport.run()
        finally:
            meeting.cancel()

    await lifecycle.serve(kernel, transport, run)
    print("stopped", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
