"""The kernel's own tables: users, runtime settings, the update journal and open
conversations.

Tables are created by the migrations in `schema/core/`; these classes only read and write them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import peewee


def utcnow() -> datetime:
    """Naive UTC, the one time format stored in every table."""
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(peewee.Model):
    class Meta:
        legacy_table_names = False


class User(BaseModel):
    id = peewee.BigIntegerField(primary_key=True)  # the Telegram user id
    username = peewee.CharField(max_length=64, null=True)
    first_name = peewee.CharField(max_length=128, default="")
    last_name = peewee.CharField(max_length=128, null=True)
    language = peewee.CharField(max_length=16, null=True)  # Telegram's, as last seen
    locale = peewee.CharField(max_length=16, null=True)  # chosen, or Telegram's on first contact
    is_banned = peewee.BooleanField(default=False)
    ban_reason = peewee.CharField(max_length=256, null=True)
    is_unreachable = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)
    last_seen_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "users"


class RuntimeSetting(BaseModel):
    key = peewee.CharField(max_length=128, primary_key=True)
    value = peewee.TextField()  # JSON
    updated_by = peewee.BigIntegerField(null=True)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "runtime_settings"


class RuntimeSettingChange(BaseModel):
    key = peewee.CharField(max_length=128)
    old_value = peewee.TextField(null=True)
    new_value = peewee.TextField()
    changed_by = peewee.BigIntegerField(null=True)
    changed_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "runtime_setting_changes"


class JournalEntry(BaseModel):
    """One journaled update (see core/journal.py)."""

    id = peewee.BigAutoField()
    key = peewee.CharField(max_length=200, unique=True)
    kind = peewee.CharField(max_length=16)
    chat_id = peewee.BigIntegerField()
    body = peewee.TextField()  # the Update as JSON, every field but `raw`
    state = peewee.CharField(max_length=8)  # pending | done | dead
    attempts = peewee.IntegerField(default=0)
    next_at = peewee.DateTimeField()
    leased_until = peewee.DateTimeField(null=True)
    error = peewee.TextField(null=True)
    outcome = peewee.CharField(max_length=32, null=True)
    created_at = peewee.DateTimeField()
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "journal"


class ConversationState(BaseModel):
    """The open flow of a user in a chat (see core/conversations.py)."""

    user_id = peewee.BigIntegerField()
    chat_id = peewee.BigIntegerField()
    flow = peewee.CharField(max_length=64)
    step = peewee.IntegerField(default=0)
    answers = peewee.TextField(default="{}")  # JSON
    prompt_message_id = peewee.BigIntegerField(null=True)
    expires_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "conversation_states"
        primary_key = peewee.CompositeKey("user_id", "chat_id")


MODELS: tuple[type[BaseModel], ...] = (User, RuntimeSetting, RuntimeSettingChange, JournalEntry,
                                       ConversationState)
