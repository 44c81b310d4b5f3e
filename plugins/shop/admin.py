"""Admins manage the catalogue from the chat: one-line commands, or a guided flow in which the
bot asks one question at a time.

    /shop_add sku | title | price | category | text:... (or link:, file:, photo:) | stock
               [| description]
    /shop_add                       the same, question by question
    /shop_edit <sku> <field> <value>   (or /shop_edit <sku>, /shop_edit: guided)
    /shop_stock <sku> <n | +n | -n | unlimited>
    /shop_off <sku>, /shop_on <sku>
    /shop_list                      every product with sales and revenue

A flow's state lives in the kernel cache (so it survives a restart with Redis), keyed by the
admin; free text reaches the flow only while one is open, otherwise other plugins get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.context import Context
from core.errors import UserError
from core.types import UpdateKind
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

FLOW_PREFIX = "shopflow:"  # not under "shop:", which catalogue changes drop
FLOW_TTL = 900
STOP_WORDS = ("cancel", "stop", "/cancel")
ADD_USAGE = ("Usage: /shop_add sku | title | price | category | text:... or link:... or "
             "file:... | stock [| description]\nOr send /shop_add alone and I will ask.")


def _service(ctx: Context) -> ShopService:
    return ctx.service("shop")


def describe(p: Product) -> str:
    state = "on sale" if p.active else "off"
    return f"{p.sku}: {p.title}, {p.price} credits, {p.category}, {p.content_kind}, " \
           f"{stock_text(p).lower()}, {state}"


# ---- the guided flow -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    question: str


ADD_STEPS = (
    Step("sku", "New product. Its SKU (a short code such as ebook-1)? Say 'cancel' to stop."),
    Step("title", "Title?"),
    Step("price", "Price in credits?"),
    Step("category", "Category?"),
    Step("content", "What is delivered? Send text:..., link:https://..., or send the file or "
                    "photo itself."),
    Step("stock", "How many in stock? A number, or 'unlimited'."),
    Step("description", "A description for the card? '-' for none."),
)
EDIT_STEPS = (
    Step("sku", "Which product (SKU)? Say 'cancel' to stop."),
    Step("field", f"Which field: {', '.join(EDITABLE)}?"),
    Step("value", "The new value?"),
)


def _flow_key(ctx: Context) -> str:
    return f"{FLOW_PREFIX}{ctx.user.id}"


def _steps(kind: str) -> tuple[Step, ...]:
    return ADD_STEPS if kind == "add" else EDIT_STEPS


async def _start_flow(ctx: Context, kind: str, answers: dict[str, Any]) -> None:
    steps = _steps(kind)
    step = next(i for i, s in enumerate(steps) if s.name not in answers)
    await ctx.kernel.cache.set(_flow_key(ctx), {"kind": kind, "answers": answers}, FLOW_TTL)
    await ctx.reply(steps[step].question)


def _answer_text(ctx: Context) -> str:
    """The admin's answer; a document or photo becomes `file:<id>` / `photo:<id>`."""
    media = ctx.update.media
    if ctx.update.kind is UpdateKind.MEDIA and media is not None:
        return f"{'photo' if media.kind == 'photo' else 'file'}:{media.file_id}"
    return ctx.text.strip()


def _check(service: ShopService, step: str, value: str, answers: dict[str, Any]) -> Any:
    """Validate one answer now, so a mistake is asked again rather than reported at the end."""
    if step == "sku":
        return parse_sku(value)
    if step == "title":
        return service.parse_field("title", value)["title"]
    if step == "price":
        return service.parse_field("price", value)["price"]
    if step == "category":
        return service.parse_field("category", value)["category"]
    if step == "content":
        return parse_content(value)
    if step == "stock":
        return parse_stock(value)
    if step == "description":
        return "" if value.strip() == "-" else service.parse_field("description",
                                                                    value)["description"]
    if step == "field":
        field = value.strip().lower()
        if field not in EDITABLE:
            raise ShopError(f"A field is one of: {', '.join(EDITABLE)}.")
        return field
    return service.parse_field(answers["field"], value)  # step "value"


async def flow_message(ctx: Context) -> bool:
    """Free text while an admin is in a flow; False (not mine) otherwise."""
    if not ctx.user.is_admin:
        return False
    state = await ctx.kernel.cache.get(_flow_key(ctx))
    if state is None:
        return False
    text = _answer_text(ctx)
    if text.lower() in STOP_WORDS:
        await ctx.kernel.cache.delete(_flow_key(ctx))
        await ctx.reply("Stopped; nothing was changed.")
        return True
    service = _service(ctx)
    kind, answers = state["kind"], dict(state["answers"])
    steps = _steps(kind)
    step = next(s for s in steps if s.name not in answers)
    try:
        answers[step.name] = _check(service, step.name, text, answers)
        if step.name == "sku":
            await _check_sku(service, answers["sku"], exists=kind == "edit")
    except UserError as exc:
        await ctx.reply(f"{ctx.t.text(exc.message)}\n{step.question}")
        return True
    if any(s.name not in answers for s in steps):
        await _start_flow(ctx, kind, answers)
        return True
    await ctx.kernel.cache.delete(_flow_key(ctx))
    try:
        await _finish(ctx, kind, answers)
    except UserError as exc:
        await ctx.reply(f"{ctx.t.text(exc.message)}\nNothing was changed; send /shop_{kind} "
                        "to try again.")
    return True


async def _check_sku(service: ShopService, sku: str, exists: bool) -> None:
    try:
        await service.by_sku(sku)
    except ShopError:
        if exists:
            raise
        return
    if not exists:
        raise ShopError(f"The SKU {sku} is taken; use /shop_edit to change it.")


async def _finish(ctx: Context, kind: str, a: dict[str, Any]) -> None:
    service = _service(ctx)
    if kind == "add":
        content_kind, content = a["content"]
        product = await service.add(NewProduct(a["sku"], a["title"], a["price"], a["category"],
                                               content_kind, content, a["stock"],
                                               a["description"]))
        await ctx.reply(f"Added {describe(product)}.")
        return
    product = await service.edit(a["sku"], a["value"])
    await ctx.reply(f"Changed {describe(product)}.")


# ---- commands --------------------------------------------------------------------------------


async def shop_add(ctx: Context) -> None:
    """Add a product (one line, or guided)"""
    line = ctx.update.args.strip()
    if not line:
        await _start_flow(ctx, "add", {})
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
            answers["field"] = _check(service, "field", parts[1], answers)
        await _start_flow(ctx, "edit", answers)
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
