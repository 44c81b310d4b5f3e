"""Property test: any sequence of credits, debits, refunds and reversals, with keys that
collide on purpose, gives exactly what a plain Python model of the rules says."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import running_bot
from plugins.credits.service import CreditsError, CreditsService, InsufficientCredits

KEYS = st.sampled_from(["k0", "k1", "k2", "k3"])
AMOUNTS = st.integers(min_value=1, max_value=30)
OPS = st.one_of(
    st.tuples(st.just("credit"), st.sampled_from([1, 2]), AMOUNTS, KEYS),
    st.tuples(st.just("debit"), st.sampled_from([1, 2]), AMOUNTS, KEYS),
    st.tuples(st.just("refund"), KEYS),
    st.tuples(st.just("reverse"), KEYS, st.booleans()),
)


class Model:
    def __init__(self) -> None:
        self.balance = {1: 0, 2: 0}
        self.applied: dict[str, tuple[str, int, int]] = {}  # key -> (kind, user, amount)

    def run(self, op: tuple[Any, ...]) -> str:
        name = op[0]
        if name in ("credit", "debit"):
            _, user, amount, key = op
            if key in self.applied:
                kind, owner, _ = self.applied[key]
                return "duplicate" if (kind, owner) == (name, user) else "refused"
            if name == "debit" and self.balance[user] < amount:
                return "insufficient"
            self.balance[user] += amount if name == "credit" else -amount
            self.applied[key] = (name, user, amount)
            return "ok"
        key = op[1]
        own = ("refund:" if name == "refund" else "reverse:") + key
        if own in self.applied:
            return "duplicate"
        want = "debit" if name == "refund" else "credit"
        if key not in self.applied or self.applied[key][0] != want:
            return "refused"
        _, user, amount = self.applied[key]
        if name == "refund":
            self.balance[user] += amount
        else:
            taken = amount if self.balance[user] >= amount else (
                self.balance[user] if op[2] else 0)
            if taken == 0:
                return "insufficient"
            self.balance[user] -= taken
        self.applied[own] = (name, user, amount)
        return "ok"


async def _call(svc: CreditsService, op: tuple[Any, ...]) -> str:
    try:
        if op[0] == "credit":
            entry = await svc.credit(op[1], op[2], "c", op[3])
        elif op[0] == "debit":
            entry = await svc.debit(op[1], op[2], "d", op[3])
        elif op[0] == "refund":
            entry = await svc.refund(op[1])
        else:
            entry = await svc.reverse(op[1], force=op[2])
    except InsufficientCredits:
        return "insufficient"
    except CreditsError:
        return "refused"
    return "duplicate" if entry.duplicate else "ok"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=1, max_size=25))
def test_the_service_behaves_like_the_model(ops: list[tuple[Any, ...]]) -> None:
    async def scenario() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            async with running_bot(Path(tmp), {"database.url": f"sqlite:///{tmp}/m.db"},
                                   plugins=["credits"]) as bot:
                svc: CreditsService = bot.service("credits")
                model = Model()
                for op in ops:
                    assert await _call(svc, op) == model.run(op), op
                for user in (1, 2):
                    assert await svc.balance(user) == model.balance[user]
                assert await svc.audit() == []

    asyncio.run(scenario())
