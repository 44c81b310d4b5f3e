"""A receiver process for the broker tests: `python -m core receiver` with raw updates fed
through the offline kurigram harness instead of the network.

    python -m tests.broker_receiver SETTINGS_JSON CHATS PER_CHAT START [COMMAND]

Feeds the messages "/COMMAND n" (n = 0..PER_CHAT-1) of chats 1..CHATS (users with those ids),
round-robin over the chats, from position START on; message i has id i + 1, so a restarted
receiver re-feeding a position produces the same update key, as Telegram redelivering would.
After each container is journaled (the transport's receiver returns only then) it prints
"journaled <position>": how far the update state has advanced. Prints "done" at the end and
waits for SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import sys

from pyrogram import raw

from core import logs, roles
from core.broker import RedisJournal
from core.kernel import Kernel
from core.testing_telegram import OfflineClient, TelegramHarness, TgUser, command_entities
from core.transports.telegram import TelegramTransport

BATCH = 25


def plan(chats: int, per_chat: int) -> list[tuple[int, int]]:
    """(chat, n) in the order Telegram sends them."""
    return [(chat, n) for n in range(per_chat) for chat in range(1, chats + 1)]


async def main(overrides: dict[str, object], chats: int, per_chat: int, start: int,
               command: str) -> None:
    kernel = Kernel.configure(overrides)
    logs.setup(kernel.settings, kernel.redact.secrets)
    broker = RedisJournal.from_settings(kernel.settings)
    roles.become_receiver(kernel, broker)
    client = OfflineClient()
    transport = TelegramTransport(kernel, client)
    kernel.attach(transport)
    await transport.connect()
    await kernel.start()
    running = asyncio.create_task(transport.run())
    await transport.serving.wait()
    tg = TelegramHarness(kernel, transport, client)
    steps = plan(chats, per_chat)
    for first in range(start, len(steps), BATCH):
        batch = steps[first:first + BATCH]
        updates, users = [], []
        for offset, (chat, n) in enumerate(batch):
            users.append(TgUser(chat))
            text = f"/{command} {n}"
            message = raw.types.Message(
                id=first + offset + 1, peer_id=raw.types.PeerUser(user_id=chat),
                date=tg.server.date, message=text, entities=command_entities(text),
                from_id=raw.types.PeerUser(user_id=chat))
            tg.server.messages[message.id] = message
            updates.append(tg.new(message))
        await tg.feed(*updates, users=users, wait=False)
        print(f"journaled {first + len(batch) - 1}", flush=True)
    print("done", flush=True)
    await running


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                     int(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else "seq"))
