"""A small sample catalogue for `python -m core demo`: three products in two categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.shop.service import NewProduct, ShopError

if TYPE_CHECKING:
    from plugins.shop.service import ShopService

SAMPLES = (
    NewProduct("demo-ebook", "Python Tricks (sample)", 30, "Books", "text",
               "Tip 1: use a list comprehension. (This is the sample book's content.)", None,
               "A short sample e-book, delivered as text."),
    NewProduct("demo-guide", "Bot Operator's Guide (sample)", 50, "Books", "link",
               "https://core.telegram.org/bots", 20, "A link, delivered after you pay."),
    NewProduct("demo-wallpaper", "Sunset Wallpaper (sample)", 10, "Art", "text",
               "Imagine a sunset here. (A real product would send a photo.)", 5,
               "Only 5 in stock."),
)


async def seed(service: ShopService) -> list[str]:
    added = 0
    for product in SAMPLES:
        try:
            await service.add(product)
            added += 1
        except ShopError:  # already there from an earlier demo run: keep the operator's edits
            continue
    return [f"shop: {len(SAMPLES)} sample products ({added} added now): try /shop, buy one, "
            "then /purchases; as an admin (/admin) try /shop_list"]
