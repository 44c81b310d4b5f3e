"""Commands, buttons and messages of the inbox: parse, call the service, reply."""

from __future__ import annotations

from typing import Any

from core.context import Context
from core.conversations import Flow, Step
from core.errors import UserError
from core.i18n import Text
from core.parsing import parse_amount
from plugins.admin_inbox import views
from plugins.admin_inbox.buttons import Act, OnConversation, QueuePage, SetPriority
from plugins.admin_inbox.service import REPLY_MODE_TTL, InboxService

MEDIA_KINDS = ("photo", "document")
ADMIN_HINT = Text("inbox-admin-hint")


def _inbox(ctx: Context) -> InboxService:
    return ctx.service("inbox")


def conversation_id(text: str) -> int:
    try:
        return parse_amount(text.strip().lstrip("#"), maximum=2**31 - 1)
    except ValueError:
        raise UserError(Text("inbox-not-a-number", value=text[:20])) from None


# ---- a user writes; an operator answers -------------------------------------------------------


async def user_message(ctx: Context) -> bool:
    """Free text, a photo or a document from a user opens or continues their conversation."""
    update = ctx.update
    if ctx.user.is_admin:
        await ctx.reply(ctx.t.text(ADMIN_HINT))
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
    """An admin's reply to a routed message goes to the user."""
    if not ctx.user.is_admin:
        return False
    update = ctx.update
    if update.reply_to_message_id is None:
        return False
    conv_id = await _inbox(ctx).conversation_for_copy(ctx.chat_id, update.reply_to_message_id)
    if conv_id is None:
        return False
    await _send_answer(ctx, conv_id)
    return True


async def _send_answer(ctx: Context, conv_id: int) -> None:
    update = ctx.update
    if update.media is not None and update.media.kind not in MEDIA_KINDS:
        raise UserError(Text("inbox-only-these-kinds"))
    conv = await _inbox(ctx).answer(conv_id, ctx.user.id, ctx.user.first_name, update.key,
                                    update.text, update.media)
    await ctx.reply(ctx.t("inbox-sent", id=str(conv.id)))


# ---- Reply mode: a conversation bound to the operator who pressed Reply, in that chat, that
# ---- takes their next message only if it replies to the prompt (anything else ends it).


def _answer(ctx: Context, text: str, answers: dict[str, Any]) -> str:
    media = ctx.update.media
    if media is not None and media.kind not in MEDIA_KINDS:
        raise UserError(Text("inbox-only-these-kinds"))
    return text


async def _reply_done(ctx: Context, answers: dict[str, Any]) -> None:
    await _send_answer(ctx, int(answers["conversation"]))


REPLY = Flow("admin_inbox.reply", (
    Step("conversation", Text("inbox-which-conversation")),  # given by the Reply button
    Step("answer", lambda a: Text("inbox-write-answer", id=str(a["conversation"])), _answer),
), _reply_done, expiry=REPLY_MODE_TTL, reply_to_prompt=True)


# ---- commands (all admin-only) ----------------------------------------------------------------


async def inbox_command(ctx: Context) -> None:
    """Open conversations, most urgent and oldest first"""
    page = 1
    if ctx.args:
        try:
            page = parse_amount(ctx.args[0], maximum=10**6)
        except ValueError:
            raise UserError(Text("inbox-usage")) from None
    await show_queue(ctx, page, edit=False)


async def reply_command(ctx: Context) -> None:
    """Answer a conversation: /reply <conversation> <text>"""
    parts = ctx.update.args.split(None, 1)
    if len(parts) < 2:
        raise UserError(Text("inbox-reply-usage"))
    conv = await _inbox(ctx).answer(conversation_id(parts[0]), ctx.user.id,
                                    ctx.user.first_name, ctx.update.key, parts[1], None)
    await ctx.reply(ctx.t("inbox-sent", id=str(conv.id)))


async def close_command(ctx: Context) -> None:
    """Close a conversation: /close <conversation>"""
    if len(ctx.args) != 1:
        raise UserError(Text("inbox-close-usage"))
    conv = await _inbox(ctx).close(conversation_id(ctx.args[0]))
    await ctx.reply(ctx.t("inbox-closed-it", id=str(conv.id)))


async def assign_command(ctx: Context) -> None:
    """Assign a conversation: /assign <conversation> [@admin or id]"""
    if len(ctx.args) not in (1, 2):
        raise UserError(Text("inbox-assign-usage"))
    target = ctx.user.id
    if len(ctx.args) == 2:
        ref = ctx.args[1]
        if ref.isascii() and ref.isdigit() and len(ref) < 20:
            target = int(ref)
        else:
            found = await ctx.kernel.users.find(ref)
            if found is None:
                raise UserError(Text("inbox-unknown-admin", ref=ref[:40]))
            target = found.id
    conv = await _inbox(ctx).assign(conversation_id(ctx.args[0]), target)
    if target == ctx.user.id:
        await ctx.reply(ctx.t("inbox-assigned-you", id=str(conv.id)))
    else:
        await ctx.reply(ctx.t("inbox-assigned", id=str(conv.id), admin=str(target)))


async def stats_command(ctx: Context) -> None:
    """The inbox in figures"""
    figures = await _inbox(ctx).figures()
    lines = ["Inbox:"] + [f"{name}: {'—' if value is None else value}"
                          for name, value in figures.items()]
    await ctx.reply("\n".join(lines))


# ---- views ------------------------------------------------------------------------------------


async def show_queue(ctx: Context, number: int, *, edit: bool) -> None:
    inbox = _inbox(ctx)
    page = await inbox.queue(number)
    if not page.items:
        text = (ctx.t("inbox-empty") if number == 1
                else ctx.t("inbox-no-page", page=number))
        await (ctx.edit(text) if edit else ctx.reply(text))
        return
    now = inbox.now()
    named = [(c, await inbox.sender_name(c.user_id)) for c in page.items]
    lines = [ctx.t("inbox-queue-title", page=number, pages=page.pages)]
    lines += [views.queue_line(c, name, now, ctx.t) for c, name in named]
    text, buttons = "\n".join(lines), views.queue_buttons(named, page, ctx.t)
    await (ctx.edit(text, buttons) if edit else ctx.reply(text, buttons))


async def show_card(ctx: Context, conv_id: int) -> None:
    inbox = _inbox(ctx)
    conv = await inbox.get(conv_id)
    user = await ctx.kernel.users.get(conv.user_id)
    assignee = None
    if conv.assigned_to is not None:
        assignee = (ctx.t("inbox-you") if conv.assigned_to == ctx.user.id
                    else str(conv.assigned_to))
    text = views.card(conv, await inbox.sender_name(conv.user_id), await inbox.history(conv.id),
                      inbox.now(), assignee, ctx.t)
    sent = await ctx.reply(text, views.card_buttons(conv, bool(user and user.is_banned),
                                                    ctx.t)).sent()
    await inbox.remember_copy(ctx.chat_id, sent, conv.id)


# ---- buttons (declared in buttons.py; every route is admin-only) ------------------------------


async def queue_page(ctx: Context) -> None:
    await show_queue(ctx, ctx.button(QueuePage).page, edit=True)


async def set_priority(ctx: Context) -> None:
    pressed = ctx.button(SetPriority)
    conv = await _inbox(ctx).set_priority(pressed.conversation, pressed.level)
    await ctx.answer(ctx.t("inbox-priority-now", id=str(conv.id),
                           priority=views.priority(ctx.t, conv.priority)))


async def on_conversation(ctx: Context) -> None:
    pressed = ctx.button(OnConversation)
    act, ident = pressed.act, pressed.conversation
    inbox = _inbox(ctx)
    if act is Act.VIEW:
        await show_card(ctx, ident)
    elif act is Act.REPLY:
        conv = await inbox.get(ident)
        if conv.status == "closed":
            raise UserError(Text("inbox-reopen-to-answer", id=str(conv.id)))
        await ctx.converse(REPLY, {"conversation": conv.id})
        await ctx.answer(ctx.t("inbox-answering", id=str(conv.id)))
    elif act is Act.CLOSE:
        conv = await inbox.close(ident)
        await ctx.answer(ctx.t("inbox-closed-it", id=str(conv.id)))
    elif act is Act.REOPEN:
        conv = await inbox.reopen(ident)
        await ctx.answer(ctx.t("inbox-reopened", id=str(conv.id)))
    elif act is Act.PRIORITY:
        conv = await inbox.get(ident)
        await ctx.reply(ctx.t("inbox-priority-of", id=str(conv.id),
                              priority=views.priority(ctx.t, conv.priority)),
                        views.priority_buttons(conv.id, ctx.t))
    elif act is Act.ASSIGN:
        conv = await inbox.assign(ident, ctx.user.id)
        await ctx.answer(ctx.t("inbox-yours", id=str(conv.id)))
    else:
        await ban(ctx, ident, banned=act is Act.BAN)


async def ban(ctx: Context, conv_id: int, *, banned: bool) -> None:
    conv = await _inbox(ctx).get(conv_id)
    if ctx.kernel.is_admin(conv.user_id):
        raise UserError(Text("inbox-cannot-ban-admin"))
    reason = f"inbox #{conv.id}, by admin {ctx.user.id}" if banned else None
    await ctx.service("users").set_banned(conv.user_id, banned, reason)
    await ctx.answer(ctx.t("inbox-user-banned" if banned else "inbox-user-unbanned",
                           user=str(conv.user_id)))
