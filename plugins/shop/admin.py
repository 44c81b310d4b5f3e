"""Admins manage the catalogue from the chat: one-line commands, or a guided flow in which the
bot asks one question at a time.

    /shop_add sku | title | price | category | text:... (or link:, file:, photo:) | stock
               [| description]
    /shop_add                       the same, question by question
    /shop_edit <sku> <field> <value>   (or /shop_edit <sku>, /shop_edit: guided)
    /shop_stock <sku> <n | +n | -n | unlimited>
    /shop_off <sku>, /shop_on <sku>
    /shop_list                      every product with sales and revenue

The guided flows are conversations (core/conversations.py): kept in the database, so they
survive a restart; /back returns to the previous question, /cancel (or "cancel") stops.
"""

from __future__ import annotations

from typing import Any

from core.context import Context
from core.conversations import Flow, Step
from core.errors import UserError
from core.i18n import Text, Translator
from plugins.shop.service import (
    EDITABLE,
    NewProduct,
    Product,
    ShopError,
    ShopService,
    parse_content,
    parse_product_line,
    parse_sku,
    parse_stock,
    stock_text,
)


def _service(ctx: Context) -> ShopService:
    return ctx.service("shop")


def describe(t: Translator, p: Product) -> str:
    return t("shop-describe", sku=p.sku, title=p.title, price=p.price, category=p.category,
             kind=t("shop-kind-" + p.content_kind), stock=stock_text(t, p).lower(),
             state=t("shop-state-on" if p.active else "shop-state-off"))


# ---- the guided flows: one check per answer, so a mistake is asked again at once ------------


def _field(name: str) -> Any:
    def check(ctx: Context, text: str, answers: dict[str, Any]) -> Any:
        return _service(ctx).parse_field(name, text)[name]

    return check


async def _new_sku(ctx: Context, text: str, answers: dict[str, Any]) -> str:
    sku = parse_sku(text)
    try:
        await _service(ctx).by_sku(sku)
    except ShopError:
        return sku
    raise ShopError(Text("shop-sku-taken", sku=sku))


async def _existing_sku(ctx: Context, text: str, answers: dict[str, Any]) -> str:
    return (await _service(ctx).by_sku(text)).sku


def _content(ctx: Context, text: str, answers: dict[str, Any]) -> list[str]:
    return list(parse_content(text))


def _stock(ctx: Context, text: str, answers: dict[str, Any]) -> int | None:
    return parse_stock(text)


def _description(ctx: Context, text: str, answers: dict[str, Any]) -> str:
    return "" if text.strip() == "-" else str(_field("description")(ctx, text, answers))


def _which_field(ctx: Context, text: str, answers: dict[str, Any]) -> str:
    field = text.strip().lower()
    if field not in EDITABLE:
        raise ShopError(Text("shop-fields", fields=", ".join(EDITABLE)))
    return field


def _new_value(ctx: Context, text: str, answers: dict[str, Any]) -> dict[str, Any]:
    return _service(ctx).parse_field(answers["field"], text)


async def _finish_add(ctx: Context, a: dict[str, Any]) -> None:
    content_kind, content = a["content"]
    try:
        product = await _service(ctx).add(NewProduct(
            a["sku"], a["title"], a["price"], a["category"], content_kind, content, a["stock"],
            a["description"]))
    except UserError as exc:
        raise UserError(Text("shop-try-again", problem=exc.message, command="shop_add")
                        ) from None
    await ctx.reply(ctx.t("shop-added", product=describe(ctx.t, product)))


async def _finish_edit(ctx: Context, a: dict[str, Any]) -> None:
    try:
        product = await _service(ctx).edit(a["sku"], a["value"])
    except UserError as exc:
        raise UserError(Text("shop-try-again", problem=exc.message, command="shop_edit")
                        ) from None
    await ctx.reply(ctx.t("shop-changed", product=describe(ctx.t, product)))


ADD = Flow("shop.add", (
    Step("sku", Text("shop-ask-sku"), _new_sku),
    Step("title", Text("shop-ask-title"), _field("title")),
    Step("price", Text("shop-ask-price"), _field("price")),
    Step("category", Text("shop-ask-category"), _field("category")),
    Step("content", Text("shop-ask-content"), _content),
    Step("stock", Text("shop-ask-stock"), _stock),
    Step("description", Text("shop-ask-description"), _description),
), _finish_add)
EDIT = Flow("shop.edit", (
    Step("sku", Text("shop-ask-which"), _existing_sku),
    Step("field", Text("shop-ask-field"), _which_field),
    Step("value", Text("shop-ask-value"), _new_value),
), _finish_edit)
FLOWS = [ADD, EDIT]


# ---- commands --------------------------------------------------------------------------------


async def shop_add(ctx: Context) -> None:
    """Add a product (one line, or guided)"""
    line = ctx.update.args.strip()
    if not line:
        await ctx.converse(ADD)
        return
    service = _service(ctx)
    product = await service.add(parse_product_line(line, service.max_price))
    await ctx.reply(ctx.t("shop-added", product=describe(ctx.t, product)))


async def shop_edit(ctx: Context) -> None:
    """Change a product: /shop_edit <sku> <field> <value>"""
    service = _service(ctx)
    parts = ctx.update.args.strip().split(maxsplit=2)
    if len(parts) < 3:
        answers: dict[str, Any] = {}
        if parts:
            answers["sku"] = (await service.by_sku(parts[0])).sku
        if len(parts) == 2:
            answers["field"] = _which_field(ctx, parts[1], answers)
        await ctx.converse(EDIT, answers)
        return
    sku, field, value = parts
    product = await service.edit(sku, service.parse_field(field, value))
    await ctx.reply(ctx.t("shop-changed", product=describe(ctx.t, product)))


async def shop_stock(ctx: Context) -> None:
    """Set stock: /shop_stock <sku> <n | +n | -n | unlimited>"""
    parts = ctx.args
    if len(parts) != 2:
        raise ShopError(Text("shop-stock-usage"))
    product = await _service(ctx).set_stock(parts[0], parts[1])
    await ctx.reply(ctx.t("shop-stock-of", sku=product.sku,
                          stock=stock_text(ctx.t, product).lower()))


async def shop_off(ctx: Context) -> None:
    """Take a product off sale: /shop_off <sku>"""
    await _set_active(ctx, False)


async def shop_on(ctx: Context) -> None:
    """Put a product back on sale: /shop_on <sku>"""
    await _set_active(ctx, True)


async def _set_active(ctx: Context, active: bool) -> None:
    if len(ctx.args) != 1:
        raise ShopError(Text("shop-on-usage" if active else "shop-off-usage"))
    product = await _service(ctx).set_active(ctx.args[0], active)
    await ctx.reply(ctx.t("shop-now-on" if active else "shop-now-off", sku=product.sku))


async def shop_list(ctx: Context) -> None:
    """Every product with sales and revenue"""
    report = await _service(ctx).report()
    t = ctx.t
    if not report:
        await ctx.reply(t("shop-no-products"))
        return
    lines = [t("shop-list-title", count=len(report))]
    lines += [t("shop-list-line", product=describe(t, r.product), sales=r.sales,
                revenue=r.revenue) for r in report]
    lines.append(t("shop-list-total", sales=sum(r.sales for r in report),
                   revenue=sum(r.revenue for r in report)))
    text = "\n".join(lines)
    if len(text) > 4000:  # Telegram's limit; the admin can narrow down with /shop_edit
        text = text[:3990] + "\n..."
    await ctx.reply(text)
