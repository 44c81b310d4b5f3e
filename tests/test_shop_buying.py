"""Buying in the shop, told as conversations: browse, card, Buy, Confirm, delivery."""

from __future__ import annotations

import pytest

from core.callbacks import INVALID_BUTTON
from core.testing import BotDriver, TestUser
from core.types import Action, SendMedia, SendMessage
from plugins.shop.models import ShopProduct, ShopPurchase

pytestmark = pytest.mark.plugins("credits", "shop")


async def add(bot: BotDriver, line: str) -> None:
    reply = await bot.send(f"/shop_add {line}", user=bot.admin)
    assert reply.text.startswith("Added "), reply.text


async def give(bot: BotDriver, user: TestUser, amount: int) -> None:
    await bot.send("/start", user=user)
    await bot.service("credits").credit(user.id, amount, "test", f"test-grant:{user.id}")


async def open_card(bot: BotDriver, user: TestUser, category: str, title: str):
    shop = await bot.send("/shop", user=user)
    listing = await bot.press(shop.button(category), user=user)
    return await bot.press(listing.button(title), user=user)


async def rows(bot: BotDriver, fn):
    return await bot.kernel.db.run(fn)


async def purchases_of(bot: BotDriver, user: TestUser) -> list[ShopPurchase]:
    return await rows(bot, lambda: list(ShopPurchase.select()
                                        .where(ShopPurchase.user_id == user.id)
                                        .order_by(ShopPurchase.id)))


async def test_a_purchase_from_shop_to_delivery(bot: BotDriver) -> None:
    await add(bot, "ebook-1 | Python Tricks | 30 | Books | text:The secret is 42. | 5 | "
                   "A short book.")
    alice = bot.user(42, "Alice")
    await give(bot, alice, 100)

    shop = await bot.send("/shop", user=alice)
    assert "choose a category" in shop.text
    assert shop.button("Books").data.startswith("shop:c:")

    listing = await bot.press(shop.button("Books"), user=alice)
    assert "Books" in listing.text
    card = await bot.press(listing.button("Python Tricks"), user=alice)
    assert "A short book." in card.text
    assert "Price: 30 credits" in card.text
    assert "Stock: 5 left" in card.text
    assert "42" not in card.text  # the content is not shown before it is paid for

    confirm = await bot.press(card.button("Buy"), user=alice)
    assert "Buy Python Tricks for 30 credits?" in confirm.text
    ok = confirm.button("Confirm")
    assert len(ok.data.encode()) <= 64

    bought = await bot.press(ok, user=alice)
    assert "You bought Python Tricks for 30 credits. Balance: 70 credits." in bought.text
    delivered = [a for a in bought.of(SendMessage) if "The secret is 42." in a.text]
    assert delivered and delivered[0].chat_id == alice.id

    assert await bot.service("credits").balance(alice.id) == 70
    [purchase] = await purchases_of(bot, alice)
    assert (purchase.status, purchase.price, purchase.list_price) == ("delivered", 30, 30)
    assert purchase.delivered_at is not None
    stock = await rows(bot, lambda: ShopProduct.get(ShopProduct.sku == "ebook-1").stock)
    assert stock == 4

    # What the user owns can be received again, at no charge.
    mine = await bot.send("/purchases", user=alice)
    assert "Python Tricks: 30 credits" in mine.text
    again = await bot.press(mine.button("Get again"), user=alice)
    assert any("The secret is 42." in a.text for a in again.of(SendMessage))
    assert await bot.service("credits").balance(alice.id) == 70
    assert await bot.service("credits").audit() == []


async def test_a_second_press_of_the_same_confirm_buys_nothing_twice(bot: BotDriver) -> None:
    await add(bot, "song | A Song | 10 | Music | link:https://example.com/song | unlimited")
    bob = bot.user(43, "Bob")
    await give(bot, bob, 50)
    card = await open_card(bot, bob, "Music", "A Song")
    confirm = await bot.press(card.button("Buy"), user=bob)
    ok = confirm.button("Confirm")

    first = await bot.press(ok, user=bob)
    assert "You bought A Song" in first.text
    link = [a for a in first.of(SendMessage) if "https://example.com/song" in a.text]
    assert link and link[0].buttons[0][0].url == "https://example.com/song"

    second = await bot.press(ok, user=bob)
    assert second.outcome == "user_error"
    assert "already confirmed this purchase; nothing was charged again" in second.alert
    assert await bot.service("credits").balance(bob.id) == 40
    assert [p.status for p in await purchases_of(bot, bob)] == ["delivered"]


async def test_a_price_changed_after_the_card_is_charged_only_once_confirmed(
        bot: BotDriver) -> None:
    await add(bot, "course | Course | 20 | Courses | text:Lesson one | 3")
    carol = bot.user(44, "Carol")
    await give(bot, carol, 100)
    card = await open_card(bot, carol, "Courses", "Course")
    confirm = await bot.press(card.button("Buy"), user=carol)
    assert "for 20 credits?" in confirm.text

    changed = await bot.send("/shop_edit course price 35", user=bot.admin)
    assert "35 credits" in changed.text

    asked = await bot.press(confirm.button("Confirm"), user=carol)
    assert "changed from 20 to 35 credits" in asked.text
    assert "Buy Course for 35 credits?" in asked.text
    assert asked.alert == "The price changed: please confirm again."
    assert await bot.service("credits").balance(carol.id) == 100  # nothing charged yet
    stock = await rows(bot, lambda: ShopProduct.get(ShopProduct.sku == "course").stock)
    assert stock == 3

    # The old button stays dead; the new one buys at the new price.
    stale = await bot.press(confirm.button("Confirm"), user=carol)
    assert "expired" in stale.alert
    bought = await bot.press(asked.button("Confirm"), user=carol)
    assert "You bought Course for 35 credits" in bought.text
    assert await bot.service("credits").balance(carol.id) == 65
    statuses = [p.status for p in await purchases_of(bot, carol)]
    assert statuses == ["expired", "delivered"]


async def test_a_deactivated_product_cannot_be_bought(bot: BotDriver) -> None:
    await add(bot, "old | Old Thing | 5 | Misc | text:old | 2")
    dave = bot.user(45, "Dave")
    await give(bot, dave, 50)
    card = await open_card(bot, dave, "Misc", "Old Thing")
    confirm = await bot.press(card.button("Buy"), user=dave)

    off = await bot.send("/shop_off old", user=bot.admin)
    assert "off sale" in off.text

    refused = await bot.press(confirm.button("Confirm"), user=dave)
    assert "not on sale any more" in refused.alert
    again = await bot.press(card.button("Buy"), user=dave)
    assert "not on sale any more" in again.alert
    shop = await bot.send("/shop", user=dave)
    assert "empty" in shop.text  # the cached catalogue was dropped
    assert await bot.service("credits").balance(dave.id) == 50
    assert [p.status for p in await purchases_of(bot, dave)] == ["pending"]


async def test_forged_button_data_changes_nothing(bot: BotDriver) -> None:
    await add(bot, "gem | Gem | 10 | Stones | text:shiny | 5")
    await add(bot, "rock | Rock | 1 | Stones | text:grey | 5")
    erin, frank = bot.user(46, "Erin"), bot.user(47, "Frank")
    await give(bot, erin, 100)
    await give(bot, frank, 100)
    card = await open_card(bot, erin, "Stones", "Gem")
    erins_confirm = (await bot.press(card.button("Buy"), user=erin)).button("Confirm")

    # Frank presses Erin's Confirm (its request id is bound to Erin).
    stolen = await bot.press(erins_confirm.data, user=frank)
    assert stolen.alert == "This button is not valid. Send /shop to start again."

    forged = ["shop:ok:AAAAAAAAAAAAAAAA", "shop:buy:999999", "shop:p:-1", "shop:ok:../../x",
              "shop:zzz", "shop", "shop:buy:1:2", "shop:get:1", "shop:c:nothex00:0",
              "shop:buy:" + "9" * 40, "shop:ok:ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ"]
    forged += ["shop:m:" + "9" * 18, "shop:h:" + "9" * 18, "shop:c:0000abcd:" + "9" * 18,
               "shop:get:0", "shop:m:-1", "shop:p:1.5", "shop:h:1:2", "shop:no:short"]
    for data in forged:
        reply = await bot.press(data, user=frank)
        # Malformed data never reaches a handler; well-formed ids are re-checked by the service.
        assert reply.outcome in ("invalid_button", "unrouted", "user_error"), data
        assert reply.alert and ("no longer valid" in reply.alert or "not valid" in reply.alert
                                or "not on sale" in reply.alert or "empty now" in reply.alert
                                or "no longer exists" in reply.alert), (data, reply.alert)
        if data.startswith(("shop:p:-1", "shop:zzz", "shop:buy:1:2", "shop:m:99")):
            assert reply.alert == INVALID_BUTTON, data

    for user in (erin, frank):
        assert await bot.service("credits").balance(user.id) == 100
    assert [p.status for p in await purchases_of(bot, erin)] == ["pending"]
    assert await purchases_of(bot, frank) == []
    stock = await rows(bot, lambda: [p.stock for p in ShopProduct.select()])
    assert stock == [5, 5]

    # Erin's own button still works: forging changed nothing.
    bought = await bot.press(erins_confirm, user=erin)
    assert "You bought Gem for 10 credits" in bought.text


@pytest.mark.bot_settings({"credits.tiers": [
    {"name": "silver", "threshold": 100, "discount": 15},
    {"name": "gold", "threshold": 1000, "discount": 50},
]})
async def test_tier_discounts_are_applied_as_configured(bot: BotDriver) -> None:
    await add(bot, "pack | Sticker Pack | 99 | Art | text:stickers | unlimited")
    gina, hal = bot.user(48, "Gina"), bot.user(49, "Hal")
    await bot.send("/start", user=gina)
    await bot.send("/start", user=hal)
    credits = bot.service("credits")
    await credits.credit(gina.id, 200, "bought", "pay-gina", purchased=True)  # silver: 15%
    await credits.credit(hal.id, 200, "granted", "grant-hal")  # not bought: no tier

    card = await open_card(bot, gina, "Art", "Sticker Pack")
    # 99 less 15% rounded in the shop's favour: 99 - 14 = 85.
    assert "Price: 85 credits (99 less your 15% discount)" in card.text
    confirm = await bot.press(card.button("Buy for 85"), user=gina)
    bought = await bot.press(confirm.button("Confirm"), user=gina)
    assert "for 85 credits" in bought.text
    assert await credits.balance(gina.id) == 115

    card = await open_card(bot, hal, "Art", "Sticker Pack")
    assert "Price: 99 credits" in card.text
    confirm = await bot.press(card.button("Buy"), user=hal)
    await bot.press(confirm.button("Confirm"), user=hal)
    assert await credits.balance(hal.id) == 101
    [paid] = await purchases_of(bot, gina)
    assert (paid.list_price, paid.price, paid.discount) == (99, 85, 15)


async def test_not_enough_credits_charges_nothing(bot: BotDriver) -> None:
    await add(bot, "big | Big Thing | 500 | Misc | text:big | 1")
    ivy = bot.user(50, "Ivy")
    await give(bot, ivy, 100)
    card = await open_card(bot, ivy, "Misc", "Big Thing")
    confirm = await bot.press(card.button("Buy"), user=ivy)
    refused = await bot.press(confirm.button("Confirm"), user=ivy)
    assert refused.alert == ("Big Thing costs 500 credits and your balance is 100 (400 short). "
                             "Nothing was charged.")
    assert await bot.service("credits").balance(ivy.id) == 100
    stock = await rows(bot, lambda: ShopProduct.get(ShopProduct.sku == "big").stock)
    assert stock == 1
    # Topped up, the same button now works.
    await bot.service("credits").credit(ivy.id, 400, "top up", "topup-ivy")
    bought = await bot.press(confirm.button("Confirm"), user=ivy)
    assert "You bought Big Thing" in bought.text


async def test_a_failed_delivery_is_refunded(bot: BotDriver) -> None:
    await add(bot, "pdf | Manual | 25 | Docs | file:BQACAgIAAxkBAAIBmanual | 2")
    jay = bot.user(51, "Jay")
    await give(bot, jay, 60)

    def fail(action: Action) -> None:
        if isinstance(action, SendMedia):
            raise RuntimeError("Telegram said no")

    bot.transport.fail = fail
    card = await open_card(bot, jay, "Docs", "Manual")
    confirm = await bot.press(card.button("Buy"), user=jay)
    reply = await bot.press(confirm.button("Confirm"), user=jay)
    assert "could not deliver Manual: your 25 credits are back" in reply.text

    credits = bot.service("credits")
    assert await credits.balance(jay.id) == 60
    assert await credits.audit() == []
    history = await credits.history(jay.id)
    assert [e.kind for e in history.entries][:2] == ["refund", "debit"]
    [purchase] = await purchases_of(bot, jay)
    assert purchase.status == "refunded" and purchase.refunded_at is not None
    stock = await rows(bot, lambda: ShopProduct.get(ShopProduct.sku == "pdf").stock)
    assert stock == 2  # given back
    assert "not bought anything" in (await bot.send("/purchases", user=jay)).text

    # Delivered normally once Telegram takes files again.
    bot.transport.fail = None
    confirm = await bot.press(card.button("Buy"), user=jay)
    reply = await bot.press(confirm.button("Confirm"), user=jay)
    [media] = reply.of(SendMedia)
    assert (media.media.kind, media.media.file_id) == ("document", "BQACAgIAAxkBAAIBmanual")
    assert await credits.balance(jay.id) == 35


@pytest.mark.bot_settings({"shop.page_size": 2})
async def test_categories_and_products_are_paged(bot: BotDriver) -> None:
    for i in range(5):
        await add(bot, f"p{i} | Poster {i} | {i + 1} | Posters | text:poster {i} | unlimited")
    for name in ("Art", "Books"):
        await add(bot, f"{name.lower()} | {name} item | 3 | {name} | text:x | unlimited")
    kim = bot.user(52, "Kim")
    await give(bot, kim, 10)

    shop = await bot.send("/shop", user=kim)
    assert "page 1 of 2" in shop.text
    assert [b.text for b in shop.buttons] == ["Art (1)", "Books (1)", "Next ›"]
    second = await bot.press(shop.button("Next"), user=kim)
    assert [b.text for b in second.buttons] == ["Posters (5)", "‹ Previous"]

    listing = await bot.press(second.button("Posters"), user=kim)
    assert "Posters (page 1 of 3)" in listing.text
    last = await bot.press((await bot.press(listing.button("Next"), user=kim))
                           .button("Next"), user=kim)
    assert [b.text for b in last.buttons] == ["Poster 4 · 5 cr", "‹ Previous", "‹ Categories"]
    assert all(len(b.data.encode()) <= 64 for b in last.buttons)
    # A page number past the end (an old button after products went away) shows the last page.
    far = listing.button("Next").data.rsplit(":", 1)[0] + ":99"
    beyond = await bot.press(far, user=kim)
    assert "Posters (page 3 of 3)" in beyond.text


async def test_a_purchase_paid_but_not_delivered_is_finished_at_start(bot: BotDriver) -> None:
    """The process stopped between the commit and the delivery: start-up delivers it."""
    await add(bot, "late | Late Item | 4 | Misc | text:here at last | 3")
    lee = bot.user(53, "Lee")
    await give(bot, lee, 10)
    shop = bot.service("shop")
    product = await shop.by_sku("late")
    offer = await shop.offer(lee.id, product.id)
    await shop.buy(lee.id, offer.request_id)  # paid; the delivery never happened
    assert [p.status for p in await purchases_of(bot, lee)] == ["paid"]

    assert await shop.recover(older_than=60) == 0  # too recent: maybe in flight elsewhere
    mark = len(bot.transport.log)
    assert await shop.recover(older_than=0) == 1
    sent = [a for a, _ in bot.transport.log[mark:] if isinstance(a, SendMessage)]
    assert [(a.chat_id, a.text) for a in sent] == [(lee.id, "Late Item\n\nhere at last")]
    assert [p.status for p in await purchases_of(bot, lee)] == ["delivered"]
    assert await bot.service("credits").balance(lee.id) == 6


async def test_bought_from_a_group_the_item_goes_to_the_private_chat(bot: BotDriver) -> None:
    from core.types import Chat, ChatType

    await add(bot, "secret | Secret | 5 | Misc | text:for your eyes only | unlimited")
    max_ = bot.user(54, "Max")
    await give(bot, max_, 10)
    group = Chat(-500, ChatType.SUPERGROUP)
    shop = await bot.send("/shop", user=max_, chat=group)
    listing = await bot.press(shop.button("Misc"), user=max_, chat=group)
    card = await bot.press(listing.button("Secret"), user=max_, chat=group)
    confirm = await bot.press(card.button("Buy"), user=max_, chat=group)
    bought = await bot.press(confirm.button("Confirm"), user=max_, chat=group)
    content = [a for a in bought.of(SendMessage) if "for your eyes only" in a.text]
    assert [a.chat_id for a in content] == [max_.id]
    assert "You bought Secret" in bought.text
