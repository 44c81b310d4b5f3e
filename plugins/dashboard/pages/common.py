"""What pages share: reading form fields and query arguments, ids from the path."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from aiohttp import web

from core.errors import UserError
from core.parsing import parse_amount
from plugins.dashboard.server import Page, dashboard


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


def requires(service: str, title: str, plugin: str) -> Callable[[Page], Page]:
    """A page of one plugin's service: with the plugin off, it says so instead."""

    def wrap(handler: Page) -> Page:
        @functools.wraps(handler)
        async def page(request: web.Request) -> web.StreamResponse:
            dash = dashboard(request)
            if not dash.kernel.has_service(service):
                return dash.page(request, "off.html", title=title, plugin=plugin)
            return await handler(request)

        return page

    return wrap
