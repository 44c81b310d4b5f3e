"""The inbox's tables: conversations, every message in them, and the operators' copies.

Tables are created by `schema/admin_inbox/`; these classes only read and write them.
"""

from __future__ import annotations

import peewee

from core.models import BaseModel, utcnow

STATUSES = ("open", "waiting", "closed")  # open: the operators owe an answer; waiting: the user
PRIORITIES = ("normal", "high", "urgent")


class Conversation(BaseModel):
    id = peewee.AutoField()
    user_id = peewee.BigIntegerField()
    status = peewee.CharField(max_length=16, default="open")
    priority = peewee.SmallIntegerField(default=0)  # index into PRIORITIES
    priority_manual = peewee.BooleanField(default=False)  # set by an admin: rules never lower it
    assigned_to = peewee.BigIntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    first_answer_at = peewee.DateTimeField(null=True)
    last_activity_at = peewee.DateTimeField(default=utcnow)
    waiting_since = peewee.DateTimeField(null=True)  # the oldest unanswered user message
    reminded_at = peewee.DateTimeField(null=True)  # for the current wait only
    closed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "inbox_conversations"


class InboxMessage(BaseModel):
    id = peewee.AutoField()
    conversation_id = peewee.IntegerField()
    direction = peewee.CharField(max_length=3)  # "in" (from the user) or "out" (to the user)
    admin_id = peewee.BigIntegerField(null=True)
    text = peewee.TextField(default="")
    media_kind = peewee.CharField(max_length=16, null=True)  # "photo" | "document"
    file_id = peewee.CharField(max_length=256, null=True)
    file_name = peewee.CharField(max_length=256, null=True)
    update_key = peewee.CharField(max_length=128, unique=True)  # a redelivery stores nothing
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "inbox_messages"


class OperatorCopy(BaseModel):
    """A message the operators received (or a reply prompt): replying to it answers the
    conversation."""

    chat_id = peewee.BigIntegerField()
    message_id = peewee.BigIntegerField()
    conversation_id = peewee.IntegerField()

    class Meta:
        table_name = "inbox_operator_copies"
        primary_key = peewee.CompositeKey("chat_id", "message_id")


MODELS: tuple[type[BaseModel], ...] = (Conversation, InboxMessage, OperatorCopy)
