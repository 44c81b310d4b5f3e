"""The shop tables: products (stock never negative) and purchases (request ids unique)."""

import datetime

from peewee import (
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class ShopProduct(Model):
        id = BigAutoField()
        sku = CharField(max_length=64)
        title = CharField(max_length=128)
        description = TextField(default="")
        price = BigIntegerField(constraints=[Check("price > 0")])
        category = CharField(max_length=64)
        content_kind = CharField(max_length=16)
        content = TextField()
        stock = BigIntegerField(null=True, constraints=[Check("stock >= 0")])
        active = BooleanField(default=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "shop_products"

    class ShopPurchase(Model):
        id = BigAutoField()
        request_id = CharField(max_length=32)
        user_id = BigIntegerField()
        product_id = BigIntegerField()
        list_price = BigIntegerField()
        price = BigIntegerField(constraints=[Check("price > 0")])
        discount = IntegerField(default=0)
        status = CharField(max_length=16)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        paid_at = DateTimeField(null=True)
        delivered_at = DateTimeField(null=True)
        refunded_at = DateTimeField(null=True)

        class Meta:
            table_name = "shop_purchases"

    models = [ShopProduct, ShopPurchase]
    db.bind(models)
    db.create_tables(models, safe=False)
    db.execute_sql("CREATE UNIQUE INDEX shop_products_sku_uniq ON shop_products (sku)")
    db.execute_sql("CREATE INDEX shop_products_active_idx ON shop_products (category, id) "
                   "WHERE active")
    # The request id is what makes a second press of an old Confirm button buy nothing.
    db.execute_sql("CREATE UNIQUE INDEX shop_purchases_request_uniq ON shop_purchases "
                   "(request_id)")
    db.execute_sql("CREATE INDEX shop_purchases_user_idx ON shop_purchases (user_id, id)")
    db.execute_sql("CREATE INDEX shop_purchases_product_idx ON shop_purchases "
                   "(product_id, status)")


def down(migrator, db):
    for table in ("shop_purchases", "shop_products"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
