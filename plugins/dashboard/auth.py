"""Logging in: one-time signed login links, sessions, CSRF tokens.

A link is `<nonce>.<user id>.<expiry>.<HMAC>`: the HMAC (over the rest, with
`dashboard.secret`) proves the bot issued it, the expiry bounds it, and its nonce's row is
claimed by a conditional update when it is used, so it works once. Opening the link only
shows a button; the POST behind the button spends it, so a link preview fetching the URL
spends nothing. A session cookie carries a random token; the database keeps its SHA-256
only. Every session has its own CSRF token, checked on every POST.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.models import utcnow
from plugins.dashboard import texts
from plugins.dashboard.models import DashboardLogin, DashboardSession

if TYPE_CHECKING:
    from core.db import Database


class LoginRefused(Exception):
    """A link that is forged, expired or already used; the message says which."""


@dataclass(frozen=True, slots=True)
class Session:
    token_hash: str
    user_id: int
    csrf: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Auth:
    def __init__(self, db: Database, secret: str, link_ttl: int, session_ttl: int,
                 idle_timeout: int) -> None:
        self.db = db
        self.key = secret.encode()
        self.link_ttl = link_ttl
        self.session_ttl = session_ttl
        self.idle_timeout = idle_timeout

    # ---- login links ---------------------------------------------------------------------------

    def _sign(self, body: str) -> str:
        digest = hmac.new(self.key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    async def issue(self, user_id: int) -> str:
        """A new login token for `user_id` (an admin: the caller checks)."""
        nonce = secrets.token_urlsafe(18)
        now = utcnow()
        expires = now + timedelta(seconds=self.link_ttl)
        await self.db.run(lambda: DashboardLogin.create(nonce=nonce, user_id=user_id,
                                                        created_at=now, expires_at=expires))
        body = f"{nonce}.{user_id}.{int(time.time()) + self.link_ttl}"
        return f"{body}.{self._sign(body)}"

    def check(self, token: str) -> tuple[str, int]:
        """(nonce, user id) of a well-signed, unexpired token; LoginRefused otherwise."""
        parts = token.split(".")
        if len(token) > 200 or len(parts) != 4:
            raise LoginRefused(texts.LINK_INVALID)
        nonce, user, expires, signature = parts
        if not hmac.compare_digest(self._sign(f"{nonce}.{user}.{expires}"), signature):
            raise LoginRefused(texts.LINK_INVALID)
        if int(expires) < time.time():
            raise LoginRefused(texts.LINK_EXPIRED)
        return nonce, int(user)

    async def peek(self, token: str) -> int:
        """Like `spend`, without spending: whether the link would log in now."""
        nonce, user_id = self.check(token)
        row = await self.db.run(DashboardLogin.get_or_none, DashboardLogin.nonce == nonce)
        if row is None or row.user_id != user_id:
            raise LoginRefused(texts.LINK_INVALID)
        if row.used_at is not None:
            raise LoginRefused(texts.LINK_USED)
        if row.expires_at <= utcnow():
            raise LoginRefused(texts.LINK_EXPIRED)
        return user_id

    async def spend(self, token: str) -> int:
        """Use a login link once; the user id it was issued to."""
        nonce, user_id = self.check(token)
        now = utcnow()

        def claim() -> int:
            return (DashboardLogin.update(used_at=now)
                    .where((DashboardLogin.nonce == nonce) & (DashboardLogin.user_id == user_id)
                           & DashboardLogin.used_at.is_null() & (DashboardLogin.expires_at > now))
                    .execute())

        if not await self.db.transaction(claim):
            row = await self.db.run(DashboardLogin.get_or_none, DashboardLogin.nonce == nonce)
            if row is not None and row.used_at is not None:
                raise LoginRefused(texts.LINK_USED)
            raise LoginRefused(texts.LINK_EXPIRED)
        return user_id

    # ---- sessions ------------------------------------------------------------------------------

    async def open_session(self, user_id: int) -> tuple[str, Session]:
        """A new session; its cookie value (shown once) and the session."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        session = Session(_hash(token), user_id, secrets.token_urlsafe(32),
                          now + timedelta(seconds=self.session_ttl))

        def write() -> None:
            DashboardSession.create(token_hash=session.token_hash, user_id=user_id,
                                    csrf=session.csrf, created_at=now, last_seen_at=now,
                                    expires_at=session.expires_at)
            # Old links and sessions are of no use: keep the tables small.
            DashboardSession.delete().where(DashboardSession.expires_at < now).execute()
            DashboardLogin.delete().where(DashboardLogin.expires_at < now
                                          - timedelta(days=1)).execute()

        await self.db.transaction(write)
        return token, session

    async def session(self, token: str | None) -> Session | None:
        """The live session a cookie names (its idle time restarts), or None."""
        if not token or len(token) > 100:
            return None
        token_hash = _hash(token)
        now = utcnow()

        def touch() -> DashboardSession | None:
            live = ((DashboardSession.token_hash == token_hash)
                    & (DashboardSession.expires_at > now)
                    & (DashboardSession.last_seen_at > now - timedelta(seconds=self.idle_timeout)))
            if not DashboardSession.update(last_seen_at=now).where(live).execute():
                return None
            return DashboardSession.get_or_none(DashboardSession.token_hash == token_hash)

        row = await self.db.transaction(touch)
        if row is None:
            return None
        return Session(row.token_hash, row.user_id, row.csrf, row.expires_at)

    async def close_session(self, token_hash: str) -> None:
        await self.db.run(lambda: DashboardSession.delete()
                          .where(DashboardSession.token_hash == token_hash).execute())

    async def close_sessions_of(self, user_id: int) -> int:
        return await self.db.run(lambda: DashboardSession.delete()
                                 .where(DashboardSession.user_id == user_id).execute())


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
