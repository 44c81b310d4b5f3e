"""A worker process for the broker tests: `python -m core worker` with the offline kurigram
client in place of the network.

    python -m tests.broker_worker NAME SETTINGS_JSON [FLOOD_ADDRESS]

SETTINGS_JSON holds the settings overrides (database, Redis, plugins). With FLOOD_ADDRESS
every send is checked by the test's `SharedFloodServer`. Stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from core import logs, migrate, roles
from core.db import Database
from core.kernel import Kernel
from core.testing_flood import remote
from core.testing_telegram import OfflineClient, TgUser
from core.transports.telegram import TelegramTransport


async def main(name: str, overrides: dict[str, object], flood: str | None) -> None:
    os.environ["PROBE_NAME"] = name
    kernel = Kernel.configure(overrides)
    logs.setup(kernel.settings, kernel.redact.secrets)
    if name == "--migrate":  # once, before the workers start
        db = Database.from_settings(kernel.settings, kernel.root)
        migrate.apply(db, [migrate.Source("core", migrate.CORE_SCHEMA)] + [
            migrate.Source(owner, Path(directory))
            for _, (owner, directory) in kernel.collect("register_migrations")])
        db.close()
        return
    client = KnowingClient(no_updates=True)
    if flood:
        client.on_request = remote(flood)
    await roles.serve_worker(kernel, TelegramTransport(kernel, client), name)


class KnowingClient(OfflineClient):
    """A worker's session that already knows the test's users (chats 1..PROBE_CHATS), as
    one that has met them does: the fake server, strict about access hashes, refuses the
    lookup with access_hash 0 that kurigram tries for an unknown user."""

    async def open(self) -> None:
        await super().open()
        users = [TgUser(chat).raw() for chat in range(1, int(os.environ.get("PROBE_CHATS",
                                                                            "0")) + 1)]
        for user in users:
            self.server.users[user.id] = user
        await self.fetch_peers(users)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2]),
                     sys.argv[3] if len(sys.argv) > 3 else None))
