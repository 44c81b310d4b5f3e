"""How `python -m core receiver` and `python -m core worker --name NAME` run.

The receiver holds the one Telegram session that receives the bot's updates and journals them
onto the broker; it runs no handlers. Each worker runs the kernel and the plugins on the
broker's shards, and sends through a kurigram session of its own, authorised with the same bot
token, that receives no updates (`no_updates=True`). Workers send themselves rather than
through a sender process: a handler that needs the sent message (an id to edit, a progress
message) gets it without another hop and queue, and the flood budget is shared through Redis
anyway (core/flood.py), so N senders stay within Telegram's limits together.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loguru import logger

from core.broker import RedisJournal
from core.workers import Receiver, ShardWorker

if TYPE_CHECKING:
    import pyrogram

    from core.kernel import Kernel

BROKER_REDIS = (6, 2)  # XAUTOCLAIM


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


def _client(kernel: Kernel, session: str, **options: Any) -> pyrogram.Client:
    import pyrogram

    from core.transports.telegram import client_options

    t = kernel.settings.telegram
    workdir = Path(t.session_dir)
    if not workdir.is_absolute():
        workdir = kernel.root / workdir
    workdir.mkdir(parents=True, exist_ok=True)
    return pyrogram.Client(session, api_id=t.api_id, api_hash=t.api_hash,
                           bot_token=t.bot_token, workdir=str(workdir),
                           **{**client_options(), **options})


def receiving_client(kernel: Kernel) -> pyrogram.Client:
    # One update at a time through kurigram's dispatcher: journaling is quick, and appending
    # in arrival order is what keeps each chat's order on its shard.
    return _client(kernel, kernel.settings.bot.name, workers=1)


def sending_client(kernel: Kernel, name: str) -> pyrogram.Client:
    """A worker's own session (its own file, so no two processes share an auth key), which
    Telegram sends no updates to."""
    return _client(kernel, f"{kernel.settings.bot.name}-worker-{name}", no_updates=True)


def _on_signals(stop: Any) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop)


async def serve_receiver(kernel: Kernel, transport: Any) -> None:
    broker = RedisJournal.from_settings(kernel.settings)
    await broker.ensure_groups()
    kernel.broker = broker
    kernel.receiver = Receiver(broker, kernel.settings.pipeline.max_backlog)
    kernel.attach(transport)
    await kernel.start()
    runner = asyncio.create_task(transport.run())
    _on_signals(runner.cancel)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await runner
    finally:
        with contextlib.suppress(Exception):
            await transport.stop()
        await kernel.stop()
        await broker.close()


async def serve_worker(kernel: Kernel, transport: Any, name: str) -> None:
    broker = RedisJournal.from_settings(kernel.settings)
    kernel.broker = broker
    kernel.attach(transport)
    client = getattr(transport, "client", None)
    if client is not None:
        await client.start()
        logger.info("worker {}: sending as @{}", name, getattr(client.me, "username", "?"))
    await kernel.start()
    worker = ShardWorker.from_settings(kernel, broker, name)
    _on_signals(lambda: asyncio.ensure_future(worker.stop()))
    try:
        await worker.run()
    finally:
        await kernel.stop()
        if client is not None:
            with contextlib.suppress(Exception):
                await client.stop()
        await broker.close()
