"""The admin plugin's tables: broadcasts and their per-user deliveries."""

from __future__ import annotations

import peewee

from core.models import BaseModel, utcnow

DRAFT, RUNNING, PAUSED, CANCELLED, DONE = "draft", "running", "paused", "cancelled", "done"
# A delivery is `pending`, then `sending` just before the message goes out, then `sent` or
# `failed`. A `sending` row found when a broadcast resumes after a crash may or may not have
# been delivered: it becomes `interrupted` and is never sent again (at most once).
PENDING, SENDING, SENT, FAILED, INTERRUPTED = "pending", "sending", "sent", "failed", "interrupted"


class Broadcast(BaseModel):
    id = peewee.AutoField()
    text = peewee.TextField(null=True)  # None when a message is copied instead
    source_chat_id = peewee.BigIntegerField(null=True)
    source_message_id = peewee.BigIntegerField(null=True)
    segment = peewee.CharField(max_length=64, default="all")
    segment_value = peewee.CharField(max_length=128, default="")
    status = peewee.CharField(max_length=16, default=DRAFT)
    total = peewee.IntegerField(default=0)
    progress_chat_id = peewee.BigIntegerField(null=True)
    progress_message_id = peewee.BigIntegerField(null=True)
    created_by = peewee.BigIntegerField()
    created_at = peewee.DateTimeField(default=utcnow)
    started_at = peewee.DateTimeField(null=True)
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "broadcasts"


class BroadcastDelivery(BaseModel):
    id = peewee.AutoField()
    broadcast_id = peewee.IntegerField()
    user_id = peewee.BigIntegerField()
    status = peewee.CharField(max_length=16, default=PENDING)
    error = peewee.CharField(max_length=64, null=True)
    updated_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "broadcast_deliveries"


MODELS = (Broadcast, BroadcastDelivery)
