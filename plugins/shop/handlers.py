"""What shoppers see: /shop (categories, products, a card, Buy, Confirm) and /purchases.

Button data is declared in `buttons.py`, carries ids only and is re-checked on the server.
"""

from __future__ import annotations

from core.context import Context
from core.i18n import Text, Translator
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


def _price_text(t: Translator, price: int, list_price: int, discount: int) -> str:
    if price == list_price:
        return t("shop-credits", amount=price)
    return t("shop-price-discounted", price=price, list=list_price, discount=discount)


# ---- views -----------------------------------------------------------------------------------


async def home_view(ctx: Context, page: int) -> View:
    service = _service(ctx)
    products = await service.catalogue()
    names = sorted({p.category for p in products})
    t = ctx.t
    if not names:
        return t("shop-empty"), None
    shown = paginate(names, page, service.page_size)
    counts = {name: sum(1 for p in products if p.category == name) for name in shown.items}
    rows: list[list[Button]] = [[Button(t("shop-category-button", name=name, count=counts[name]),
                                        Category(category_code(name)).pack())]
                                for name in shown.items]
    add_nav(rows, shown, lambda n: Home(n).pack(), t)
    return t("shop-home", page=shown.suffix(t)), rows


async def category_view(ctx: Context, code: str, page: int) -> View:
    service = _service(ctx)
    name, products = await service.in_category(code)
    shown = paginate(products, page, service.page_size)
    discount = await service.credits.discount(ctx.user.id)
    t = ctx.t
    rows: list[list[Button]] = []
    for p in shown.items:
        key = "shop-product-button" if p.in_stock else "shop-product-button-sold-out"
        label = t(key, title=p.title, price=price_after(p.price, discount))
        rows.append([Button(label[:60], Card(p.id).pack())])
    add_nav(rows, shown, lambda n: Category(code, n).pack(), t)
    rows.append([Button(t("shop-back-to-categories"), Home().pack())])
    return t("shop-category-title", name=name, page=shown.suffix(t)), rows


async def product_view(ctx: Context, product_id: int) -> View:
    service = _service(ctx)
    product = await service.product(product_id)
    price, discount = await service.price_for(ctx.user.id, product)
    t = ctx.t
    lines = [product.title]
    if product.description:
        lines += ["", product.description]
    lines += ["", t("shop-card-price", price=_price_text(t, price, product.price, discount)),
              t("shop-card-stock", stock=stock_text(t, product))]
    rows: list[list[Button]] = []
    if product.in_stock:
        rows.append([Button(t("shop-buy-button", price=price), Buy(product.id).pack())])
    rows.append([Button(t("shop-back"), Category(category_code(product.category)).pack())])
    return "\n".join(lines), rows


def confirm_view(t: Translator, offer: Offer, intro: str = "") -> View:
    price = _price_text(t, offer.price, offer.list_price, offer.discount)
    text = intro + t("shop-confirm-question", title=offer.product.title, price=price)
    return text, [[Button(t("shop-confirm"), Confirm(offer.request_id).pack()),
                   Button(t("shop-cancel"), Cancel(offer.request_id).pack())]]


async def purchases_view(ctx: Context, page: int) -> View:
    service = _service(ctx)
    size = service.page_size
    owned, total = await service.owned(ctx.user.id, page * size, size)
    t = ctx.t
    if total == 0:
        return t("shop-no-purchases"), None
    if not owned:
        raise ShopError(Text("shop-purchases-page-gone"))
    shown = Page.counted(owned, page, size, total)
    rows = [[Button(t("shop-get-again", title=title)[:60], Again(p.id).pack())]
            for p, title in owned]
    add_nav(rows, shown, lambda n: Mine(n).pack(), t)
    lines = [t("shop-purchases-title", total=total, page=shown.number + 1, pages=shown.pages)]
    lines += [t("shop-purchase-line", date=p.delivered_at.date() if p.delivered_at else "",
                title=title, price=p.price) for p, title in owned]
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
        t = ctx.t
        await ctx.edit(*confirm_view(t, changed.offer, f"{t.text(changed.message)}\n"))
        await ctx.answer(t("shop-price-changed-alert"), alert=True)
        return
    # Delivery first: the purchase is complete (or refunded) whatever happens to the edit. It
    # goes to the buyer's private chat, even when they shop from a group.
    delivered = await service.deliver(purchase, product, ctx.user.id)
    balance = await service.credits.balance(ctx.user.id)
    t = ctx.t
    if delivered:
        await ctx.answer(t("shop-thanks"))
        await ctx.edit(t("shop-bought", title=product.title, price=purchase.price,
                         balance=balance))
    else:
        await ctx.answer()
        await ctx.edit(t("shop-not-delivered", title=product.title, price=purchase.price,
                         balance=balance))


async def _cancel(ctx: Context, request_id: str) -> None:
    await _service(ctx).cancel(ctx.user.id, request_id)
    await _show(ctx, (ctx.t("shop-cancelled"), None))


async def _again(ctx: Context, purchase_id: int) -> None:
    product = await _service(ctx).redeliver(ctx.user.id, purchase_id, ctx.user.id)
    await ctx.answer(ctx.t("shop-sent-again", title=product.title))


async def _home(ctx: Context) -> None:
    await _show(ctx, await home_view(ctx, ctx.button(Home).page))


async def _category(ctx: Context) -> None:
    pressed = ctx.button(Category)
    await _show(ctx, await category_view(ctx, pressed.code, pressed.page))


async def _product(ctx: Context) -> None:
    await _show(ctx, await product_view(ctx, ctx.button(Card).product_id))


async def _buy(ctx: Context) -> None:
    offer = await _service(ctx).offer(ctx.user.id, ctx.button(Buy).product_id)
    await _show(ctx, confirm_view(ctx.t, offer))


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
