"""What shoppers see: /shop (categories, products, a card, Buy, Confirm) and /purchases.

Button data carries ids only and is re-checked on the server:
    shop:h:<page>                 categories, page
    shop:c:<category code>:<page> products of a category, page
    shop:p:<product id>           a product card
    shop:buy:<product id>         ask to confirm (writes a purchase request)
    shop:ok:<request id>          confirm: buy
    shop:no:<request id>          cancel
    shop:m:<page>                 /purchases, page
    shop:get:<purchase id>        receive a bought item again
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from core.context import Context
from core.types import Button, Keyboard
from plugins.shop.service import (
    Offer,
    PriceChanged,
    ShopError,
    ShopService,
    category_code,
    page_of,
    price_after,
    stock_text,
)

PREFIX = "shop"
NUMBER = re.compile(r"^\d{1,18}$")
CODE = re.compile(r"^[0-9a-f]{8}$")
REQUEST = re.compile(r"^[A-Za-z0-9_-]{16}$")
INVALID = "This button is not valid any more. Send /shop to start again."

View = tuple[str, Keyboard | None]


def _service(ctx: Context) -> ShopService:
    return ctx.service("shop")


def _nav(prefix: str, page: int, pages: int) -> list[Button]:
    row = []
    if page > 0:
        row.append(Button("‹ Previous", f"{prefix}:{page - 1}"))
    if page + 1 < pages:
        row.append(Button("Next ›", f"{prefix}:{page + 1}"))
    return row


def _price_text(price: int, list_price: int, discount: int) -> str:
    if price == list_price:
        return f"{price} credits"
    return f"{price} credits ({list_price} less your {discount}% discount)"


# ---- views -----------------------------------------------------------------------------------


async def home_view(ctx: Context, page: int) -> View:
    service = _service(ctx)
    products = await service.catalogue()
    names = sorted({p.category for p in products})
    if not names:
        return "The shop is empty for now. Come back soon!", None
    shown, page, pages = page_of(names, page, service.page_size)
    counts = {name: sum(1 for p in products if p.category == name) for name in shown}
    rows: list[list[Button]] = [[Button(f"{name} ({counts[name]})",
                                        f"{PREFIX}:c:{category_code(name)}:0")]
                                for name in shown]
    nav = _nav(f"{PREFIX}:h", page, pages)
    if nav:
        rows.append(nav)
    suffix = f" (page {page + 1} of {pages})" if pages > 1 else ""
    return f"Shop: choose a category{suffix}.", rows


async def category_view(ctx: Context, code: str, page: int) -> View:
    service = _service(ctx)
    name, products = await service.in_category(code)
    shown, page, pages = page_of(products, page, service.page_size)
    discount = await service.credits.discount(ctx.user.id)
    rows: list[list[Button]] = []
    for p in shown:
        label = f"{p.title} · {price_after(p.price, discount)} cr"
        if not p.in_stock:
            label += " · sold out"
        rows.append([Button(label[:60], f"{PREFIX}:p:{p.id}")])
    nav = _nav(f"{PREFIX}:c:{code}", page, pages)
    if nav:
        rows.append(nav)
    rows.append([Button("‹ Categories", f"{PREFIX}:h:0")])
    suffix = f" (page {page + 1} of {pages})" if pages > 1 else ""
    return f"{name}{suffix}:", rows


async def product_view(ctx: Context, product_id: int) -> View:
    service = _service(ctx)
    product = await service.product(product_id)
    price, discount = await service.price_for(ctx.user.id, product)
    lines = [product.title]
    if product.description:
        lines += ["", product.description]
    lines += ["", f"Price: {_price_text(price, product.price, discount)}",
              f"Stock: {stock_text(product)}"]
    rows: list[list[Button]] = []
    if product.in_stock:
        rows.append([Button(f"Buy for {price} credits", f"{PREFIX}:buy:{product.id}")])
    rows.append([Button("‹ Back", f"{PREFIX}:c:{category_code(product.category)}:0")])
    return "\n".join(lines), rows


def confirm_view(offer: Offer, intro: str = "") -> View:
    text = (f"{intro}Buy {offer.product.title} for "
            f"{_price_text(offer.price, offer.list_price, offer.discount)}?")
    return text, [[Button("Confirm", f"{PREFIX}:ok:{offer.request_id}"),
                   Button("Cancel", f"{PREFIX}:no:{offer.request_id}")]]


async def purchases_view(ctx: Context, page: int) -> View:
    service = _service(ctx)
    size = service.page_size
    owned, total = await service.owned(ctx.user.id, page * size, size)
    if total == 0:
        return "You have not bought anything yet. Send /shop to browse.", None
    pages = (total + size - 1) // size
    if not owned:
        raise ShopError("That page no longer exists. Send /purchases again.")
    rows = [[Button(f"Get again: {title}"[:60], f"{PREFIX}:get:{p.id}")] for p, title in owned]
    nav = _nav(f"{PREFIX}:m", page, pages)
    if nav:
        rows.append(nav)
    lines = [f"Your purchases ({total}), page {page + 1} of {pages}:"]
    lines += [f"{p.delivered_at:%Y-%m-%d} {title}: {p.price} credits" for p, title in owned]
    return "\n".join(lines), rows


# ---- commands --------------------------------------------------------------------------------


async def shop(ctx: Context) -> None:
    """Browse the shop and buy with credits"""
    text, buttons = await home_view(ctx, 0)
    await ctx.reply(text, buttons)


async def purchases(ctx: Context) -> None:
    """What you bought, to receive again"""
    text, buttons = await purchases_view(ctx, 0)
    await ctx.reply(text, buttons)


# ---- buttons ---------------------------------------------------------------------------------


async def _show(ctx: Context, view: View) -> None:
    await ctx.edit(*view)
    await ctx.answer()


async def _buy(ctx: Context, product_id: int) -> None:
    await _show(ctx, confirm_view(await _service(ctx).offer(ctx.user.id, product_id)))


async def _confirm(ctx: Context, request_id: str) -> None:
    service = _service(ctx)
    try:
        purchase, product = await service.buy(ctx.user.id, request_id)
    except PriceChanged as changed:
        await ctx.edit(*confirm_view(changed.offer, f"{changed.message}\n"))
        await ctx.answer("The price changed: please confirm again.", alert=True)
        return
    # Delivery first: the purchase is complete (or refunded) whatever happens to the edit. It
    # goes to the buyer's private chat, even when they shop from a group.
    delivered = await service.deliver(purchase, product, ctx.user.id)
    balance = await service.credits.balance(ctx.user.id)
    if delivered:
        await ctx.answer("Thank you!")
        await ctx.edit(f"You bought {product.title} for {purchase.price} credits. "
                       f"Balance: {balance} credits.")
    else:
        await ctx.answer()
        await ctx.edit(f"Sorry, I could not deliver {product.title}: your {purchase.price} "
                       f"credits are back on your balance ({balance} credits).")


async def _cancel(ctx: Context, request_id: str) -> None:
    await _service(ctx).cancel(ctx.user.id, request_id)
    await _show(ctx, ("Cancelled: nothing was charged.", None))


async def _again(ctx: Context, purchase_id: int) -> None:
    product = await _service(ctx).redeliver(ctx.user.id, purchase_id, ctx.user.id)
    await ctx.answer(f"Sent {product.title} again.")


async def _home(ctx: Context, page: int) -> None:
    await _show(ctx, await home_view(ctx, page))


async def _product(ctx: Context, product_id: int) -> None:
    await _show(ctx, await product_view(ctx, product_id))


async def _mine(ctx: Context, page: int) -> None:
    await _show(ctx, await purchases_view(ctx, page))


BY_NUMBER: dict[str, Callable[[Context, int], Awaitable[None]]] = {
    "h": _home, "p": _product, "buy": _buy, "m": _mine, "get": _again,
}
BY_REQUEST: dict[str, Callable[[Context, str], Awaitable[None]]] = {
    "ok": _confirm, "no": _cancel,
}


async def on_button(ctx: Context) -> None:
    """Every `shop:` button: parse strictly, then let the service re-check everything."""
    parts = (ctx.update.callback_data or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    if action in BY_NUMBER and len(parts) == 3 and NUMBER.match(parts[2]):
        await BY_NUMBER[action](ctx, int(parts[2]))
    elif action in BY_REQUEST and len(parts) == 3 and REQUEST.match(parts[2]):
        await BY_REQUEST[action](ctx, parts[2])
    elif (action == "c" and len(parts) == 4 and CODE.match(parts[2])
          and NUMBER.match(parts[3])):
        await _show(ctx, await category_view(ctx, parts[2], int(parts[3])))
    else:
        raise ShopError(INVALID)

