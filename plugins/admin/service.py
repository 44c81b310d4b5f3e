"""The operators' reads: who a user is, who is in a broadcast segment, and the figures for
/stats. Contributions from other plugins arrive through the `user_summary`, `segment_users`
and `stats` hooks, so this works with any set of plugins enabled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import peewee

from core.errors import UserError
from core.i18n import Text, Translator
from core.models import User, utcnow

if TYPE_CHECKING:
    from core.kernel import Kernel

STATS_DAYS = 30
MAX_ACTIVE_DAYS = 3650
SEGMENT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
CHUNK = 500  # ids per IN (...) query: far below SQLite's variable limit


@dataclass(frozen=True, slots=True)
class Segment:
    """Who a broadcast goes to: `all`, `active:7`, or a segment a plugin knows (`tier:gold`)."""

    name: str = "all"
    value: str = ""

    @classmethod
    def parse(cls, spec: str) -> Segment:
        name, _, value = spec.strip().partition(":")
        name, value = name.lower(), value.strip()
        if not SEGMENT_NAME.match(name) or len(value) > 64:
            raise UserError(Text("admin-bad-segment", segment=spec[:40]))
        return cls(name, value)

    @property
    def label(self) -> str:
        return f"{self.name}:{self.value}" if self.value else self.name


@dataclass(slots=True)
class Stats:
    total: int
    banned: int
    unreachable: int
    active_1d: int
    active_7d: int
    active_30d: int
    days: list[tuple[date, int, int]]  # (day, new users, users last seen that day)
    plugins: dict[str, Any] = field(default_factory=dict)


def _day(value: Any) -> date:
    """DATE() comes back as a date, a datetime (peewee converts with the column's type) or a
    string, depending on the database."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _reachable() -> peewee.Expression:
    return (User.is_banned == False) & (User.is_unreachable == False)  # noqa: E712


class AdminService:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    # ---- broadcast audiences ------------------------------------------------------------------

    async def audience(self, segment: Segment) -> list[int]:
        """User ids in `segment` who can receive a message (not banned, not unreachable)."""
        db = self.kernel.db
        if segment.name == "all":
            if segment.value:
                raise UserError(Text("admin-segment-all-value"))
            return await db.run(lambda: [r.id for r in User.select(User.id)
                                         .where(_reachable()).order_by(User.id)])
        if segment.name == "active":
            days = _days(segment.value)
            since = utcnow() - timedelta(days=days)
            return await db.run(lambda: [r.id for r in User.select(User.id)
                                         .where(_reachable() & (User.last_seen_at >= since))
                                         .order_by(User.id)])
        answers = await self.kernel.emit("segment_users", kernel=self.kernel,
                                         segment=segment.name, value=segment.value)
        if not answers:
            raise UserError(Text("admin-unknown-segment", segment=segment.name))
        wanted = sorted({int(uid) for answer in answers for uid in answer})
        return await db.run(self._only_reachable, wanted)

    @staticmethod
    def _only_reachable(ids: list[int]) -> list[int]:
        found: list[int] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            found += [r.id for r in User.select(User.id)
                      .where(User.id.in_(chunk) & _reachable()).order_by(User.id)]
        return found

    # ---- user lookup --------------------------------------------------------------------------

    async def describe(self, ref: str, t: Translator) -> str:
        users = self.kernel.service("users")
        found = await users.find(ref) if ref.strip() else None
        if found is None:
            raise UserError(Text("admin-no-user", ref=ref.strip()[:64]))
        row = await users.row(found.id)
        assert row is not None
        name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) or t(
            "admin-no-name")
        texts = self.kernel.texts
        spoken = row.get("locale") or row["language"]
        language = (t("admin-language-unknown") if not spoken else
                    f"{texts.name(texts.pick(spoken))} ({spoken})")
        user = str(row["id"])
        lines = [t("admin-user-title-username", id=user, username=row["username"])
                 if row["username"] else t("admin-user-title", id=user),
                 t("admin-user-name", name=name),
                 t("admin-user-language", language=language),
                 t("admin-user-first-seen", when=row["created_at"]),
                 t("admin-user-last-seen", when=row["last_seen_at"])]
        if row["is_banned"]:
            lines.append(t("admin-user-banned-because", reason=row["ban_reason"])
                         if row["ban_reason"] else t("admin-user-banned"))
        else:
            lines.append(t("admin-user-not-banned"))
        if row["is_unreachable"]:
            lines.append(t("admin-user-unreachable"))
        if self.kernel.is_admin(row["id"]):
            lines.append(t("admin-user-admin"))
        for contributed in await self.kernel.emit("user_summary", kernel=self.kernel,
                                                  user_id=row["id"]):
            lines.extend(t.text(line) if isinstance(line, (str, Text)) else str(line)
                         for line in contributed)
        return "\n".join(lines)

    # ---- statistics ---------------------------------------------------------------------------

    async def stats(self) -> Stats:
        now = utcnow()
        today = now.date()
        first = today - timedelta(days=STATS_DAYS - 1)
        since = datetime.combine(first, datetime.min.time())

        def figures() -> Stats:
            def count(where: Any = None) -> int:
                query = User.select()
                return (query.where(where) if where is not None else query).count()

            new = _per_day(User.created_at, since)
            active = _per_day(User.last_seen_at, since)
            days = [(d, new.get(d, 0), active.get(d, 0))
                    for d in (first + timedelta(days=i) for i in range(STATS_DAYS))]
            return Stats(
                total=count(),
                banned=count(User.is_banned == True),  # noqa: E712
                unreachable=count(User.is_unreachable == True),  # noqa: E712
                active_1d=count(User.last_seen_at >= now - timedelta(days=1)),
                active_7d=count(User.last_seen_at >= now - timedelta(days=7)),
                active_30d=count(User.last_seen_at >= now - timedelta(days=30)),
                days=days,
            )

        result = await self.kernel.db.run(figures)
        for contributed in await self.kernel.emit("stats", kernel=self.kernel):
            result.plugins.update(contributed)
        return result


def _per_day(column: peewee.Field, since: datetime) -> dict[date, int]:
    day = peewee.fn.DATE(column)
    query = (User.select(day.alias("day"), peewee.fn.COUNT(User.id).alias("n"))
             .where(column >= since).group_by(day).tuples())
    return {_day(d): n for d, n in query}


def _days(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ACTIVE_DAYS:
        raise UserError(Text("admin-segment-days", maximum=MAX_ACTIVE_DAYS))
    return int(value)


def _when(value: Any) -> str:
    if value is None:
        return "?"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M UTC")
