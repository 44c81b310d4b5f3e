"""Commands, buttons and messages of the inbox: parse, call the service, reply."""

from __future__ import annotations

from core.context import Context
from core.errors import UserError
from core.i18n import Text
from core.parsing import parse_amount
from plugins.admin_inbox import views
from plugins.admin_inbox.models import PRIORITIES
from plugins.admin_inbox.service import REPLY_MODE_TTL, REPLYING, InboxService

MEDIA_KINDS = ("photo", "document")
ADMIN_HINT = ("To answer a user, reply to their message, press Reply, or send "
              "/reply <conversation> <text>. /inbox lists open conversations.")


def _inbox(ctx: Context) -> InboxService:
    return ctx.service("inbox")


def conversation_id(text: str) -> int:
    try:
        return parse_amount(text.strip().lstrip("#"), maximum=2**31 - 1)
    except ValueError:
        raise UserError(f"'{text[:20]}' is not a conversation number (such as 12 or #12)."
                        ) from None


def _replying_key(ctx: Context) -> str:
    return f"{REPLYING}{ctx.chat_id}:{ctx.user.id}"


# ---- a user writes; an operator answers -------------------------------------------------------


async def user_message(ctx: Context) -> bool:
    """Free text, a photo or a document from a user opens or continues their conversation."""
    update = ctx.update
    if ctx.user.is_admin:
        await ctx.reply(ADMIN_HINT)
        return True
    media = update.media
    if media is not None and media.kind not in MEDIA_KINDS:
        raise UserError(Text("inbox-media-kinds"))
    text = update.text.strip()
    if not text and media is None:
        return False
    inbox = _inbox(ctx)
    received = await inbox.receive(ctx.user.id, update.key, text, media)
    if received is not None:
        await inbox.route(received, text, media)
    return True


async def operator_message(ctx: Context) -> bool:
    """An admin's reply to a routed message (or after pressing Reply) goes to the user."""
    if not ctx.user.is_admin:
        return False
    update = ctx.update
    inbox = _inbox(ctx)
    conv_id = None
    if update.reply_to_message_id is not None:
        conv_id = await inbox.conversation_for_copy(ctx.chat_id, update.reply_to_message_id)
    if conv_id is None:
        conv_id = await ctx.kernel.cache.get(_replying_key(ctx))
    if conv_id is None:
        return False
    await ctx.kernel.cache.delete(_replying_key(ctx))
    if update.media is not None and update.media.kind not in MEDIA_KINDS:
        raise UserError("Only text, photos and documents can be sent to users.")
    conv = await inbox.answer(conv_id, ctx.user.id, ctx.user.first_name, update.key,
                              update.text, update.media)
    await ctx.reply(f"Sent to #{conv.id}.")
    return True


# ---- commands (all admin-only) ----------------------------------------------------------------


async def inbox_command(ctx: Context) -> None:
    """Open conversations, most urgent and oldest first"""
    page = 1
    if ctx.args:
        try:
            page = parse_amount(ctx.args[0], maximum=10**6)
        except ValueError:
            raise UserError("Usage: /inbox [page]") from None
    await show_queue(ctx, page, edit=False)


async def reply_command(ctx: Context) -> None:
    """Answer a conversation: /reply <conversation> <text>"""
    parts = ctx.update.args.split(None, 1)
    if len(parts) < 2:
        raise UserError("Usage: /reply <conversation> <text>")
    conv = await _inbox(ctx).answer(conversation_id(parts[0]), ctx.user.id,
                                    ctx.user.first_name, ctx.update.key, parts[1], None)
    await ctx.reply(f"Sent to #{conv.id}.")


async def close_command(ctx: Context) -> None:
    """Close a conversation: /close <conversation>"""
    if len(ctx.args) != 1:
        raise UserError("Usage: /close <conversation>")
    conv = await _inbox(ctx).close(conversation_id(ctx.args[0]))
    await ctx.reply(f"#{conv.id} closed.")


async def assign_command(ctx: Context) -> None:
    """Assign a conversation: /assign <conversation> [@admin or id]"""
    if len(ctx.args) not in (1, 2):
        raise UserError("Usage: /assign <conversation> [@admin or id]")
    target = ctx.user.id
    if len(ctx.args) == 2:
        ref = ctx.args[1]
        if ref.isascii() and ref.isdigit() and len(ref) < 20:
            target = int(ref)
        else:
            found = await ctx.kernel.users.find(ref)
            if found is None:
                raise UserError(f"I don't know {ref[:40]}.")
            target = found.id
    conv = await _inbox(ctx).assign(conversation_id(ctx.args[0]), target)
    await ctx.reply(f"#{conv.id} assigned to {'you' if target == ctx.user.id else target}.")


async def stats_command(ctx: Context) -> None:
    """The inbox in figures"""
    figures = await _inbox(ctx).figures()
    lines = ["Inbox:"] + [f"{name}: {'—' if value is None else value}"
                          for name, value in figures.items()]
    await ctx.reply("\n".join(lines))


# ---- views ------------------------------------------------------------------------------------


async def show_queue(ctx: Context, page: int, *, edit: bool) -> None:
    inbox = _inbox(ctx)
    convs, pages = await inbox.queue(page)
    if not convs:
        text = "No open conversations." if page == 1 else f"There is no page {page}."
        await (ctx.edit(text) if edit else ctx.reply(text))
        return
    now = inbox.now()
    named = [(c, await inbox.sender_name(c.user_id)) for c in convs]
    lines = [f"Open conversations, page {page} of {pages}:"]
    lines += [views.queue_line(c, name, now) for c, name in named]
    text, buttons = "\n".join(lines), views.queue_buttons(named, page, pages)
    await (ctx.edit(text, buttons) if edit else ctx.reply(text, buttons))


async def show_card(ctx: Context, conv_id: int) -> None:
    inbox = _inbox(ctx)
    conv = await inbox.get(conv_id)
    user = await ctx.kernel.users.get(conv.user_id)
    assignee = None
    if conv.assigned_to is not None:
        assignee = "you" if conv.assigned_to == ctx.user.id else str(conv.assigned_to)
    text = views.card(conv, await inbox.sender_name(conv.user_id), await inbox.history(conv.id),
                      inbox.now(), assignee)
    sent = await ctx.reply(text, views.card_buttons(conv, bool(user and user.is_banned)))
    await inbox.remember_copy(ctx.chat_id, sent, conv.id)


# ---- buttons: inbox:<action>:<id>[:<arg>] ------------------------------------------------------


async def on_button(ctx: Context) -> None:
    if not ctx.user.is_admin:  # the route is admin-only; checked again all the same
        raise UserError("This is for the bot's admins only.")
    parts = (ctx.update.callback_data or "").split(":")
    if len(parts) not in (3, 4) or not all(p.isascii() and p.isdigit() and len(p) < 10
                                           for p in parts[2:]):
        raise UserError("This button is no longer valid.")
    action, ident = parts[1], int(parts[2])
    arg = int(parts[3]) if len(parts) == 4 else None
    inbox = _inbox(ctx)
    if action == "l":
        await show_queue(ctx, max(1, ident), edit=True)
    elif action == "v":
        await show_card(ctx, ident)
    elif action == "r":
        conv = await inbox.get(ident)
        if conv.status == "closed":
            raise UserError(f"#{conv.id} is closed. Reopen it to answer.")
        await ctx.kernel.cache.set(_replying_key(ctx), conv.id, REPLY_MODE_TTL)
        sent = await ctx.reply(f"Write your answer to #{conv.id} as a reply to this message.")
        await inbox.remember_copy(ctx.chat_id, sent, conv.id)
        await ctx.answer(f"Answering #{conv.id}")
    elif action == "c":
        conv = await inbox.close(ident)
        await ctx.answer(f"#{conv.id} closed.")
    elif action == "o":
        conv = await inbox.reopen(ident)
        await ctx.answer(f"#{conv.id} reopened.")
    elif action == "p" and arg is None:
        conv = await inbox.get(ident)
        await ctx.reply(f"Priority of #{conv.id} (now {conv.priority_name}):",
                        views.priority_buttons(conv.id))
    elif action == "p" and arg is not None:
        conv = await inbox.set_priority(ident, arg)
        await ctx.answer(f"#{conv.id} is now {PRIORITIES[conv.priority]}.")
    elif action == "a":
        conv = await inbox.assign(ident, ctx.user.id)
        await ctx.answer(f"#{conv.id} is yours.")
    elif action in ("b", "u"):
        await ban(ctx, ident, banned=action == "b")
    else:
        raise UserError("This button is no longer valid.")


async def ban(ctx: Context, conv_id: int, *, banned: bool) -> None:
    conv = await _inbox(ctx).get(conv_id)
    if ctx.kernel.is_admin(conv.user_id):
        raise UserError("Admins cannot be banned.")
    reason = f"inbox #{conv.id}, by admin {ctx.user.id}" if banned else None
    await ctx.service("users").set_banned(conv.user_id, banned, reason)
    word = "banned" if banned else "unbanned"
    await ctx.answer(f"User {conv.user_id} {word}.")
