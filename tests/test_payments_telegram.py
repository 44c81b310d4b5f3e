"""A purchase and a refund through the real Telegram transport on an offline kurigram Client:
the raw requests Telegram would receive (SendMedia with an XTR invoice, pre-checkout answers,
RefundStarsCharge). Runs once `core.testing_telegram` (the transport's harness) is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.payments_support import PLUGINS, settings

harness = pytest.importorskip("core.testing_telegram")
pyrogram = pytest.importorskip("pyrogram")
raw = pyrogram.raw
f = raw.functions


async def test_stars_purchase_and_refund_over_telegram(tmp_path: Path) -> None:
    async with harness.telegram_bot(tmp_path, settings(), plugins=PLUGINS) as tg:
        alice = tg.user(42, "Alice")
        await tg.message(alice, "/buy small")
        [media] = tg.requests_of(f.messages.SendMedia)
        invoice = media.media
        assert isinstance(invoice, raw.types.InputMediaInvoice)
        assert invoice.invoice.currency == "XTR"
        assert [p.amount for p in invoice.invoice.prices] == [50]
        assert not invoice.provider  # Stars need no payment provider
        payload = invoice.payload.decode()

        await tg.pre_checkout(alice, payload, "XTR", 50)
        await tg.pre_checkout(alice, payload[:-1] + "x", "XTR", 50)  # tampered
        ok, refused = tg.requests_of(f.messages.SetBotPrecheckoutResults)
        assert ok.success and ok.error is None
        assert not refused.success and "not valid" in refused.error

        await tg.paid(alice, payload, "XTR", 50, charge_id="stxPAID1")
        await tg.paid(alice, payload, "XTR", 50, charge_id="stxPAID1")  # redelivered
        credits = tg.kernel.service("credits")
        assert await credits.balance(42) == 100
        assert sum("100 credits were added" in t for t in tg.sent_texts(42)) == 1

        await tg.message(tg.admin, "/refund stxPAID1")
        await tg.kernel.service("payments").process_refunds()
        [refund] = tg.requests_of(f.payments.RefundStarsCharge)
        assert refund.charge_id == "stxPAID1" and refund.user_id.user_id == 42
        assert await credits.balance(42) == 0


async def test_charge_already_refunded_counts_as_done(tmp_path: Path) -> None:
    async with harness.telegram_bot(tmp_path, settings(), plugins=PLUGINS) as tg:
        alice = tg.user(42, "Alice")
        await tg.message(alice, "/buy small")
        [media] = tg.requests_of(f.messages.SendMedia)
        payload = media.media.payload.decode()
        await tg.paid(alice, payload, "XTR", 50, charge_id="stxPAID2")

        def already(query: object) -> None:
            if isinstance(query, f.payments.RefundStarsCharge):
                raise pyrogram.errors.ChargeAlreadyRefunded()

        tg.client.on_request = already
        await tg.message(tg.admin, "/refund stxPAID2")
        service = tg.kernel.service("payments")
        assert await service.process_refunds() == 1
        assert (await service.refund_status("stxPAID2"))["status"] == "done"
