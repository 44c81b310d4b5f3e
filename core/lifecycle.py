"""Serving until told to stop: the start order and the graceful stop of `python -m core`.

    connect the transport        a client that sends is connected before start-up hooks run
    start the kernel             database, services, start-up hooks
    run the transport            catch up, receive, until it ends or a signal comes
    stop the transport           take no more updates (Telegram keeps the rest for later)
    stop the kernel              handlers in flight and the outbox finish within
                                 `pipeline.shutdown_timeout`, then the database closes
    close the transport          the session (peers, update state) saved, disconnected

SIGTERM and SIGINT start the stop; a second signal exits at once (status 1).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from loguru import logger

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopper:
    """Turns the first signal into a graceful stop and the second into an immediate exit."""

    def __init__(self, exit_now: Callable[[int], Any] = os._exit) -> None:
        self.requested = asyncio.Event()
        self.exit_now = exit_now

    def __call__(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.requested.is_set():
            logger.warning("{} again: exiting at once", name)
            self.exit_now(1)
            return
        logger.info("{}: stopping (again to exit at once)", name)
        self.requested.set()

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.add_signal_handler(signum, self, signum)

    def remove(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.remove_signal_handler(signum)


async def serve(kernel: Any, transport: Any,
                run: Callable[[], Coroutine[Any, Any, Any]] | None = None) -> None:
    """Start in order, run until the transport ends or a signal comes, stop in order."""
    stopper = Stopper()
    stopper.install()
    kernel.attach(transport)
    started = False
    try:
        connect = getattr(transport, "connect", None)
        if connect is not None:
            await connect()
        await kernel.start()
        started = True
        running = asyncio.create_task(run() if run is not None else transport.run())
        stopping = asyncio.create_task(stopper.requested.wait())
        await asyncio.wait([running, stopping], return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if running.done():
            running.result()  # the transport failed: raise its error (after the stop below)
    finally:
        with contextlib.suppress(Exception):
            await transport.stop()
        if started:
            if not running.done():
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await running
            await kernel.stop()
        close = getattr(transport, "close", None)
        if close is not None:
            await close()
        stopper.remove()
