"""The users service: who wrote to the bot, bans, reachability. Reads go through the cache.

`touch` runs for every update, so it writes only when a user is new, changed their name, or
was last written longer ago than the cache entry lives (which is how last-seen stays fresh).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import peewee

from core.cache import Cache
from core.context import BotUser
from core.db import Database
from core.models import User, utcnow
from core.records import create_once
from core.types import Sender

PREFIX = "core:user:"


class Users:
    def __init__(self, db: Database, cache: Cache, admins: Iterable[int], ttl: int = 300) -> None:
        self.db = db
        self.cache = cache
        self.admins = frozenset(admins)
        self.ttl = ttl

    def _snapshot(self, row: User, is_new: bool = False) -> BotUser:
        return BotUser(row.id, row.first_name, row.username, row.language, row.is_banned,
                       row.id in self.admins, is_new, row.locale)

    async def touch(self, sender: Sender) -> BotUser:
        key = PREFIX + str(sender.id)
        cached = await self.cache.get(key)
        if cached is not None and cached[1] == sender:
            return cached[0]
        user = await self.db.transaction(self._upsert, sender)
        await self.cache.set(key, (replace(user, is_new=False), sender), self.ttl)
        return user

    def _upsert(self, sender: Sender) -> BotUser:
        now = utcnow()
        row = User.get_or_none(User.id == sender.id)
        if row is None:
            created = create_once(User, id=sender.id, username=sender.username,
                                  first_name=sender.first_name[:128],
                                  last_name=sender.last_name, language=sender.language,
                                  locale=sender.language, created_at=now, last_seen_at=now)
            if created is not None:
                return self._snapshot(created, is_new=True)
            row = User.get(User.id == sender.id)  # another worker created it first
        (User.update(username=sender.username, first_name=sender.first_name[:128],
                     last_name=sender.last_name, language=sender.language, last_seen_at=now,
                     is_unreachable=False)
         .where(User.id == sender.id).execute())
        row.username, row.first_name = sender.username, sender.first_name[:128]
        row.language = sender.language
        return self._snapshot(row)

    async def get(self, user_id: int) -> BotUser | None:
        row = await self.db.run(User.get_or_none, User.id == user_id)
        return None if row is None else self._snapshot(row)

    async def find(self, ref: str) -> BotUser | None:
        """A user named by id or @username; None when unknown."""
        ref = ref.strip()
        if ref.lstrip("-").isdigit() and len(ref) < 20:
            return await self.get(int(ref))
        name = ref.removeprefix("@").lower()
        if not name:
            return None

        def lookup() -> User | None:
            return (User.select().where(peewee.fn.LOWER(User.username) == name)
                    .order_by(User.last_seen_at.desc()).first())

        row = await self.db.run(lookup)
        return None if row is None else self._snapshot(row)

    async def row(self, user_id: int) -> dict[str, Any] | None:
        def fetch() -> dict[str, Any] | None:
            row = User.get_or_none(User.id == user_id)
            return None if row is None else row.__data__.copy()

        return await self.db.run(fetch)

    async def set_banned(self, user_id: int, banned: bool, reason: str | None = None) -> bool:
        """Ban or unban; False when the user is unknown. Takes effect on the next update."""
        changed = await self.db.run(
            lambda: User.update(is_banned=banned, ban_reason=reason if banned else None)
            .where(User.id == user_id).execute()
        )
        await self.cache.delete(PREFIX + str(user_id))
        return bool(changed)

    async def set_locale(self, user_id: int, locale: str) -> bool:
        """Store the language a user chose; False when the user is unknown."""
        changed = await self.db.run(
            lambda: User.update(locale=locale).where(User.id == user_id).execute()
        )
        await self.cache.delete(PREFIX + str(user_id))
        return bool(changed)

    async def mark_unreachable(self, user_id: int) -> None:
        await self.db.run(
            lambda: User.update(is_unreachable=True).where(User.id == user_id).execute()
        )

    async def banned(self, offset: int = 0, limit: int = 20) -> list[BotUser]:
        def fetch() -> list[BotUser]:
            query = (User.select().where(User.is_banned).order_by(User.id)
                     .offset(offset).limit(limit))
            return [self._snapshot(r) for r in query]

        return await self.db.run(fetch)
