"""A successful payment grants once: redelivered, handled by two workers sharing one database,
or cut short by a crash between the payment row and the grant."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from pathlib import Path

import pytest

from core.testing import running_bot
from core.types import SendMessage, Update
from plugins.credits.models import CreditLedger
from plugins.payments.models import Payment
from plugins.payments.service import PaymentsService
from tests.payments_support import PLUGINS, PaymentEvents, answer, invoice_for, settings

ROOT = Path(__file__).resolve().parent.parent


def _thanks(actions: list) -> list[SendMessage]:
    return [a for a in actions if isinstance(a, SendMessage) and "Thank you" in a.text]


class Worker:
    """The second worker: another process on the same database (see tests/payments_worker)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, url: str, work: Path) -> Worker:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.payments_worker", url, str(work),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT)
        worker = cls(proc)
        assert await worker.line() == "ready"
        return worker

    async def line(self) -> str:
        assert self.proc.stdout is not None
        return (await asyncio.wait_for(self.proc.stdout.readline(), 60)).decode().strip()

    async def deliver(self, update: Update) -> str:
        assert self.proc.stdin is not None and update.payment is not None
        p = update.payment
        self.proc.stdin.write(json.dumps({
            "user": update.user.id, "payload": p.payload, "currency": p.currency,
            "amount": p.total_amount, "charge_id": p.telegram_payment_charge_id,
            "key": update.key}).encode() + b"\n")
        await self.proc.stdin.drain()
        return json.loads(await self.line())["outcome"]

    async def finish(self) -> dict[str, int]:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        result = json.loads(await self.line())
        assert await self.proc.wait() == 0
        return result


async def test_one_payment_three_deliveries_two_workers_one_grant(
        tmp_path: Path, database_url: str) -> None:
    shared = settings(**{"database.url": database_url})
    events = PaymentEvents()
    async with running_bot(tmp_path / "a", shared, plugins=PLUGINS,
                           extra_plugins=[events]) as a:
        other = await Worker.start(database_url, tmp_path / "b")
        alice = a.user(42, "Alice")
        invoice = await invoice_for(a, alice)
        assert answer(await a.pre_checkout(alice, invoice.payload, "XTR", 50)).ok
        payment = a.updates.payment(alice.sender, invoice.payload, "XTR", 50, "charge-7")

        first = await a.deliver(payment)
        second = await other.deliver(payment)  # the same update, to the other worker
        # The third delivery reaches both workers at once (and this one twice over), under
        # fresh update keys as after the seen-update memory expired: only the payments table
        # and the ledger's key stand in the way.
        third = await asyncio.gather(
            other.deliver(dataclasses.replace(payment, key="again-b")),
            a.deliver(dataclasses.replace(payment, key="again-a1")),
            a.deliver(dataclasses.replace(payment, key="again-a2")))
        elsewhere = await other.finish()

        assert first.outcome == "ok" and second == "duplicate"
        assert [third[0]] + [r.outcome for r in third[1:]] == ["ok", "ok", "ok"]
        assert await a.service("credits").balance(42) == 100

        def rows() -> tuple[int, int]:
            return (CreditLedger.select().where(CreditLedger.user_id == 42).count(),
                    Payment.select().where(Payment.charge_id == "charge-7").count())

        assert await a.kernel.db.run(rows) == (1, 1)
        assert len(_thanks(a.transport.actions)) + elsewhere["thanks"] == 1
        assert len(events.seen) + elsewhere["events"] == 1
        assert await a.service("credits").audit() == []


async def test_workers_racing_on_a_fresh_payment_grant_and_thank_once(
        tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker A writes the payment row and stalls before its grant; meanwhile the other
    process completes the same payment, and A's second delivery waits its turn. A then
    finishes both: no second grant, no second thank-you."""
    shared = settings(**{"database.url": database_url})
    events = PaymentEvents()
    async with running_bot(tmp_path / "a", shared, plugins=PLUGINS,
                           extra_plugins=[events]) as a:
        other = await Worker.start(database_url, tmp_path / "b")
        alice = a.user(42, "Alice")
        invoice = await invoice_for(a, alice)
        payment = a.updates.payment(alice.sender, invoice.payload, "XTR", 50, "charge-8")

        stalled, release = asyncio.Event(), asyncio.Event()
        grant = PaymentsService._grant

        async def stall_first(self: PaymentsService, row: Payment) -> None:
            if not stalled.is_set():
                stalled.set()
                await release.wait()
            await grant(self, row)

        monkeypatch.setattr(PaymentsService, "_grant", stall_first)
        first = asyncio.create_task(a.deliver(payment))
        await stalled.wait()  # A's payment row is written; its grant is not
        assert await other.deliver(dataclasses.replace(payment, key="b-1")) == "ok"
        # Within A, one chat's updates are handled in order: the second waits for the first.
        second = asyncio.create_task(a.deliver(dataclasses.replace(payment, key="a-2")))
        await asyncio.sleep(0.2)
        assert not second.done()
        release.set()
        assert (await first).outcome == "ok" and (await second).outcome == "ok"
        elsewhere = await other.finish()

        assert await a.service("credits").balance(42) == 100
        count = await a.kernel.db.run(
            lambda: CreditLedger.select().where(CreditLedger.user_id == 42).count())
        assert count == 1
        assert len(_thanks(a.transport.actions)) + elsewhere["thanks"] == 1
        assert len(events.seen) + elsewhere["events"] == 1


async def test_crash_between_payment_row_and_grant_is_completed_at_start(
        tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = settings(**{"database.url": database_url})
    async with running_bot(tmp_path, shared, plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        invoice = await invoice_for(bot, alice)
        assert answer(await bot.pre_checkout(alice, invoice.payload, "XTR", 50)).ok

        async def crash(self: PaymentsService, row: Payment) -> None:
            raise RuntimeError("the process died here")

        monkeypatch.setattr(PaymentsService, "_grant", crash)
        payment = bot.updates.payment(alice.sender, invoice.payload, "XTR", 50, "charge-9")
        crashed = await bot.deliver(payment)
        assert crashed.outcome == "error"
        assert await bot.service("credits").balance(42) == 0
        row = await bot.kernel.db.run(lambda: Payment.get(Payment.charge_id == "charge-9"))
        assert row.granted_at is None  # the row was written, the grant was not
        monkeypatch.undo()
        # Telegram will not deliver it again, and a redelivery would be dropped anyway.
        assert (await bot.deliver(payment)).outcome == "duplicate"
        assert await bot.service("credits").balance(42) == 0

    async with running_bot(tmp_path, shared, plugins=PLUGINS) as restarted:
        assert await restarted.service("credits").balance(42) == 100
        assert len(_thanks(restarted.transport.actions)) == 1  # told at start-up
        row = await restarted.kernel.db.run(
            lambda: Payment.get(Payment.charge_id == "charge-9"))
        assert row.granted_at is not None
        entries = await restarted.kernel.db.run(
            lambda: CreditLedger.select().where(CreditLedger.idempotency_key == "charge-9")
            .count())
        assert entries == 1

    async with running_bot(tmp_path, shared, plugins=PLUGINS) as again:
        # Nothing left to complete: a second restart grants nothing more.
        assert await again.service("credits").balance(42) == 100
        assert _thanks(again.transport.actions) == []


async def test_crash_after_the_grant_does_not_grant_twice(tmp_path: Path) -> None:
    """The grant committed but `granted_at` was not set: start-up finds the ledger entry."""
    shared = settings(tmp_path)
    async with running_bot(tmp_path, shared, plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        invoice = await invoice_for(bot, alice)
        await bot.paid(alice, invoice.payload, "XTR", 50, "charge-3")

        def forget() -> int:
            return Payment.update(granted_at=None).where(
                Payment.charge_id == "charge-3").execute()

        assert await bot.kernel.db.transaction(forget) == 1
    async with running_bot(tmp_path, shared, plugins=PLUGINS) as restarted:
        assert await restarted.service("credits").balance(42) == 100
        count = await restarted.kernel.db.run(
            lambda: CreditLedger.select().where(CreditLedger.idempotency_key == "charge-3")
            .count())
        assert count == 1

