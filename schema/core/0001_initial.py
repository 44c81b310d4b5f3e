"""The kernel's tables: users, runtime settings (with their history), seen updates."""

import datetime

from peewee import BigIntegerField, BooleanField, CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class User(Model):
        id = BigIntegerField(primary_key=True)
        username = CharField(max_length=64, null=True)
        first_name = CharField(max_length=128, default="")
        last_name = CharField(max_length=128, null=True)
        language = CharField(max_length=16, null=True)
        is_banned = BooleanField(default=False)
        ban_reason = CharField(max_length=256, null=True)
        is_unreachable = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        last_seen_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = "users"

    class RuntimeSetting(Model):
        key = CharField(max_length=128, primary_key=True)
        value = TextField()
        updated_by = BigIntegerField(null=True)
        updated_at = DateTimeField()

        class Meta:
            table_name = "runtime_settings"

    class RuntimeSettingChange(Model):
        key = CharField(max_length=128)
        old_value = TextField(null=True)
        new_value = TextField()
        changed_by = BigIntegerField(null=True)
        changed_at = DateTimeField()

        class Meta:
            table_name = "runtime_setting_changes"

    class SeenUpdate(Model):
        key = CharField(max_length=128, primary_key=True)
        seen_at = DateTimeField()
        expires_at = DateTimeField()

        class Meta:
            table_name = "seen_updates"

    models = [User, RuntimeSetting, RuntimeSettingChange, SeenUpdate]
    db.bind(models)
    db.create_tables(models, safe=False)
    # Named indexes. Partial ones stay small: most users have no username, few are banned.
    db.execute_sql(
        "CREATE INDEX users_username_lower_idx ON users (LOWER(username)) "
        "WHERE username IS NOT NULL"
    )
    db.execute_sql("CREATE INDEX users_last_seen_idx ON users (last_seen_at)")
    db.execute_sql("CREATE INDEX users_banned_idx ON users (id) WHERE is_banned")
    db.execute_sql(
        "CREATE INDEX runtime_setting_changes_key_idx ON runtime_setting_changes (key, changed_at)"
    )
    db.execute_sql("CREATE INDEX seen_updates_expires_idx ON seen_updates (expires_at)")


def down(migrator, db):
    for table in ("seen_updates", "runtime_setting_changes", "runtime_settings", "users"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
