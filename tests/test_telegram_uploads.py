"""Bytes uploaded as photos and documents; a refund Telegram already made counts as done."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrogram import errors, raw

from core.errors import AlreadyDone
from core.testing_telegram import telegram_bot
from core.types import Media, RefundStars, SendMedia


async def test_bytes_are_uploaded_as_a_document(tmp_path: Path) -> None:
    async with telegram_bot(tmp_path) as tg:
        alice = tg.user(42, "Alice")
        await tg.message(alice, "/start")
        tg.clear()
        csv = b"charge,amount\nc1,50\n"
        await tg.kernel.send(SendMedia(42, Media("document", "", file_name="payments.csv",
                                                 data=csv), caption="Export"))
        assert tg.client.uploads == [("payments.csv", csv)]
        [sent] = tg.requests_of(raw.functions.messages.SendMedia)
        assert isinstance(sent.media, raw.types.InputMediaUploadedDocument)
        names = [a.file_name for a in sent.media.attributes
                 if isinstance(a, raw.types.DocumentAttributeFilename)]
        assert names == ["payments.csv"] and sent.message == "Export"


async def test_charge_already_refunded_becomes_already_done(tmp_path: Path) -> None:
    async with telegram_bot(tmp_path) as tg:
        await tg.message(tg.user(42), "/start")

        def refuse(query: object) -> None:
            if isinstance(query, raw.functions.payments.RefundStarsCharge):
                raise errors.ChargeAlreadyRefunded()

        tg.client.on_request = refuse
        with pytest.raises(AlreadyDone):
            await tg.kernel.send(RefundStars(42, 42, "charge-1"))
