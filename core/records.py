"""Small database helpers every plugin needs, written once."""

from __future__ import annotations

from typing import Any, TypeVar

import peewee

M = TypeVar("M", bound=peewee.Model)


def create_once(model: type[M], **fields: Any) -> M | None:
    """Insert a row in a savepoint; None when a unique constraint says it is already there.

    For idempotency keys: the constraint decides, never a read before the write, and inside a
    transaction the duplicate undoes only this insert, not the caller's other writes. Call it
    inside `db.run`/`db.transaction` like any query.
    """
    try:
        with model._meta.database.atomic():
            return model.create(**fields)
    except peewee.IntegrityError:
        return None
