"""Refunds: /refund reverses the credits once and the Stars go back through a durable outbox
that backs off, pauses on flood control and counts "already refunded" as done."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import VirtualClock
from core.errors import AlreadyDone, RetryAfter
from core.testing import BotDriver, running_bot
from core.types import Action, RefundStars, SendMessage
from plugins.credits.models import CreditLedger
from plugins.payments.models import Payment, PaymentRefund
from tests.payments_support import PLUGINS, buy, settings


class WallClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[tuple[BotDriver, WallClock]]:
    clock = VirtualClock()  # the in-memory outbox's own flood waits pass at once
    clock.start()
    async with running_bot(tmp_path, settings(payments__refund_base_delay=10.0,
                                              payments__refund_max_attempts=3),
                           plugins=PLUGINS, clock=clock) as bot:
        wall = WallClock()
        bot.service("payments").wall_clock = wall
        yield bot, wall
    await clock.stop()


def refund_attempts(bot: BotDriver, outcomes: list[BaseException | None]) -> list[str]:
    """Make the transport answer RefundStars with `outcomes` in turn (None: success)."""
    seen: list[str] = []

    def fail(action: Action) -> None:
        if isinstance(action, RefundStars):
            seen.append(action.charge_id)
            outcome = outcomes.pop(0) if outcomes else None
            if outcome is not None:
                raise outcome

    bot.transport.fail = fail
    return seen


async def refund_row(bot: BotDriver, charge_id: str) -> PaymentRefund:
    return await bot.kernel.db.run(
        lambda: PaymentRefund.get(PaymentRefund.charge_id == charge_id))


async def test_refund_meets_flood_wait_then_already_refunded_and_ends_done_once(
        shop: tuple[BotDriver, WallClock]) -> None:
    bot, wall = shop
    alice = bot.user(42, "Alice")
    await buy(bot, alice, "charge-r1")
    service = bot.service("payments")
    # The flood wait outlasts the in-memory outbox's own retries, then Telegram says the
    # charge was refunded already (our first call went through before the error reached us).
    attempts = refund_attempts(bot, [RetryAfter(30)] * 4 + [AlreadyDone("CHARGE_ALREADY_REFUNDED")])

    reply = await bot.send("/refund charge-r1", user=bot.admin)
    assert "Refund of charge-r1 queued; 100 credits taken back" in reply.text
    assert await bot.service("credits").balance(42) == 0

    assert await service.process_refunds() == 0
    row = await refund_row(bot, "charge-r1")
    assert (row.status, row.attempts) == ("pending", 0)  # a flood wait is not a failure
    assert row.next_attempt_at == wall.now + 30 and "flood wait" in row.last_error
    assert service.paused_until == wall.now + 30
    sent = len(attempts)
    assert await service.process_refunds() == 0  # paused: nothing is tried
    assert len(attempts) == sent

    wall.now += 31
    assert await service.process_refunds() == 1
    row = await refund_row(bot, "charge-r1")
    assert row.status == "done" and row.last_error == "already refunded"
    payment = await bot.kernel.db.run(lambda: Payment.get(Payment.charge_id == "charge-r1"))
    assert payment.status == "refunded"
    told = [a for a in bot.transport.actions if isinstance(a, SendMessage)
            and a.chat_id == 42 and "refunded" in a.text]
    assert len(told) == 1

    wall.now += 3600
    assert await service.process_refunds() == 0
    assert len(attempts) == sent + 1  # nothing more was sent
    again = await bot.send("/refund charge-r1", user=bot.admin)
    assert "already queued" in again.text
    reversals = await bot.kernel.db.run(lambda: CreditLedger.select().where(
        CreditLedger.kind == "reversal").count())
    assert reversals == 1
    assert await bot.service("credits").balance(42) == 0
    assert await bot.service("credits").audit() == []


async def test_failed_refunds_back_off_then_give_up_and_alert(
        shop: tuple[BotDriver, WallClock]) -> None:
    bot, wall = shop
    await buy(bot, bot.user(42), "charge-r2")
    service = bot.service("payments")
    attempts = refund_attempts(bot, [RuntimeError("telegram is down")] * 3)
    await bot.send("/refund charge-r2", user=bot.admin)
    start = wall.now

    assert await service.process_refunds() == 0
    row = await refund_row(bot, "charge-r2")
    assert (row.attempts, row.next_attempt_at) == (1, start + 10)
    wall.now = start + 9
    assert await service.process_refunds() == 0 and len(attempts) == 1  # not due yet
    wall.now = start + 10
    assert await service.process_refunds() == 0
    row = await refund_row(bot, "charge-r2")
    assert (row.attempts, row.next_attempt_at) == (2, start + 10 + 20)  # doubled
    wall.now = start + 30
    before = len(bot.transport.actions)
    assert await service.process_refunds() == 1
    row = await refund_row(bot, "charge-r2")
    assert row.status == "failed" and "telegram is down" in row.last_error
    alerts = [a for a in bot.transport.actions[before:]
              if isinstance(a, SendMessage) and a.chat_id == bot.admin.id]
    assert alerts and "charge-r2 failed after 3 attempts" in alerts[0].text
    assert (await bot.kernel.health())["checks"]["payments.refunds"]["ok"] is False


async def test_refund_of_spent_credits_is_refused_with_the_numbers_unless_forced(
        shop: tuple[BotDriver, WallClock]) -> None:
    bot, _ = shop
    alice = bot.user(42, "Alice")
    await buy(bot, alice, "charge-r3")
    credits = bot.service("credits")
    await credits.debit(42, 30, "spent", "spend-1")

    refused = await bot.send("/refund charge-r3", user=bot.admin)
    assert refused.outcome == "user_error"
    assert "Cannot take back 100 credits: 30 of them are already spent (balance 70)" in (
        refused.text)
    assert "/refund charge-r3 force" in refused.text
    assert await credits.balance(42) == 70
    assert await bot.kernel.db.run(lambda: PaymentRefund.select().count()) == 0

    forced = await bot.send("/refund charge-r3 force", user=bot.admin)
    assert "70 credits taken back (30 were already spent" in forced.text
    assert await credits.balance(42) == 0
    assert (await refund_row(bot, "charge-r3")).status == "pending"
    assert await credits.audit() == []


async def test_refund_input_is_checked_and_admins_only(shop: tuple[BotDriver, WallClock]) -> None:
    bot, _ = shop
    alice = bot.user(42, "Alice")
    await buy(bot, alice, "charge-r4")
    denied = await bot.send("/refund charge-r4", user=alice)
    assert denied.outcome == "denied" and "admins only" in denied.text
    for text, expected in (("/refund", "Usage"), ("/refund a b c", "Usage"),
                           ("/refund charge-r4 please", "Usage"),
                           ("/refund 🙂", "not a charge id"),
                           ("/refund " + "x" * 400, "not a charge id"),
                           ("/refund nope", "No payment")):
        reply = await bot.send(text, user=bot.admin)
        assert reply.outcome == "user_error" and expected in reply.text, (text, reply.text)
    assert await bot.service("credits").balance(42) == 100


async def test_the_worker_sends_queued_refunds_by_itself(tmp_path: Path) -> None:
    async with running_bot(tmp_path, settings(payments__refund_worker=True,
                                              payments__refund_poll=0.05),
                           plugins=PLUGINS) as bot:
        await buy(bot, bot.user(42), "charge-r5")
        await bot.send("/refund charge-r5", user=bot.admin)
        for _ in range(200):
            if (await refund_row(bot, "charge-r5")).status == "done":
                break
            await asyncio.sleep(0.02)
        assert (await refund_row(bot, "charge-r5")).status == "done"
        refunds = [a for a in bot.transport.actions if isinstance(a, RefundStars)]
        assert [(r.user_id, r.charge_id) for r in refunds] == [(42, "charge-r5")]
