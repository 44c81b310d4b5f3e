"""Admin commands and buttons: parse, call a service, reply.

Every command and button is declared `admin_only`: the kernel refuses anyone else before a
handler runs (see core/dispatch.py), so handlers do not check again.
"""

from __future__ import annotations

from typing import Any

from core.context import Context
from core.errors import UserError
from core.i18n import Text
from core.pagination import Page
from core.types import CopyMessage, SendMedia
from plugins.admin import chart
from plugins.admin.buttons import BannedPage, BroadcastButton, Verb
from plugins.admin.progress import confirm_buttons, progress_buttons, progress_text
from plugins.admin.service import Segment

TEXT_LIMIT = 4096  # Telegram's limit for one message
REASON_LIMIT = 256


def _broadcasts(ctx: Context) -> Any:
    return ctx.service("broadcasts")


# ---- broadcasts ------------------------------------------------------------------------------


async def broadcast(ctx: Context) -> None:
    """Send a message to every user or a segment: /broadcast [to=segment] text"""
    args = ctx.update.args.strip()
    segment = Segment()
    first, _, rest = args.partition(" ")
    if first.lower().startswith("to="):
        segment, args = Segment.parse(first[3:]), rest.strip()
    replied = ctx.update.reply_to_message_id
    if replied is None and not args:
        raise UserError(Text("admin-broadcast-usage"))
    if replied is None and len(args) > TEXT_LIMIT:
        raise UserError(Text("admin-broadcast-too-long", length=len(args), limit=TEXT_LIMIT))
    text = None if replied is not None else args
    source = (ctx.chat_id, replied) if replied is not None else None
    broadcast_id, reach = await _broadcasts(ctx).draft(ctx.user.id, segment, text, source)
    if source is not None:
        await ctx.do(CopyMessage(ctx.chat_id, source[0], source[1]))
    else:
        await ctx.reply(text or "")
    await ctx.reply(ctx.t("admin-broadcast-preview", id=str(broadcast_id),
                          segment=segment.label, users=reach), confirm_buttons(ctx.t, broadcast_id))


async def broadcast_button(ctx: Context) -> None:
    pressed = ctx.button(BroadcastButton)
    verb, broadcast_id = pressed.verb, pressed.broadcast_id
    service = _broadcasts(ctx)
    if verb is Verb.CONFIRM:
        if ctx.update.message_id is None:
            raise UserError(Text("error-button-expired"))
        reach = await service.confirm(broadcast_id, (ctx.chat_id, ctx.update.message_id))
        await ctx.answer(ctx.t("admin-broadcast-sending", users=reach))
    elif verb is Verb.DISCARD:
        await service.discard(broadcast_id)
        await ctx.answer(ctx.t("admin-broadcast-discarded-short"))
        await ctx.edit(ctx.t("admin-broadcast-discarded", id=str(broadcast_id)))
    elif verb is Verb.PAUSE:
        await service.pause(broadcast_id)
        await ctx.answer(ctx.t("admin-broadcast-pausing"))
    elif verb is Verb.RESUME:
        await service.resume(broadcast_id)
        await ctx.answer(ctx.t("admin-broadcast-resumed"))
    else:
        await service.cancel(broadcast_id)
        await ctx.answer(ctx.t("admin-broadcast-cancelled"))


async def broadcast_status(ctx: Context) -> None:
    """Show a broadcast's progress: /broadcast_status <id>"""
    arg = ctx.update.args.strip().lstrip("#")
    if not (arg.isascii() and arg.isdigit()) or len(arg) > 12:
        raise UserError(Text("admin-broadcast-status-usage"))
    service = _broadcasts(ctx)
    row = await service.store.get(int(arg))
    if row is None:
        raise UserError(Text("admin-no-broadcast", id=arg))
    counts = await service.store.counts(row.id)
    label = Segment(row.segment, row.segment_value).label
    await ctx.reply(progress_text(ctx.t, row.id, label, row.status, counts),
                    progress_buttons(ctx.t, row.id, row.status))


# ---- users and bans --------------------------------------------------------------------------


async def user(ctx: Context) -> None:
    """Look a user up: /user <id or @username>"""
    ref = ctx.update.args.strip()
    if not ref:
        raise UserError(Text("admin-user-usage"))
    await ctx.reply(await ctx.service("admin").describe(ref, ctx.t))


async def _find(ctx: Context, ref: str) -> Any:
    found = await ctx.service("users").find(ref) if ref else None
    if found is None:
        raise UserError(Text("admin-no-user", ref=ref[:64]))
    return found


async def ban(ctx: Context) -> None:
    """Ban a user: /ban <id or @username> [reason]"""
    ref, _, reason = ctx.update.args.strip().partition(" ")
    if not ref:
        raise UserError(Text("admin-ban-usage"))
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise UserError(Text("admin-reason-too-long", limit=REASON_LIMIT))
    target = await _find(ctx, ref)
    if ctx.kernel.is_admin(target.id):
        raise UserError(Text("admin-cannot-ban-admin"))
    if target.is_banned:
        raise UserError(Text("admin-already-banned", name=target.display))
    await ctx.service("users").set_banned(target.id, True, reason or None)
    if reason:
        await ctx.reply(ctx.t("admin-banned-because", name=target.display, id=str(target.id),
                              reason=reason))
    else:
        await ctx.reply(ctx.t("admin-banned-now", name=target.display, id=str(target.id)))


async def unban(ctx: Context) -> None:
    """Lift a ban: /unban <id or @username>"""
    ref = ctx.update.args.strip()
    if not ref:
        raise UserError(Text("admin-unban-usage"))
    target = await _find(ctx, ref)
    if not target.is_banned:
        raise UserError(Text("admin-not-banned", name=target.display))
    await ctx.service("users").set_banned(target.id, False)
    await ctx.reply(ctx.t("admin-unbanned", name=target.display, id=str(target.id)))


async def banned(ctx: Context) -> None:
    """List banned users"""
    await _banned_page(ctx, 0, edit=False)


async def banned_button(ctx: Context) -> None:
    await _banned_page(ctx, ctx.button(BannedPage).page, edit=True)


async def _banned_page(ctx: Context, number: int, *, edit: bool) -> None:
    size = int(ctx.settings.admin.banned_page_size)
    # One extra row tells whether a next page exists.
    page = Page.probed(await ctx.service("users").banned(number * size, size + 1), number,
                       size)
    t = ctx.t
    if not page.items:
        text = t("admin-nobody-banned") if number == 0 else t("admin-no-more-banned")
    else:
        lines = [t("admin-banned-title", page=number + 1)]
        lines += [f"{u.id} {u.display}" for u in page.items]
        text = "\n".join(lines)
    nav = page.nav(lambda n: BannedPage(n).pack(), t)
    buttons = [nav] if nav else None
    if edit:
        await ctx.edit(text, buttons)
    else:
        await ctx.reply(text, buttons)


# ---- runtime settings ------------------------------------------------------------------------


async def set_(ctx: Context) -> None:
    """Change a runtime setting: /set <key> <value>"""
    key, _, raw = ctx.update.args.strip().partition(" ")
    if not key or not raw.strip():
        raise UserError(Text("admin-set-usage"))
    value = await ctx.service("runtime").set(key, raw.strip(), ctx.user.id)
    await ctx.reply(f"{key} = {_show(value)}")


async def get(ctx: Context) -> None:
    """Show a runtime setting: /get <key>"""
    key = ctx.update.args.strip()
    if not key:
        raise UserError(Text("admin-get-usage"))
    value = await ctx.service("runtime").get(key)
    await ctx.reply(f"{key} = {_show(value)}")


async def settings(ctx: Context) -> None:
    """List the settings editable at run time"""
    runtime = ctx.service("runtime")
    values = await runtime.all()
    if not values:
        await ctx.reply(ctx.t("admin-no-settings"))
        return
    lines = [ctx.t("admin-settings-title")]
    for key, value in values.items():
        description = ctx.t.text(runtime.declared[key].description)
        lines.append(f"{key} = {_show(value, 80)}" + (f"  ({description})" if description else ""))
    await ctx.reply("\n".join(lines))


def _show(value: Any, limit: int = 1000) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ---- statistics ------------------------------------------------------------------------------


async def stats(ctx: Context) -> None:
    """Users, activity and the plugins' figures"""
    figures = await ctx.service("admin").stats()
    t = ctx.t
    lines = [t("admin-stats-users", total=figures.total, banned=figures.banned,
               unreachable=figures.unreachable),
             t("admin-stats-active", today=figures.active_1d, week=figures.active_7d,
               month=figures.active_30d)]
    for name, value in figures.plugins.items():
        lines.append(f"{name}: {value}")
    lines.append("")
    lines.append(t("admin-stats-table"))
    for day, new, active in reversed(figures.days):
        if new or active:
            lines.append(f"{day.isoformat()}  {new:>4}  {active:>4}")
    await ctx.reply("\n".join(lines))
    if ctx.settings.admin.chart and chart.available():
        media = chart.render(figures.days)
        await ctx.do(SendMedia(ctx.chat_id, media, caption=t("admin-stats-chart")))
