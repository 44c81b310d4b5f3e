"""Shared pieces of the credits tests: a bot with the credits plugin, and small test plugins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from core.context import Context
from core.errors import UserError
from core.hookspecs import hookimpl
from core.testing import BotDriver, running_bot
from core.types import Command


class Recorder:
    """Listens to the credits events and writes them down."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def of(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for event, kwargs in self.events if event == name]

    @hookimpl
    def credits_changed(self, user_id: int, delta: int, balance: int, reason: str) -> None:
        self.events.append(("credits_changed", {"user_id": user_id, "delta": delta,
                                                "balance": balance, "reason": reason}))

    @hookimpl
    def balance_low(self, user_id: int, balance: int, threshold: int, amount: int) -> None:
        self.events.append(("balance_low", {"user_id": user_id, "balance": balance,
                                            "threshold": threshold, "amount": amount}))

    @hookimpl
    def tier_changed(self, user_id: int, old: str | None, new: str | None) -> None:
        self.events.append(("tier_changed", {"user_id": user_id, "old": old, "new": new}))


async def _boom(ctx: Context) -> None:
    """Fails after being charged"""
    raise RuntimeError("the handler broke")


async def _refuse(ctx: Context) -> None:
    """Refuses after being charged"""
    raise UserError("I can't do that with these arguments.")


async def _paid(ctx: Context) -> None:
    """Works, for a price"""
    await ctx.reply("Here is what you paid for.")


class Costly:
    """Commands with costs: one that works, one that crashes, one that refuses."""

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("paid", _paid, cost=2), Command("boom", _boom, cost=3),
                Command("refuse", _refuse, cost=3)]


@asynccontextmanager
async def credits_bot(tmp_path: Path, database_url: str, overrides: dict[str, Any] | None = None,
                      extra: list[Any] | None = None, plugins: list[str] | None = None
                      ) -> AsyncIterator[BotDriver]:
    settings = {"database.url": database_url, "database.pool_size": 8,
                "ratelimit.default": "1000/minute", "ratelimit.callbacks": "1000/minute",
                **(overrides or {})}
    async with running_bot(tmp_path, settings, plugins=plugins or ["credits"],
                           extra_plugins=extra or []) as bot:
        yield bot
