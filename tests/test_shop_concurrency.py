"""Ten items, fifty buyers pressing Confirm at once: exactly ten sold, on SQLite and on
PostgreSQL, and every buyer who missed out is charged nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from core.testing import running_bot
from plugins.shop.models import ShopProduct, ShopPurchase

STOCK, BUYERS, PRICE, START = 10, 50, 7, 20


async def test_fifty_buyers_for_ten_items_sell_exactly_ten(tmp_path: Path,
                                                           database_url: str) -> None:
    settings = {"database.url": database_url, "ratelimit.callbacks": "1000/minute"}
    async with running_bot(tmp_path, settings, plugins=["credits", "shop"]) as bot:
        added = await bot.send(f"/shop_add rare | Rare Card | {PRICE} | Cards | "
                               f"text:You own a rare card. | {STOCK}", user=bot.admin)
        assert added.text.startswith("Added ")
        credits = bot.service("credits")
        buyers = [bot.user(1000 + i, f"Buyer {i}") for i in range(BUYERS)]
        confirms = []
        for user in buyers:
            await bot.send("/start", user=user)
            await credits.credit(user.id, START, "test", f"grant:{user.id}")
            shop = await bot.send("/shop", user=user)
            listing = await bot.press(shop.button("Cards"), user=user)
            card = await bot.press(listing.button("Rare Card"), user=user)
            confirm = await bot.press(card.button("Buy"), user=user)
            confirms.append(confirm.button("Confirm"))

        replies = await asyncio.gather(*(bot.press(button, user=user)
                                         for button, user in zip(confirms, buyers, strict=True)))

        # Concurrent replies share the transport's log: read each buyer's own chat.
        said = {u.id: " ".join(getattr(a, "text", "") or "" for a in r.to(u.id))
                for u, r in zip(buyers, replies, strict=True)}
        won = [u for u in buyers if "You bought" in said[u.id]]
        lost = [u for u in buyers if "just sold out. Nothing was charged." in said[u.id]]
        assert len(won) == STOCK
        assert len(won) + len(lost) == BUYERS, said
        for user in won:
            assert await credits.balance(user.id) == START - PRICE
        for user in lost:
            assert await credits.balance(user.id) == START
            history = await credits.history(user.id)
            assert [e.kind for e in history.entries] == ["credit"]  # no debit, no refund

        def counts() -> tuple[int, int, int]:
            stock = ShopProduct.get(ShopProduct.sku == "rare").stock
            delivered = ShopPurchase.select().where(ShopPurchase.status == "delivered").count()
            pending = ShopPurchase.select().where(ShopPurchase.status == "pending").count()
            return stock, delivered, pending

        assert await bot.kernel.db.run(counts) == (0, STOCK, BUYERS - STOCK)
        assert await credits.audit() == []  # balance == sum(ledger) for everyone
        report = await bot.send("/shop_list", user=bot.admin)
        assert f"sold {STOCK}, revenue {STOCK * PRICE} credits" in report.text
