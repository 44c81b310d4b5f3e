"""Buying credits: /buy to credits granted, and what pre-checkout declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.callbacks import INVALID_BUTTON
from core.testing import BotDriver, running_bot
from core.types import AnswerCallback, SendInvoice, SendMessage
from plugins.payments.models import Payment
from tests.payments_support import (
    LARGE,
    OLD_SECRET,
    PLUGINS,
    SECRET,
    SMALL,
    PaymentEvents,
    answer,
    invoice_for,
    settings,
)

pytestmark = [pytest.mark.plugins(*PLUGINS), pytest.mark.bot_settings(settings())]


async def test_buy_from_the_menu_to_credits_granted(tmp_path: Path) -> None:
    events = PaymentEvents()
    async with running_bot(tmp_path, settings(), plugins=PLUGINS,
                           extra_plugins=[events]) as bot:
        alice = bot.user(42, "Alice")
        menu = await bot.send("/buy", user=alice)
        assert "Choose a package" in menu.text
        assert [b.text for b in menu.buttons] == ["100 credits: 50 ⭐", "500 credits: 200 ⭐"]

        pressed = await bot.press(menu.button("100 credits"), user=alice)
        (invoice,) = pressed.of(SendInvoice)
        assert (invoice.chat_id, invoice.currency, invoice.amount) == (42, "XTR", 50)
        assert invoice.provider_token == "" and invoice.title == "100 credits"
        assert len(invoice.payload.encode()) <= 128
        assert pressed.of(AnswerCallback)  # the button press is answered

        check = await bot.pre_checkout(alice, invoice.payload, "XTR", 50)
        assert answer(check).ok and answer(check).error is None

        paid = await bot.paid(alice, invoice.payload, "XTR", 50, "charge-1")
        assert paid.outcome == "ok"
        assert "100 credits were added for 50 ⭐" in paid.text
        assert "Your balance: 100" in paid.text
        credits = bot.service("credits")
        assert await credits.balance(42) == 100
        entry = await credits.entry("charge-1")
        assert entry is not None and entry.amount == 100 and entry.purchased
        row = await bot.kernel.db.run(lambda: Payment.get(Payment.charge_id == "charge-1"))
        assert (row.user_id, row.amount, row.credits, row.status) == (42, 50, 100, "paid")
        assert row.granted_at is not None
        assert [(u, p.charge_id) for u, p in events.seen] == [(42, "charge-1")]
        assert await credits.audit() == []


async def test_tampered_or_foreign_payloads_are_declined(bot: BotDriver) -> None:
    alice, bob = bot.user(42, "Alice"), bot.user(43, "Bob")
    invoice = await invoice_for(bot, alice)
    order, signature = invoice.payload.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = [
        f"{order}.{flipped}",  # signature changed
        f"{int(order) + 1}.{signature}",  # another order
        "",  # empty
        "x" * 4000,  # huge
        "🙂.🙂",  # unicode
    ]
    for payload in forged:
        reply = await bot.pre_checkout(alice, payload, "XTR", 50)
        assert not answer(reply).ok
        assert "not valid" in (answer(reply).error or "")
    # The right payload at another price, or paid by someone else, does not verify either.
    assert not answer(await bot.pre_checkout(alice, invoice.payload, "XTR", 1)).ok
    assert not answer(await bot.pre_checkout(alice, invoice.payload, "USD", 50)).ok
    assert not answer(await bot.pre_checkout(bob, invoice.payload, "XTR", 50)).ok
    # ...and the untouched one does.
    assert answer(await bot.pre_checkout(alice, invoice.payload, "XTR", 50)).ok


async def test_a_changed_price_is_declined(tmp_path: Path) -> None:
    async with running_bot(tmp_path, settings(tmp_path), plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        invoice = await invoice_for(bot, alice)
    # The operator raises the price and restarts; the old invoice is still in Alice's chat.
    dearer = dict(SMALL, price=60)
    async with running_bot(tmp_path, settings(tmp_path, payments__packages=[dearer, LARGE]),
                           plugins=PLUGINS) as bot:
        reply = await bot.pre_checkout(alice, invoice.payload, "XTR", 50)
        assert not answer(reply).ok
        assert "price changed to 60 ⭐" in (answer(reply).error or "")


async def test_a_withdrawn_package_is_declined(tmp_path: Path) -> None:
    async with running_bot(tmp_path, settings(tmp_path), plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        invoice = await invoice_for(bot, alice, "large")
    async with running_bot(tmp_path, settings(tmp_path, payments__packages=[SMALL]),
                           plugins=PLUGINS) as bot:
        reply = await bot.pre_checkout(alice, invoice.payload, "XTR", 200)
        assert not answer(reply).ok
        assert "no longer offered" in (answer(reply).error or "")
        assert "not on offer" in (await bot.send("/buy large", user=alice)).text


async def test_banned_user_is_declined_at_pre_checkout(bot: BotDriver) -> None:
    mallory = bot.user(66, "Mallory")
    invoice = await invoice_for(bot, mallory)
    await bot.kernel.users.set_banned(66, True, "fraud")
    reply = await bot.pre_checkout(mallory, invoice.payload, "XTR", 50)
    assert reply.outcome == "ok"
    assert not answer(reply).ok and "not available" in (answer(reply).error or "")


async def test_rotated_secret_still_verifies_until_dropped(tmp_path: Path) -> None:
    async with running_bot(tmp_path, settings(tmp_path, payments__payload_secrets=[OLD_SECRET]),
                           plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        invoice = await invoice_for(bot, alice)
    rotated = settings(tmp_path, payments__payload_secrets=[SECRET, OLD_SECRET])
    async with running_bot(tmp_path, rotated, plugins=PLUGINS) as bot:
        assert answer(await bot.pre_checkout(alice, invoice.payload, "XTR", 50)).ok
        fresh = await invoice_for(bot, alice)
    async with running_bot(tmp_path, settings(tmp_path), plugins=PLUGINS) as bot:
        assert not answer(await bot.pre_checkout(alice, invoice.payload, "XTR", 50)).ok
        assert answer(await bot.pre_checkout(alice, fresh.payload, "XTR", 50)).ok


async def test_a_payment_that_does_not_verify_is_kept_for_review(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    reply = await bot.paid(alice, "1.AAAAAAAAAAAAAAAAAAAAAA", "XTR", 50, "charge-odd")
    assert await bot.service("credits").balance(42) == 0
    row = await bot.kernel.db.run(lambda: Payment.get(Payment.charge_id == "charge-odd"))
    assert row.status == "review" and row.granted_at is None
    alerts = [a for a in reply.of(SendMessage) if a.chat_id == bot.admin.id]
    assert alerts and "charge-odd" in alerts[0].text


async def test_unknown_package_and_forged_button_change_nothing(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    for text in ("/buy nope", "/buy " + "x" * 500, "/buy 🙂"):
        reply = await bot.send(text, user=alice)
        assert reply.outcome == "user_error" and "not on offer" in reply.text
        assert not reply.of(SendInvoice)
    for forged in ("pay:../../etc", "pay:", "pay", "pay:a:b", "pay:" + "x" * 40, "pay:ABC"):
        pressed = await bot.press(forged, user=alice)  # malformed: never reaches the handler
        assert pressed.outcome == "invalid_button" and not pressed.of(SendInvoice), forged
        assert pressed.alert == INVALID_BUTTON
    pressed = await bot.press("pay:nope", user=alice)  # well-formed: the service re-checks
    assert pressed.outcome == "user_error" and not pressed.of(SendInvoice)
    assert pressed.alert and "not on offer" in pressed.alert


async def test_support_terms_and_privacy_come_from_settings(tmp_path: Path) -> None:
    texts = settings(payments__texts={"support": "Write to @help.", "terms": "Terms here.",
                                      "privacy": "Privacy here."})
    async with running_bot(tmp_path, texts, plugins=PLUGINS) as bot:
        alice = bot.user(42)
        assert (await bot.send("/paysupport", user=alice)).text == "Write to @help."
        assert (await bot.send("/terms", user=alice)).text == "Terms here."
        assert (await bot.send("/privacy", user=alice)).text == "Privacy here."



async def test_a_banned_users_payment_is_still_recorded(bot: BotDriver) -> None:
    """The money was taken before the ban reached us: the payment is kept, never dropped."""
    mallory = bot.user(66, "Mallory")
    invoice = await invoice_for(bot, mallory)
    await bot.kernel.users.set_banned(66, True, "late ban")
    paid = await bot.paid(mallory, invoice.payload, "XTR", 50, "charge-banned")
    assert paid.outcome == "ok"
    assert await bot.service("credits").balance(66) == 100
    assert (await bot.send("/buy", user=mallory)).outcome == "banned"


async def test_a_failing_check_still_gets_an_answer(bot: BotDriver,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    alice = bot.user(42, "Alice")
    invoice = await invoice_for(bot, alice)

    async def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(bot.service("payments"), "check", broken)
    reply = await bot.pre_checkout(alice, invoice.payload, "XTR", 50)
    assert reply.outcome == "error"
    assert not answer(reply).ok and "went wrong on our side" in (answer(reply).error or "")


def test_payments_need_a_payload_secret(tmp_path: Path) -> None:
    from core.errors import ConfigError
    from core.kernel import Kernel
    from core.testing import base_settings

    values = base_settings(tmp_path) | {"plugins.enabled": PLUGINS}
    with pytest.raises(ConfigError) as failed:
        Kernel.configure(values)
    assert "payments.payload_secrets" in str(failed.value)
    values["payments.payload_secrets"] = [SECRET]
    values["payments.packages"] = [dict(SMALL, currency="USD")]
    with pytest.raises(ConfigError) as failed:
        Kernel.configure(values)
    assert "payments.provider_token" in str(failed.value)


async def test_card_packages_carry_the_provider_token(tmp_path: Path) -> None:
    card = {"id": "eur", "credits": 1000, "price": 499, "currency": "EUR", "title": "1000 credits"}
    values = settings(payments__packages=[SMALL, card],
                      payments__provider_token="284685063:TEST:abc")
    async with running_bot(tmp_path, values, plugins=PLUGINS) as bot:
        alice = bot.user(42, "Alice")
        invoice = await invoice_for(bot, alice, "eur")
        assert (invoice.currency, invoice.amount) == ("EUR", 499)
        assert invoice.provider_token == "284685063:TEST:abc"
        assert (await invoice_for(bot, alice)).provider_token == ""  # Stars never use one
        assert answer(await bot.pre_checkout(alice, invoice.payload, "EUR", 499)).ok
        paid = await bot.paid(alice, invoice.payload, "EUR", 499, "charge-eur")
        assert "1,000 credits were added for €4.99" in paid.text
        refused = await bot.send("/refund charge-eur", user=bot.admin)
        assert "payment provider" in refused.text
