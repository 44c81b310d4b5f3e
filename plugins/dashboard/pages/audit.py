"""The audit log: who did what, when."""

from __future__ import annotations

from aiohttp import web

from plugins.dashboard.server import dashboard


async def audit(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    return dash.page(request, "audit.html", title="Audit log",
                     entries=await dash.audit.recent(200))


ROUTES = [("GET", "/audit", audit)]
