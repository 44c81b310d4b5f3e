"""Payments: a list with filters, one payment, refund (through `request_refund`, as /refund),
and a CSV export."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.errors import UserError
from plugins.dashboard import texts
from plugins.dashboard.pages.common import field, page_number, requires
from plugins.dashboard.server import admin_id, dashboard

STATUSES = ("paid", "refunding", "refunded", "review")


def _payments(request: web.Request) -> Any:
    return dashboard(request).kernel.service("payments")



@requires("payments", "Payments", "payments")
async def listing(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    q = request.query
    status = q.get("status", "") if q.get("status", "") in STATUSES else ""
    currency = q.get("currency", "")[:3].upper()
    currency = currency if currency.isascii() and currency.isalpha() else ""
    user_ref = q.get("user", "").strip()[:64]
    user_id = None
    error = None
    if user_ref:
        found = await dash.kernel.users.find(user_ref)
        if found is None:
            error = texts.NO_USER.format(ref=user_ref)
        user_id = found.id if found else -1
    page, size = page_number(request), dash.options.page_size
    rows, total = await _payments(request).search(user_id=user_id, status=status,
                                                  currency=currency, offset=(page - 1) * size,
                                                  limit=size)
    pages = max(1, -(-total // size))
    return dash.page(request, "payments.html", title="Payments", rows=rows, total=total,
                     page=page, pages=pages, status=status, currency=currency, user=user_ref,
                     statuses=STATUSES, error=error)


@requires("payments", "Payments", "payments")
async def payment(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    charge = request.match_info["charge"]
    try:
        record = await _payments(request).get(charge)
    except UserError:
        raise web.HTTPNotFound() from None
    refund = await _payments(request).refund_status(charge)
    return dash.page(request, "payment.html", title=f"Payment {charge}", p=record,
                     refund=refund)


@requires("payments", "Payments", "payments")
async def refund(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    charge = request.match_info["charge"]
    form = await request.post()
    force = field(form, "force", 4) == "on"
    admin = admin_id(request)

    async def work() -> str:
        done = await _payments(request).request_refund(charge, actor=admin, force=force)
        if not done.queued:
            return texts.REFUND_ALREADY.format(charge=charge)
        return texts.REFUND_QUEUED.format(charge=charge, credits=done.reversed_credits)

    return await dash.act(request, "refund" + (" (force)" if force else ""), charge[:128],
                          work, f"/payments/{charge}")


@requires("payments", "Payments", "payments")
async def export(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    body = await _payments(request).csv_export()
    rows = body.count(b"\n") - 1
    await dash.audit.record(admin_id(request), "payments export", "",
                            f"{rows} payments")
    return web.Response(body=body, content_type="text/csv", headers={
        "Content-Disposition": 'attachment; filename="payments.csv"'})


CHARGE = r"{charge:[^/]{1,255}}"
ROUTES = [
    ("GET", "/payments", listing),
    ("GET", "/payments.csv", export),
    ("GET", f"/payments/{CHARGE}", payment),
    ("POST", f"/payments/{CHARGE}/refund", refund),
]
