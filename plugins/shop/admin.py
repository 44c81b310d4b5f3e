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

ADD_USAGE = ("Usage: /shop_add sku | title | price | category | text:... or link:... or "
             "file:... | stock [| description]\nOr send /shop_add alone and I will ask.")


def _service(ctx: Context) -> ShopService:
    return ctx.service("shop")


def describe(p: Product) -> str:
    state = "on sale" if p.active else "off"
    return f"{p.sku}: {p.title}, {p.price} credits, {p.category}, {p.content_kind}, " \
           f"{stock_text(p).lower()}, {state}"


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
    raise ShopError(f"The SKU {sku} is taken; use /shop_edit to change it.")


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
        raise ShopError(f"A field is one of: {', '.join(EDITABLE)}.")
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
        raise UserError(f"{exc.message}\nNothing was changed; send /shop_add to try again."
                        ) from None
    await ctx.reply(f"Added {describe(product)}.")


async def _finish_edit(ctx: Context, a: dict[str, Any]) -> None:
    try:
        product = await _service(ctx).edit(a["sku"], a["value"])
    except UserError as exc:
        raise UserError(f"{exc.message}\nNothing was changed; send /shop_edit to try again."
                        ) from None
    await ctx.reply(f"Changed {describe(product)}.")


ADD = Flow("shop.add", (
    Step("sku", "New product. Its SKU (a short code such as ebook-1)? Say 'cancel' to stop.",
         _new_sku),
    Step("title", "Title?", _field("title")),
    Step("price", "Price in credits?", _field("price")),
    Step("category", "Category?", _field("category")),
    Step("content", "What is delivered? Send text:..., link:https://..., or send the file or "
                    "photo itself.", _content),
    Step("stock", "How many in stock? A number, or 'unlimited'.", _stock),
    Step("description", "A description for the card? '-' for none.", _description),
), _finish_add)
EDIT = Flow("shop.edit", (
    Step("sku", "Which product (SKU)? Say 'cancel' to stop.", _existing_sku),
    Step("field", f"Which field: {', '.join(EDITABLE)}?", _which_field),
    Step("value", "The new value?", _new_value),
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
    await ctx.reply(f"Added {describe(product)}.")


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
    await ctx.reply(f"Changed {describe(product)}.")


async def shop_stock(ctx: Context) -> None:
    """Set stock: /shop_stock <sku> <n | +n | -n | unlimited>"""
    parts = ctx.args
    if len(parts) != 2:
        raise ShopError("Usage: /shop_stock <sku> <n | +n | -n | unlimited>")
    product = await _service(ctx).set_stock(parts[0], parts[1])
    await ctx.reply(f"Stock of {product.sku}: {stock_text(product).lower()}.")


async def shop_off(ctx: Context) -> None:
    """Take a product off sale: /shop_off <sku>"""
    await _set_active(ctx, False)


async def shop_on(ctx: Context) -> None:
    """Put a product back on sale: /shop_on <sku>"""
    await _set_active(ctx, True)


async def _set_active(ctx: Context, active: bool) -> None:
    if len(ctx.args) != 1:
        raise ShopError(f"Usage: /shop_{'on' if active else 'off'} <sku>")
    product = await _service(ctx).set_active(ctx.args[0], active)
    await ctx.reply(f"{product.sku} is {'on sale' if active else 'off sale'} now.")


async def shop_list(ctx: Context) -> None:
    """Every product with sales and revenue"""
    report = await _service(ctx).report()
    if not report:
        await ctx.reply("No products yet. Add one with /shop_add.")
        return
    lines = [f"{len(report)} products:"]
    lines += [f"{describe(r.product)}; sold {r.sales}, revenue {r.revenue} credits"
              for r in report]
    lines.append(f"Total: sold {sum(r.sales for r in report)}, revenue "
                 f"{sum(r.revenue for r in report)} credits")
    text = "\n".join(lines)
    if len(text) > 4000:  # Telegram's limit; the admin can narrow down with /shop_edit
        text = text[:3990] + "\n..."
    await ctx.reply(text)
