"""A receiver process for the broker tests: `python -m core receiver` with raw updates fed
through the offline kurigram harness instead of the network.

    python -m tests.broker_receiver SETTINGS_JSON CHATS PER_CHAT START [COMMAND]

Feeds the messages "/COMMAND n" (n = 0..PER_CHAT-1) of chats 1..CHATS (users with those ids),
round-robin over the chats, from position START on; message i has id i + 1, so a restarted
receiver re-feeding a position produces the same update key, as Telegram redelivering would.
After each batch is journaled it prints "journaled <position>": how far the update state may
advance. Prints "done" at the end and waits for SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import sys

from pyrogram import raw

from core import logs
from core.broker import RedisJournal
from core.kernel import Kernel
from core.testing_telegram import OfflineClient, TelegramHarness, TgUser
from core.transports.telegram import TelegramTransport
from core.workers import Receiver

BATCH = 25


def plan(chats: int, per_chat: int) -> list[tuple[int, int]]:
    """(chat, n) in the order Telegram sends them."""
    return [(chat, n) for n in range(per_chat) for chat in range(1, chats + 1)]


async def main(overrides: dict[str, object], chats: int, per_chat: int, start: int,
               command: str) -> None:
    kernel = Kernel.configure(overrides)
    logs.setup(kernel.settings, kernel.redact.secrets)
    broker = RedisJournal.from_settings(kernel.settings)
    kernel.broker = broker
    kernel.receiver = Receiver(broker, kernel.settings.pipeline.max_backlog)
    client = OfflineClient(workers=1)
    transport = TelegramTransport(kernel, client)
    kernel.attach(transport)
    await kernel.start()
    await client.open()
    transport.register_handlers()
    await asyncio.sleep(0)
    tg = TelegramHarness(kernel, transport, client)
    steps = plan(chats, per_chat)
    for first in range(start, len(steps), BATCH):
        batch = steps[first:first + BATCH]
        updates, users = [], []
        for offset, (chat, n) in enumerate(batch):
            user = TgUser(chat)
            users.append(user)
            message = raw.types.Message(
                id=first + offset + 1, peer_id=raw.types.PeerUser(user_id=chat),
                date=tg.server.date, message=f"/{command} {n}",
                from_id=raw.types.PeerUser(user_id=chat))
            updates.append(raw.types.UpdateNewMessage(message=message, pts=first + offset + 1,
                                                      pts_count=1))
        await tg.feed(*updates, users=users)
        print(f"journaled {first + len(batch) - 1}", flush=True)
    print("done", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                     int(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else "seq"))
