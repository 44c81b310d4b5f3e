"""Admins run the shop from the chat: one-line commands, the guided flow, the listing, and the
figures the shop gives the operators' tools."""

from __future__ import annotations

import pytest

from core.context import Context
from core.hookspecs import hookimpl
from core.i18n import Text
from core.models import ConversationState
from core.testing import BotDriver, TestUser, running_bot
from core.types import Media, MessageHandler, SendMedia
from plugins.shop.models import ShopProduct

pytestmark = pytest.mark.plugins("credits", "shop")


async def product(bot: BotDriver, sku: str) -> ShopProduct | None:
    return await bot.kernel.db.run(ShopProduct.get_or_none, ShopProduct.sku == sku)


async def buy(bot: BotDriver, user: TestUser, category: str, title: str) -> None:
    shop = await bot.send("/shop", user=user)
    listing = await bot.press(shop.button(category), user=user)
    card = await bot.press(listing.button(title), user=user)
    confirm = await bot.press(card.button("Buy"), user=user)
    bought = await bot.press(confirm.button("Confirm"), user=user)
    assert "You bought" in bought.text, bought.text


async def test_one_line_add_edit_stock_off_and_list(bot: BotDriver) -> None:
    admin = bot.admin
    added = await bot.send("/shop_add tea | Green Tea | 12 | Drinks | text:Steep 3 min | 4 | "
                           "Good for mornings", user=admin)
    assert added.text == ("Added tea: Green Tea, 12 credits, Drinks, text, 4 left, on sale.")
    row = await product(bot, "tea")
    assert row is not None and (row.description, row.stock) == ("Good for mornings", 4)

    assert "Changed tea: Green Tea, 15 credits" in (
        await bot.send("/shop_edit tea price 15", user=admin)).text
    assert "Changed tea: Sencha" in (await bot.send("/shop_edit tea title Sencha",
                                                    user=admin)).text
    assert (await bot.send("/shop_stock tea +3", user=admin)).text == "Stock of tea: 7 left."
    assert (await bot.send("/shop_stock tea -7", user=admin)).text == "Stock of tea: sold out."
    assert "below zero" in (await bot.send("/shop_stock tea -1", user=admin)).text
    assert (await bot.send("/shop_stock tea unlimited", user=admin)).text == \
        "Stock of tea: in stock."
    assert "off sale" in (await bot.send("/shop_off tea", user=admin)).text
    assert "on sale now" in (await bot.send("/shop_on tea", user=admin)).text

    listing = await bot.send("/shop_list", user=admin)
    assert "tea: Sencha, 15 credits, Drinks, text, in stock, on sale; sold 0, revenue 0" in \
        listing.text


async def test_bad_admin_input_gets_a_clear_message_and_changes_nothing(bot: BotDriver) -> None:
    admin = bot.admin
    await bot.send("/shop_add ok | Fine | 5 | Misc | text:x | 1", user=admin)
    cases = {
        "/shop_add only | three | parts": "Usage: /shop_add",
        "/shop_add bad sku! | T | 5 | C | text:x | 1": "A SKU is 1 to 64",
        "/shop_add a | T | -5 | C | text:x | 1": "Price: the number must be from 1 to",
        "/shop_add a | T | 0 | C | text:x | 1": "Price: the number must be from 1 to",
        "/shop_add a | T | 99999999999999 | C | text:x | 1": "Price: the number must be from",
        "/shop_add a | T | 1.5 | C | text:x | 1": "is not a whole number",
        "/shop_add a | T | 5 | C | html:<b> | 1": "The content is text:",
        "/shop_add a | T | 5 | C | link:javascript:alert(1) | 1": "A link starts with https://",
        "/shop_add a | T | 5 | C | file:../etc | 1": "does not look like a Telegram file id",
        "/shop_add a |  | 5 | C | text:x | 1": "Title: it is empty",
        f"/shop_add a | {'x' * 200} | 5 | C | text:x | 1": "Title: too long (200 characters",
        "/shop_add a | T | 5 | C | text:x | lots": "Stock: “lots” is not a whole number",
        "/shop_add ok | Dup | 5 | C | text:x | 1": "The SKU ok is taken",
        "/shop_edit ok colour red": "A field is one of",
        "/shop_edit nope price 5": "No product with the SKU nope",
        "/shop_stock ok": "Usage: /shop_stock",
        "/shop_off": "Usage: /shop_off",
    }
    for command, expected in cases.items():
        reply = await bot.send(command, user=admin)
        assert reply.outcome == "user_error", command
        assert expected in reply.text, (command, reply.text)
    rows = await bot.kernel.db.run(lambda: [(p.sku, p.title, p.price, p.stock)
                                            for p in ShopProduct.select()])
    assert rows == [("ok", "Fine", 5, 1)]


async def test_non_admins_cannot_use_admin_commands(bot: BotDriver) -> None:
    mallory = bot.user(66, "Mallory")
    for command in ("/shop_add x | X | 1 | C | text:x | 1", "/shop_edit x price 1",
                    "/shop_stock x 5", "/shop_off x", "/shop_list", "/shop_add"):
        reply = await bot.send(command, user=mallory)
        assert reply.outcome == "denied" and "admins only" in reply.text
    assert await bot.kernel.db.run(ShopProduct.select().count) == 0


async def test_guided_add_asks_one_question_at_a_time(bot: BotDriver) -> None:
    admin = bot.admin
    assert "SKU" in (await bot.send("/shop_add", user=admin)).text
    assert (await bot.send("guide-1", user=admin)).text == "Title?"
    assert (await bot.send("Field Guide", user=admin)).text == "Price in credits?"
    wrong = await bot.send("ten", user=admin)
    assert "“ten” is not a whole number." in wrong.text
    assert "Price in credits?" in wrong.text  # asked again
    assert (await bot.send("10", user=admin)).text == "Category?"
    assert "What is delivered?" in (await bot.send("Guides", user=admin)).text
    # The admin sends the file itself.
    asked = await bot.send("", user=admin, media=Media("document", "BQACAgIAAxkBAAguide"))
    assert "How many in stock?" in asked.text
    assert "description" in (await bot.send("3", user=admin)).text
    done = await bot.send("-", user=admin)
    assert done.text == "Added guide-1: Field Guide, 10 credits, Guides, file, 3 left, on sale."
    row = await product(bot, "guide-1")
    assert row is not None and (row.content_kind, row.content) == ("file",
                                                                 "BQACAgIAAxkBAAguide")

    # The flow is over: the admin's text is not the shop's business now.
    after = await bot.send("hello", user=admin)
    assert after.outcome == "unrouted"

    # And the product is for sale, delivered as a document.
    alice = bot.user(42, "Alice")
    await bot.send("/start", user=alice)
    await bot.service("credits").credit(alice.id, 10, "t", "t-alice")
    shop = await bot.send("/shop", user=alice)
    card = await bot.press((await bot.press(shop.button("Guides"), user=alice))
                           .button("Field Guide"), user=alice)
    confirm = await bot.press(card.button("Buy"), user=alice)
    bought = await bot.press(confirm.button("Confirm"), user=alice)
    [media] = bought.of(SendMedia)
    assert media.media.file_id == "BQACAgIAAxkBAAguide"


async def test_guided_edit_and_cancel(bot: BotDriver) -> None:
    admin = bot.admin
    await bot.send("/shop_add map | Map | 8 | Maps | text:north | 2", user=admin)
    assert "Which field" in (await bot.send("/shop_edit map", user=admin)).text
    assert (await bot.send("price", user=admin)).text == "The new value?"
    assert "Changed map: Map, 9 credits" in (await bot.send("9", user=admin)).text

    assert "Which product" in (await bot.send("/shop_edit", user=admin)).text
    unknown = await bot.send("nosuch", user=admin)
    assert "No product with the SKU nosuch" in unknown.text
    assert (await bot.send("cancel", user=admin)).text == "Stopped; nothing was changed."
    row = await product(bot, "map")
    assert row is not None and row.price == 9


class Echo:
    """Another plugin's free-text handler, below the shop's flow."""

    @hookimpl
    def register_message_handlers(self) -> list[MessageHandler]:
        async def echo(ctx: Context) -> bool:
            await ctx.reply(f"echo: {ctx.text}")
            return True

        return [MessageHandler(echo)]


async def test_free_text_reaches_other_plugins_unless_an_admin_is_in_a_flow(tmp_path) -> None:
    async with running_bot(tmp_path, plugins=["credits", "shop"],
                           extra_plugins=[Echo()]) as bot:
        alice = bot.user(42, "Alice")
        assert (await bot.send("hi", user=alice)).text == "echo: hi"
        assert (await bot.send("hi", user=bot.admin)).text == "echo: hi"
        await bot.send("/shop_add", user=bot.admin)
        assert (await bot.send("sku-1", user=bot.admin)).text == "Title?"
        assert (await bot.send("hi", user=alice)).text == "echo: hi"  # not in a flow


async def test_stats_user_summary_and_buyers_segment(bot: BotDriver) -> None:
    await bot.send("/shop_add a | Apple | 3 | Fruit | text:apple | unlimited", user=bot.admin)
    await bot.send("/shop_add b | Banana | 4 | Fruit | text:banana | unlimited", user=bot.admin)
    alice, bob, carl = bot.user(42, "Alice"), bot.user(43, "Bob"), bot.user(44, "Carl")
    for user in (alice, bob, carl):
        await bot.send("/start", user=user)
        await bot.service("credits").credit(user.id, 20, "t", f"t-{user.id}")
    await buy(bot, alice, "Fruit", "Apple")
    await buy(bot, alice, "Fruit", "Banana")
    await buy(bot, bob, "Fruit", "Banana")

    kernel = bot.kernel
    [stats] = await kernel.emit("stats")
    assert stats == {"shop products on sale": 2, "shop sales": 3,
                     "shop revenue (credits)": 11, "shop refunds": 0}
    assert await kernel.emit("user_summary", user_id=alice.id) == [
        [Text("shop-summary", count=2, total=7)]]
    assert await kernel.emit("user_summary", user_id=carl.id) == [
        [Text("shop-summary", count=0, total=0)]]
    assert await kernel.emit("segment_users", segment="buyers", value="") == [[42, 43]]
    assert await kernel.emit("segment_users", segment="buyers", value="a") == [[42]]
    assert await kernel.emit("segment_users", segment="buyers", value="zzz") == [[]]
    assert await kernel.emit("segment_users", segment="tier", value="gold") == []


async def test_the_catalogue_is_cached_and_dropped_when_an_admin_changes_it(
        bot: BotDriver) -> None:
    shop = bot.service("shop")
    await bot.send("/shop_add k | Kite | 5 | Toys | text:kite | unlimited", user=bot.admin)
    first = await shop.catalogue()
    # A change behind the service's back is not seen: the catalogue comes from the cache.
    await bot.kernel.db.run(lambda: ShopProduct.update(title="Sneaky")
                            .where(ShopProduct.sku == "k").execute())
    assert (await shop.catalogue())[0].title == "Kite" == first[0].title
    # A change through the admin commands drops it.
    await bot.send("/shop_edit k price 6", user=bot.admin)
    [kite] = await shop.catalogue()
    assert (kite.title, kite.price) == ("Sneaky", 6)


async def test_debit_in_transaction_commits_or_rolls_back_with_the_callers_work(
        bot: BotDriver) -> None:
    """The credits API the shop relies on: a debit inside someone else's transaction."""
    credits = bot.service("credits")
    db = bot.kernel.db
    await bot.send("/start", user=bot.user(42))
    await credits.credit(42, 50, "t", "t-42")

    def failing() -> None:
        credits.debit_in_transaction(42, 10, "x", "caller-1")
        raise RuntimeError("the caller's own write failed")

    with pytest.raises(RuntimeError):
        await db.transaction(failing)
    assert await credits.entry("caller-1") is None
    assert await credits.balance(42) == 50

    pending = await db.transaction(lambda: credits.debit_in_transaction(42, 10, "x", "caller-2"))
    await credits.after_commit(pending)
    assert await credits.balance(42) == 40  # after_commit dropped the cached balance
    again = await db.transaction(lambda: credits.debit_in_transaction(42, 10, "x", "caller-2"))
    assert again.entry.duplicate and again.entry.id == pending.entry.id
    refund = await db.transaction(lambda: credits.refund_in_transaction("caller-2"))
    await credits.after_commit(refund)
    assert await credits.balance(42) == 50
    assert await credits.audit() == []


@pytest.mark.plugins("credits", "shop", "admin")
async def test_the_admin_plugin_shows_the_shops_figures(bot: BotDriver) -> None:
    await bot.send("/shop_add a | Apple | 3 | Fruit | text:apple | unlimited", user=bot.admin)
    alice = bot.user(42, "Alice")
    await bot.send("/start", user=alice)
    await bot.service("credits").credit(alice.id, 20, "t", "t-alice")
    await buy(bot, alice, "Fruit", "Apple")
    stats = await bot.send("/stats", user=bot.admin)
    assert "shop sales" in stats.text and "shop revenue (credits)" in stats.text
    user = await bot.send("/user 42", user=bot.admin)
    assert "Shop: 1 purchase, 3 credits spent" in user.text


async def test_catalogue_and_flows_live_in_redis_when_configured(tmp_path) -> None:
    """With the Redis cache (several workers), a change made by one worker's admin command
    is seen by every worker: the catalogue is dropped in Redis; flows are kept in the database."""
    import uuid

    from core.testing import redis_url

    settings = {"cache.backend": "redis", "cache.url": redis_url(),
                "cache.namespace": f"shoptest-{uuid.uuid4().hex[:8]}"}
    async with running_bot(tmp_path, settings, plugins=["credits", "shop"]) as bot:
        await bot.send("/shop_add k | Kite | 5 | Toys | text:kite | 2", user=bot.admin)
        shop = bot.service("shop")
        [kite] = await shop.catalogue()
        assert await bot.kernel.cache.get("shop:catalogue") == (kite,)
        await bot.send("/shop_stock k 7", user=bot.admin)
        assert await bot.kernel.cache.get("shop:catalogue") is None
        assert (await shop.catalogue())[0].stock == 7

        await bot.send("/shop_edit k", user=bot.admin)
        assert await bot.kernel.db.run(ConversationState.select().count) == 1
        await bot.send("title", user=bot.admin)
        assert "Changed k: Flying Kite" in (await bot.send("Flying Kite", user=bot.admin)).text
        await bot.kernel.cache.clear()
