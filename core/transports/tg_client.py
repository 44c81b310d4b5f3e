"""kurigram's Client with its update intake replaced by the transport's `Receiver`.

kurigram saves the update state as a container arrives, before any handler ran, and parses
every update into high-level objects (a button press even costs a `messages.getMessages`).
Here `handle_updates` hands the raw container to the receiver, which translates it straight
from the TL objects, journals it, and only then saves the state; kurigram's dispatcher stays
idle. Everything else (connection, authorisation, requests, peer storage) is kurigram's own.
"""

from __future__ import annotations

from typing import Any

import pyrogram

from core.transports.tg_receive import Receiver


class BotClient(pyrogram.Client):
    receiver: Receiver | None = None

    async def handle_updates(self, updates: Any) -> None:
        if self.receiver is None:
            await super().handle_updates(updates)
        else:
            await self.receiver.container(updates)

    async def recover_gaps(self, ids: Any = None) -> tuple[int, int]:
        """kurigram's own catching up (its watchdog calls it): the receiver's instead."""
        if self.receiver is not None:
            await self.receiver.recover()
        return (0, 0)
