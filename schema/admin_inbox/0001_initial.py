"""The admin inbox: conversations, their messages, and the operators' copies of them."""

import datetime

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DateTimeField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)


def up(migrator, db):
    class Conversation(Model):
        id = AutoField()
        user_id = BigIntegerField()
        status = CharField(max_length=16, default="open")
        priority = SmallIntegerField(default=0)
        priority_manual = BooleanField(default=False)
        assigned_to = BigIntegerField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        first_answer_at = DateTimeField(null=True)
        last_activity_at = DateTimeField(default=datetime.datetime.utcnow)
        waiting_since = DateTimeField(null=True)
        reminded_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)

        class Meta:
            table_name = "inbox_conversations"

    class InboxMessage(Model):
        id = AutoField()
        conversation_id = IntegerField()
        direction = CharField(max_length=3)
        admin_id = BigIntegerField(null=True)
        text = TextField(default="")
        media_kind = CharField(max_length=16, null=True)
        file_id = CharField(max_length=256, null=True)
        file_name = CharField(max_length=256, null=True)
        update_key = CharField(max_length=128)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "inbox_messages"

    class OperatorCopy(Model):
        chat_id = BigIntegerField()
        message_id = BigIntegerField()
        conversation_id = IntegerField()

        class Meta:
            table_name = "inbox_operator_copies"
            primary_key = CompositeKey("chat_id", "message_id")

    models = [Conversation, InboxMessage, OperatorCopy]
    db.bind(models)
    db.create_tables(models, safe=False)
    # One conversation per user that is not closed: two messages racing to open one cannot
    # both succeed, the loser continues the winner's.
    db.execute_sql(
        "CREATE UNIQUE INDEX inbox_conversations_one_live_idx ON inbox_conversations (user_id) "
        "WHERE status <> 'closed'"
    )
    db.execute_sql(
        "CREATE INDEX inbox_conversations_queue_idx ON inbox_conversations "
        "(status, priority, waiting_since)"
    )
    db.execute_sql("CREATE INDEX inbox_conversations_user_idx ON inbox_conversations (user_id)")
    db.execute_sql("CREATE INDEX inbox_conversations_created_idx ON inbox_conversations "
                   "(created_at)")
    db.execute_sql("CREATE UNIQUE INDEX inbox_messages_update_key_idx ON inbox_messages "
                   "(update_key)")
    db.execute_sql("CREATE INDEX inbox_messages_conversation_idx ON inbox_messages "
                   "(conversation_id, id)")


def down(migrator, db):
    for table in ("inbox_operator_copies", "inbox_messages", "inbox_conversations"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
