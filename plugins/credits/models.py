"""The credits tables: one account row per user and the append-only ledger.

Tables are created by `schema/credits/`; these classes read them (history, summaries). Writes
that move a balance use the service's conditional SQL, never these models' save().
"""

from __future__ import annotations

import peewee

from core.models import BaseModel, utcnow


class CreditAccount(BaseModel):
    user_id = peewee.BigIntegerField(primary_key=True)
    balance = peewee.BigIntegerField(default=0)  # CHECK (balance >= 0) in the schema
    purchased_total = peewee.BigIntegerField(default=0)  # what tiers are measured on
    tier = peewee.CharField(max_length=32, null=True)  # last tier announced to the user
    recharge_threshold = peewee.BigIntegerField(null=True)  # auto-recharge: off when NULL
    recharge_amount = peewee.BigIntegerField(null=True)
    low_alert_at = peewee.BigIntegerField(null=True)  # epoch seconds of the last balance_low

    class Meta:
        table_name = "credit_accounts"


class CreditLedger(BaseModel):
    id = peewee.BigAutoField()
    user_id = peewee.BigIntegerField()
    amount = peewee.BigIntegerField()  # signed
    balance_after = peewee.BigIntegerField()
    kind = peewee.CharField(max_length=16)  # credit, debit, refund, reversal, revoke
    reason = peewee.CharField(max_length=200, default="")
    reference = peewee.CharField(max_length=200, null=True)  # the entry a refund/reversal undoes
    idempotency_key = peewee.CharField(max_length=200)  # UNIQUE in the schema
    actor = peewee.BigIntegerField(null=True)  # the admin (or None: the user or the system)
    purchased = peewee.BooleanField(default=False)  # paid-for credits count toward tiers
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "credit_ledger"


MODELS: tuple[type[BaseModel], ...] = (CreditAccount, CreditLedger)
