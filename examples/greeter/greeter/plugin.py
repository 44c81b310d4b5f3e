"""Greeter: a starting point. Says hello and counts how often each user asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.context import Context
from core.hookspecs import hookimpl
from core.records import create_once
from core.types import Command
from greeter.models import MODELS, Greeting

REQUIRES: tuple[str, ...] = ()  # names of plugins that must be enabled with this one
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


async def hello(ctx: Context) -> None:
    """Say hello"""
    user_id = ctx.user.id

    def count() -> int:
        if create_once(Greeting, user_id=user_id, count=1) is None:
            Greeting.update(count=Greeting.count + 1).where(Greeting.user_id == user_id).execute()
        return int(Greeting.get(Greeting.user_id == user_id).count)

    times = await ctx.kernel.db.transaction(count)
    await ctx.reply(f"{ctx.settings.greeter.greeting}, {ctx.user.first_name}! (#{times})")


@hookimpl
def register_settings() -> list[Validator]:
    return [Validator("greeter.greeting", default="Hello", is_type_of=str, len_min=1)]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return "greeter", str(MIGRATIONS)


@hookimpl
def register_commands() -> list[Command]:
    return [Command("greeter_hello", hello)]
