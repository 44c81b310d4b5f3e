"""The shop service: the catalogue (read through the cache), purchase requests, buying,
delivery with a refund when it fails, and the admins' changes.

How a purchase stays whole:
- Showing the confirmation writes a `pending` purchase row bound to the user, the product and
  the price shown; the Confirm button carries only its random request id (unique).
- Confirming runs one transaction: the request is claimed (`pending -> paid`, conditional), the
  stock is taken (`stock = stock - 1 WHERE stock > 0 AND active AND price = <price shown>`) and
  the credits are debited (`credits.debit_in_transaction`, ledger key `shop:<request id>`).
  Any failure rolls all three back. A second press of the same button finds the request no
  longer pending and buys nothing.
- The content is delivered after the commit; if that fails, the purchase is marked refunded,
  the stock given back and the credits refunded, again in one transaction.
"""

from __future__ import annotations

import re
import secrets
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import peewee
from loguru import logger

from core.errors import UserError
from core.i18n import Text, Translator
from core.models import utcnow
from core.parsing import AmountError, parse_amount
from core.types import Action, Button, Media, SendMedia, SendMessage
from plugins.shop.models import (
    CONTENT_KINDS,
    DELIVERED,
    EXPIRED,
    PAID,
    PENDING,
    REFUNDED,
    ShopProduct,
    ShopPurchase,
)

if TYPE_CHECKING:
    from core.kernel import Kernel

CACHE_PREFIX = "shop:"
CATALOGUE_KEY = CACHE_PREFIX + "catalogue"
SKU = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
FILE_ID = re.compile(r"^[A-Za-z0-9_-]{8,200}$")
URL = re.compile(r"^https?://[^\s]{3,2000}$")
UNLIMITED = ("", "-", "none", "unlimited", "inf", "∞")
TEXT_LIMIT = 3500  # a delivered text, under Telegram's 4096 with the title around it
EDITABLE = ("title", "description", "price", "category", "content", "stock")


# ---- what the service returns ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    sku: str
    title: str
    description: str
    price: int
    category: str
    content_kind: str
    content: str
    stock: int | None  # None: unlimited
    active: bool

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


@dataclass(frozen=True, slots=True)
class Offer:
    """A purchase request, shown to the user with a Confirm button carrying `request_id`."""

    request_id: str
    product: Product
    list_price: int
    price: int  # after the discount
    discount: int


@dataclass(frozen=True, slots=True)
class Purchase:
    id: int
    request_id: str
    user_id: int
    product_id: int
    list_price: int
    price: int
    discount: int
    status: str
    created_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProductReport:
    product: Product
    sales: int  # delivered purchases
    revenue: int  # credits paid for them


# ---- errors ------------------------------------------------------------------------------------


class ShopError(UserError):
    """Bad input, an unknown or unavailable product, a stale button: nothing changed."""


class PriceChanged(ShopError):
    """The price differs from the one shown; `offer` is a fresh request at the new price."""

    def __init__(self, offer: Offer, old_price: int) -> None:
        self.offer = offer
        self.old_price = old_price
        super().__init__(Text("shop-price-changed", title=offer.product.title, old=old_price,
                              new=offer.price))


class _Stale(Exception):
    """Inside the buying transaction: the product's price moved; roll back and offer again."""


# ---- small helpers -------------------------------------------------------------------------------


def price_after(price: int, percent: int) -> int:
    """The price after a tier discount, as credits computes it: the discount is rounded down,
    so the buyer never pays less than the percentage says (100 at 15% -> 85; 9 at 10% -> 9)."""
    return price - price * percent // 100


def category_code(name: str) -> str:
    """A short, stable id for a category name, so button data stays within 64 bytes."""
    return f"{zlib.crc32(name.encode()):08x}"


def _product(row: ShopProduct) -> Product:
    return Product(row.id, row.sku, row.title, row.description, row.price, row.category,
                   row.content_kind, row.content, row.stock, bool(row.active))


def _purchase(row: ShopPurchase) -> Purchase:
    return Purchase(row.id, row.request_id, row.user_id, row.product_id, row.list_price,
                    row.price, row.discount, row.status, row.created_at, row.delivered_at)


def _one_line(text: str, what: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ShopError(Text("shop-field-empty", field=Text("shop-field-" + what)))
    if len(cleaned) > limit:
        raise ShopError(Text("shop-field-too-long", field=Text("shop-field-" + what),
                             length=len(cleaned), limit=limit))
    return cleaned


def parse_sku(text: str) -> str:
    text = text.strip()
    if not SKU.match(text):
        raise ShopError(Text("shop-bad-sku"))
    return text


def parse_price(text: str, maximum: int) -> int:
    try:
        return parse_amount(text, maximum=maximum, field=Text("shop-field-price"))
    except AmountError as exc:
        raise ShopError(exc.text) from None


def parse_stock(text: str) -> int | None:
    """A number of items (0 and up), or unlimited (empty, '-', 'unlimited')."""
    if text.strip().lower() in UNLIMITED:
        return None
    try:
        return parse_amount(text, minimum=0, maximum=10**9, field=Text("shop-field-stock"))
    except AmountError as exc:
        raise ShopError(exc.text) from None


def parse_content(text: str) -> tuple[str, str]:
    """`text:...`, `link:https://...`, `file:<Telegram file id>` or `photo:<file id>`."""
    kind, sep, value = text.strip().partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if not sep or kind not in CONTENT_KINDS:
        raise ShopError(Text("shop-bad-content"))
    if kind == "text":
        if not value or len(value) > TEXT_LIMIT:
            raise ShopError(Text("shop-text-too-long", limit=TEXT_LIMIT))
    elif kind == "link":
        if not URL.match(value):
            raise ShopError(Text("shop-bad-link"))
    elif not FILE_ID.match(value):
        raise ShopError(Text("shop-bad-file"))
    return kind, value


@dataclass(frozen=True, slots=True)
class NewProduct:
    sku: str
    title: str
    price: int
    category: str
    content_kind: str
    content: str
    stock: int | None
    description: str = ""


def parse_product_line(text: str, max_price: int) -> NewProduct:
    """`sku | title | price | category | content | stock [| description]`."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (6, 7):
        raise ShopError(Text("shop-add-usage"))
    kind, content = parse_content(parts[4])
    return NewProduct(parse_sku(parts[0]), _one_line(parts[1], "title", 128),
                      parse_price(parts[2], max_price), _one_line(parts[3], "category", 64),
                      kind, content, parse_stock(parts[5]),
                      _description(parts[6]) if len(parts) == 7 else "")


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > 1000:
        raise ShopError(Text("shop-field-too-long", field=Text("shop-field-description"),
                             length=len(text), limit=1000))
    return text


class ShopService:
    """The catalogue and purchases. Public methods are coroutines; see the module docstring."""

    def __init__(self, kernel: Kernel, settings: Any) -> None:
        self.kernel = kernel
        self.db = kernel.db
        self.cache = kernel.cache
        self.cache_ttl: int = settings.cache_ttl
        self.use_cache = True  # the benchmark compares with and without
        self._max_price: int = settings.max_price
        self.page_size: int = settings.page_size

    @property
    def credits(self) -> Any:
        return self.kernel.service("credits")

    @property
    def max_price(self) -> int:
        """`shop.max_price`, but never above what credits can debit at once."""
        return min(self._max_price, self.credits.max_amount)

    # ---- the catalogue ---------------------------------------------------------------------------

    async def catalogue(self) -> tuple[Product, ...]:
        """Active products by category then id. Cached; admins' changes drop the cache."""
        if not self.use_cache:
            return await self.db.run(self._active)
        return await self.cache.get_or_set(CATALOGUE_KEY, lambda: self.db.run(self._active),
                                           self.cache_ttl)

    @staticmethod
    def _active() -> tuple[Product, ...]:
        m = ShopProduct  # plain tuples: building a model object per row costs more than SQL
        rows = (m.select(m.id, m.sku, m.title, m.description, m.price, m.category,
                         m.content_kind, m.content, m.stock, m.active)
                .where(m.active).order_by(m.category, m.id).tuples())
        return tuple(Product(*row[:-1], bool(row[-1])) for row in rows)

    async def categories(self) -> list[str]:
        return sorted({p.category for p in await self.catalogue()})

    async def in_category(self, code: str) -> tuple[str, list[Product]]:
        """The category whose `category_code` is `code`, and its products."""
        products = await self.catalogue()
        for name in sorted({p.category for p in products}):
            if category_code(name) == code:
                return name, [p for p in products if p.category == name]
        raise ShopError(Text("shop-category-empty"))

    async def product(self, product_id: int) -> Product:
        """An active product, or ShopError."""
        for p in await self.catalogue():
            if p.id == product_id:
                return p
        raise ShopError("That product is not on sale any more. Send /shop to see what is.")

    async def price_for(self, user_id: int, product: Product) -> tuple[int, int]:
        """(price to pay, discount percent) for this user now."""
        discount = await self.credits.discount(user_id)
        return price_after(product.price, discount), discount

    async def invalidate(self) -> None:
        await self.cache.delete_prefix(CACHE_PREFIX)

    # ---- buying ----------------------------------------------------------------------------------

    async def offer(self, user_id: int, product_id: int) -> Offer:
        """A purchase request at today's price for this user: the Confirm button's id."""
        product = await self.product(product_id)
        if not product.in_stock:
            raise ShopError(Text("shop-sold-out", title=product.title))
        price, discount = await self.price_for(user_id, product)
        request_id = secrets.token_urlsafe(12)  # 16 characters: unguessable, fits a button

        def write() -> None:
            ShopPurchase.create(request_id=request_id, user_id=user_id, product_id=product.id,
                                list_price=product.price, price=price, discount=discount,
                                status=PENDING, created_at=utcnow())

        await self.db.transaction(write)
        return Offer(request_id, product, product.price, price, discount)

    async def buy(self, user_id: int, request_id: str) -> tuple[Purchase, Product]:
        """Confirm a request: debit, stock and purchase commit together, or nothing changes.

        Raises ShopError for an unknown, foreign or used request, a product gone or sold out,
        or a balance too low; PriceChanged (with a fresh offer) when the price moved."""
        discount = await self.credits.discount(user_id)
        try:
            purchase, product, pending = await self.db.transaction(
                self._buy, user_id, request_id, discount)
        except _Stale as stale:
            product_id, old_price = stale.args
            await self.db.transaction(self._expire, request_id)
            await self.invalidate()  # the cached catalogue may hold the old price
            raise PriceChanged(await self.offer(user_id, product_id), old_price) from None
        await self.credits.after_commit(pending)
        if product.stock is not None:
            await self.invalidate()  # the stock shown on cards changed
        return purchase, product

    def _buy(self, user_id: int, request_id: str, discount: int) -> tuple[Purchase, Product, Any]:
        now = utcnow()
        row = ShopPurchase.get_or_none(ShopPurchase.request_id == request_id)
        if row is None or row.user_id != user_id:
            # The same words for "unknown" and "someone else's": nothing to learn by probing.
            raise ShopError(Text("shop-button-invalid"))
        if row.status != PENDING:
            raise ShopError(self._used_message(row.status))
        product_row = ShopProduct.get_or_none(ShopProduct.id == row.product_id)
        if product_row is None or not product_row.active:
            raise ShopError(Text("shop-not-on-sale"))
        if (product_row.price != row.list_price
                or price_after(product_row.price, discount) != row.price):
            raise _Stale(row.product_id, row.price)
        # The request id is the idempotency key: only one Confirm press ever gets past here.
        claimed = (ShopPurchase.update(status=PAID, paid_at=now, discount=discount)
                   .where((ShopPurchase.id == row.id) & (ShopPurchase.status == PENDING))
                   .execute())
        if claimed != 1:
            raise ShopError(self._used_message(PAID))
        # NULL - 1 stays NULL: unlimited stock passes, and the row is still locked against a
        # concurrent price change (the price condition makes the charge match the card).
        taken = (ShopProduct.update(stock=ShopProduct.stock - 1)
                 .where((ShopProduct.id == row.product_id) & ShopProduct.active
                        & (ShopProduct.price == row.list_price)
                        & (ShopProduct.stock.is_null() | (ShopProduct.stock > 0)))
                 .execute())
        if taken != 1:
            current = ShopProduct.get_or_none(ShopProduct.id == row.product_id)
            if current is None or not current.active:
                raise ShopError(Text("shop-not-on-sale"))
            if current.price != row.list_price:
                raise _Stale(row.product_id, row.price)
            raise ShopError(Text("shop-just-sold-out", title=current.title))
        try:
            pending = self.credits.debit_in_transaction(
                user_id, row.price, f"shop: {product_row.title}", f"shop:{request_id}")
        except UserError as exc:
            balance = getattr(exc, "balance", None)
            if balance is None:
                raise
            raise ShopError(Text("shop-not-enough", title=product_row.title, price=row.price,
                                 balance=balance, shortfall=row.price - balance)) from None
        product = _product(product_row)
        if product.stock is not None:
            product = replace(product, stock=product.stock - 1)
        purchase = replace(_purchase(row), status=PAID, discount=discount)
        return purchase, product, pending

    @staticmethod
    def _used_message(status: str) -> Text:
        if status in (PAID, DELIVERED):
            return Text("shop-already-confirmed")
        if status == REFUNDED:
            return Text("shop-refunded")
        return Text("shop-expired")

    async def cancel(self, user_id: int, request_id: str) -> None:
        """Drop a pending request of this user (a cancelled confirmation)."""
        await self.db.transaction(
            lambda: ShopPurchase.update(status=EXPIRED)
            .where((ShopPurchase.request_id == request_id) & (ShopPurchase.user_id == user_id)
                   & (ShopPurchase.status == PENDING)).execute())

    @staticmethod
    def _expire(request_id: str) -> None:
        (ShopPurchase.update(status=EXPIRED)
         .where((ShopPurchase.request_id == request_id) & (ShopPurchase.status == PENDING))
         .execute())

    # ---- delivery --------------------------------------------------------------------------------

    @staticmethod
    def delivery(product: Product, chat_id: int, open_label: str = "Open") -> Action:
        if product.content_kind == "text":
            return SendMessage(chat_id, f"{product.title}\n\n{product.content}")
        if product.content_kind == "link":
            return SendMessage(chat_id, f"{product.title}\n{product.content}",
                               [[Button(open_label, url=product.content)]])
        kind = "photo" if product.content_kind == "photo" else "document"
        return SendMedia(chat_id, Media(kind, product.content), product.title)

    async def _delivery_for(self, product: Product, chat_id: int) -> Action:
        """The delivery, its button in the buyer's language (chat_id is the buyer's own)."""
        t = await self.kernel.texts_for(chat_id)
        return self.delivery(product, chat_id, t("shop-open"))

    async def deliver(self, purchase: Purchase, product: Product, chat_id: int) -> bool:
        """Send what was bought. On failure refund it and return False."""
        try:
            await self.kernel.send(await self._delivery_for(product, chat_id))
        except Exception:
            # Not swallowed: the buyer gets their credits back and is told so by the caller.
            logger.exception("shop: delivering purchase {} failed; refunding", purchase.id)
            await self.refund(purchase, "delivery failed")
            return False
        now = utcnow()
        await self.db.transaction(
            lambda: ShopPurchase.update(status=DELIVERED, delivered_at=now)
            .where((ShopPurchase.id == purchase.id) & (ShopPurchase.status == PAID)).execute())
        done = replace(purchase, status=DELIVERED, delivered_at=now)
        await self.kernel.emit("purchase_completed", user_id=purchase.user_id, purchase=done)
        return True

    async def refund(self, purchase: Purchase, reason: str) -> bool:
        """Mark a paid purchase refunded, give the stock back and refund the credits, together.
        False when it was not in the paid state (already refunded or delivered)."""

        def work() -> Any:
            changed = (ShopPurchase.update(status=REFUNDED, refunded_at=utcnow())
                       .where((ShopPurchase.id == purchase.id) & (ShopPurchase.status == PAID))
                       .execute())
            if changed != 1:
                return None
            (ShopProduct.update(stock=ShopProduct.stock + 1)
             .where((ShopProduct.id == purchase.product_id) & ShopProduct.stock.is_null(False))
             .execute())
            return self.credits.refund_in_transaction(f"shop:{purchase.request_id}",
                                                      f"shop: {reason}")

        pending = await self.db.transaction(work)
        if pending is None:
            return False
        await self.credits.after_commit(pending)
        await self.invalidate()
        return True

    async def recover(self, older_than: float = 300) -> int:
        """Finish purchases paid but never delivered (the process stopped in between): deliver
        them to the buyer's private chat, or refund them. Only those paid more than
        `older_than` seconds ago, so another worker's delivery in flight is left alone."""
        cutoff = utcnow() - timedelta(seconds=older_than)

        def fetch() -> list[tuple[Purchase, Product | None]]:
            rows = list(ShopPurchase.select().where((ShopPurchase.status == PAID)
                                                    & (ShopPurchase.paid_at <= cutoff)))
            products = {p.id: _product(p) for p in ShopProduct.select().where(
                ShopProduct.id.in_([r.product_id for r in rows]))}
            return [(_purchase(r), products.get(r.product_id)) for r in rows]

        unfinished = await self.db.run(fetch)
        for purchase, product in unfinished:
            if product is None:
                await self.refund(purchase, "product removed")
            else:
                await self.deliver(purchase, product, purchase.user_id)
        return len(unfinished)

    async def redeliver(self, user_id: int, purchase_id: int, chat_id: int) -> Product:
        """Send an item the user owns again (no charge)."""

        def fetch() -> tuple[ShopPurchase | None, ShopProduct | None]:
            row = ShopPurchase.get_or_none(ShopPurchase.id == purchase_id)
            if row is None or row.user_id != user_id or row.status != DELIVERED:
                return None, None
            return row, ShopProduct.get_or_none(ShopProduct.id == row.product_id)

        row, product_row = await self.db.run(fetch)
        if row is None or product_row is None:
            raise ShopError(Text("shop-purchases-button-invalid"))
        product = _product(product_row)
        await self.kernel.send(await self._delivery_for(product, chat_id))
        return product

    async def owned(self, user_id: int, offset: int, limit: int
                    ) -> tuple[list[tuple[Purchase, str]], int]:
        """Delivered purchases of a user, newest first, with product titles; and their count."""

        def fetch() -> tuple[list[tuple[Purchase, str]], int]:
            query = ShopPurchase.select().where((ShopPurchase.user_id == user_id)
                                                & (ShopPurchase.status == DELIVERED))
            total = query.count()
            rows = list(query.order_by(ShopPurchase.id.desc()).offset(offset).limit(limit))
            titles = dict(ShopProduct.select(ShopProduct.id, ShopProduct.title)
                          .where(ShopProduct.id.in_([r.product_id for r in rows])).tuples())
            return [(_purchase(r), titles.get(r.product_id, "?")) for r in rows], total

        return await self.db.run(fetch)

    # ---- admins ----------------------------------------------------------------------------------

    async def by_sku(self, sku: str) -> Product:
        row = await self.db.run(ShopProduct.get_or_none, ShopProduct.sku == parse_sku(sku))
        if row is None:
            raise ShopError(Text("shop-no-sku", sku=sku.strip()[:64]))
        return _product(row)

    async def add(self, new: NewProduct) -> Product:
        def write() -> ShopProduct:
            now = utcnow()
            return ShopProduct.create(sku=new.sku, title=new.title, description=new.description,
                                      price=new.price, category=new.category,
                                      content_kind=new.content_kind, content=new.content,
                                      stock=new.stock, active=True, created_at=now,
                                      updated_at=now)

        try:
            row = await self.db.transaction(write)
        except peewee.IntegrityError:
            raise ShopError(Text("shop-sku-taken", sku=new.sku)) from None
        await self.invalidate()
        return _product(row)

    def parse_field(self, field: str, value: str) -> dict[str, Any]:
        """Columns to write for `/shop_edit <sku> <field> <value>`."""
        field = field.strip().lower()
        if field == "title":
            return {"title": _one_line(value, "title", 128)}
        if field == "description":
            return {"description": _description(value)}
        if field == "price":
            return {"price": parse_price(value, self.max_price)}
        if field == "category":
            return {"category": _one_line(value, "category", 64)}
        if field == "content":
            kind, content = parse_content(value)
            return {"content_kind": kind, "content": content}
        if field == "stock":
            return {"stock": parse_stock(value)}
        raise ShopError(Text("shop-fields", fields=", ".join(EDITABLE)))

    async def edit(self, sku: str, changes: dict[str, Any]) -> Product:
        return await self._update(sku, changes)

    async def set_stock(self, sku: str, text: str) -> Product:
        """`12` sets the stock, `+5`/`-2` adjusts it (never below 0), `unlimited` lifts it."""
        text = text.strip()
        if text[:1] in "+-" and text[1:].strip().isdigit():
            delta = parse_amount(text[1:], minimum=1, maximum=10**9)
            if text[0] == "-":
                delta = -delta
            product = await self.by_sku(sku)
            column = ShopProduct.stock

            def adjust() -> int:
                return (ShopProduct.update(stock=column + delta, updated_at=utcnow())
                        .where((ShopProduct.id == product.id) & column.is_null(False)
                               & (column + delta >= 0)).execute())

            if await self.db.transaction(adjust) != 1:
                raise ShopError(Text("shop-stock-below-zero"))
            await self.invalidate()
            return await self.by_sku(sku)
        return await self._update(sku, {"stock": parse_stock(text)})

    async def set_active(self, sku: str, active: bool) -> Product:
        return await self._update(sku, {"active": active})

    async def _update(self, sku: str, changes: dict[str, Any]) -> Product:
        sku = parse_sku(sku)

        def write() -> int:
            return (ShopProduct.update(**changes, updated_at=utcnow())
                    .where(ShopProduct.sku == sku).execute())

        if await self.db.transaction(write) != 1:
            raise ShopError(Text("shop-no-sku", sku=sku))
        await self.invalidate()
        return await self.by_sku(sku)

    async def report(self) -> list[ProductReport]:
        """Every product (active or not) with its delivered sales and revenue."""

        def fetch() -> list[ProductReport]:
            sales = {pid: (int(n), int(total or 0)) for pid, n, total in
                     ShopPurchase.select(ShopPurchase.product_id, peewee.fn.COUNT(ShopPurchase.id),
                                         peewee.fn.SUM(ShopPurchase.price))
                     .where(ShopPurchase.status == DELIVERED)
                     .group_by(ShopPurchase.product_id).tuples()}
            rows = ShopProduct.select().order_by(ShopProduct.category, ShopProduct.id)
            return [ProductReport(_product(r), *sales.get(r.id, (0, 0))) for r in rows]

        return await self.db.run(fetch)

    # ---- operators' tools ------------------------------------------------------------------------

    async def stats(self) -> dict[str, int]:
        def fetch() -> dict[str, int]:
            sold = ShopPurchase.select().where(ShopPurchase.status == DELIVERED)
            return {
                "shop products on sale": ShopProduct.select().where(ShopProduct.active).count(),
                "shop sales": sold.count(),
                "shop revenue (credits)": int(
                    sold.select(peewee.fn.SUM(ShopPurchase.price)).scalar() or 0),
                "shop refunds": ShopPurchase.select()
                .where(ShopPurchase.status == REFUNDED).count(),
            }

        return await self.db.run(fetch)

    async def user_summary(self, user_id: int) -> list[str | Text]:
        def fetch() -> tuple[int, int]:
            query = ShopPurchase.select(peewee.fn.COUNT(ShopPurchase.id),
                                        peewee.fn.SUM(ShopPurchase.price)).where(
                (ShopPurchase.user_id == user_id) & (ShopPurchase.status == DELIVERED))
            count, total = query.tuples().get()
            return int(count), int(total or 0)

        count, total = await self.db.run(fetch)
        return [Text("shop-summary", count=count, total=total)]

    async def buyers(self, value: str) -> list[int]:
        """Users who bought anything (`value` empty, 'any' or 'all') or the product `value`
        (a SKU)."""
        value = value.strip()

        def fetch() -> list[int]:
            query = ShopPurchase.select(ShopPurchase.user_id).where(
                ShopPurchase.status == DELIVERED).distinct()
            if value.lower() not in ("", "any", "all"):
                product = ShopProduct.get_or_none(ShopProduct.sku == value)
                if product is None:
                    return []
                query = query.where(ShopPurchase.product_id == product.id)
            return sorted(r for (r,) in query.tuples())

        return await self.db.run(fetch)


def stock_text(t: Translator, product: Product) -> str:
    if product.stock is None:
        return t("shop-in-stock")
    return t("shop-left", count=product.stock) if product.stock > 0 else t("shop-sold-out-short")
