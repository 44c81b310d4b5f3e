"""The payments service: invoices, pre-checkout checks, payments granted exactly once, refunds
through a durable outbox, auto-recharge invoices. Other plugins use it as
`kernel.service("payments")`.

How a payment stays exactly-once:
1. the payment row is written first, keyed by the Telegram charge id (unique): a second
   delivery, or a second worker at the same moment, hits the constraint and writes nothing;
2. the credits are granted through the credits ledger with the charge id as idempotency key;
3. `granted_at` is set by a conditional update (`WHERE granted_at IS NULL`): whoever sets it
   thanks the user and emits `payment_succeeded`, once.
A crash between 1 and 3 leaves a row without `granted_at`; `recover()` completes it at start-up.

Refunds: `/refund` reverses the credits (refused with the numbers when they are spent, unless
forced), then queues a `payment_refunds` row. `process_refunds()` claims due rows with a
conditional update (so two workers never send the same refund at once), sends `RefundStars`,
and retries with exponential backoff; `RetryAfter` pauses the whole outbox, `AlreadyDone`
counts as done.
"""

from __future__ import annotations

import asyncio
import csv
import io
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import peewee
from loguru import logger

from core.errors import AlreadyDone, RetryAfter, UserError
from core.formats import Money
from core.i18n import Text
from core.models import utcnow
from core.records import create_once
from core.tasks import BackgroundTask
from core.types import PaymentInfo, RefundStars, SendInvoice, SendMessage
from plugins.credits.contract import Credits, InsufficientCredits
from plugins.payments import payload
from plugins.payments.models import (
    DONE,
    FAILED,
    PAID,
    PENDING,
    REFUNDED,
    REFUNDING,
    REVIEW,
    Payment,
    PaymentOrder,
    PaymentRecharge,
    PaymentRefund,
)
from plugins.payments.packages import Package, parse_packages, topup_price

if TYPE_CHECKING:
    from core.context import BotUser
    from core.kernel import Kernel

BUY, RECHARGE = "buy", "recharge"
ERROR_LIMIT = 300


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    charge_id: str
    user_id: int
    credits: int
    amount: int
    currency: str
    package: str
    status: str
    created_at: datetime | None
    granted: bool


@dataclass(frozen=True, slots=True)
class RefundRequest:
    charge_id: str
    user_id: int
    reversed_credits: int  # credits taken back now (0 when forced with everything spent)
    unrecovered: int  # credits the user had already spent (forced refunds)
    queued: bool  # False: a refund for this charge was already queued


def _record(row: Payment) -> PaymentRecord:
    return PaymentRecord(row.charge_id, row.user_id, row.credits, row.amount, row.currency,
                         row.package, row.status, row.created_at, row.granted_at is not None)


class PaymentsService:
    def __init__(self, kernel: Kernel, settings: Any,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.kernel = kernel
        self.db = kernel.db
        self.packages: tuple[Package, ...] = parse_packages(settings.packages)
        self.secrets: tuple[str, ...] = tuple(settings.payload_secrets)
        self.provider_token: str = settings.provider_token
        self.deadline: float = float(settings.precheckout_deadline)
        self.recharge_package: str = settings.recharge_package
        cooldown = settings.recharge_cooldown
        # Credits already fires balance_low at most once per its own cool-down; this guard is
        # the same length by default, so it only stops repeats (a second worker, a re-emitted
        # event) and never makes the wait longer than the operator configured.
        if cooldown is None:
            cooldown = kernel.settings.get("credits.low_balance_cooldown", 86_400)
        self.recharge_cooldown: int = int(cooldown)
        self.refund_base_delay: float = float(settings.refund_base_delay)
        self.refund_max_delay: float = float(settings.refund_max_delay)
        self.refund_max_attempts: int = settings.refund_max_attempts
        self.refund_poll: float = float(settings.refund_poll)
        self.refund_lease: float = float(settings.refund_lease)
        # Epoch seconds for what is stored (next attempts, cool-downs). Tests replace it.
        self.wall_clock = wall_clock
        self.paused_until = 0.0  # a RetryAfter pauses the refund outbox until then
        self._wake = asyncio.Event()
        self._worker = BackgroundTask("payment-refunds")

    @property
    def credits(self) -> Credits:
        return self.kernel.service("credits")  # typed by the credits plugin's contract

    # ---- packages and invoices -----------------------------------------------------------------

    def package(self, package_id: str) -> Package | None:
        return next((p for p in self.packages if p.id == package_id), None)

    def _offer(self, kind: str, package_id: str, credits: int) -> Package | None:
        """What the order would cost now: None when it is no longer offered."""
        pkg = self.package(package_id)
        if pkg is None:
            return None
        if kind == RECHARGE:
            if package_id != self.recharge_package:
                return None
            return Package(pkg.id, credits, topup_price(pkg, credits), pkg.currency, "")
        return pkg

    async def invoice(self, user_id: int, package_id: str) -> SendInvoice:
        """Write an order for `package_id` and send its invoice to the user."""
        pkg = self.package(package_id)
        if pkg is None:
            raise UserError(Text("payments-not-offered"))
        return await self._invoice(user_id, BUY, pkg,
                                   Text("payments-invoice-description", credits=pkg.credits))

    async def _invoice(self, user_id: int, kind: str, pkg: Package,
                       description: Text) -> SendInvoice:
        if not self.secrets:
            raise UserError(Text("payments-not-set-up"))
        t = await self.kernel.texts_for(user_id)
        title = (t("payments-topup-title", credits=pkg.credits) if kind == RECHARGE
                 else pkg.title_in(t))

        def write() -> int:
            return PaymentOrder.insert(user_id=user_id, kind=kind, package=pkg.id,
                                       credits=pkg.credits, amount=pkg.price,
                                       currency=pkg.currency, created_at=utcnow()).execute()

        order_id = int(await self.db.transaction(write))
        action = SendInvoice(
            user_id, title, t.text(description),
            payload.sign(self.secrets, order_id, user_id, pkg.price, pkg.currency),
            pkg.currency, pkg.price, "" if pkg.is_stars else self.provider_token, title)
        await self.kernel.send(action)
        return action

    # ---- pre-checkout ---------------------------------------------------------------------------

    async def check(self, user: BotUser, info: PaymentInfo) -> Text | None:
        """None when the pre-checkout query may go ahead, else the reason to decline.
        The caller bounds this by `precheckout_deadline`."""
        if user.is_banned:
            return Text("payments-not-available")
        order_id = payload.verify(self.secrets, info.payload, user.id, info.total_amount,
                                  info.currency)
        if order_id is None:
            return Text("payments-invalid-invoice")
        order = await self.db.run(lambda: PaymentOrder.get_or_none(PaymentOrder.id == order_id))
        if order is None or order.user_id != user.id:
            return Text("payments-invalid-invoice")
        offer = self._offer(order.kind, order.package, order.credits)
        if offer is None:
            return Text("payments-package-gone")
        if offer.price != order.amount or offer.currency != order.currency:
            return Text("payments-price-changed", price=Money(offer.price, offer.currency))
        return None

    # ---- successful payments --------------------------------------------------------------------

    async def record(self, user_id: int, info: PaymentInfo) -> PaymentRecord:
        """A successful payment arrived: write it (once), then grant its credits (once)."""
        charge_id = info.telegram_payment_charge_id
        if not charge_id:
            raise ValueError("a successful payment without telegram_payment_charge_id")
        order_id = payload.verify(self.secrets, info.payload, user_id, info.total_amount,
                                  info.currency)

        def write() -> None:
            order = (PaymentOrder.get_or_none(PaymentOrder.id == order_id)
                     if order_id is not None else None)
            valid = order is not None and order.user_id == user_id
            Payment.create(
                charge_id=charge_id, provider_charge_id=info.provider_payment_charge_id,
                user_id=user_id, order_id=order_id if valid else None,
                package=order.package if valid else "",
                credits=order.credits if valid else 0, amount=info.total_amount,
                currency=info.currency, status=PAID if valid else REVIEW, created_at=utcnow())
            if valid:
                (PaymentOrder.update(paid_at=utcnow())
                 .where(PaymentOrder.id == order_id, PaymentOrder.paid_at.is_null()).execute())

        try:
            await self.db.transaction(write)
        except peewee.IntegrityError:
            logger.info("payment {} delivered again: the first delivery wrote it", charge_id)
        row = await self.db.run(lambda: Payment.get(Payment.charge_id == charge_id))
        if row.status == REVIEW and row.granted_at is None:
            await self._alert(Text("payments-bad-payload", charge=charge_id, user=str(user_id),
                                   price=Money(info.total_amount, info.currency)))
            return _record(row)
        if row.granted_at is None:
            await self._complete(row)
            row = await self.db.run(lambda: Payment.get(Payment.charge_id == charge_id))
        return _record(row)

    async def _grant(self, row: Payment) -> None:
        """The ledger entry; idempotent on the charge id."""
        await self.credits.credit(row.user_id, row.credits, f"payment {row.package}",
                                  row.charge_id, purchased=True)

    async def _complete(self, row: Payment) -> None:
        await self._grant(row)

        def mark() -> int:
            return (Payment.update(granted_at=utcnow())
                    .where(Payment.charge_id == row.charge_id, Payment.granted_at.is_null())
                    .execute())

        if await self.db.transaction(mark) != 1:
            return  # another worker completed it first and has told the user
        record = _record(row)
        await self.kernel.emit("payment_succeeded", user_id=row.user_id, payment=record)
        balance = await self.credits.balance(row.user_id)
        await self._tell(row.user_id, Text("payments-thanks", credits=row.credits,
                                           price=Money(row.amount, row.currency),
                                           balance=balance))

    async def recover(self) -> int:
        """Complete payments whose grant did not happen (a crash between the two writes)."""

        def fetch() -> list[Payment]:
            return list(Payment.select().where(Payment.granted_at.is_null(),
                                               Payment.status != REVIEW).order_by(Payment.id))

        done = 0
        for row in await self.db.run(fetch):
            try:
                await self._complete(row)
                done += 1
            except Exception:
                logger.exception("could not complete payment {}", row.charge_id)
        if done:
            logger.warning("completed {} payments left without their credits", done)
        return done

    # ---- refunds ---------------------------------------------------------------------------------

    async def request_refund(self, charge_id: str, *, actor: int | None = None,
                             force: bool = False) -> RefundRequest:
        """Reverse the credits of a payment and queue its Stars refund."""
        row = await self.db.run(lambda: Payment.get_or_none(Payment.charge_id == charge_id))
        if row is None:
            raise UserError(Text("payments-no-payment", charge=charge_id[:80]))
        if row.currency != "XTR":
            raise UserError(Text("payments-stars-only"))
        if row.status == REVIEW:
            raise UserError(Text("payments-under-review"))
        if row.status in (REFUNDING, REFUNDED):
            return RefundRequest(charge_id, row.user_id, 0, 0, queued=False)
        reversed_credits = unrecovered = 0
        # A reversal written before a crash (and before the refund was queued) is reused: the
        # credits are taken back once whatever happens.
        done = await self.credits.reversal(charge_id)
        try:
            entry = done or await self.credits.reverse(
                charge_id, f"refund of payment {row.package}", force=force, actor=actor)
            reversed_credits = -entry.amount
            unrecovered = row.credits - reversed_credits
        except InsufficientCredits as exc:
            if not force:
                raise UserError(Text("payments-refund-force", problem=exc.message,
                                     charge=charge_id)) from None
            unrecovered = row.credits  # forced, and nothing was left to take back

        def queue() -> bool:
            (Payment.update(status=REFUNDING)
             .where(Payment.charge_id == charge_id, Payment.status == PAID).execute())
            return create_once(PaymentRefund, charge_id=charge_id, user_id=row.user_id,
                               actor=actor, status=PENDING, next_attempt_at=self.wall_clock(),
                               created_at=utcnow()) is not None

        queued = await self.db.transaction(queue)
        self._wake.set()
        return RefundRequest(charge_id, row.user_id, reversed_credits, unrecovered, queued)

    def _backoff(self, attempts: int) -> float:
        return min(self.refund_max_delay, self.refund_base_delay * 2 ** max(0, attempts - 1))

    async def process_refunds(self, limit: int = 20) -> int:
        """Send the refunds that are due; return how many finished (done or failed)."""
        now = self.wall_clock()
        if now < self.paused_until:
            return 0

        def due() -> list[PaymentRefund]:
            return list(PaymentRefund.select()
                        .where(PaymentRefund.status == PENDING,
                               PaymentRefund.next_attempt_at <= now)
                        .order_by(PaymentRefund.next_attempt_at).limit(limit))

        finished = 0
        for row in await self.db.run(due):
            if not await self._claim(row, now):
                continue  # another worker has it
            try:
                await self.kernel.send(RefundStars(row.user_id, row.user_id, row.charge_id))
            except AlreadyDone:
                await self._refund_done(row, "already refunded")
                finished += 1
            except RetryAfter as exc:
                # Flood control: the attempt does not count, and nothing else is tried until
                # the wait is over.
                self.paused_until = self.wall_clock() + exc.seconds
                await self._refund_retry(row, self.paused_until, f"flood wait {exc.seconds}s",
                                         count=False)
                logger.warning("refund outbox paused {}s by flood control", exc.seconds)
                break
            except Exception as exc:
                attempts = row.attempts + 1
                error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
                if attempts >= self.refund_max_attempts:
                    await self._refund_failed(row, attempts, error)
                    finished += 1
                else:
                    await self._refund_retry(row, self.wall_clock() + self._backoff(attempts),
                                             error, count=True)
            else:
                await self._refund_done(row, None)
                finished += 1
        return finished

    async def _claim(self, row: PaymentRefund, now: float) -> bool:
        """Take the row for one attempt: its next attempt moves a lease ahead, conditionally."""

        def claim() -> int:
            return (PaymentRefund.update(next_attempt_at=now + self.refund_lease)
                    .where(PaymentRefund.id == row.id, PaymentRefund.status == PENDING,
                           PaymentRefund.next_attempt_at <= now).execute())

        return await self.db.transaction(claim) == 1

    async def _refund_retry(self, row: PaymentRefund, when: float, error: str, *,
                            count: bool) -> None:
        attempts = row.attempts + 1 if count else row.attempts
        await self.db.transaction(lambda: PaymentRefund.update(
            attempts=attempts, next_attempt_at=when, last_error=error)
            .where(PaymentRefund.id == row.id, PaymentRefund.status == PENDING).execute())

    async def _refund_done(self, row: PaymentRefund, note: str | None) -> None:
        def finish() -> int:
            changed = (PaymentRefund.update(status=DONE, done_at=utcnow(), last_error=note,
                                            attempts=row.attempts + 1)
                       .where(PaymentRefund.id == row.id, PaymentRefund.status == PENDING)
                       .execute())
            Payment.update(status=REFUNDED).where(Payment.charge_id == row.charge_id).execute()
            return changed

        if await self.db.transaction(finish) == 1:
            await self._tell(row.user_id, Text("payments-refunded-to-user"))

    async def _refund_failed(self, row: PaymentRefund, attempts: int, error: str) -> None:
        await self.db.transaction(lambda: PaymentRefund.update(
            status=FAILED, attempts=attempts, last_error=error)
            .where(PaymentRefund.id == row.id, PaymentRefund.status == PENDING).execute())
        await self._alert(Text("payments-refund-failed", charge=row.charge_id,
                               attempts=attempts, error=error))

    async def refund_status(self, charge_id: str) -> dict[str, Any] | None:
        def fetch() -> dict[str, Any] | None:
            row = PaymentRefund.get_or_none(PaymentRefund.charge_id == charge_id)
            if row is None:
                return None
            return {"status": row.status, "attempts": row.attempts,
                    "next_attempt_at": row.next_attempt_at, "last_error": row.last_error}

        return await self.db.run(fetch)

    # ---- the refund worker -----------------------------------------------------------------------

    def start_worker(self) -> None:
        self._worker.start(self._work)

    async def stop_worker(self) -> None:
        await self._worker.stop()

    async def _work(self) -> None:
        clock = self.kernel.clock
        while True:
            try:
                await self.process_refunds()
            except Exception:
                logger.exception("refund outbox: a round failed; trying again later")
            self._wake.clear()
            wait = max(self.refund_poll, self.paused_until - self.wall_clock())
            sleeper = asyncio.ensure_future(clock.sleep(wait))
            waker = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                waker.cancel()

    # ---- auto-recharge ---------------------------------------------------------------------------

    async def recharge(self, user_id: int, credits: int) -> SendInvoice | None:
        """A one-tap top-up invoice for `credits`, at most once per cool-down per user (also
        across workers and re-emitted events). None when not sent."""
        pkg = self.package(self.recharge_package) if self.recharge_package else None
        if pkg is None or credits <= 0:
            return None
        now = self.wall_clock()
        cutoff = now - self.recharge_cooldown

        def claim() -> bool:
            # The unique user id or the conditional update decides, never the read.
            if PaymentRecharge.get_or_none(PaymentRecharge.user_id == user_id) is None:
                return create_once(PaymentRecharge, user_id=user_id,
                                   last_sent_at=now) is not None
            return (PaymentRecharge.update(last_sent_at=now)
                    .where(PaymentRecharge.user_id == user_id,
                           PaymentRecharge.last_sent_at <= cutoff).execute()) == 1

        if not await self.db.transaction(claim):
            return None
        offer = Package(pkg.id, credits, topup_price(pkg, credits), pkg.currency, "")
        return await self._invoice(user_id, RECHARGE, offer, Text("payments-topup-description"))

    # ---- reports ---------------------------------------------------------------------------------

    async def recent(self, limit: int = 10) -> list[PaymentRecord]:
        def fetch() -> list[PaymentRecord]:
            return [_record(r) for r in Payment.select().order_by(Payment.id.desc()).limit(limit)]

        return await self.db.run(fetch)

    async def search(self, *, user_id: int | None = None, status: str = "",
                     currency: str = "", offset: int = 0, limit: int = 50
                     ) -> tuple[list[PaymentRecord], int]:
        """Payments newest first, filtered by payer, status and currency; and their count."""

        def fetch() -> tuple[list[PaymentRecord], int]:
            query = Payment.select()
            if user_id is not None:
                query = query.where(Payment.user_id == user_id)
            if status:
                query = query.where(Payment.status == status)
            if currency:
                query = query.where(Payment.currency == currency.upper()[:3])
            rows = query.order_by(Payment.id.desc()).offset(offset).limit(limit)
            return [_record(r) for r in rows], query.count()

        return await self.db.run(fetch)

    async def get(self, charge_id: str) -> PaymentRecord:
        row = await self.db.run(lambda: Payment.get_or_none(Payment.charge_id == charge_id))
        if row is None:
            raise UserError(f"No payment with charge id {charge_id[:80]!r}.")
        return _record(row)

    async def totals(self, days: int = 14) -> tuple[dict[tuple[str, str], tuple[int, int]],
                                                     dict[str, tuple[int, int]]]:
        """({(day, currency): (count, amount)} for the last `days`, {currency: (count, amount)}
        for all time). Refunded payments are left out."""
        since = utcnow() - timedelta(days=days)

        def fetch() -> tuple[dict[tuple[str, str], tuple[int, int]], dict[str, tuple[int, int]]]:
            by_day: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
            rows = (Payment.select(Payment.created_at, Payment.currency, Payment.amount)
                    .where(Payment.created_at >= since, Payment.status != REFUNDED).tuples())
            for created, currency, amount in rows:
                day = created.strftime("%Y-%m-%d") if isinstance(created, datetime) \
                    else str(created)[:10]
                by_day[(day, currency)][0] += 1
                by_day[(day, currency)][1] += amount
            overall = {c: (int(n), int(s or 0)) for c, n, s in
                       Payment.select(Payment.currency, peewee.fn.COUNT(Payment.id),
                                      peewee.fn.SUM(Payment.amount))
                       .where(Payment.status != REFUNDED).group_by(Payment.currency).tuples()}
            return {k: (v[0], v[1]) for k, v in sorted(by_day.items())}, overall

        return await self.db.run(fetch)

    async def csv_export(self, limit: int = 100_000) -> bytes:
        columns = ("created_at", "charge_id", "user_id", "package", "credits", "amount",
                   "currency", "status", "granted_at")

        def fetch() -> bytes:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(columns)
            for row in Payment.select().order_by(Payment.id).limit(limit):
                writer.writerow([getattr(row, c) if getattr(row, c) is not None else ""
                                 for c in columns])
            return out.getvalue().encode()

        return await self.db.run(fetch)

    async def user_lines(self, user_id: int) -> list[Text]:
        def fetch() -> list[Text]:
            rows = list(Payment.select(Payment.currency, peewee.fn.COUNT(Payment.id),
                                       peewee.fn.SUM(Payment.amount))
                        .where(Payment.user_id == user_id, Payment.status != REFUNDED)
                        .group_by(Payment.currency).tuples())
            refunded = (Payment.select().where(Payment.user_id == user_id,
                                               Payment.status == REFUNDED).count())
            lines = [Text("payments-user-line", count=n, price=Money(int(s or 0), c))
                     for c, n, s in rows]
            if refunded:
                lines.append(Text("payments-user-refunded", count=refunded))
            return lines

        return await self.db.run(fetch)

    async def buyers(self, currency: str = "") -> list[int]:
        """Users with a payment that was not refunded (in `currency`, when given)."""

        def fetch() -> list[int]:
            query = (Payment.select(Payment.user_id).distinct()
                     .where(Payment.status.in_([PAID, REFUNDING])))
            if currency:
                query = query.where(Payment.currency == currency.upper()[:3])
            return sorted(uid for (uid,) in query.tuples())

        return await self.db.run(fetch)

    async def figures(self) -> dict[str, Any]:
        def fetch() -> dict[str, Any]:
            figures: dict[str, Any] = {"payments": Payment.select().where(
                Payment.status != REFUNDED).count()}
            for currency, total in (Payment.select(Payment.currency,
                                                   peewee.fn.SUM(Payment.amount))
                                    .where(Payment.status != REFUNDED)
                                    .group_by(Payment.currency).tuples()):
                figures[f"payments received {currency}"] = int(total or 0)
            figures["refunds pending"] = PaymentRefund.select().where(
                PaymentRefund.status == PENDING).count()
            figures["refunds failed"] = PaymentRefund.select().where(
                PaymentRefund.status == FAILED).count()
            return figures

        return await self.db.run(fetch)

    # ---- telling people --------------------------------------------------------------------------

    async def _tell(self, user_id: int, text: Text) -> None:
        try:
            t = await self.kernel.texts_for(user_id)
            await self.kernel.send(SendMessage(user_id, t.text(text)))
        except Exception:
            logger.exception("could not tell user {} about their payment", user_id)

    async def _alert(self, text: Text) -> None:
        logger.warning(self.kernel.texts().text(text))
        for admin in sorted(self.kernel.admins):
            await self._tell(admin, text)
