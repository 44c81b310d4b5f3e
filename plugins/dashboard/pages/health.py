"""Health: the kernel's checks, plus dead letters with replay."""

from __future__ import annotations

from aiohttp import web

from core.errors import UserError
from plugins.dashboard import deadletters, texts
from plugins.dashboard.pages.common import field
from plugins.dashboard.server import dashboard


async def health(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    report = await dash.kernel.health()
    return dash.page(request, "health.html", title="Health", report=report,
                     dead=await deadletters.listed(dash.kernel),
                     counts=await deadletters.counts(dash.kernel))


async def replay(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    form = await request.post()
    raw = field(form, "entry", 20)

    async def work() -> str:
        if not (raw.isascii() and raw.isdigit()):
            raise UserError(f"'{raw[:20]}' is not a dead letter's number.")
        entry = await deadletters.replay(dash.kernel, int(raw))
        if entry is None:
            raise UserError(f"There is no dead letter #{raw}.")
        return texts.REPLAYED.format(key=entry.update.key)

    return await dash.act(request, "replay", f"dead letter #{raw}", work, "/health")


ROUTES = [("GET", "/health", health), ("POST", "/health/replay", replay)]
