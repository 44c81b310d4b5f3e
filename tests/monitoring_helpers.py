"""Shared pieces of the monitoring tests: a bot with the HTTP server on a free loopback port,
a sample plugin with commands that fail or take time, and a log recorder."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp
from loguru import logger

from core.context import Context
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.testing import BotDriver, running_bot
from core.types import Command

HTTP_ON = {"monitoring.http.enabled": True, "monitoring.http.port": 0}


async def boom(ctx: Context) -> None:
    """Always fails"""
    raise RuntimeError(f"upstream refused {ctx.args!r}")


async def slow(ctx: Context) -> None:
    """Takes its time"""
    await asyncio.sleep(0.2)
    await ctx.reply("done")


class Sample:
    """A feature plugin as a test writes one: two commands and figures for /metrics."""

    def __init__(self) -> None:
        self.__name__ = "sample"  # pluggy's name for it
        self.figures: dict[str, Any] = {"credits issued": 1200, "payments": {"XTR": 3},
                                        "label": "not a number"}

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("boom", boom), Command("slow", slow)]

    @hookimpl
    async def stats(self, kernel: Kernel) -> dict[str, Any]:
        return self.figures


@asynccontextmanager
async def monitored_bot(tmp_path: Path, overrides: dict[str, Any] | None = None,
                        **kwargs: Any) -> AsyncIterator[BotDriver]:
    settings = {**HTTP_ON, **(overrides or {})}
    kwargs.setdefault("extra_plugins", [Sample()])
    async with running_bot(tmp_path, settings, plugins=["monitoring"], **kwargs) as bot:
        yield bot


async def get(bot: BotDriver, path: str) -> tuple[int, str]:
    """A real HTTP request to the bot's monitoring server."""
    url = bot.service("monitoring").http.url + path
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def get_json(bot: BotDriver, path: str) -> tuple[int, dict[str, Any]]:
    url = bot.service("monitoring").http.url + path
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


@contextmanager
def recorded_logs(level: str = "WARNING") -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lambda message: lines.append(str(message)), level=level,
                      format="{message}")
    try:
        yield lines
    finally:
        logger.remove(sink)


class TcpProxy:
    """A loopback TCP relay to a real server, which a test can cut and restore: the server
    becomes unreachable for this bot alone (other tests share the server)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
