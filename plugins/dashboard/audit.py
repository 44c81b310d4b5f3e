"""The audit log: every action taken in the dashboard (who, what, when), refused ones too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.models import utcnow
from plugins.dashboard.models import DashboardAudit

if TYPE_CHECKING:
    from core.db import Database

DETAIL_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Entry:
    at: datetime
    admin_id: int
    action: str
    target: str
    detail: str
    outcome: str


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, admin_id: int, action: str, target: str = "", detail: str = "",
                     outcome: str = "ok") -> None:
        await self.db.run(lambda: DashboardAudit.create(
            at=utcnow(), admin_id=admin_id, action=action[:64], target=target[:128],
            detail=detail[:DETAIL_LIMIT], outcome=outcome[:16]))

    async def recent(self, limit: int = 100, admin_id: int | None = None) -> list[Entry]:
        def fetch() -> list[Entry]:
            query = DashboardAudit.select().order_by(DashboardAudit.id.desc()).limit(limit)
            if admin_id is not None:
                query = query.where(DashboardAudit.admin_id == admin_id)
            return [Entry(r.at, r.admin_id, r.action, r.target, r.detail, r.outcome)
                    for r in query]

        return await self.db.run(fetch)
