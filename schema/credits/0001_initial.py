"""The credits tables: accounts (balance never negative) and the ledger (one row per change,
idempotency keys unique)."""

import datetime

from peewee import (
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    DateTimeField,
    Model,
)


def up(migrator, db):
    class CreditAccount(Model):
        user_id = BigIntegerField(primary_key=True)
        balance = BigIntegerField(default=0, constraints=[Check("balance >= 0")])
        purchased_total = BigIntegerField(default=0, constraints=[Check("purchased_total >= 0")])
        tier = CharField(max_length=32, null=True)
        recharge_threshold = BigIntegerField(null=True)
        recharge_amount = BigIntegerField(null=True)
        low_alert_at = BigIntegerField(null=True)

        class Meta:
            table_name = "credit_accounts"

    class CreditLedger(Model):
        id = BigAutoField()
        user_id = BigIntegerField()
        amount = BigIntegerField(constraints=[Check("amount <> 0")])
        balance_after = BigIntegerField(constraints=[Check("balance_after >= 0")])
        kind = CharField(max_length=16)
        reason = CharField(max_length=200, default="")
        reference = CharField(max_length=200, null=True)
        idempotency_key = CharField(max_length=200)
        actor = BigIntegerField(null=True)
        purchased = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "credit_ledger"

    models = [CreditAccount, CreditLedger]
    db.bind(models)
    db.create_tables(models, safe=False)
    # The unique key is what makes every change idempotent; history pages walk (user_id, id).
    db.execute_sql(
        "CREATE UNIQUE INDEX credit_ledger_key_uniq ON credit_ledger (idempotency_key)"
    )
    db.execute_sql("CREATE INDEX credit_ledger_user_idx ON credit_ledger (user_id, id)")


def down(migrator, db):
    for table in ("credit_ledger", "credit_accounts"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
