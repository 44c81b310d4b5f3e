"""Auto-recharge: a low balance brings one top-up invoice per cool-down, payable in one tap."""

from __future__ import annotations

import pytest

from core.testing import BotDriver
from core.types import SendInvoice
from tests.payments_support import PLUGINS, answer, settings

pytestmark = [pytest.mark.plugins(*PLUGINS),
              pytest.mark.bot_settings(settings(credits__low_balance_cooldown=3600))]


class Wall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def invoices(bot: BotDriver) -> list[SendInvoice]:
    return [a for a in bot.transport.actions if isinstance(a, SendInvoice)]


async def test_low_balance_sends_one_top_up_invoice_per_cool_down(bot: BotDriver) -> None:
    wall = Wall()
    credits, payments = bot.service("credits"), bot.service("payments")
    credits.wall_clock = payments.wall_clock = wall
    alice = bot.user(42, "Alice")
    await bot.send("/start", user=alice)
    await credits.set_autorecharge(42, 50, 200)
    await credits.credit(42, 100, "gift", "gift-1")

    await credits.debit(42, 60, "use", "use-1")  # 40 < 50: balance_low
    (topup,) = invoices(bot)
    assert (topup.chat_id, topup.currency, topup.amount) == (42, "XTR", 100)  # 200 at 50/100
    assert topup.title == "Top-up: 200 credits" and topup.provider_token == ""

    await credits.debit(42, 5, "use", "use-2")  # credits' own cool-down: no event
    # The same event again (another worker, a re-emitted event): still one invoice.
    await bot.kernel.emit("balance_low", user_id=42, balance=35, threshold=50, amount=200)
    assert len(invoices(bot)) == 1

    wall.now += 3600
    await credits.debit(42, 5, "use", "use-3")
    assert len(invoices(bot)) == 2

    # One tap: the top-up invoice pays like any other.
    check = await bot.pre_checkout(alice, topup.payload, "XTR", 100)
    assert answer(check).ok
    paid = await bot.paid(alice, topup.payload, "XTR", 100, "charge-topup")
    assert "200 credits were added" in paid.text
    assert await credits.balance(42) == 30 + 200


async def test_own_cool_down_holds_when_longer(bot: BotDriver) -> None:
    wall = Wall()
    payments = bot.service("payments")
    payments.wall_clock = wall
    payments.recharge_cooldown = 7200
    await bot.send("/start", user=bot.user(42))
    assert await payments.recharge(42, 200) is not None
    wall.now += 3600
    assert await payments.recharge(42, 200) is None
    wall.now += 3600
    assert await payments.recharge(42, 200) is not None
    assert len(invoices(bot)) == 2


async def test_no_top_up_when_the_rate_package_is_withdrawn(bot: BotDriver) -> None:
    payments = bot.service("payments")
    payments.recharge_package = "gone"
    assert await payments.recharge(42, 200) is None
    assert invoices(bot) == []
