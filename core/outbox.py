"""The outbox: every outgoing action passes here on its way to the transport.

Paced actions (messages, edits, media, invoices) are queued, one queue per chat so each
chat's order is kept, and wait there for a slot from the Pacer (when pacing is on); `enqueue`
returns at once with a future of the delivery: a handler waits for pacing only if it asks.
A `RetryAfter` from the transport pauses that chat, or every chat when the limit was global,
and the same action is tried again. An `Unreachable` user is
reported once and the action fails; `NotModified` counts as done. Nothing is dropped.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from loguru import logger

from core.clock import Clock
from core.errors import NotModified, RetryAfter, Unreachable
from core.ratelimit import Pacing
from core.types import Action, Sent

Execute = Callable[[Action], Awaitable[Sent]]
UNPACED_RETRIES = 3


@dataclass(slots=True)
class OutboxStats:
    sent: int = 0
    failed: int = 0
    flood_waits: int = 0
    unreachable: int = 0


class Outbox:
    def __init__(
        self,
        execute: Execute,
        clock: Clock,
        pacer: Pacing | None = None,
        on_unreachable: Callable[[int], Awaitable[None]] | None = None,
        expand: Callable[[Action], list[Action]] | None = None,
    ) -> None:
        self.execute = execute
        self.expand = expand
        self.clock = clock
        self.pacer = pacer
        self.on_unreachable = on_unreachable
        self.stats = OutboxStats()
        self._queues: dict[int, deque[tuple[Action, asyncio.Future[Sent]]]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._paused_all_until = 0.0
        self._paused_until: dict[int, float] = {}

    def depth(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def submit(self, action: Action) -> Sent:
        """Deliver `action` and return what the transport reported; raises on failure.

        The transport may `expand` one action into several (a text too long for one message):
        each part then takes its own slot, in order, and the last part's result is returned.
        """
        if not action.paced:
            sent = Sent()
            for part in self._parts(action):
                sent = await self._direct(part)
            return sent
        return await self.enqueue(action)

    def enqueue(self, action: Action) -> asyncio.Future[Sent]:
        """Queue a paced action behind its chat's earlier ones and return at once: the future
        is its delivery (the last part's `Sent`, or the error). Nothing waits for pacing."""
        loop = asyncio.get_running_loop()
        queue = self._queues.get(action.chat_id)
        if queue is None:
            queue = self._queues[action.chat_id] = deque()
        futures: list[asyncio.Future[Sent]] = []
        for part in self._parts(action):  # queued together, with no await between: order holds
            fut: asyncio.Future[Sent] = loop.create_future()
            queue.append((part, fut))
            futures.append(fut)
        if action.chat_id not in self._workers:
            self._workers[action.chat_id] = asyncio.create_task(self._drain(action.chat_id))
        if len(futures) == 1:
            return futures[0]
        whole: asyncio.Future[Sent] = loop.create_future()

        def settle(_: asyncio.Future[Sent]) -> None:
            if whole.done() or not all(f.done() for f in futures):
                return
            for f in futures:
                if f.exception() is not None:
                    whole.set_exception(f.exception())  # type: ignore[arg-type]
                    return
            whole.set_result(futures[-1].result())

        for f in futures:
            f.add_done_callback(settle)
        return whole

    def _parts(self, action: Action) -> list[Action]:
        return self.expand(action) if self.expand is not None else [action]

    async def _direct(self, action: Action) -> Sent:
        for attempt in range(UNPACED_RETRIES + 1):
            try:
                return await self._deliver(action)
            except RetryAfter as exc:
                if attempt == UNPACED_RETRIES:
                    raise
                self.stats.flood_waits += 1
                await self.clock.sleep(exc.seconds)
        raise AssertionError("unreachable")

    async def _deliver(self, action: Action) -> Sent:
        try:
            sent = await self.execute(action)
        except NotModified:
            return Sent(message_id=getattr(action, "message_id", None), ok=False)
        except Unreachable:
            self.stats.unreachable += 1
            if self.on_unreachable is not None:
                await self.on_unreachable(action.chat_id)
            raise
        except RetryAfter:
            raise
        except Exception:
            self.stats.failed += 1
            raise
        self.stats.sent += 1
        return sent

    def _pause_left(self, chat_id: int) -> float:
        until = max(self._paused_all_until, self._paused_until.get(chat_id, 0.0))
        return until - self.clock.now()

    async def _drain(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue:
                action, fut = queue[0]
                wait = self._pause_left(chat_id)
                if wait > 0:
                    await self.clock.sleep(wait)
                    continue
                if self.pacer is not None:
                    wait, booked = await self.pacer.acquire(chat_id)
                    if wait > 0:
                        await self.clock.sleep(wait)
                    if not booked or self._pause_left(chat_id) > 0:
                        continue  # the chat was not ready yet, or a flood wait began meanwhile
                try:
                    result = await self._deliver(action)
                except RetryAfter as exc:
                    self.stats.flood_waits += 1
                    until = self.clock.now() + exc.seconds
                    if exc.scope_all:
                        self._paused_all_until = max(self._paused_all_until, until)
                    else:
                        self._paused_until[chat_id] = until
                    if self.pacer is not None:  # a shared pacer tells the other processes
                        await self.pacer.pause(None if exc.scope_all else chat_id, exc.seconds)
                    logger.warning("flood wait {}s for {}", exc.seconds,
                                   "every chat" if exc.scope_all else f"chat {chat_id}")
                    continue
                except Unreachable as exc:
                    # Whatever else waits for this chat would fail the same way: fail it now
                    # rather than knock on a closed door once per message.
                    while queue:
                        _, waiting = queue.popleft()
                        if not waiting.done():
                            waiting.set_exception(exc)
                    continue
                except Exception as exc:
                    queue.popleft()
                    if not fut.done():
                        fut.set_exception(exc)
                    continue
                queue.popleft()
                if not fut.done():
                    fut.set_result(result)
        finally:
            self._workers.pop(chat_id, None)
            if self._paused_until.get(chat_id, 0.0) <= self.clock.now():
                self._paused_until.pop(chat_id, None)
            if not queue:
                self._queues.pop(chat_id, None)

    async def drained(self) -> None:
        """Return when every queued action has gone out (or failed)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def close(self) -> None:
        """Wait for queued actions to go out, then stop."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)
        if self.pacer is not None:
            await self.pacer.close()
