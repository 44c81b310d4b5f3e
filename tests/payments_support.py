"""Shared set-up of the payments tests: settings, a recorder of payment events, shortcuts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.hookspecs import hookimpl
from core.testing import BotDriver, Reply, TestUser
from core.types import AnswerPreCheckout, SendInvoice

SECRET = "test-secret-0123456789abcdef"
OLD_SECRET = "old-secret-0123456789abcdef"
PLUGINS = ["credits", "payments"]
SMALL = {"id": "small", "credits": 100, "price": 50, "currency": "XTR", "title": "100 credits"}
LARGE = {"id": "large", "credits": 500, "price": 200, "currency": "XTR", "title": "500 credits"}


def settings(tmp_path: Path | None = None, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "payments.payload_secrets": [SECRET],
        "payments.packages": [SMALL, LARGE],
        "payments.refund_worker": False,
    }
    if tmp_path is not None:
        values["database.url"] = f"sqlite:///{tmp_path / 'shared.db'}"
    values.update({k.replace("__", "."): v for k, v in extra.items()})
    return values


class PaymentEvents:
    """A tiny plugin that writes down every payment_succeeded event."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, Any]] = []

    @hookimpl
    def payment_succeeded(self, user_id: int, payment: Any) -> None:
        self.seen.append((user_id, payment))


async def invoice_for(bot: BotDriver, user: TestUser, package: str = "small") -> SendInvoice:
    reply = await bot.send(f"/buy {package}", user=user)
    invoices = reply.of(SendInvoice)
    assert len(invoices) == 1, reply
    return invoices[0]


def answer(reply: Reply) -> AnswerPreCheckout:
    answers = reply.of(AnswerPreCheckout)
    assert len(answers) == 1, reply
    return answers[0]


async def buy(bot: BotDriver, user: TestUser, charge_id: str, package: str = "small") -> Reply:
    """/buy, an approved pre-checkout, then the successful payment."""
    invoice = await invoice_for(bot, user, package)
    check = await bot.pre_checkout(user, invoice.payload, invoice.currency, invoice.amount)
    assert answer(check).ok, answer(check)
    return await bot.paid(user, invoice.payload, invoice.currency, invoice.amount, charge_id)
