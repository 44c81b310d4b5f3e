"""A plugin for the broker tests, enabled by module path in worker processes.

`/seq N` spends about `probe_cpu_ms` of CPU, credits the user 1 (idempotent on the update's
key, so a re-handled update changes nothing) and appends N to the chat's list in Redis (every
handling, re-handlings included: the tests read order and duplicates there). `/echo N` replies.
"""

from __future__ import annotations

import os
import time

from redis.asyncio import Redis

from core.context import Context
from core.hookspecs import hookimpl
from core.types import Command

_redis: dict[str, Redis] = {}


def trace_key(namespace: str, chat_id: int) -> str:
    return f"{namespace}:probe:{chat_id}"


async def seq(ctx: Context) -> None:
    """Record a numbered update"""
    settings = ctx.kernel.settings
    spin = float(os.environ.get("PROBE_CPU_MS", "0")) / 1000
    until = time.perf_counter() + spin
    while time.perf_counter() < until:
        pass
    if ctx.kernel.has_service("credits"):
        await ctx.service("credits").credit(ctx.user.id, 1, "probe", key=ctx.update.key)
    redis = _redis.get(settings.cache.url)
    if redis is None:
        redis = _redis[settings.cache.url] = Redis.from_url(settings.cache.url)
    await redis.rpush(trace_key(settings.cache.namespace, ctx.update.chat.id),
                      f"{ctx.update.args}:{os.environ.get('PROBE_NAME', '?')}")


async def spin(ctx: Context) -> None:
    """Spend about PROBE_CPU_MS of CPU and nothing else (bench/scale.py)"""
    until = time.perf_counter() + float(os.environ.get("PROBE_CPU_MS", "0")) / 1000
    while time.perf_counter() < until:
        pass


async def echo(ctx: Context) -> None:
    """Answer with the same number"""
    await ctx.reply(f"echo {ctx.update.args}")


@hookimpl
def register_commands() -> list[Command]:
    unlimited = "100000/second"
    return [Command("seq", seq, rate=unlimited), Command("echo", echo, rate=unlimited),
            Command("spin", spin, rate=unlimited)]
