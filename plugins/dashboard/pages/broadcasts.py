"""Broadcasts: compose with a segment and a preview, start, watch the progress live (the page
polls a small JSON view), pause, resume and cancel, through the `broadcasts` service. The
progress message in Telegram goes to the admin's chat, as when started there."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.errors import UserError
from core.types import SendMessage
from plugins.dashboard import texts
from plugins.dashboard.pages.common import field, path_int, requires
from plugins.dashboard.server import admin_id, dashboard

TEXT_LIMIT = 4096
RECENT = 20


def _broadcasts(request: web.Request) -> Any:
    return dashboard(request).kernel.service("broadcasts")



async def _progress(service: Any, broadcast_id: int) -> dict[str, Any]:
    row = await service.store.get(broadcast_id)
    if row is None:
        raise web.HTTPNotFound()
    counts = await service.store.counts(broadcast_id)
    total = counts.total or row.total or 0
    return {"id": row.id, "status": row.status, "sent": counts.sent, "failed": counts.failed,
            "remaining": counts.remaining, "interrupted": counts.interrupted, "total": total,
            "percent": int(100 * counts.processed / total) if total else 0}


@requires("broadcasts", "Broadcasts", "admin")
async def listing(request: web.Request) -> web.StreamResponse:
    dash, service = dashboard(request), _broadcasts(request)
    rows = await service.store.recent(RECENT)
    return dash.page(request, "broadcasts.html", title="Broadcasts", rows=rows)


@requires("broadcasts", "Broadcasts", "admin")
async def draft(request: web.Request) -> web.StreamResponse:
    from plugins.admin.service import Segment

    dash, service = dashboard(request), _broadcasts(request)
    form = await request.post()
    admin = admin_id(request)
    created: list[int] = []

    async def work() -> str:
        text = field(form, "text", TEXT_LIMIT * 4).strip()
        if not text:
            raise UserError(texts.BROADCAST_EMPTY.format(limit=TEXT_LIMIT))
        if len(text) > TEXT_LIMIT:
            raise UserError(f"That text is {len(text)} characters; one message holds "
                            f"{TEXT_LIMIT}.")
        segment = Segment.parse(field(form, "segment", 100) or "all")
        broadcast_id, reach = await service.draft(admin, segment, text, None)
        created.append(broadcast_id)
        return texts.BROADCAST_DRAFTED.format(id=broadcast_id, reach=reach)

    return await dash.act(request, "broadcast draft", "", work,
                          lambda: f"/broadcasts/{created[0]}" if created else "/broadcasts")


@requires("broadcasts", "Broadcasts", "admin")
async def one(request: web.Request) -> web.StreamResponse:
    from plugins.admin.service import Segment

    dash, service = dashboard(request), _broadcasts(request)
    broadcast_id = path_int(request, "id")
    row = await service.store.get(broadcast_id)
    if row is None:
        raise web.HTTPNotFound()
    reach = None
    if row.status == "draft":
        try:
            reach = len(await service.admin.audience(Segment(row.segment, row.segment_value)))
        except UserError:
            reach = 0
    return dash.page(request, "broadcast.html", title=f"Broadcast #{row.id}", b=row,
                     segment=Segment(row.segment, row.segment_value).label, reach=reach,
                     progress=await _progress(service, row.id))


@requires("broadcasts", "Broadcasts", "admin")
async def progress(request: web.Request) -> web.StreamResponse:
    return web.json_response(await _progress(_broadcasts(request), path_int(request, "id")))


@requires("broadcasts", "Broadcasts", "admin")
async def control(request: web.Request) -> web.StreamResponse:
    dash, service = dashboard(request), _broadcasts(request)
    broadcast_id = path_int(request, "id")
    verb = request.match_info["verb"]
    admin = admin_id(request)

    async def work() -> str:
        if verb == "start":
            row = await service.store.get(broadcast_id)
            if row is None or row.status != "draft":
                await service.confirm(broadcast_id, (admin, 0))  # refuses with its own words
            sent = await dash.kernel.send(SendMessage(
                admin, texts.BROADCAST_PROGRESS.format(id=broadcast_id)))
            if sent.message_id is None:
                raise UserError(texts.UPLOAD_FAILED)
            reach = await service.confirm(broadcast_id, (admin, sent.message_id))
            return texts.BROADCAST_STARTED.format(id=broadcast_id, reach=reach)
        if verb == "pause":
            await service.pause(broadcast_id)
            return texts.BROADCAST_PAUSED.format(id=broadcast_id)
        if verb == "resume":
            await service.resume(broadcast_id)
            return texts.BROADCAST_RESUMED.format(id=broadcast_id)
        if verb == "cancel":
            await service.cancel(broadcast_id)
            return texts.BROADCAST_CANCELLED.format(id=broadcast_id)
        await service.discard(broadcast_id)
        return texts.BROADCAST_DISCARDED.format(id=broadcast_id)

    return await dash.act(request, f"broadcast {verb}", f"broadcast #{broadcast_id}", work,
                          f"/broadcasts/{broadcast_id}")


ROUTES = [
    ("GET", "/broadcasts", listing),
    ("POST", "/broadcasts", draft),
    ("GET", r"/broadcasts/{id:\d+}", one),
    ("GET", r"/broadcasts/{id:\d+}/progress", progress),
    ("POST", r"/broadcasts/{id:\d+}/{verb:start|pause|resume|cancel|discard}", control),
]
