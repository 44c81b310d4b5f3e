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

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import lifecycle
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


def sending_client(kernel: Kernel, name: str) -> pyrogram.Client:
    """A worker's own session (its own file, so no two processes share an auth key), which
    Telegram sends no updates to."""
    return _client(kernel, f"{kernel.settings.bot.name}-worker-{name}", no_updates=True)


def become_receiver(kernel: Kernel, broker: RedisJournal) -> Receiver:
    """Make `kernel` a receiver: what the transport hands to `kernel.ingest` is journaled
    onto the broker (durable on return, so the update state may advance) and handled by the
    workers, never here."""
    kernel.broker = broker
    kernel.receiver = Receiver(broker, kernel.settings.pipeline.max_backlog)
    kernel.ingest = kernel.receiver.ingest  # type: ignore[attr-defined]
    return kernel.receiver


async def serve_receiver(kernel: Kernel, transport: Any) -> None:
    broker = RedisJournal.from_settings(kernel.settings)
    await broker.ensure_groups()
    become_receiver(kernel, broker)
    try:
        await lifecycle.serve(kernel, transport)
    finally:
        await broker.close()


async def serve_worker(kernel: Kernel, transport: Any, name: str) -> None:
    """Connect the sending session, start the kernel, consume shards until a signal."""
    broker = RedisJournal.from_settings(kernel.settings)
    kernel.broker = broker
    worker = ShardWorker.from_settings(kernel, broker, name)
    try:
        await lifecycle.serve(kernel, transport, worker.run)
    finally:
        await broker.close()
