"""The dashboard's tables: login links, sessions, audit log."""

import datetime

from peewee import (
    BigAutoField,
    BigIntegerField,
    CharField,
    DateTimeField,
    Model,
    TextField,
)


def up(migrator, db):
    class DashboardLogin(Model):
        nonce = CharField(max_length=64, primary_key=True)
        user_id = BigIntegerField()
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)

        class Meta:
            table_name = "dashboard_logins"

    class DashboardSession(Model):
        token_hash = CharField(max_length=64, primary_key=True)
        user_id = BigIntegerField()
        csrf = CharField(max_length=64)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        last_seen_at = DateTimeField(default=datetime.datetime.utcnow)
        expires_at = DateTimeField()

        class Meta:
            table_name = "dashboard_sessions"

    class DashboardAudit(Model):
        id = BigAutoField()
        at = DateTimeField(default=datetime.datetime.utcnow)
        admin_id = BigIntegerField()
        action = CharField(max_length=64)
        target = CharField(max_length=128, default="")
        detail = TextField(default="")
        outcome = CharField(max_length=16, default="ok")

        class Meta:
            table_name = "dashboard_audit"

    models = [DashboardLogin, DashboardSession, DashboardAudit]
    db.bind(models)
    db.create_tables(models, safe=False)
    db.execute_sql("CREATE INDEX dashboard_logins_expires_idx ON dashboard_logins (expires_at)")
    db.execute_sql("CREATE INDEX dashboard_sessions_user_idx ON dashboard_sessions (user_id)")
    db.execute_sql("CREATE INDEX dashboard_audit_at_idx ON dashboard_audit (at)")
