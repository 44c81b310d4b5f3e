"""Products: the catalogue with sales, adding and editing (a file for a file product is
uploaded through the bot), stock, on and off sale, all through the `shop` service."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.errors import UserError
from core.types import Media, SendMedia
from plugins.dashboard import texts
from plugins.dashboard.pages.common import field, requires
from plugins.dashboard.server import admin_id, dashboard

FIELDS = ("title", "price", "category", "description", "content", "stock")


def _shop(request: web.Request) -> Any:
    return dashboard(request).kernel.service("shop")



@requires("shop", "Products", "shop")
async def catalogue(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    report = await _shop(request).report()
    return dash.page(request, "products.html", title="Products", report=report)


@requires("shop", "Products", "shop")
async def product(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    try:
        found = await _shop(request).by_sku(request.match_info["sku"])
    except UserError:
        raise web.HTTPNotFound() from None
    return dash.page(request, "product.html", title=f"Product {found.sku}", product=found)


async def _content(request: web.Request, form: Any, sku: str) -> str:
    """The content field, or `file:<id>` / `photo:<id>` of a file uploaded now: sent to the
    admin's own chat through the bot, so Telegram keeps it and gives its file id."""
    upload = form.get("upload")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
        return field(form, "content", 4000)
    data = upload.file.read()
    if not data:
        raise UserError(texts.NO_FILE)
    kind = "photo" if (upload.content_type or "").startswith("image/") and \
        field(form, "as_photo", 4) == "on" else "document"
    media = Media(kind, "", upload.filename[:128], upload.content_type, data)
    admin = admin_id(request)
    sent = await dashboard(request).kernel.send(SendMedia(admin, media,
                                                          texts.UPLOAD_CAPTION.format(sku=sku)))
    file_id = getattr(sent, "file_id", None)
    if not file_id:
        raise UserError(texts.UPLOAD_FAILED)
    return f"{'photo' if kind == 'photo' else 'file'}:{file_id}"


@requires("shop", "Products", "shop")
async def add(request: web.Request) -> web.StreamResponse:
    dash, shop = dashboard(request), _shop(request)
    form = await request.post()
    sku = field(form, "sku", 100).strip()

    async def work() -> str:
        from plugins.shop.service import NewProduct, parse_sku

        code = parse_sku(sku)
        parsed = {name: shop.parse_field(name, field(form, name, 4000))
                  for name in ("title", "price", "category", "stock")}
        description = field(form, "description", 2000)
        content = shop.parse_field("content", await _content(request, form, code))
        created = await shop.add(NewProduct(
            code, parsed["title"]["title"], parsed["price"]["price"],
            parsed["category"]["category"], content["content_kind"], content["content"],
            parsed["stock"]["stock"],
            shop.parse_field("description", description)["description"] if description
            else ""))
        return texts.PRODUCT_ADDED.format(sku=created.sku)

    return await dash.act(request, "product add", sku[:64], work, "/products")


@requires("shop", "Products", "shop")
async def edit(request: web.Request) -> web.StreamResponse:
    dash, shop = dashboard(request), _shop(request)
    sku = request.match_info["sku"]
    form = await request.post()
    back = f"/products/{sku}"

    async def work() -> str:
        current = await shop.by_sku(sku)
        changes: dict[str, Any] = {}
        for name in ("title", "price", "category", "description"):
            value = field(form, name, 4000)
            if value.strip() != str(getattr(current, name)):
                changes.update(shop.parse_field(name, value))
        content = await _content(request, form, current.sku)
        if content.strip() and content.strip() != f"{current.content_kind}:{current.content}":
            changes.update(shop.parse_field("content", content))
        if not changes:
            return texts.PRODUCT_CHANGED.format(sku=current.sku)
        return texts.PRODUCT_CHANGED.format(sku=(await shop.edit(current.sku, changes)).sku)

    return await dash.act(request, "product edit", sku[:64], work, back)


@requires("shop", "Products", "shop")
async def stock(request: web.Request) -> web.StreamResponse:
    dash, shop = dashboard(request), _shop(request)
    sku = request.match_info["sku"]
    form = await request.post()

    async def work() -> str:
        changed = await shop.set_stock(sku, field(form, "stock", 40))
        shown = "unlimited" if changed.stock is None else str(changed.stock)
        return texts.STOCK_SET.format(sku=changed.sku, stock=shown)

    return await dash.act(request, "product stock", sku[:64], work, f"/products/{sku}")


@requires("shop", "Products", "shop")
async def sale(request: web.Request) -> web.StreamResponse:
    dash, shop = dashboard(request), _shop(request)
    sku = request.match_info["sku"]
    form = await request.post()
    active = field(form, "active", 4) == "on"

    async def work() -> str:
        changed = await shop.set_active(sku, active)
        return (texts.ON_SALE if active else texts.OFF_SALE).format(sku=changed.sku)

    return await dash.act(request, "product " + ("on" if active else "off"), sku[:64], work,
                          "/products")


SKU = r"{sku:[A-Za-z0-9_.\-]{1,64}}"
ROUTES = [
    ("GET", "/products", catalogue),
    ("POST", "/products", add),
    ("GET", f"/products/{SKU}", product),
    ("POST", f"/products/{SKU}", edit),
    ("POST", f"/products/{SKU}/stock", stock),
    ("POST", f"/products/{SKU}/sale", sale),
]
