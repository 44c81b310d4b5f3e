"""The shop tables. Created by `schema/shop/`; stock and purchase status change through the
service's conditional updates only."""

from __future__ import annotations

import peewee

from core.models import BaseModel, utcnow

PENDING, PAID, DELIVERED, REFUNDED, EXPIRED = "pending", "paid", "delivered", "refunded", "expired"
CONTENT_KINDS = ("text", "link", "file", "photo")


class ShopProduct(BaseModel):
    id = peewee.BigAutoField()
    sku = peewee.CharField(max_length=64)  # UNIQUE in the schema
    title = peewee.CharField(max_length=128)
    description = peewee.TextField(default="")
    price = peewee.BigIntegerField()  # credits, before the buyer's tier discount
    category = peewee.CharField(max_length=64)
    content_kind = peewee.CharField(max_length=16)  # one of CONTENT_KINDS
    content = peewee.TextField()  # the text, the URL, or a Telegram file id
    stock = peewee.BigIntegerField(null=True)  # None: unlimited
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "shop_products"


class ShopPurchase(BaseModel):
    """A purchase request (`pending`, made when the confirmation is shown) and, once confirmed,
    the purchase (`paid`, then `delivered` or `refunded`)."""

    id = peewee.BigAutoField()
    request_id = peewee.CharField(max_length=32)  # UNIQUE: carried by the Confirm button
    user_id = peewee.BigIntegerField()
    product_id = peewee.BigIntegerField()
    list_price = peewee.BigIntegerField()  # the product's price when the card was shown
    price = peewee.BigIntegerField()  # what the buyer pays, after the discount
    discount = peewee.IntegerField(default=0)  # percent
    status = peewee.CharField(max_length=16)
    created_at = peewee.DateTimeField(default=utcnow)
    paid_at = peewee.DateTimeField(null=True)
    delivered_at = peewee.DateTimeField(null=True)
    refunded_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "shop_purchases"


MODELS: tuple[type[BaseModel], ...] = (ShopProduct, ShopPurchase)
