"""What pages share: reading form fields and query arguments, ids from the path."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.errors import UserError
from core.parsing import parse_amount


def field(form: Any, name: str, limit: int = 10_000) -> str:
    """A text field of a submitted form ('' when missing); longer than `limit` is refused."""
    value = form.get(name, "")
    if not isinstance(value, str):
        return ""
    if len(value) > limit:
        raise UserError(f"The {name.replace('_', ' ')} is too long ({len(value)} characters, "
                        f"at most {limit}).")
    return value


def path_int(request: web.Request, name: str) -> int:
    """A numeric id from the path; anything else is a 404."""
    raw = request.match_info.get(name, "")
    try:
        return parse_amount(raw, maximum=2**62)
    except ValueError:
        raise web.HTTPNotFound() from None


def page_number(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    try:
        return parse_amount(raw, maximum=10**6)
    except ValueError:
        return 1
