"""Events reach their listeners with the arguments their specs promise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.hookspecs import hookimpl
from core.testing import running_bot


class Listener:
    def __init__(self) -> None:
        self.seen: list[tuple[str, Any, int]] = []

    @hookimpl
    def user_created(self, kernel: Any, user_id: int) -> None:
        self.seen.append(("user_created", kernel, user_id))


async def test_event_listeners_are_given_the_kernel(tmp_path: Path) -> None:
    # The dispatcher emits user_created without kernel=; the spec promises it, so emit adds it.
    listener = Listener()
    async with running_bot(tmp_path, extra_plugins=[listener]) as bot:
        await bot.send("/start", user=bot.user(42))
        await bot.send("/start", user=bot.user(42))
        assert listener.seen == [("user_created", bot.kernel, 42)]
