"""The credits service under load and retries, on SQLite and PostgreSQL: not one credit lost
or created by accident."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import peewee
import pytest

from plugins.credits.service import (
    BatchItem,
    CreditsError,
    CreditsService,
    InsufficientCredits,
    discounted,
)
from tests.credits_support import Recorder, credits_bot


async def _ledger_sums(svc: CreditsService) -> None:
    assert await svc.audit() == []
    summary = await svc.summary()
    assert summary.issued - summary.spent == summary.outstanding


async def test_200_concurrent_debits_against_50_give_exactly_50(
        tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(7, 100, "top-up", "seed")
        results = await asyncio.gather(
            *(svc.debit(7, 2, "spend", f"spend-{i}") for i in range(200)),
            return_exceptions=True)
        ok = [r for r in results if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, InsufficientCredits)]
        assert len(ok) == 50 and len(refused) == 150
        assert await svc.balance(7) == 0
        assert sorted(e.balance_after for e in ok) == list(range(0, 100, 2))
        page = await svc.history(7, 0, 100)
        assert page.total == 51
        await _ledger_sums(svc)
        if svc._group is not None:  # SQLite: the debits really shared transactions
            assert svc._group.groups < svc._group.changes


async def test_a_failed_group_commit_applies_none_of_its_changes(tmp_path: Path) -> None:
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'c.db'}") as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(6, 100, "seed", "seed")
        db = bot.kernel.db
        real = db.transaction

        async def broken(fn, *args):  # type: ignore[no-untyped-def]
            raise peewee.OperationalError("disk I/O error")

        db.transaction = broken  # type: ignore[method-assign]
        results = await asyncio.gather(*(svc.debit(6, 1, "spend", f"s{i}") for i in range(10)),
                                       return_exceptions=True)
        assert all(isinstance(r, peewee.OperationalError) for r in results)
        db.transaction = real  # type: ignore[method-assign]
        assert await svc.balance(6) == 100
        assert (await svc.debit(6, 1, "spend", "s0")).balance_after == 99  # retried: applies
        await _ledger_sums(svc)


async def test_random_concurrent_mix_keeps_every_balance_equal_to_its_ledger(
        tmp_path: Path, database_url: str) -> None:
    rng = random.Random(20261128)
    users = [101, 102, 103, 104, 105]
    async with credits_bot(tmp_path, database_url) as bot:
        svc: CreditsService = bot.service("credits")
        debits: list[str] = []
        counter = 0

        def op() -> object:
            nonlocal counter
            counter += 1
            kind = rng.random()
            user = rng.choice(users)
            if kind < 0.3:
                return svc.credit(user, rng.randint(1, 20), "grant", f"c-{counter}",
                                  purchased=rng.random() < 0.3)
            if kind < 0.7:
                key = f"d-{counter}"
                debits.append(key)
                return svc.debit(user, rng.randint(1, 25), "spend", key)
            if kind < 0.8 and debits:
                return svc.refund(rng.choice(debits))
            if kind < 0.9:
                return svc.grant_batch([
                    BatchItem(rng.choice(users), rng.choice([-15, -3, 4, 9, 0]), "batch",
                              f"b-{counter}-{j}") for j in range(5)])
            # A retry of an earlier key: must change nothing.
            return svc.credit(user, 5, "retry", f"c-{rng.randint(1, counter)}")

        outcomes: list[object] = []
        for _ in range(25):  # 25 waves of 80 concurrent operations: 2000 in all
            outcomes += await asyncio.gather(*(op() for _ in range(80)),
                                             return_exceptions=True)
        unexpected = [o for o in outcomes if isinstance(o, BaseException)
                      and not isinstance(o, (InsufficientCredits, CreditsError))]
        assert unexpected == []
        assert sum(isinstance(o, InsufficientCredits) for o in outcomes) > 0
        for user in users:
            assert await svc.balance(user) >= 0
        await _ledger_sums(svc)


async def test_the_same_key_applies_once_even_when_retried_concurrently(
        tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url) as bot:
        svc: CreditsService = bot.service("credits")
        grants = await asyncio.gather(*(svc.credit(8, 40, "payment", "charge-1",
                                                   purchased=True) for _ in range(20)))
        assert sum(not g.duplicate for g in grants) == 1
        assert {g.id for g in grants} == {grants[0].id}
        spends = await asyncio.gather(*(svc.debit(8, 15, "buy", "order-9") for _ in range(20)))
        assert sum(not s.duplicate for s in spends) == 1
        refunds = await asyncio.gather(*(svc.refund("order-9") for _ in range(10)))
        assert sum(not r.duplicate for r in refunds) == 1
        assert await svc.balance(8) == 40
        page = await svc.history(8)
        assert [e.kind for e in page.entries] == ["refund", "debit", "credit"]
        await _ledger_sums(svc)


async def test_a_key_reused_for_another_change_is_refused(tmp_path: Path) -> None:
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'c.db'}") as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(1, 10, "a", "k")
        with pytest.raises(CreditsError, match="credits-key-reused"):
            await svc.credit(2, 10, "a", "k")
        with pytest.raises(CreditsError, match="credits-key-reused"):
            await svc.debit(1, 1, "a", "k")
        assert await svc.balance(2) == 0


async def test_bad_amounts_and_keys_change_nothing(tmp_path: Path) -> None:
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'c.db'}",
                           {"credits.max_amount": 1000}) as bot:
        svc: CreditsService = bot.service("credits")
        for amount in (0, -5, 1001, 10**30, 2.5, "7", True, None):
            with pytest.raises(CreditsError, match=r"credits-bad-amount.*1000"):
                await svc.credit(3, amount, "bad", f"bad-{amount!r}")  # type: ignore[arg-type]
            with pytest.raises(CreditsError):
                await svc.debit(3, amount, "bad", f"bad-{amount!r}")  # type: ignore[arg-type]
        for key in ("", "x" * 181, None, 5):
            with pytest.raises(CreditsError, match="idempotency key"):
                await svc.credit(3, 1, "bad", key)  # type: ignore[arg-type]
        with pytest.raises(CreditsError, match="credits-no-debit"):
            await svc.refund("never-happened")
        with pytest.raises(CreditsError, match="credits-no-credit"):
            await svc.reverse("never-happened")
        assert (await svc.summary()).entries == 0
        assert await svc.balance(3) == 0


async def test_refund_gives_back_only_debits_and_reverse_only_credits(tmp_path: Path) -> None:
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'c.db'}") as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(4, 10, "grant", "g")
        await svc.debit(4, 4, "spend", "s")
        with pytest.raises(CreditsError, match="credits-no-debit"):
            await svc.refund("g")
        with pytest.raises(CreditsError, match="credits-no-credit"):
            await svc.reverse("s")
        assert await svc.balance(4) == 6


async def test_reversing_spent_credits_is_refused_with_the_numbers_unless_forced(
        tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(5, 100, "payment", "tg-charge-1", purchased=True)
        await svc.debit(5, 70, "spend", "spend-1")
        with pytest.raises(InsufficientCredits) as refused:
            await svc.reverse("tg-charge-1", "refunded payment")
        assert refused.value.shortfall == 70 and refused.value.balance == 30
        shown = bot.kernel.texts("en").text(refused.value.message)
        assert "70 of them are already spent (balance 30)" in shown
        assert await svc.balance(5) == 30
        forced = await svc.reverse("tg-charge-1", "refunded payment", force=True)
        assert (forced.amount, forced.balance_after) == (-30, 0)
        again = await svc.reverse("tg-charge-1", force=True)
        assert again.duplicate and again.id == forced.id
        account = await svc.account(5)
        assert (account.balance, account.purchased_total, account.tier) == (0, 0, None)
        await _ledger_sums(svc)


async def test_batch_reports_what_failed_and_why_and_applies_the_rest(
        tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url, {"credits.max_amount": 500}) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(11, 5, "seed", "seed")
        result = await svc.grant_batch([
            BatchItem(10, 50, "promo", "promo-10"),
            BatchItem(11, -20, "fee", "fee-11"),       # not enough credits
            BatchItem(12, 0, "promo", "promo-12"),      # zero
            BatchItem(13, 501, "promo", "promo-13"),    # too big
            BatchItem(14, 30, "promo", "seed"),         # key taken by another user's change
            BatchItem(10, 50, "promo", "promo-10"),     # repeated in the batch: once
            BatchItem(15, 7, "promo", "promo-15"),
            BatchItem(9, 3, "promo", "promo-9"),
        ])
        en = bot.kernel.texts("en")
        assert [(f.index, en.text(f.reason).split(":")[0]) for f in result.failed] == [
            (1, "Not enough credits"), (2, "The amount must be a whole number from 1 to 500."),
            (3, "The amount must be a whole number from 1 to 500."),
            (4, "This change was already made with different details, so nothing was changed.")]
        assert [(e.user_id, e.amount, e.duplicate) for e in result.applied] == [
            (10, 50, False), (10, 50, True), (15, 7, False), (9, 3, False)]
        assert [await svc.balance(u) for u in (10, 11, 12, 13, 14, 15)] == [50, 5, 0, 0, 0, 7]
        await _ledger_sums(svc)


async def test_tiers_follow_credits_bought_and_fire_tier_changed(
        tmp_path: Path, database_url: str) -> None:
    recorder = Recorder()
    async with credits_bot(tmp_path, database_url, extra=[recorder]) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(20, 1000, "gift", "gift")  # not bought: no tier
        assert await svc.tier(20) is None
        await svc.credit(20, 99, "buy", "p1", purchased=True)
        assert await svc.tier(20) is None
        await svc.credit(20, 1, "buy", "p2", purchased=True)
        assert (await svc.tier(20)).name == "bronze"  # type: ignore[union-attr]
        await svc.credit(20, 400, "buy", "p3", purchased=True)
        assert await svc.discount(20) == 5
        assert [(e["old"], e["new"]) for e in recorder.of("tier_changed")] == [
            (None, "bronze"), ("bronze", "silver")]
        told = [a.text for a in bot.transport.actions if a.chat_id == 20]
        assert told == ["You reached the bronze tier.",
                        "You reached the silver tier: 5% off from now on."]
        await svc.reverse("p3", "refunded")
        assert (await svc.tier(20)).name == "bronze"  # type: ignore[union-attr]
        assert recorder.of("tier_changed")[-1] == {"user_id": 20, "old": "silver",
                                                   "new": "bronze"}


def test_discount_is_integer_math_rounded_for_the_seller() -> None:
    assert discounted(100, 15) == 85
    assert discounted(9, 10) == 9
    assert discounted(19, 10) == 18
    assert discounted(0, 50) == 0


async def test_balance_low_fires_once_per_cooldown(tmp_path: Path, database_url: str) -> None:
    recorder = Recorder()
    async with credits_bot(tmp_path, database_url, {"credits.low_balance_cooldown": 3600},
                           extra=[recorder]) as bot:
        svc: CreditsService = bot.service("credits")
        now = [1_000_000.0]
        svc.wall_clock = lambda: now[0]
        await svc.credit(30, 100, "seed", "seed")
        await svc.debit(30, 50, "spend", "s1")  # 50: not below the threshold yet
        assert recorder.of("balance_low") == []  # opted out
        await svc.set_autorecharge(30, 20, 100)
        await svc.debit(30, 25, "spend", "s2")  # 25
        assert recorder.of("balance_low") == []
        await svc.debit(30, 10, "spend", "s3")  # 15 < 20
        assert recorder.of("balance_low") == [
            {"user_id": 30, "balance": 15, "threshold": 20, "amount": 100}]
        await svc.debit(30, 5, "spend", "s4")  # still in the cool-down
        now[0] += 3599
        await svc.debit(30, 1, "spend", "s5")
        assert len(recorder.of("balance_low")) == 1
        now[0] += 1
        await svc.debit(30, 1, "spend", "s6")
        assert [e["balance"] for e in recorder.of("balance_low")] == [15, 8]
        await svc.set_autorecharge(30, None, None)
        now[0] += 10_000
        await svc.debit(30, 1, "spend", "s7")
        assert len(recorder.of("balance_low")) == 2


async def test_concurrent_debits_below_the_threshold_alert_once(
        tmp_path: Path, database_url: str) -> None:
    recorder = Recorder()
    async with credits_bot(tmp_path, database_url, extra=[recorder]) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(31, 100, "seed", "seed")
        await svc.set_autorecharge(31, 90, 50)
        await asyncio.gather(*(svc.debit(31, 1, "spend", f"s{i}") for i in range(40)))
        assert len(recorder.of("balance_low")) == 1


async def test_balances_are_cached_and_dropped_on_every_change(tmp_path: Path) -> None:
    recorder = Recorder()
    async with credits_bot(tmp_path, f"sqlite:///{tmp_path / 'c.db'}", extra=[recorder]) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(40, 10, "seed", "seed")
        assert await svc.balance(40) == 10
        hits = bot.kernel.cache.stats.hits
        assert await svc.balance(40) == 10
        assert bot.kernel.cache.stats.hits == hits + 1
        await svc.debit(40, 3, "spend", "s")
        assert await svc.balance(40) == 7
        await svc.refund("s")
        assert await svc.balance(40) == 10
        assert [(e["delta"], e["balance"]) for e in recorder.of("credits_changed")] == [
            (10, 10), (-3, 7), (3, 10)]


async def test_a_retry_after_the_balance_moved_returns_the_original(
        tmp_path: Path, database_url: str) -> None:
    async with credits_bot(tmp_path, database_url) as bot:
        svc: CreditsService = bot.service("credits")
        await svc.credit(9, 10, "seed", "seed")
        first = await svc.debit(9, 8, "buy", "order-1")
        again = await svc.debit(9, 8, "buy", "order-1")  # only 2 left: still the original
        assert again.duplicate and again.id == first.id
        assert await svc.balance(9) == 2
