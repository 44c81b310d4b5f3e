"""Versioned migrations, one folder per owner, applied with peewee's own runner.

Each owner (`core`, `credits`, ...) keeps its history in its own table, so owners number
their scripts independently and a plugin can be added to a running bot.

Several processes may start at once on a fresh database: one migrates while the others wait
(an advisory lock on PostgreSQL, an exclusive transaction on SQLite), then find nothing left.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playhouse.migrations import Runner

from core.config import ROOT
from core.db import Database

CORE_SCHEMA = ROOT / "schema" / "core"
MIGRATION_LOCK = 0x74676D6967  # the PostgreSQL advisory lock key of migrations ("tgmig")


@dataclass(frozen=True, slots=True)
class Source:
    owner: str
    directory: Path


def _runner(db: Database, source: Source) -> Runner:
    return Runner(db.peewee, directory=str(source.directory),
                  table_name=f"schema_history_{source.owner}")


def pending(db: Database, sources: list[Source]) -> list[tuple[str, str]]:
    """(owner, migration name) for every migration not yet applied, in order."""

    def work() -> list[tuple[str, str]]:
        return [(s.owner, m.name) for s in sources for m in _runner(db, s).status()
                if m.applied is None and m.path is not None]

    return db.call(work)


def apply(db: Database, sources: list[Source]) -> list[tuple[str, str]]:
    """Apply every pending migration; each script runs in its own transaction (a savepoint
    inside the exclusive one on SQLite). Safe when several processes call it at once."""

    def work() -> list[tuple[str, str]]:
        with _exclusive(db):
            return [(s.owner, name) for s in sources for name in _runner(db, s).up()]

    return db.call(work)


@contextmanager
def _exclusive(db: Database) -> Iterator[None]:
    """One migrating process at a time; the others wait here, then see what it applied."""
    if db.kind == "postgresql":
        db.peewee.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            yield
        finally:
            db.peewee.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    else:
        with db.peewee.atomic(lock_type="EXCLUSIVE"):  # type: ignore[call-arg]
            yield
