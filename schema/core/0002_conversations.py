"""Conversations: one open multi-step flow per user and chat (core/conversations.py)."""

from peewee import (
    BigIntegerField,
    CharField,
    CompositeKey,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class ConversationState(Model):
        user_id = BigIntegerField()
        chat_id = BigIntegerField()
        flow = CharField(max_length=64)
        step = IntegerField(default=0)
        answers = TextField(default="{}")  # JSON
        prompt_message_id = BigIntegerField(null=True)
        expires_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = "conversation_states"
            primary_key = CompositeKey("user_id", "chat_id")

    db.bind([ConversationState])
    db.create_tables([ConversationState], safe=False)
    db.execute_sql("CREATE INDEX conversation_states_expires_idx "
                   "ON conversation_states (expires_at)")


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS conversation_states")
