"""The same purchase as in test_shop_buying, as raw MTProto through a real kurigram Client: the
admin adds a product by sending the file in the guided flow, a user browses, buys and receives
the document; a forged button and a second Confirm change nothing."""

from __future__ import annotations

from pathlib import Path

from pyrogram import raw

from core import testing_telegram as tg_testing

f = raw.functions


async def test_a_purchase_as_raw_telegram_requests(tmp_path: Path) -> None:
    async with tg_testing.telegram_bot(tmp_path, plugins=["credits", "shop"]) as tg:
        admin, alice = tg.admin, tg.user(42, "Alice")

        # The admin adds a product through the guided flow, sending the file itself.
        for answer in ("/shop_add", "manual", "Owner's Manual", "30", "Docs"):
            await tg.message(admin, answer)
        await tg.document(admin, file_name="manual.pdf", document_id=6001)
        await tg.message(admin, "2")
        await tg.message(admin, "Everything about it.")
        assert tg.sent_texts(admin.id)[-1] == ("Added manual: Owner's Manual, 30 credits, Docs, "
                                               "file, 2 left, on sale.")

        await tg.message(alice, "/start")
        await tg.kernel.service("credits").credit(alice.id, 100, "test", "tg-test-alice")
        tg.clear()

        await tg.message(alice, "/shop")
        [menu] = tg.requests_of(f.messages.SendMessage)
        assert menu.message.startswith("Shop: choose a category")
        message_id = tg.last_message().id
        [docs] = tg_testing.button_data(menu.reply_markup)

        async def press(data: str) -> raw.functions.messages.EditMessage:
            tg.clear()
            await tg.press(alice, data, message_id)
            edits = tg.requests_of(f.messages.EditMessage)
            assert tg.requests_of(f.messages.SetBotCallbackAnswer)  # every press is answered
            return edits[-1]

        listing = await press(docs)
        [card_data, back] = tg_testing.button_data(listing.reply_markup)
        assert back == "shop:h:0"
        card = await press(card_data)
        assert "Price: 30 credits" in card.message and "Stock: 2 left" in card.message
        buy_data = tg_testing.button_data(card.reply_markup)[0]
        assert buy_data.startswith("shop:buy:")
        confirm = await press(buy_data)
        assert confirm.message == "Buy Owner's Manual for 30 credits?"
        ok_data, _cancel = tg_testing.button_data(confirm.reply_markup)
        assert len(ok_data.encode()) <= 64

        bought = await press(ok_data)
        assert bought.message == "You bought Owner's Manual for 30 credits. Balance: 70 credits."
        [media] = tg.requests_of(f.messages.SendMedia)
        assert isinstance(media.media, raw.types.InputMediaDocument)
        assert media.media.id.id == 6001  # the very file the admin sent
        assert media.message == "Owner's Manual"
        assert media.peer.user_id == alice.id

        # The same Confirm again, and forged data: alerts, no charge, no delivery.
        for data in (ok_data, "shop:buy:99999", "shop:ok:AAAAAAAAAAAAAAAA", "shop:\x00junk"):
            tg.clear()
            await tg.press(alice, data, message_id)
            [answer] = tg.requests_of(f.messages.SetBotCallbackAnswer)
            assert answer.alert and answer.message, data
            assert not tg.requests_of(f.messages.SendMedia)
        assert await tg.kernel.service("credits").balance(alice.id) == 70
        assert await tg.kernel.service("credits").audit() == []
