"""Logging in with a link from /dashboard, and out."""

from __future__ import annotations

from aiohttp import web

from plugins.dashboard import texts
from plugins.dashboard.auth import LoginRefused
from plugins.dashboard.server import dashboard


async def login_page(request: web.Request) -> web.StreamResponse:
    """Opening the link only shows a button: a link preview spends nothing."""
    dash = dashboard(request)
    token = request.query.get("t", "")[:300]
    try:
        await dash.auth.peek(token)
    except LoginRefused as exc:
        return dash.page(request, "refused.html", http_status=403, message=str(exc),
                         title="Refused")
    return dash.page(request, "login.html", token=token, title=texts.LOGIN_TITLE)


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    token = form.get("t", "")
    return await dashboard(request).log_in(request, token if isinstance(token, str) else "")


async def logout(request: web.Request) -> web.StreamResponse:
    return await dashboard(request).log_out(request)


ROUTES = [("GET", "/login", login_page), ("POST", "/login", login), ("POST", "/logout", logout)]
