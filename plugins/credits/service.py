"""The credits service: balances, the ledger, tiers and auto-recharge. Other plugins use it as
`kernel.service("credits")`.

Rules every method keeps:
- Amounts are whole numbers (`int`, never `bool` or `float`), 1..`credits.max_amount`.
- Every change of a balance is one ledger row, written in the same transaction as a
  conditional update of the account (`balance = balance - :n WHERE balance >= :n`), so a balance
  never goes negative and always equals the sum of its ledger, on SQLite (BEGIN IMMEDIATE) and
  on PostgreSQL (READ COMMITTED: the row lock makes the second writer re-check the condition).
- Every change carries an idempotency key (unique in the ledger). Applying a key a second time
  changes nothing and returns the original entry with `duplicate=True`.
- Events (`credits_changed`, `tier_changed`, `balance_low`) fire after the commit, and the
  cached account is dropped after every change.

Errors are `UserError`s whose message can be shown as it is: `InsufficientCredits` (with
`balance`, `needed` and `shortfall`), `CreditsError` for bad input or unknown entries.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import peewee
from loguru import logger

from core.db import Database
from core.errors import UserError
from core.i18n import Text
from core.models import utcnow
from core.types import SendMessage
from plugins.credits.contract import CreditsError, InsufficientCredits
from plugins.credits.models import CreditAccount, CreditLedger

if TYPE_CHECKING:
    from core.kernel import Kernel

CREDIT, DEBIT, REFUND, REVERSAL, REVOKE = "credit", "debit", "refund", "reversal", "revoke"
KEY_LIMIT = 180  # caller keys; derived keys ("refund:...") must still fit the 200 column
REASON_LIMIT = 200
CACHE_PREFIX = "credits:account:"


# ---- what the service returns ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    threshold: int  # credits bought in total to reach it
    discount: int  # percent off, applied by the plugins that sell things


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One change of a balance. Also the receipt of `credit`, `debit`, `refund` and `reverse`.

    `duplicate` is True when the idempotency key had already been applied: the entry is the
    original one and nothing changed this time.
    """

    id: int
    user_id: int
    amount: int  # signed: positive adds credits
    balance_after: int
    kind: str  # credit, debit, refund, reversal, revoke
    reason: str
    key: str
    reference: str | None = None  # the key of the entry a refund or reversal undoes
    actor: int | None = None
    purchased: bool = False
    created_at: datetime | None = None
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Account:
    user_id: int
    balance: int
    purchased_total: int
    tier: Tier | None
    recharge_threshold: int | None = None  # auto-recharge; both None when off
    recharge_amount: int | None = None

    @property
    def discount(self) -> int:
        return self.tier.discount if self.tier else 0


@dataclass(frozen=True, slots=True)
class HistoryPage:
    entries: tuple[LedgerEntry, ...]  # newest first
    total: int
    offset: int
    limit: int

    @property
    def has_newer(self) -> bool:
        return self.offset > 0

    @property
    def has_older(self) -> bool:
        return self.offset + len(self.entries) < self.total


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One change of a batch: positive `amount` credits, negative debits."""

    user_id: int
    amount: int
    reason: str
    key: str
    actor: int | None = None
    purchased: bool = False


@dataclass(frozen=True, slots=True)
class BatchFailure:
    index: int
    item: BatchItem
    reason: str | Text  # for the operator: translate it with `t.text(reason)`


@dataclass(frozen=True, slots=True)
class BatchResult:
    applied: tuple[LedgerEntry, ...]  # in the items' order; duplicates included
    failed: tuple[BatchFailure, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """Credits issued (granted or bought, minus revoked and reversed), spent (debited minus
    refunded) and outstanding (the sum of balances): issued - spent == outstanding.
    `purchased` is bought credits net of reversals."""

    issued: int
    spent: int
    outstanding: int
    purchased: int
    accounts: int
    entries: int


# ---- errors ------------------------------------------------------------------------------------


REVERSAL_KEY = "reverse:"

# ---- internals ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Outcome:
    """What one committed change produced, for the events fired after the commit."""

    entry: LedgerEntry
    old_tier: str | None = None
    new_tier: str | None = None
    tier_changed: bool = False
    low: tuple[int, int] | None = None  # (threshold, amount) when balance_low is due
    unrecovered: int = 0  # a forced reversal: credits that were already spent


# A change written inside a caller's transaction, waiting for `after_commit`; `.entry` is its
# LedgerEntry.
Pending = _Outcome


def _ledger_entry(row: CreditLedger, duplicate: bool = False) -> LedgerEntry:
    return LedgerEntry(row.id, row.user_id, row.amount, row.balance_after, row.kind, row.reason,
                       row.idempotency_key, row.reference, row.actor, bool(row.purchased),
                       row.created_at, duplicate)


def check_amount(amount: Any, maximum: int) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= maximum:
        raise CreditsError(Text("credits-bad-amount", maximum=maximum))
    return amount


def check_key(key: Any) -> str:
    if not isinstance(key, str) or not key or len(key) > KEY_LIMIT:
        raise CreditsError(f"An idempotency key must be 1 to {KEY_LIMIT} characters.")
    return key


def clean_reason(reason: Any) -> str:
    text = " ".join(str(reason or "").split())
    return text[:REASON_LIMIT]


def discounted(price: int, percent: int) -> int:
    """The price after a percentage discount, integer math: the discount is rounded down, so
    the buyer never pays less than the percentage says (100 at 15% -> 85; 9 at 10% -> 9)."""
    return price - price * percent // 100


def parse_tiers(raw: Iterable[Any]) -> tuple[Tier, ...]:
    """Tiers from settings (a list of {name, threshold, discount}), lowest first.

    Raises ValueError naming the problem (used by the settings validator too)."""
    tiers: list[Tier] = []
    for item in raw or []:
        try:
            name, threshold, discount = item["name"], item["threshold"], item["discount"]
        except (KeyError, TypeError):
            raise ValueError("each tier needs name, threshold and discount") from None
        if not isinstance(name, str) or not 1 <= len(name) <= 32:
            raise ValueError(f"tier name {name!r} must be 1 to 32 characters")
        for label, value, low, high in (("threshold", threshold, 1, 10**12),
                                        ("discount", discount, 0, 90)):
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ValueError(f"tier {name!r}: {label} must be a whole number from {low} "
                                 f"to {high}")
        tiers.append(Tier(name, threshold, discount))
    tiers.sort(key=lambda t: t.threshold)
    names = [t.name for t in tiers]
    if len(set(names)) != len(names):
        raise ValueError("tier names must be unique")
    if len({t.threshold for t in tiers}) != len(tiers):
        raise ValueError("tier thresholds must be different")
    return tuple(tiers)


class CreditsService:
    """Balances and the ledger. All public methods are coroutines; see the module docstring."""

    def __init__(self, kernel: Kernel, settings: Any,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.kernel = kernel
        self.db = kernel.db
        self.cache = kernel.cache
        self.max_amount: int = settings.max_amount
        self.tiers = parse_tiers(settings.tiers)
        self.low_cooldown: int = settings.low_balance_cooldown
        self.cache_ttl: int = settings.cache_ttl
        self.announce_tiers: bool = settings.announce_tiers
        # SQLite has one writer at a time and each commit writes every page it touched, so
        # concurrent changes share a transaction there (each in its own savepoint). PostgreSQL
        # runs them in parallel, each in its own transaction, serialised by the row lock.
        self._group = (GroupCommit(self.db, self._apply_savepoint, settings.group_commit)
                       if self.db.kind == "sqlite" and settings.group_commit > 1 else None)
        # Epoch seconds, stored in the database for the balance_low cool-down. Tests replace it.
        self.wall_clock = wall_clock
        self._changes = 0  # committed changes so far: guards the cache against stale reads
        pg = self.db.kind == "postgresql"
        self._pg = pg
        p = "%s" if pg else "?"
        self._sql = {
            name: sql.replace("?", p) for name, sql in {
                "credit": (
                    "INSERT INTO credit_accounts (user_id, balance, purchased_total) "
                    "VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                    "balance = credit_accounts.balance + excluded.balance, "
                    "purchased_total = credit_accounts.purchased_total + excluded.purchased_total "
                    "RETURNING balance, purchased_total, tier"),
                "debit": (
                    "UPDATE credit_accounts SET balance = balance - ? "
                    "WHERE user_id = ? AND balance >= ? "
                    "RETURNING balance, recharge_threshold, recharge_amount, low_alert_at"),
                "ledger": (
                    "INSERT INTO credit_ledger (user_id, amount, balance_after, kind, reason, "
                    "reference, idempotency_key, actor, purchased, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + (" RETURNING id" if pg else "")),
                "balance": "SELECT balance FROM credit_accounts WHERE user_id = ?",
                "zero": (
                    "UPDATE credit_accounts SET balance = 0 WHERE user_id = ? AND balance = ?"),
                "unpurchase": (
                    "UPDATE credit_accounts SET purchased_total = CASE WHEN purchased_total >= ? "
                    "THEN purchased_total - ? ELSE 0 END WHERE user_id = ? "
                    "RETURNING purchased_total, tier"),
                "set_tier": "UPDATE credit_accounts SET tier = ? WHERE user_id = ?",
                "low_alert": (
                    "UPDATE credit_accounts SET low_alert_at = ? WHERE user_id = ? "
                    "AND (low_alert_at IS NULL OR low_alert_at <= ?)"),
                "original": (
                    "SELECT user_id, amount, kind, purchased FROM credit_ledger "
                    "WHERE idempotency_key = ?"),
            }.items()
        }

    # ---- reading -------------------------------------------------------------------------------

    def tier_for(self, purchased_total: int) -> Tier | None:
        """The highest tier whose threshold `purchased_total` reaches (None below the first)."""
        found = None
        for tier in self.tiers:
            if purchased_total >= tier.threshold:
                found = tier
        return found

    async def account(self, user_id: int) -> Account:
        """The user's account (a zero account when they never had credits). Cached."""
        key = CACHE_PREFIX + str(user_id)
        cached = await self.cache.get(key)
        if cached is not None:
            return cached
        # A change committed while we read may be older than our read's snapshot or newer:
        # cache only when none happened, so a stale balance is never stored after the
        # invalidation (`_after` counts before it deletes). Other workers: bounded by the TTL.
        changes = self._changes
        account = await self.db.run(self._account, user_id)
        if self._changes == changes:
            await self.cache.set(key, account, self.cache_ttl)
        return account

    def _account(self, user_id: int) -> Account:
        row = CreditAccount.get_or_none(CreditAccount.user_id == user_id)
        if row is None:
            return Account(user_id, 0, 0, None)
        return Account(user_id, row.balance, row.purchased_total,
                       self.tier_for(row.purchased_total), row.recharge_threshold,
                       row.recharge_amount)

    async def balance(self, user_id: int) -> int:
        """The user's balance (0 when they never had credits). Read through the cache."""
        return (await self.account(user_id)).balance

    async def tier(self, user_id: int) -> Tier | None:
        """The user's tier, from the credits they bought in total; None below the first tier."""
        return (await self.account(user_id)).tier

    async def discount(self, user_id: int) -> int:
        """The user's discount in percent (0..90). Apply it with `discounted(price, percent)`."""
        return (await self.account(user_id)).discount

    async def history(self, user_id: int, offset: int = 0, limit: int = 10) -> HistoryPage:
        """Ledger entries of a user, newest first, `limit` (1..100) from `offset`."""
        offset = max(0, int(offset))
        limit = min(100, max(1, int(limit)))

        def fetch() -> HistoryPage:
            query = CreditLedger.select().where(CreditLedger.user_id == user_id)
            total = query.count()
            rows = query.order_by(CreditLedger.id.desc()).offset(offset).limit(limit)
            return HistoryPage(tuple(_ledger_entry(r) for r in rows), total, offset, limit)

        return await self.db.run(fetch)

    async def entry(self, key: str) -> LedgerEntry | None:
        """The ledger entry written with idempotency key `key`, or None."""
        return await self.db.run(self._existing, key)

    def _existing(self, key: str) -> LedgerEntry | None:
        row = CreditLedger.get_or_none(CreditLedger.idempotency_key == key)
        return None if row is None else _ledger_entry(row, duplicate=True)

    async def summary(self) -> Summary:
        """Totals over every account and the whole ledger (full scans: for admins, not hot)."""

        def fetch() -> Summary:
            by_kind = dict(CreditLedger.select(CreditLedger.kind,
                                               peewee.fn.SUM(CreditLedger.amount))
                           .group_by(CreditLedger.kind).tuples())
            entries = CreditLedger.select().count()
            purchased = (CreditLedger.select(peewee.fn.SUM(CreditLedger.amount))
                         .where(CreditLedger.purchased).scalar() or 0)
            outstanding = CreditAccount.select(peewee.fn.SUM(CreditAccount.balance)).scalar()
            accounts = CreditAccount.select().count()
            k = {kind: int(by_kind.get(kind) or 0) for kind in
                 (CREDIT, DEBIT, REFUND, REVERSAL, REVOKE)}
            return Summary(issued=k[CREDIT] + k[REVERSAL] + k[REVOKE],
                           spent=-(k[DEBIT] + k[REFUND]), outstanding=int(outstanding or 0),
                           purchased=int(purchased), accounts=accounts, entries=entries)

        return await self.db.run(fetch)

    async def audit(self) -> list[tuple[int, int, int]]:
        """(user_id, balance, ledger sum) for every account whose balance is not the sum of its
        ledger, or is negative. Empty when all is well (full scan: health checks, tests)."""

        def fetch() -> list[tuple[int, int, int]]:
            sums = dict(CreditLedger.select(CreditLedger.user_id,
                                            peewee.fn.SUM(CreditLedger.amount))
                        .group_by(CreditLedger.user_id).tuples())
            balances = dict(CreditAccount.select(CreditAccount.user_id, CreditAccount.balance)
                            .tuples())
            bad = []
            for user_id in sorted(set(sums) | set(balances)):
                balance, total = balances.get(user_id, 0), int(sums.get(user_id) or 0)
                if balance != total or balance < 0:
                    bad.append((user_id, balance, total))
            return bad

        return await self.db.run(fetch)

    # ---- changing --------------------------------------------------------------------------------

    async def credit(self, user_id: int, amount: int, reason: str, key: str, *,
                     actor: int | None = None, purchased: bool = False) -> LedgerEntry:
        """Add `amount` credits. `purchased=True` for credits paid for (they count toward
        tiers); payments use the Telegram charge id as `key`. Idempotent on `key`."""
        check_amount(amount, self.max_amount)
        op = self._op(user_id, amount, CREDIT, reason, key, actor, purchased)
        return await self._run(op)

    async def debit(self, user_id: int, amount: int, reason: str, key: str, *,
                    actor: int | None = None, kind: str = DEBIT) -> LedgerEntry:
        """Take `amount` credits, or raise `InsufficientCredits` (with balance and shortfall)
        and change nothing. Idempotent on `key`. `kind="revoke"` for an admin taking credits
        back (counted as un-issued rather than spent)."""
        if kind not in (DEBIT, REVOKE):
            raise CreditsError("A debit is of kind 'debit' or 'revoke'.")
        check_amount(amount, self.max_amount)
        op = self._op(user_id, -amount, kind, reason, key, actor, False)
        return await self._run(op)

    async def refund(self, debit_key: str, reason: str = "refund", *,
                     actor: int | None = None) -> LedgerEntry:
        """Give back the whole debit written with `debit_key` (key of the refund:
        `refund:<debit_key>`, so refunding twice changes nothing)."""
        check_key(debit_key)
        op = _Op(0, 0, REFUND, clean_reason(reason), "refund:" + debit_key, actor, False,
                 reference=debit_key)
        return await self._run(op)

    async def reverse(self, key: str, reason: str = "reversed", *, force: bool = False,
                      actor: int | None = None) -> LedgerEntry:
        """Take back the credit written with `key` (a refunded payment, a mistaken grant).

        When part of it was already spent, raise `InsufficientCredits` with the numbers and
        change nothing, unless `force`: then take what is left (the balance stays >= 0) and the
        entry's amount says how much was recovered. Purchased credits leave the tier total in
        full either way. Key of the reversal: `reverse:<key>`.
        """
        check_key(key)
        op = _Op(0, 0, REVERSAL, clean_reason(reason), REVERSAL_KEY + key, actor, False,
                 reference=key, force=force)
        return await self._run(op)

    async def reversal(self, key: str) -> LedgerEntry | None:
        """The reversal of the credit written with `key`, if one was written."""
        return await self.entry(REVERSAL_KEY + key)

    async def grant_batch(self, items: Sequence[BatchItem]) -> BatchResult:
        """Apply many changes in one transaction; each item stands alone (a savepoint), so one
        failing item (bad amount, not enough credits) is reported and the rest still apply.
        Items whose key was applied before count as applied (`duplicate=True`)."""
        ops: list[tuple[int, BatchItem, _Op | str | Text]] = []
        for index, item in enumerate(items):
            try:
                if not isinstance(item.amount, int) or isinstance(item.amount, bool):
                    raise CreditsError("The amount must be a whole number.")
                kind = CREDIT if item.amount > 0 else DEBIT
                ops.append((index, item, self._op(item.user_id, item.amount, kind, item.reason,
                                                  item.key, item.actor, item.purchased)))
            except UserError as exc:
                ops.append((index, item, exc.message))

        def work() -> tuple[list[_Outcome], list[BatchFailure]]:
            done: list[tuple[int, _Outcome]] = []
            failed: list[BatchFailure] = []
            now = utcnow()
            # Accounts are locked in user order, so two batches can never deadlock; each
            # user's items keep their order (the sort is stable).
            for index, item, op in sorted(ops, key=_lock_order):
                if not isinstance(op, _Op):
                    failed.append(BatchFailure(index, item, op))
                    continue
                try:
                    done.append((index, self._apply_savepoint(op, now)))
                except UserError as exc:
                    failed.append(BatchFailure(index, item, exc.message))
            failed.sort(key=lambda f: f.index)
            return [outcome for _, outcome in sorted(done, key=lambda d: d[0])], failed

        outcomes, failures = await self.db.transaction(work)
        for outcome in outcomes:
            if not outcome.entry.duplicate:
                await self._after(outcome)
        return BatchResult(tuple(o.entry for o in outcomes), tuple(failures))

    # ---- inside a caller's transaction (a purchase: debit, stock and order commit together) -----

    def debit_in_transaction(self, user_id: int, amount: int, reason: str, key: str, *,
                             actor: int | None = None) -> Pending:
        """`debit` for a caller writing its own rows in the same unit of work: call it
        synchronously inside the caller's `db.transaction(fn)`, then, once that committed,
        `await after_commit(pending)` (drops the cached account, fires the events).

        Raises `InsufficientCredits` (the caller's transaction rolls back). A key applied
        before returns the original entry (`duplicate=True`) and changes nothing."""
        check_amount(amount, self.max_amount)
        return self._apply_within(self._op(user_id, -amount, DEBIT, reason, key, actor, False))

    def refund_in_transaction(self, debit_key: str, reason: str = "refund", *,
                              actor: int | None = None) -> Pending:
        """`refund` inside the caller's transaction; see `debit_in_transaction`."""
        check_key(debit_key)
        op = _Op(0, 0, REFUND, clean_reason(reason), "refund:" + debit_key, actor, False,
                 reference=debit_key)
        return self._apply_within(op)

    async def after_commit(self, pending: Pending) -> None:
        """What `debit`/`refund` do after their own commit, for the `*_in_transaction` forms."""
        if not pending.entry.duplicate:
            await self._after(pending)

    def _apply_within(self, op: _Op) -> Pending:
        # A savepoint: a duplicate key undoes only this change, not the caller's work (on
        # PostgreSQL a failed statement would otherwise poison the whole transaction).
        return self._apply_savepoint(op, utcnow())

    async def set_autorecharge(self, user_id: int, threshold: int | None,
                               amount: int | None) -> Account:
        """Opt in (both numbers) or out (both None). When a debit takes the balance below
        `threshold`, `balance_low` fires (at most once per `credits.low_balance_cooldown`)."""
        if (threshold is None) != (amount is None):
            raise CreditsError("Give both a threshold and an amount, or neither.")
        if threshold is not None:
            check_amount(threshold, self.max_amount)
            check_amount(amount, self.max_amount)

        def work() -> None:
            (CreditAccount.insert(user_id=user_id, balance=0, purchased_total=0)
             .on_conflict_ignore().execute())
            (CreditAccount.update(recharge_threshold=threshold, recharge_amount=amount,
                                  low_alert_at=None)
             .where(CreditAccount.user_id == user_id).execute())

        await self.db.transaction(work)
        self._changes += 1
        await self.cache.delete(CACHE_PREFIX + str(user_id))
        return await self.account(user_id)

    # ---- the one way a balance changes -----------------------------------------------------------

    def _op(self, user_id: Any, amount: Any, kind: str, reason: Any, key: Any,
            actor: int | None, purchased: bool) -> _Op:
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            raise CreditsError("A user id is a whole number.")
        check_amount(abs(amount) if isinstance(amount, int) else amount, self.max_amount)
        return _Op(user_id, amount, kind, clean_reason(reason), check_key(key), actor,
                   bool(purchased))

    async def _run(self, op: _Op) -> LedgerEntry:
        if self._group is not None:
            outcome = await self._group.submit(op)
            if not outcome.entry.duplicate:
                await self._after(outcome)
            return outcome.entry
        try:
            outcome = await self.db.transaction(self._apply, op, utcnow())
        except peewee.IntegrityError:
            # The key was applied before (perhaps by a concurrent call): the transaction rolled
            # back, and the original entry is the answer.
            existing = await self.db.run(self._existing, op.key)
            if existing is None:
                raise
            return self._same(existing, op)
        if not outcome.entry.duplicate:
            await self._after(outcome)
        return outcome.entry

    @staticmethod
    def _same(existing: LedgerEntry, op: _Op) -> LedgerEntry:
        if (op.user_id and existing.user_id != op.user_id) or existing.kind != op.kind:
            # The key is the caller's bookkeeping, not something to show a user.
            raise CreditsError(Text("credits-key-reused"))
        return existing

    def _exec(self, name: str, *params: Any) -> Any:
        return self.db.peewee.execute_sql(self._sql[name], params)

    def _apply_savepoint(self, op: _Op, now: datetime) -> _Outcome:
        try:
            with self.db.peewee.atomic():  # a savepoint: a failure undoes this item only
                return self._apply(op, now)
        except peewee.IntegrityError:
            existing = self._existing(op.key)
            if existing is None:
                raise
            return _Outcome(self._same(existing, op))

    def _apply(self, op: _Op, now: datetime) -> _Outcome:
        """Inside a transaction: the conditional update and its ledger row.

        A change refused for want of credits may be the retry of one that was applied (the
        balance has moved since): then the original entry is the answer, not the refusal."""
        try:
            return self._apply_new(op, now)
        except UserError:
            existing = self._existing(op.key)
            if existing is None:
                raise
            return _Outcome(self._same(existing, op))

    def _apply_new(self, op: _Op, now: datetime) -> _Outcome:
        if op.kind in (REFUND, REVERSAL):
            op = self._resolve(op)
        outcome = _Outcome(LedgerEntry(0, op.user_id, op.amount, 0, op.kind, op.reason, op.key))
        if op.amount > 0:
            balance, purchased_total, old_tier = self._exec(
                "credit", op.user_id, op.amount, op.amount if op.purchased else 0).fetchone()
            if op.purchased:
                self._retier(outcome, op.user_id, purchased_total, old_tier)
        else:
            balance = self._take(op, outcome)
        created = now if self._pg else now.isoformat(" ")
        cursor = self._exec("ledger", op.user_id, op.amount, balance, op.kind, op.reason,
                            op.reference, op.key, op.actor, op.purchased, created)
        entry_id = cursor.fetchone()[0] if self._pg else cursor.lastrowid
        outcome.entry = LedgerEntry(entry_id, op.user_id, op.amount, balance, op.kind, op.reason,
                                    op.key, op.reference, op.actor, op.purchased, now)
        return outcome

    def _take(self, op: _Op, outcome: _Outcome) -> int:
        """The conditional debit; raises InsufficientCredits (or, forced, takes what is left)."""
        need = -op.amount
        row = self._exec("debit", need, op.user_id, need).fetchone()
        if row is None:
            current = self._exec("balance", op.user_id).fetchone()
            have = current[0] if current else 0
            if not op.force:
                if op.kind == REVERSAL:
                    raise InsufficientCredits(
                        have, need, Text("credits-cannot-take-back", needed=need,
                                         spent=need - have, balance=have))
                raise InsufficientCredits(have, need)
            # Forced: empty the balance, compare-and-set so a concurrent change is not lost.
            while have > 0 and self._exec("zero", op.user_id, have).rowcount != 1:
                current = self._exec("balance", op.user_id).fetchone()
                have = current[0] if current else 0
            if have <= 0:
                raise InsufficientCredits(0, need, Text("credits-nothing-to-take-back",
                                                        needed=need))
            outcome.unrecovered = need - have
            op.amount = -have
            balance = 0
        else:
            balance, threshold, amount, alerted = row
            if op.kind == DEBIT and threshold is not None and balance < threshold:
                now_s = int(self.wall_clock())
                if (alerted is None or now_s - alerted >= self.low_cooldown) and self._exec(
                        "low_alert", now_s, op.user_id, now_s - self.low_cooldown).rowcount == 1:
                    outcome.low = (threshold, amount)
        if op.kind == REVERSAL and op.purchased:
            purchased_total, old_tier = self._exec("unpurchase", need, need,
                                                   op.user_id).fetchone()
            self._retier(outcome, op.user_id, purchased_total, old_tier)
        return balance

    def _retier(self, outcome: _Outcome, user_id: int, purchased_total: int,
                old_tier: str | None) -> None:
        tier = self.tier_for(purchased_total)
        new = tier.name if tier else None
        if new != old_tier:
            self._exec("set_tier", new, user_id)
            outcome.old_tier, outcome.new_tier, outcome.tier_changed = old_tier, new, True

    def _resolve(self, op: _Op) -> _Op:
        """A refund or reversal: find the entry it undoes and take its user and amount."""
        row = self._exec("original", op.reference).fetchone()
        want = DEBIT if op.kind == REFUND else CREDIT
        if row is None or row[2] != want:
            raise CreditsError(Text("credits-no-debit" if op.kind == REFUND
                                    else "credits-no-credit"))
        user_id, amount, _, purchased = row
        # A refund gives the debit back; a reversal takes the credit away.
        return _Op(user_id, -amount, op.kind, op.reason, op.key, op.actor, bool(purchased),
                   op.reference, op.force)

    async def _after(self, outcome: _Outcome) -> None:
        """After the commit: drop the cached account, tell the listeners and the user."""
        entry = outcome.entry
        kernel = self.kernel
        self._changes += 1
        await self.cache.delete(CACHE_PREFIX + str(entry.user_id))
        if kernel.listens("credits_changed"):
            await kernel.emit("credits_changed", kernel=kernel, user_id=entry.user_id,
                              delta=entry.amount, balance=entry.balance_after,
                              reason=entry.reason)
        if outcome.tier_changed:
            await kernel.emit("tier_changed", kernel=kernel, user_id=entry.user_id,
                              old=outcome.old_tier, new=outcome.new_tier)
            if self.announce_tiers:
                await self._announce_tier(entry.user_id, outcome.new_tier)
        if outcome.low is not None:
            threshold, amount = outcome.low
            await kernel.emit("balance_low", kernel=kernel, user_id=entry.user_id,
                              balance=entry.balance_after, threshold=threshold, amount=amount)

    async def _announce_tier(self, user_id: int, name: str | None) -> None:
        tier = next((t for t in self.tiers if t.name == name), None)
        try:
            t = await self.kernel.texts_for(user_id)
            if tier is None:
                text = t("credits-tier-ended")
            elif tier.discount:
                text = t("credits-tier-reached-discount", tier=tier.name, discount=tier.discount)
            else:
                text = t("credits-tier-reached", tier=tier.name)
            await self.kernel.send(SendMessage(user_id, text))
        except Exception:
            logger.exception("could not tell user {} about their tier", user_id)


class GroupCommit:
    """Concurrent changes committed together: one transaction, one savepoint per change.

    A change that fails (not enough credits, bad key) rolls back its own savepoint only and its
    caller gets the error; the others commit. A failure of the transaction itself (after the
    bridge's retries) fails every change of the group, and none of them is applied. One group
    runs at a time; changes arriving meanwhile form the next group (at most `limit`).
    """

    def __init__(self, db: Database, apply: Callable[[_Op, datetime], _Outcome],
                 limit: int) -> None:
        self.db = db
        self.apply = apply
        self.limit = limit
        self._pending: list[tuple[_Op, asyncio.Future[_Outcome]]] = []
        self._draining = False
        self._task: asyncio.Task[None] | None = None  # held: the loop keeps weak references
        self.groups = 0  # figures for the benchmark
        self.changes = 0

    async def submit(self, op: _Op) -> _Outcome:
        future: asyncio.Future[_Outcome] = asyncio.get_running_loop().create_future()
        self._pending.append((op, future))
        if not self._draining:
            self._draining = True
            self._task = asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                group, self._pending = self._pending[:self.limit], self._pending[self.limit:]
                try:
                    results = await self.db.transaction(self._work, [op for op, _ in group])
                except BaseException as exc:
                    for _, future in group:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                self.groups += 1
                self.changes += len(group)
                for (_, future), result in zip(group, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = False

    def _work(self, ops: list[_Op]) -> list[_Outcome | Exception]:
        results: list[_Outcome | Exception] = []
        for op in ops:
            try:
                results.append(self.apply(op, utcnow()))
            except (peewee.OperationalError, peewee.InterfaceError):
                raise  # the transaction itself is in trouble: retry or fail the group
            except Exception as exc:  # this change's savepoint is rolled back; the rest go on
                results.append(exc)
        return results


def _lock_order(op: tuple[int, BatchItem, Any]) -> int:
    user_id = op[1].user_id
    return user_id if isinstance(user_id, int) else 0


@dataclass(slots=True)
class _Op:
    user_id: int
    amount: int  # signed
    kind: str
    reason: str
    key: str
    actor: int | None
    purchased: bool
    reference: str | None = None
    force: bool = False
