"""Inbox: open conversations by priority and waiting time, one conversation's history, and
answering, closing, reopening, assigning and prioritising through the `inbox` service."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.errors import UserError
from plugins.dashboard import texts
from plugins.dashboard.pages.common import field, page_number, path_int, requires
from plugins.dashboard.server import admin_id, dashboard

PRIORITIES = ("normal", "high", "urgent")
ANSWER_LIMIT = 4096


def _inbox(request: web.Request) -> Any:
    return dashboard(request).kernel.service("inbox")



@requires("inbox", "Inbox", "admin_inbox")
async def queue(request: web.Request) -> web.StreamResponse:
    dash, inbox = dashboard(request), _inbox(request)
    page = page_number(request)
    shown = await inbox.queue(page)
    rows = [(c, await inbox.sender_name(c.user_id)) for c in shown.items]
    return dash.page(request, "inbox.html", title="Inbox", rows=rows, page=page,
                     pages=shown.pages,
                     now=inbox.now(), priorities=PRIORITIES)


@requires("inbox", "Inbox", "admin_inbox")
async def conversation(request: web.Request) -> web.StreamResponse:
    dash, inbox = dashboard(request), _inbox(request)
    conv_id = path_int(request, "id")
    try:
        conv = await inbox.get(conv_id)
    except UserError:
        raise web.HTTPNotFound() from None
    user = await dash.kernel.users.get(conv.user_id)
    return dash.page(request, "conversation.html", title=f"Conversation #{conv.id}", conv=conv,
                     name=await inbox.sender_name(conv.user_id), user=user,
                     history=await inbox.history(conv.id, 50), now=inbox.now(),
                     priorities=PRIORITIES, admins=sorted(dash.kernel.admins))


@requires("inbox", "Inbox", "admin_inbox")
async def act(request: web.Request) -> web.StreamResponse:
    dash, inbox = dashboard(request), _inbox(request)
    conv_id = path_int(request, "id")
    verb = request.match_info["verb"]
    form = await request.post()
    admin = admin_id(request)
    back = f"/inbox/{conv_id}"

    async def work() -> str:
        if verb == "reply":
            text = field(form, "text", ANSWER_LIMIT + 1000)
            key = "dashboard:" + field(form, "key", 64)
            me = await dash.kernel.users.get(admin)
            conv = await inbox.answer(conv_id, admin, me.first_name if me else "", key, text,
                                      None)
            return texts.ANSWERED.format(conv=conv.id)
        if verb == "close":
            return texts.CLOSED.format(conv=(await inbox.close(conv_id)).id)
        if verb == "reopen":
            return texts.REOPENED.format(conv=(await inbox.reopen(conv_id)).id)
        if verb == "priority":
            level = field(form, "priority", 16)
            if level not in PRIORITIES:
                raise UserError("Unknown priority.")
            conv = await inbox.set_priority(conv_id, PRIORITIES.index(level))
            return texts.PRIORITY_SET.format(conv=conv.id, priority=level)
        if verb == "assign":
            raw = field(form, "admin", 20).strip() or str(admin)
            if not (raw.isascii() and raw.isdigit()):
                raise UserError(f"I don't know {raw[:40]}.")
            conv = await inbox.assign(conv_id, int(raw))
            who = "you" if int(raw) == admin else raw
            return texts.ASSIGNED.format(conv=conv.id, who=who)
        raise web.HTTPNotFound()

    return await dash.act(request, f"inbox {verb}", f"conversation #{conv_id}", work, back)


ROUTES = [
    ("GET", "/inbox", queue),
    ("GET", r"/inbox/{id:\d+}", conversation),
    ("POST", r"/inbox/{id:\d+}/{verb:reply|close|reopen|priority|assign}", act),
]
