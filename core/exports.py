"""CSV exports of the operators' tables: users (the kernel's), and what plugins declare through
the `csv_exports` hook (the credits ledger, shop purchases, payments).

Served by `/export <name>` (admin plugin) and `python -m core export <name>`. A cell that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@` at the start of a text) is prefixed
with `'`: a user's name is data, never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.models import User

if TYPE_CHECKING:
    from core.kernel import Kernel

FORMULA = ("=", "+", "-", "@", "\t", "\r")
LIMIT = 1_000_000  # rows: an export is a file for a spreadsheet, not a backup


@dataclass(frozen=True, slots=True)
class Export:
    """A table to export: a peewee model, the columns in order, oldest first."""

    model: Any
    columns: tuple[str, ...]


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue().encode("utf-8")


USERS = Export(User, ("id", "username", "first_name", "last_name", "language", "created_at",
                      "last_seen_at", "is_banned", "ban_reason", "is_unreachable"))


def available(kernel: Kernel) -> dict[str, Export]:
    """Every export by name: the kernel's users and what the enabled plugins declare."""
    found = {"users": USERS}
    for _, declared in kernel.collect("csv_exports", kernel=kernel):
        found.update(declared)
    return found


async def export(kernel: Kernel, name: str) -> bytes:
    """The named table as CSV bytes; KeyError for an unknown name."""
    table = available(kernel)[name]
    model = table.model

    def fetch() -> bytes:
        fields = [getattr(model, c) for c in table.columns]
        query = model.select(*fields).order_by(model._meta.primary_key).limit(LIMIT).tuples()
        return to_csv(table.columns, query.iterator())

    return await kernel.db.run(fetch)
