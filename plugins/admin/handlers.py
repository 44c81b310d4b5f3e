"""Admin commands and buttons: parse, call a service, reply.

Every command and button is declared `admin_only`: the kernel refuses anyone else before a
handler runs (see core/dispatch.py), so handlers do not check again.
"""

from __future__ import annotations

from typing import Any

from core.context import Context
from core.errors import UserError
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
        raise UserError("Usage: /broadcast [to=segment] text, or reply to a message with "
                        "/broadcast [to=segment] to send a copy of it. Segments: all, "
                        "active:<days>, and those of enabled plugins (tier:<name>, buyers).")
    if replied is None and len(args) > TEXT_LIMIT:
        raise UserError(f"That text is {len(args)} characters; one message holds "
                        f"{TEXT_LIMIT}.")
    text = None if replied is not None else args
    source = (ctx.chat_id, replied) if replied is not None else None
    broadcast_id, reach = await _broadcasts(ctx).draft(ctx.user.id, segment, text, source)
    if source is not None:
        await ctx.do(CopyMessage(ctx.chat_id, source[0], source[1]))
    else:
        await ctx.reply(text or "")
    await ctx.reply(f"Preview above. Broadcast #{broadcast_id} to {segment.label}: "
                    f"{_users(reach)} now. Send it?", confirm_buttons(broadcast_id))


def _users(n: int) -> str:
    return f"{n} user" if n == 1 else f"{n} users"


async def broadcast_button(ctx: Context) -> None:
    pressed = ctx.button(BroadcastButton)
    verb, broadcast_id = pressed.verb, pressed.broadcast_id
    service = _broadcasts(ctx)
    if verb is Verb.CONFIRM:
        if ctx.update.message_id is None:
            raise UserError("This button is not valid.")
        reach = await service.confirm(broadcast_id, (ctx.chat_id, ctx.update.message_id))
        await ctx.answer(f"Sending to {_users(reach)}.")
    elif verb is Verb.DISCARD:
        await service.discard(broadcast_id)
        await ctx.answer("Discarded.")
        await ctx.edit(f"Broadcast #{broadcast_id} discarded.")
    elif verb is Verb.PAUSE:
        await service.pause(broadcast_id)
        await ctx.answer("Pausing after the messages in flight.")
    elif verb is Verb.RESUME:
        await service.resume(broadcast_id)
        await ctx.answer("Resumed.")
    else:
        await service.cancel(broadcast_id)
        await ctx.answer("Cancelled.")


async def broadcast_status(ctx: Context) -> None:
    """Show a broadcast's progress: /broadcast_status <id>"""
    arg = ctx.update.args.strip().lstrip("#")
    if not (arg.isascii() and arg.isdigit()) or len(arg) > 12:
        raise UserError("Usage: /broadcast_status <id>")
    service = _broadcasts(ctx)
    row = await service.store.get(int(arg))
    if row is None:
        raise UserError(f"No broadcast #{arg}.")
    counts = await service.store.counts(row.id)
    label = Segment(row.segment, row.segment_value).label
    await ctx.reply(progress_text(row.id, label, row.status, counts),
                    progress_buttons(row.id, row.status))


# ---- users and bans --------------------------------------------------------------------------


async def user(ctx: Context) -> None:
    """Look a user up: /user <id or @username>"""
    ref = ctx.update.args.strip()
    if not ref:
        raise UserError("Usage: /user <id or @username>")
    await ctx.reply(await ctx.service("admin").describe(ref))


async def _find(ctx: Context, ref: str) -> Any:
    found = await ctx.service("users").find(ref) if ref else None
    if found is None:
        raise UserError(f"No user '{ref[:64]}'. Give a numeric id or @username of someone "
                        "who has written to the bot.")
    return found


async def ban(ctx: Context) -> None:
    """Ban a user: /ban <id or @username> [reason]"""
    ref, _, reason = ctx.update.args.strip().partition(" ")
    if not ref:
        raise UserError("Usage: /ban <id or @username> [reason]")
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise UserError(f"Keep the reason under {REASON_LIMIT} characters.")
    target = await _find(ctx, ref)
    if ctx.kernel.is_admin(target.id):
        raise UserError("Admins cannot be banned; remove them from `admins` in settings.")
    if target.is_banned:
        raise UserError(f"{target.display} is already banned.")
    await ctx.service("users").set_banned(target.id, True, reason or None)
    await ctx.reply(f"Banned {target.display} ({target.id})"
                    + (f": {reason}" if reason else "") + ". Their messages are ignored now.")


async def unban(ctx: Context) -> None:
    """Lift a ban: /unban <id or @username>"""
    ref = ctx.update.args.strip()
    if not ref:
        raise UserError("Usage: /unban <id or @username>")
    target = await _find(ctx, ref)
    if not target.is_banned:
        raise UserError(f"{target.display} is not banned.")
    await ctx.service("users").set_banned(target.id, False)
    await ctx.reply(f"Unbanned {target.display} ({target.id}).")


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
    if not page.items:
        text = "Nobody is banned." if number == 0 else "No more banned users."
    else:
        lines = [f"Banned users (page {number + 1}):"]
        lines += [f"{u.id} {u.display}" for u in page.items]
        text = "\n".join(lines)
    nav = page.nav(lambda n: BannedPage(n).pack())
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
        raise UserError("Usage: /set <key> <value>. /settings lists the keys.")
    value = await ctx.service("runtime").set(key, raw.strip(), ctx.user.id)
    await ctx.reply(f"{key} = {_show(value)}")


async def get(ctx: Context) -> None:
    """Show a runtime setting: /get <key>"""
    key = ctx.update.args.strip()
    if not key:
        raise UserError("Usage: /get <key>. /settings lists the keys.")
    value = await ctx.service("runtime").get(key)
    await ctx.reply(f"{key} = {_show(value)}")


async def settings(ctx: Context) -> None:
    """List the settings editable at run time"""
    runtime = ctx.service("runtime")
    values = await runtime.all()
    if not values:
        await ctx.reply("No settings are editable at run time.")
        return
    lines = ["Runtime settings (/set <key> <value>):"]
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
    lines = [f"Users: {figures.total} (banned {figures.banned}, unreachable "
             f"{figures.unreachable})",
             f"Active: {figures.active_1d} today, {figures.active_7d} in 7 days, "
             f"{figures.active_30d} in 30 days"]
    for name, value in figures.plugins.items():
        lines.append(f"{name}: {value}")
    lines.append("")
    lines.append("Day         new  last seen")
    for day, new, active in reversed(figures.days):
        if new or active:
            lines.append(f"{day.isoformat()}  {new:>4}  {active:>4}")
    await ctx.reply("\n".join(lines))
    if ctx.settings.admin.chart and chart.available():
        media = chart.render(figures.days)
        await ctx.do(SendMedia(ctx.chat_id, media, caption="New and active users, 30 days"))
