"""The payments tables: orders (one per invoice), payments (one per Telegram charge), the refund
outbox, and the per-user auto-recharge invoice guard.

Tables are created by `schema/payments/`. Writes that must not happen twice are conditional
(`... WHERE granted_at IS NULL`, `... WHERE status = 'pending' AND next_attempt_at <= :now`) or
guarded by a unique key (`payments.charge_id`, `payment_refunds.charge_id`).
"""

from __future__ import annotations

import peewee

from core.models import BaseModel, utcnow

PAID, REFUNDING, REFUNDED, REVIEW = "paid", "refunding", "refunded", "review"
PENDING, DONE, FAILED = "pending", "done", "failed"


class PaymentOrder(BaseModel):
    """What an invoice offered: the payload names this row, signed."""

    id = peewee.BigAutoField()
    user_id = peewee.BigIntegerField()
    kind = peewee.CharField(max_length=16)  # "buy" or "recharge"
    package = peewee.CharField(max_length=32)
    credits = peewee.BigIntegerField()
    amount = peewee.BigIntegerField()  # minor units; Stars for XTR
    currency = peewee.CharField(max_length=3)
    created_at = peewee.DateTimeField(default=utcnow)
    paid_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "payment_orders"


class Payment(BaseModel):
    """One successful payment. Written before the credits are granted; `granted_at` is set
    after, so a row without it is a grant still to do (see `PaymentsService.recover`)."""

    id = peewee.BigAutoField()
    charge_id = peewee.CharField(max_length=255)  # telegram_payment_charge_id, UNIQUE
    provider_charge_id = peewee.CharField(max_length=255, null=True)
    user_id = peewee.BigIntegerField()
    order_id = peewee.BigIntegerField(null=True)
    package = peewee.CharField(max_length=32, default="")
    credits = peewee.BigIntegerField(default=0)
    amount = peewee.BigIntegerField()
    currency = peewee.CharField(max_length=3)
    status = peewee.CharField(max_length=16, default=PAID)  # paid, refunding, refunded, review
    created_at = peewee.DateTimeField(default=utcnow)
    granted_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "payments"


class PaymentRefund(BaseModel):
    """The durable refund outbox: one row per refunded charge, retried until done or failed."""

    id = peewee.BigAutoField()
    charge_id = peewee.CharField(max_length=255)  # UNIQUE
    user_id = peewee.BigIntegerField()
    actor = peewee.BigIntegerField(null=True)
    status = peewee.CharField(max_length=16, default=PENDING)  # pending, done, failed
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.FloatField(default=0.0)  # epoch seconds
    last_error = peewee.CharField(max_length=300, null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    done_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "payment_refunds"


class PaymentRecharge(BaseModel):
    """When the last auto-recharge invoice went to a user (epoch seconds)."""

    user_id = peewee.BigIntegerField(primary_key=True)
    last_sent_at = peewee.FloatField()

    class Meta:
        table_name = "payment_recharges"


MODELS: tuple[type[BaseModel], ...] = (PaymentOrder, Payment, PaymentRefund, PaymentRecharge)
