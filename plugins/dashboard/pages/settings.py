"""Settings: the runtime settings plugins declare, changed through the `runtime` service
(validated and recorded as with /set)."""

from __future__ import annotations

from aiohttp import web

from plugins.dashboard import texts
from plugins.dashboard.pages.common import field
from plugins.dashboard.server import admin_id, dashboard


async def listing(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    runtime = dash.kernel.service("runtime")
    values = await runtime.all()
    rows = [(key, value, runtime.declared[key].description) for key, value in values.items()]
    return dash.page(request, "settings.html", title="Settings", rows=rows)


async def change(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    form = await request.post()
    key, raw = field(form, "key", 100).strip(), field(form, "value", 4000).strip()
    admin = admin_id(request)

    async def work() -> str:
        value = await dash.kernel.service("runtime").set(key, raw, admin)
        return texts.SETTING_SET.format(key=key, value=value)

    return await dash.act(request, "setting", key[:64], work, "/settings")


ROUTES = [("GET", "/settings", listing), ("POST", "/settings", change)]
