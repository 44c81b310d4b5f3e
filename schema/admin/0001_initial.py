"""The admin plugin's tables: broadcasts and one delivery row per recipient."""

import datetime

from peewee import (
    AutoField,
    BigIntegerField,
    CharField,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Broadcast(Model):
        id = AutoField()
        text = TextField(null=True)
        source_chat_id = BigIntegerField(null=True)
        source_message_id = BigIntegerField(null=True)
        segment = CharField(max_length=64, default="all")
        segment_value = CharField(max_length=128, default="")
        status = CharField(max_length=16, default="draft")
        total = IntegerField(default=0)
        progress_chat_id = BigIntegerField(null=True)
        progress_message_id = BigIntegerField(null=True)
        created_by = BigIntegerField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)

        class Meta:
            table_name = "broadcasts"

    class BroadcastDelivery(Model):
        id = AutoField()
        broadcast_id = IntegerField()
        user_id = BigIntegerField()
        status = CharField(max_length=16, default="pending")
        error = CharField(max_length=64, null=True)
        updated_at = DateTimeField(null=True)

        class Meta:
            table_name = "broadcast_deliveries"

    models = [Broadcast, BroadcastDelivery]
    db.bind(models)
    db.create_tables(models, safe=False)
    # One row per (broadcast, user): filling the audience twice can never message anyone twice.
    db.execute_sql(
        "CREATE UNIQUE INDEX broadcast_deliveries_user_uq "
        "ON broadcast_deliveries (broadcast_id, user_id)"
    )
    # The runner's query: the next pending recipients of one broadcast.
    db.execute_sql(
        "CREATE INDEX broadcast_deliveries_status_idx "
        "ON broadcast_deliveries (broadcast_id, status, user_id)"
    )
    db.execute_sql("CREATE INDEX broadcasts_status_idx ON broadcasts (status)")


def down(migrator, db):
    for table in ("broadcast_deliveries", "broadcasts"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
