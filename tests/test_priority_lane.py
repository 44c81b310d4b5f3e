"""Money is never stuck behind a flood: with one user flooding, a 60 s FloodWait in force for
every chat and 20 handlers waiting for their messages, another user's pre-checkout query is
answered within 2 s (on a virtual clock)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from core.clock import VirtualClock
from core.errors import RetryAfter
from core.hookspecs import hookimpl
from core.testing import RecordingTransport, running_bot
from core.types import Action, AnswerPreCheckout, Command, SendMessage, Sent
from tests.payments_support import PLUGINS, invoice_for, settings


class FloodedTransport(RecordingTransport):
    """Telegram answering the first message after `flood_from` with a 60 s wait for all."""

    def __init__(self, clock: VirtualClock) -> None:
        super().__init__()
        self.clock = clock
        self.flooding = False
        self.answered_at: float | None = None

    async def execute(self, action: Action) -> Sent:
        if isinstance(action, AnswerPreCheckout):
            self.answered_at = self.clock.now()
        if self.flooding and isinstance(action, SendMessage):
            self.flooding = False
            raise RetryAfter(60, scope_all=True)
        return await super().execute(action)


class Waiting:
    """/wait: a handler that needs its message's id, so it waits for the delivery."""

    async def wait(self, ctx: Any) -> None:
        await ctx.reply("Your ticket").sent()

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("wait", self.wait, "waits for its message")]


async def test_a_pre_checkout_is_answered_within_two_seconds_despite_a_flood(
        tmp_path: Path) -> None:
    clock = VirtualClock()
    transport = FloodedTransport(clock)
    overrides = settings(tmp_path, **{"outbound.enabled": True})
    # The virtual clock runs until the bot has stopped: the outbox works off the 60 s flood
    # wait at shutdown in virtual time. Bounded in real time, so a regression fails, not hangs.
    clock.start()
    try:
        async with asyncio.timeout(60), running_bot(
                tmp_path, overrides, plugins=PLUGINS, extra_plugins=[Waiting()], clock=clock,
                transport=transport) as bot:
            bob = bot.user(7, "Bob")
            invoice = await invoice_for(bot, bob)
            transport.flooding = True
            mallory = bot.user(66, "Mallory")
            flood = [bot.updates.message(f"flood {i}", mallory.sender) for i in range(40)]
            waiting = [bot.updates.message("/wait", bot.user(1000 + i).sender)
                       for i in range(20)]
            await bot.kernel.ingest([u for u in flood + waiting if u is not None])
            await asyncio.sleep(0.05)  # the workers are busy and the flood wait is in force
            asked_at = clock.now()
            query = bot.updates.pre_checkout(bob.sender, invoice.payload, "XTR", 50)
            outcome = bot.kernel.pipeline.outcome(query.key)
            await bot.kernel.ingest([query])
            assert await outcome == "ok"
            assert transport.answered_at is not None
            assert transport.answered_at - asked_at <= 2.0
            assert bot.kernel.pipeline.unfinished > 0  # the flood was still being worked off
    finally:
        await clock.stop()
