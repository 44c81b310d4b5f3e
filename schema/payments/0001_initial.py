"""The payments tables: orders, payments (charge id unique), the refund outbox (charge id
unique), and the auto-recharge invoice guard."""

import datetime

from peewee import (
    BigAutoField,
    BigIntegerField,
    CharField,
    Check,
    DateTimeField,
    FloatField,
    IntegerField,
    Model,
)


def up(migrator, db):
    class PaymentOrder(Model):
        id = BigAutoField()
        user_id = BigIntegerField()
        kind = CharField(max_length=16)
        package = CharField(max_length=32)
        credits = BigIntegerField(constraints=[Check("credits > 0")])
        amount = BigIntegerField(constraints=[Check("amount > 0")])
        currency = CharField(max_length=3)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        paid_at = DateTimeField(null=True)

        class Meta:
            table_name = "payment_orders"

    class Payment(Model):
        id = BigAutoField()
        charge_id = CharField(max_length=255)
        provider_charge_id = CharField(max_length=255, null=True)
        user_id = BigIntegerField()
        order_id = BigIntegerField(null=True)
        package = CharField(max_length=32, default="")
        credits = BigIntegerField(default=0, constraints=[Check("credits >= 0")])
        amount = BigIntegerField()
        currency = CharField(max_length=3)
        status = CharField(max_length=16, default="paid")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        granted_at = DateTimeField(null=True)

        class Meta:
            table_name = "payments"

    class PaymentRefund(Model):
        id = BigAutoField()
        charge_id = CharField(max_length=255)
        user_id = BigIntegerField()
        actor = BigIntegerField(null=True)
        status = CharField(max_length=16, default="pending")
        attempts = IntegerField(default=0)
        next_attempt_at = FloatField(default=0.0)
        last_error = CharField(max_length=300, null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        done_at = DateTimeField(null=True)

        class Meta:
            table_name = "payment_refunds"

    class PaymentRecharge(Model):
        user_id = BigIntegerField(primary_key=True)
        last_sent_at = FloatField()

        class Meta:
            table_name = "payment_recharges"

    models = [PaymentOrder, Payment, PaymentRefund, PaymentRecharge]
    db.bind(models)
    db.create_tables(models, safe=False)
    # The charge id is the idempotency key of a payment and of its refund.
    db.execute_sql("CREATE UNIQUE INDEX payments_charge_uniq ON payments (charge_id)")
    db.execute_sql("CREATE INDEX payments_user_idx ON payments (user_id, id)")
    db.execute_sql("CREATE INDEX payments_created_idx ON payments (created_at)")
    # Start-up recovery looks for payments whose grant never happened: a small partial index.
    db.execute_sql("CREATE INDEX payments_ungranted_idx ON payments (id) WHERE granted_at IS NULL")
    db.execute_sql("CREATE UNIQUE INDEX payment_refunds_charge_uniq ON payment_refunds (charge_id)")
    db.execute_sql(
        "CREATE INDEX payment_refunds_due_idx ON payment_refunds (next_attempt_at) "
        "WHERE status = 'pending'"
    )
    db.execute_sql("CREATE INDEX payment_orders_user_idx ON payment_orders (user_id, id)")


def down(migrator, db):
    for table in ("payment_recharges", "payment_refunds", "payments", "payment_orders"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
