"""Shared by the admin plugin's tests: a bot on a virtual clock and users made in bulk."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from core.clock import VirtualClock
from core.models import User, utcnow
from core.testing import BotDriver, RecordingTransport, running_bot
from core.types import Action, CopyMessage, SendMessage


@asynccontextmanager
async def paced_bot(tmp_path: Path, overrides: dict[str, Any] | None = None, *,
                    plugins: list[str] | None = None,
                    transport: RecordingTransport | None = None) -> AsyncIterator[BotDriver]:
    """The admin plugin with Telegram's flood limits on, on a clock that jumps when idle."""
    clock = VirtualClock(start=1000.0)
    clock.start()
    settings = {"outbound.enabled": True, "admin.progress_interval": 2, **(overrides or {})}
    try:
        async with running_bot(tmp_path, settings, plugins=plugins or ["admin"], clock=clock,
                               transport=transport) as bot:
            yield bot
    finally:
        await clock.stop()


async def add_users(bot: BotDriver, ids: list[int], **fields: Any) -> None:
    """Users who have written to the bot before (made in bulk: 500 /start would be slow)."""
    now: datetime = fields.pop("at", utcnow())

    def write() -> None:
        rows = [{"id": uid, "first_name": f"U{uid}", "created_at": now, "last_seen_at": now,
                 **fields} for uid in ids]
        for start in range(0, len(rows), 200):
            User.insert_many(rows[start:start + 200]).execute()

    await bot.kernel.db.transaction(write)


def recipients(actions: list[Action], text: str | None = None) -> Counter[int]:
    """How many times each chat got the broadcast (a text, or any copied message)."""
    return Counter(a.chat_id for a in actions
                   if (isinstance(a, SendMessage) and a.text == text)
                   or (text is None and isinstance(a, CopyMessage)))


async def until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Let the loop run until `condition` holds. The bound is generous wall time, not a count
    of loop turns: how many turns the database threads need depends on the machine's load."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never became true")
