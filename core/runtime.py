"""Runtime settings: keys plugins declare editable from the chat, stored as JSON in the
database, read through the cache and invalidated on write, each change recorded."""

from __future__ import annotations

import json
from typing import Any

from core.cache import Cache
from core.db import Database
from core.errors import UserError
from core.i18n import Text
from core.models import RuntimeSetting as Row
from core.models import RuntimeSettingChange, utcnow
from core.types import RuntimeSetting

PREFIX = "core:runtime:"


class RuntimeSettings:
    def __init__(self, db: Database, cache: Cache, declared: list[RuntimeSetting]) -> None:
        self.db = db
        self.cache = cache
        self.declared = {d.key: d for d in declared}

    def _declared(self, key: str) -> RuntimeSetting:
        try:
            return self.declared[key]
        except KeyError:
            known: str | Text = ", ".join(sorted(self.declared)) or Text("setting-none")
            raise UserError(Text("setting-unknown", key=key[:64], known=known)) from None

    async def get(self, key: str) -> Any:
        decl = self._declared(key)

        async def load() -> Any:
            row = await self.db.run(Row.get_or_none, Row.key == key)
            return decl.default if row is None else json.loads(row.value)

        return await self.cache.get_or_set(PREFIX + key, load)

    async def set(self, key: str, raw: str, by: int | None) -> Any:
        """Parse `raw` with the key's parser, store it, record who changed it; return the value."""
        decl = self._declared(key)
        try:
            value = decl.parse(raw)
        except (ValueError, TypeError) as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], Text) else str(exc)
            raise UserError(Text("setting-invalid", key=key, reason=reason)) from None
        encoded = json.dumps(value)

        def write() -> None:
            old = Row.get_or_none(Row.key == key)
            now = utcnow()
            (Row.insert(key=key, value=encoded, updated_by=by, updated_at=now)
             .on_conflict(conflict_target=[Row.key],
                          update={Row.value: encoded, Row.updated_by: by, Row.updated_at: now})
             .execute())
            RuntimeSettingChange.create(key=key, old_value=None if old is None else old.value,
                                        new_value=encoded, changed_by=by, changed_at=now)

        await self.db.transaction(write)
        await self.cache.delete(PREFIX + key)
        return value

    async def all(self) -> dict[str, Any]:
        return {key: await self.get(key) for key in sorted(self.declared)}
