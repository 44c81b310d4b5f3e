"""The dashboard's tables: one-time login links, sessions, and the audit log.

Tables are created by `plugins/dashboard/migrations/`; these classes only read and write them.
"""

from __future__ import annotations

import peewee

from core.models import BaseModel, utcnow


class DashboardLogin(BaseModel):
    """A login link: used once (`used_at` set by a conditional update), then never again."""

    nonce = peewee.CharField(max_length=64, primary_key=True)
    user_id = peewee.BigIntegerField()
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "dashboard_logins"


class DashboardSession(BaseModel):
    """A browser's session. Only a hash of the cookie's value is stored."""

    token_hash = peewee.CharField(max_length=64, primary_key=True)
    user_id = peewee.BigIntegerField()
    csrf = peewee.CharField(max_length=64)
    created_at = peewee.DateTimeField(default=utcnow)
    last_seen_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()

    class Meta:
        table_name = "dashboard_sessions"


class DashboardAudit(BaseModel):
    """Who did what, when, from the dashboard; refused attempts too."""

    id = peewee.BigAutoField()
    at = peewee.DateTimeField(default=utcnow)
    admin_id = peewee.BigIntegerField()
    action = peewee.CharField(max_length=64)
    target = peewee.CharField(max_length=128, default="")
    detail = peewee.TextField(default="")
    outcome = peewee.CharField(max_length=16, default="ok")  # ok | refused | error

    class Meta:
        table_name = "dashboard_audit"


MODELS: tuple[type[BaseModel], ...] = (DashboardLogin, DashboardSession, DashboardAudit)
