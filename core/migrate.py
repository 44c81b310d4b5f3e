"""Versioned migrations, one folder per owner, applied with peewee's own runner.

Each owner (`core`, `credits`, ...) keeps its history in its own table, so owners number
their scripts independently and a plugin can be added to a running bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playhouse.migrations import Runner

from core.config import ROOT
from core.db import Database

CORE_SCHEMA = ROOT / "schema" / "core"


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
    """Apply every pending migration; each script runs in its own transaction."""

    def work() -> list[tuple[str, str]]:
        return [(s.owner, name) for s in sources for name in _runner(db, s).up()]

    return db.call(work)
