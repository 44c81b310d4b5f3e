"""The pre-checkout answer goes out before the deadline even when the database is stuck."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from core.testing import BotDriver
from tests.payments_support import PLUGINS, answer, invoice_for, settings

pytestmark = [pytest.mark.plugins(*PLUGINS),
              pytest.mark.bot_settings(settings(payments__precheckout_deadline=0.3))]


async def test_pre_checkout_declines_in_time_when_the_database_is_stuck(
        bot: BotDriver, monkeypatch: pytest.MonkeyPatch) -> None:
    alice = bot.user(42, "Alice")
    invoice = await invoice_for(bot, alice)
    db = bot.kernel.db
    stuck = threading.Event()  # released only after the answer is out
    entered = threading.Event()

    def slowed(run: Callable[..., Any]) -> Callable[..., Any]:
        async def slow(fn: Callable[..., Any], *args: Any) -> Any:
            def held(*inner: Any) -> Any:
                entered.set()
                stuck.wait(30)
                return fn(*inner)
            return await run(held, *args)
        return slow

    monkeypatch.setattr(db, "run", slowed(db.run))
    monkeypatch.setattr(db, "transaction", slowed(db.transaction))
    try:
        reply = await bot.pre_checkout(alice, invoice.payload, "XTR", 50)
        # The checks reached the database and it had not answered when the decline went out.
        assert entered.is_set() and not stuck.is_set()
        assert reply.outcome == "ok"
        assert not answer(reply).ok
        assert "could not check this payment in time" in (answer(reply).error or "")
    finally:
        stuck.set()
        monkeypatch.undo()
    # With the database well again, the same query is approved: the decline was the deadline.
    again = await bot.pre_checkout(alice, invoice.payload, "XTR", 50)
    assert answer(again).ok
