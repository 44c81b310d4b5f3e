"""Users: search by id or @username; a profile with balance, ledger, purchases, payments and
conversations; ban and unban (users service), grant and revoke (credits service, the same
keys and messages as /grant and /revoke)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.errors import UserError
from core.i18n import Text
from core.parsing import AmountError, parse_amount
from core.types import SendMessage
from plugins.dashboard import texts
from plugins.dashboard.pages.common import field, path_int
from plugins.dashboard.server import admin_id, dashboard

REASON_LIMIT = 256
LEDGER_ROWS = 20


async def search(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    ref = request.query.get("q", "").strip()[:64]
    if ref:
        found = await dash.kernel.users.find(ref)
        if found is not None:
            raise web.HTTPSeeOther(f"/users/{found.id}")
    banned = await dash.kernel.users.banned(0, 50)
    return dash.page(request, "users.html", title="Users", q=ref, banned=banned,
                     error=texts.NO_USER.format(ref=ref) if ref else None)


async def profile(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    kernel = dash.kernel
    user_id = path_int(request, "id")
    row = await kernel.users.row(user_id)
    if row is None:
        raise web.HTTPNotFound()
    values: dict[str, Any] = {"row": row, "is_admin": kernel.is_admin(user_id),
                              "account": None, "ledger": None, "purchases": None,
                              "payments": None, "conversations": None}
    if kernel.has_service("credits"):
        credits = kernel.service("credits")
        values["account"] = await credits.account(user_id)
        values["ledger"] = await credits.history(user_id, 0, LEDGER_ROWS)
    if kernel.has_service("shop"):
        values["purchases"], _ = await kernel.service("shop").owned(user_id, 0, 20)
    if kernel.has_service("payments"):
        values["payments"], _ = await kernel.service("payments").search(user_id=user_id,
                                                                         limit=20)
    if kernel.has_service("inbox"):
        values["conversations"] = await kernel.service("inbox").of_user(user_id)
    return dash.page(request, "user.html", title=f"User {user_id}", **values)


async def act(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    kernel = dash.kernel
    user_id = path_int(request, "id")
    verb = request.match_info["verb"]
    form = await request.post()
    admin = admin_id(request)

    async def work() -> str | Text:
        target = await kernel.users.get(user_id)
        if target is None:
            raise UserError(texts.NO_USER.format(ref=user_id))
        if verb in ("ban", "unban"):
            return await _ban(kernel, target, verb == "ban", field(form, "reason", 1000))
        return await _credits(kernel, target, admin, verb == "revoke", form)

    return await dash.act(request, verb, f"user {user_id}", work, f"/users/{user_id}")


async def _ban(kernel: Any, target: Any, ban: bool, reason: str) -> str:
    reason = reason.strip()
    if ban:
        if len(reason) > REASON_LIMIT:
            raise UserError(f"Keep the reason under {REASON_LIMIT} characters.")
        if kernel.is_admin(target.id):
            raise UserError(texts.ADMIN_NO_BAN)
        if target.is_banned:
            raise UserError(texts.ALREADY_BANNED.format(name=target.display))
        await kernel.users.set_banned(target.id, True, reason or None)
        return texts.BANNED.format(name=target.display, id=target.id)
    if not target.is_banned:
        raise UserError(texts.NOT_BANNED.format(name=target.display))
    await kernel.users.set_banned(target.id, False)
    return texts.UNBANNED.format(name=target.display, id=target.id)


async def _credits(kernel: Any, target: Any, admin: int, revoke: bool, form: Any) -> Text:
    """As /grant and /revoke: the same parsing, ledger keys, messages and notice."""
    if not kernel.has_service("credits"):
        raise UserError(texts.PLUGIN_OFF.format(plugin="credits"))
    credits = kernel.service("credits")
    try:
        amount = parse_amount(field(form, "amount", 40), maximum=credits.max_amount,
                              field=Text("credits-field-amount"))
    except AmountError as exc:
        raise UserError(exc.text) from None
    reason = field(form, "reason", 1000).strip()[:200] or (
        "revoked by an admin" if revoke else "granted by an admin")
    # One key per form shown: a form sent twice changes the balance once, as a redelivered
    # /grant does.
    key = "admin:dashboard:" + field(form, "key", 64)
    if revoke:
        try:
            entry = await credits.debit(target.id, amount, reason, key, actor=admin,
                                        kind="revoke")
        except UserError as exc:
            balance, shortfall = getattr(exc, "balance", None), getattr(exc, "shortfall", None)
            if balance is None or shortfall is None:
                raise
            raise UserError(Text("credits-revoke-short", name=target.display, balance=balance,
                                 shortfall=shortfall, amount=amount)) from None
        return Text("credits-revoked", amount=amount, name=target.display,
                    balance=entry.balance_after)
    entry = await credits.credit(target.id, amount, reason, key, actor=admin)
    if not entry.duplicate and target.id != admin:
        t = await kernel.texts_for(target.id)
        shown = t("credits-reason-admin-grant") if reason == "granted by an admin" else reason
        await kernel.send(SendMessage(target.id, t("credits-received", amount=amount,
                                                   reason=shown,
                                                   balance=entry.balance_after)))
    return Text("credits-granted", amount=amount, name=target.display,
                balance=entry.balance_after)


ROUTES = [
    ("GET", "/users", search),
    ("GET", r"/users/{id:\d+}", profile),
    ("POST", r"/users/{id:\d+}/{verb:ban|unban|grant|revoke}", act),
]
