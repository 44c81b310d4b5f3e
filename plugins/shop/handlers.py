"""What shoppers see: /shop (categories, products, a card, Buy, Confirm) and /purchases.

Button data is declared in `buttons.py`, carries ids only and is re-checked on the server.
"""

from __future__ import annotations

from core.context import Context
from core.pagination import Page, add_nav, paginate
from core.types import Button, CallbackRoute, Keyboard
from plugins.shop.buttons import Again, Buy, Cancel, Card, Category, Confirm, Home, Mine
from plugins.shop.service import (
    Offer,
    PriceChanged,
    ShopError,
    ShopService,
    category_code,
    price_after,
    stock_text,
)

View = tuple[str, Keyboard | None]


def _service(ctx: Context) -> ShopService:
    return ctx.service("shop")


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
    shown = paginate(names, page, service.page_size)
    counts = {name: sum(1 for p in products if p.category == name) for name in shown.items}
    rows: list[list[Button]] = [[Button(f"{name} ({counts[name]})",
                                        Category(category_code(name)).pack())]
                                for name in shown.items]
    add_nav(rows, shown, lambda n: Home(n).pack())
    return f"Shop: choose a category{shown.suffix()}.", rows


async def category_view(ctx: Context, code: str, page: int) -> View:
    service = _service(ctx)
    name, products = await service.in_category(code)
    shown = paginate(products, page, service.page_size)
    discount = await service.credits.discount(ctx.user.id)
    rows: list[list[Button]] = []
    for p in shown.items:
        label = f"{p.title} · {price_after(p.price, discount)} cr"
        if not p.in_stock:
            label += " · sold out"
        rows.append([Button(label[:60], Card(p.id).pack())])
    add_nav(rows, shown, lambda n: Category(code, n).pack())
    rows.append([Button("‹ Categories", Home().pack())])
    return f"{name}{shown.suffix()}:", rows


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
        rows.append([Button(f"Buy for {price} credits", Buy(product.id).pack())])
    rows.append([Button("‹ Back", Category(category_code(product.category)).pack())])
    return "\n".join(lines), rows


def confirm_view(offer: Offer, intro: str = "") -> View:
    text = (f"{intro}Buy {offer.product.title} for "
            f"{_price_text(offer.price, offer.list_price, offer.discount)}?")
    return text, [[Button("Confirm", Confirm(offer.request_id).pack()),
                   Button("Cancel", Cancel(offer.request_id).pack())]]


async def purchases_view(ctx: Context, page: int) -> View:
    service = _service(ctx)
    size = service.page_size
    owned, total = await service.owned(ctx.user.id, page * size, size)
    if total == 0:
        return "You have not bought anything yet. Send /shop to browse.", None
    if not owned:
        raise ShopError("That page no longer exists. Send /purchases again.")
    shown = Page.counted(owned, page, size, total)
    rows = [[Button(f"Get again: {title}"[:60], Again(p.id).pack())] for p, title in owned]
    add_nav(rows, shown, lambda n: Mine(n).pack())
    lines = [f"Your purchases ({total}), page {shown.number + 1} of {shown.pages}:"]
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


async def _home(ctx: Context) -> None:
    await _show(ctx, await home_view(ctx, ctx.button(Home).page))


async def _category(ctx: Context) -> None:
    pressed = ctx.button(Category)
    await _show(ctx, await category_view(ctx, pressed.code, pressed.page))


async def _product(ctx: Context) -> None:
    await _show(ctx, await product_view(ctx, ctx.button(Card).product_id))


async def _buy(ctx: Context) -> None:
    offer = await _service(ctx).offer(ctx.user.id, ctx.button(Buy).product_id)
    await _show(ctx, confirm_view(offer))


async def _mine(ctx: Context) -> None:
    await _show(ctx, await purchases_view(ctx, ctx.button(Mine).page))


ROUTES = [
    CallbackRoute.of(Home, _home),
    CallbackRoute.of(Category, _category),
    CallbackRoute.of(Card, _product),
    CallbackRoute.of(Buy, _buy),
    CallbackRoute.of(Confirm, lambda ctx: _confirm(ctx, ctx.button(Confirm).request_id)),
    CallbackRoute.of(Cancel, lambda ctx: _cancel(ctx, ctx.button(Cancel).request_id)),
    CallbackRoute.of(Mine, _mine),
    CallbackRoute.of(Again, lambda ctx: _again(ctx, ctx.button(Again).purchase_id)),
]
