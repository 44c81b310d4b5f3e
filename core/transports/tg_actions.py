"""Kernel actions -> kurigram client calls, and kurigram errors -> the kernel's errors.

Text goes out with parse mode HTML; plain text is escaped first, so user input can never
inject markup. Long texts are split by `split_long` before they reach the outbox, so each part
gets its own send slot and a flood wait retries only the part it hit.
"""

from __future__ import annotations

import html
import io
from collections.abc import Awaitable, Callable
from typing import Any

import pyrogram
from loguru import logger
from pyrogram import enums, errors, raw
from pyrogram import types as tg

from core.errors import AlreadyDone, NotModified, RetryAfter, Unreachable
from core.types import (
    Action,
    AnswerCallback,
    AnswerPreCheckout,
    CopyMessage,
    EditMessage,
    ForwardMessage,
    Keyboard,
    RefundStars,
    SendInvoice,
    SendMedia,
    SendMessage,
    Sent,
    SetCommands,
)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ANSWER_LIMIT = 200  # a button press's answer (toast or alert)
DECLINE = "Sorry, this purchase cannot be completed right now."  # Telegram requires a text
HTML = enums.ParseMode.HTML

# The user blocked the bot, deleted the account, or the chat is gone or closed to us: retrying
# cannot help, so the outbox reports the chat unreachable and drops the action.
UNREACHABLE = (
    errors.UserIsBlocked,
    errors.InputUserDeactivated,
    errors.PeerIdInvalid,
    errors.ChatWriteForbidden,
    errors.ChannelPrivate,
    errors.ChatRestricted,
    errors.UserBannedInChannel,
    errors.UserIsBot,
    errors.ChatIdInvalid,
    errors.UserIdInvalid,
    errors.BotGroupsBlocked,
    errors.ChatForbidden,
    errors.ChannelInvalid,
)


def translate(exc: BaseException) -> BaseException:
    """The kernel's error for a kurigram error; the error itself when the kernel has none."""
    if isinstance(exc, errors.Flood):  # FloodWait, SlowmodeWait, FloodPremiumWait
        return RetryAfter(float(getattr(exc, "value", None) or 1))
    if isinstance(exc, (errors.MessageNotModified, errors.QueryIdInvalid)):
        # An edit that changes nothing, or an answer to a button press too old to answer:
        # either way nothing is left to do, and the user must not get an error for it.
        return NotModified(str(exc))
    if isinstance(exc, UNREACHABLE):
        return Unreachable(f"{type(exc).__name__}: {exc.ID}")
    if isinstance(exc, errors.ChargeAlreadyRefunded):
        return AlreadyDone(str(exc))
    return exc


def markup(buttons: Keyboard | None) -> tg.InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return tg.InlineKeyboardMarkup([
        [tg.InlineKeyboardButton(b.text, callback_data=b.data) if b.data is not None
         else tg.InlineKeyboardButton(b.text, url=b.url) for b in row]
        for row in buttons
    ])


def as_html(text: str, is_html: bool) -> str:
    return text if is_html else html.escape(text, quote=False)


def mode(text: str) -> enums.ParseMode:
    """HTML when the text has markup or entities; otherwise none, which sends the very same
    request without running kurigram's HTML parser (most messages: the hot path)."""
    return HTML if "<" in text or "&" in text else enums.ParseMode.DISABLED


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def _cut(line: str, limit: int) -> tuple[str, str]:
    """The longest head of `line` within `limit` units, and the rest."""
    head = line[:limit]
    while units(head) > limit:
        head = head[: len(head) - (units(head) - limit + 1) // 2]
    return head, line[len(head):]


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` units, cut at line ends where possible."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while units(line) > limit:  # one line longer than a message: cut it hard
            if current:
                parts.append(current)
                current = ""
            head, line = _cut(line, limit)
            parts.append(head)
        if units(current) + units(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current or not parts:
        parts.append(current)
    return [p.rstrip("\n") or p for p in parts]


def require_text(text: str, what: str) -> None:
    """Telegram refuses an empty message (MESSAGE_EMPTY): that is the plugin's bug, say so."""
    if not text.strip():
        raise ValueError(f"{what}: the text is empty or blank; Telegram refuses empty "
                         "messages (send a text, or no message)")


def cut(text: str, limit: int) -> str:
    """`text` within `limit` UTF-16 units, ending in an ellipsis when something was cut."""
    if units(text) <= limit:
        return text
    return _cut(text, limit - 1)[0] + "…"


async def fitted(client: pyrogram.Client, text: str) -> tuple[str, list[Any]]:
    """What an edit shows: the text after parsing its markup, cut to Telegram's limit keeping
    all that fits, and its (raw) entities clipped to the kept part."""
    parsed = await pyrogram.utils.parse_text_entities(client, text, mode(text), None)
    message, entities = parsed["message"], list(parsed["entities"] or [])
    if units(message) > TEXT_LIMIT:
        message = cut(message, TEXT_LIMIT)
        kept = units(message) - 1  # the ellipsis carries no entity
        for e in entities:
            e.length = min(e.length, kept - e.offset)
        entities = [e for e in entities if e.offset < kept and e.length > 0]
    return message, entities


def split_long(action: Action) -> list[Action]:
    """A message too long for Telegram becomes several, in order, buttons on the last."""
    if not isinstance(action, SendMessage):
        return [action]
    text = as_html(action.text, action.html)
    if units(text) <= TEXT_LIMIT:
        return [action]
    # Escape first, then cut: escaping never adds a line break, so no entity is cut in two.
    # Raw HTML cut inside an overlong line may break a tag; plugins send such text as plain.
    parts = chunks(text)
    last = len(parts) - 1
    return [SendMessage(action.chat_id, part, action.buttons if i == last else None, True,
                        action.reply_to if i == 0 else None) for i, part in enumerate(parts)]


def _id(message: Any) -> int | None:
    return getattr(message, "id", None)


def sent_id(result: Any) -> int | None:
    """The new message's id in Telegram's answer to a send."""
    if isinstance(result, raw.types.UpdateShortSentMessage):
        return int(result.id)
    for update in getattr(result, "updates", None) or []:
        if isinstance(update, raw.types.UpdateMessageID):
            return int(update.id)
        message = getattr(update, "message", None)
        if isinstance(update, (raw.types.UpdateNewMessage, raw.types.UpdateNewChannelMessage)):
            return int(message.id)
    return None


async def send_message(client: pyrogram.Client, a: SendMessage) -> Sent:
    """A raw send: the request kurigram's `send_message` makes, without parsing the answer
    into a Message nobody reads (the hot path of every reply)."""
    require_text(a.text, "send_message")
    text = as_html(a.text, a.html)  # split_long has cut it to size
    message, entities = text, None
    if mode(text) is HTML:
        parsed = await pyrogram.utils.parse_text_entities(client, text, HTML, None)
        message, entities = parsed["message"], parsed["entities"] or None
    keyboard = markup(a.buttons)
    result = await client.invoke(raw.functions.messages.SendMessage(
        peer=await client.resolve_peer(a.chat_id), message=message, entities=entities,
        random_id=client.rnd_id(),
        reply_to=(raw.types.InputReplyToMessage(reply_to_msg_id=a.reply_to)
                  if a.reply_to else None),
        reply_markup=await keyboard.write(client) if keyboard else None))
    return Sent(sent_id(result))


async def edit_message(client: pyrogram.Client, a: EditMessage) -> Sent:
    """A raw edit: kurigram's `edit_message_text` drops given entities and parses the answer
    into a Message nobody reads."""
    require_text(a.text, "edit_message")
    text, entities = await fitted(client, as_html(a.text, a.html))  # one message: cut, not split
    keyboard = markup(a.buttons)
    options: dict[str, Any] = {"message": text, "entities": entities or None,
                               "reply_markup": await keyboard.write(client) if keyboard else None}
    if a.inline_message_id is not None:
        # An inline message lives on its own data centre: ask that one, as kurigram does.
        target = pyrogram.utils.unpack_inline_message_id(a.inline_message_id)
        session = await client.get_session(target.dc_id, is_media=True)
        ok = await session.invoke(raw.functions.messages.EditInlineBotMessage(id=target,
                                                                             **options))
        return Sent(ok=bool(ok))
    await client.invoke(raw.functions.messages.EditMessage(
        peer=await client.resolve_peer(a.chat_id), id=a.message_id, **options))
    return Sent(a.message_id)


async def send_media(client: pyrogram.Client, a: SendMedia) -> Sent:
    caption = chunks(as_html(a.caption, a.html), CAPTION_LIMIT)[0]
    options: dict[str, Any] = {"caption": caption, "parse_mode": mode(caption),
                               "reply_markup": markup(a.buttons)}
    source: Any = a.media.file_id
    if a.media.data is not None:
        # Bytes to upload (a chart, an export); kurigram takes a named file-like object.
        source = io.BytesIO(a.media.data)
        source.name = a.media.file_name or ("image.png" if a.media.kind == "photo" else "file")
    if a.media.kind == "photo":
        m = await client.send_photo(a.chat_id, source, **options)
    elif a.media.kind == "document":
        m = await client.send_document(a.chat_id, source, **options)
    else:
        m = await client.send_cached_media(a.chat_id, a.media.file_id, **options)
    # An uploaded file gets its id from Telegram: kept, it is sent again without uploading.
    sent_media = getattr(m, "document", None) or getattr(m, "photo", None)
    return Sent(_id(m), file_id=getattr(sent_media, "file_id", None))


async def copy_message(client: pyrogram.Client, a: CopyMessage) -> Sent:
    if a.buttons:
        # Buttons need the message resent: kurigram fetches it and sends a copy.
        m = await client.copy_message(a.chat_id, a.from_chat_id, a.message_id,
                                      reply_markup=markup(a.buttons))
    else:
        # Without buttons, a forward that hides the sender is a copy in one request.
        m = await client.forward_messages(a.chat_id, a.from_chat_id, a.message_id,
                                          hide_sender_name=True)
    return Sent(_id(m))


async def forward_message(client: pyrogram.Client, a: ForwardMessage) -> Sent:
    m = await client.forward_messages(a.chat_id, a.from_chat_id, a.message_id)
    return Sent(_id(m))


async def send_invoice(client: pyrogram.Client, a: SendInvoice) -> Sent:
    m = await client.send_invoice(
        a.chat_id, a.title, a.description, a.payload, a.currency,
        prices=[tg.LabeledPrice(a.label or a.title, a.amount)],
        # Stars (XTR) take an empty provider token; other currencies need the provider's.
        provider_token=a.provider_token or ("" if a.currency == "XTR" else None),
    )
    return Sent(_id(m))


async def answer_callback(client: pyrogram.Client, a: AnswerCallback) -> Sent:
    text = cut(a.text, ANSWER_LIMIT) if a.text else a.text
    ok = await client.answer_callback_query(a.callback_id, text,
                                            show_alert=a.alert or None)
    return Sent(ok=bool(ok))


async def answer_pre_checkout(client: pyrogram.Client, a: AnswerPreCheckout) -> Sent:
    decline = None if a.ok else cut((a.error or "").strip() or DECLINE, 255)
    ok = await client.answer_pre_checkout_query(a.query_id, ok=a.ok, error_message=decline)
    return Sent(ok=bool(ok))


async def refund_stars(client: pyrogram.Client, a: RefundStars) -> Sent:
    return Sent(ok=bool(await client.refund_star_payment(a.user_id, a.charge_id)))


async def set_commands(client: pyrogram.Client, a: SetCommands) -> Sent:
    everyone = [tg.BotCommand(name, text[:256]) for name, text in a.commands]
    await client.set_bot_commands(everyone, scope=tg.BotCommandScopeDefault(),
                                  language_code=a.language)
    if a.admin_commands:
        admins = everyone + [tg.BotCommand(name, text[:256]) for name, text in a.admin_commands]
        for admin_id in a.admin_ids:
            try:
                await client.set_bot_commands(admins, scope=tg.BotCommandScopeChat(admin_id),
                                              language_code=a.language)
            except (errors.PeerIdInvalid, KeyError):
                # Telegram only resolves users who have written to the bot.
                logger.warning("admin {} has not written to the bot: no admin menu", admin_id)
    return Sent()


EXECUTORS: dict[type[Action], Callable[[pyrogram.Client, Any], Awaitable[Sent]]] = {
    SendMessage: send_message,
    EditMessage: edit_message,
    SendMedia: send_media,
    CopyMessage: copy_message,
    ForwardMessage: forward_message,
    SendInvoice: send_invoice,
    AnswerCallback: answer_callback,
    AnswerPreCheckout: answer_pre_checkout,
    RefundStars: refund_stars,
    SetCommands: set_commands,
}


async def execute(client: pyrogram.Client, action: Action) -> Sent:
    run = EXECUTORS.get(type(action))
    if run is None:
        raise TypeError(f"the telegram transport cannot execute {type(action).__name__}")
    try:
        return await run(client, action)
    except errors.RPCError as exc:
        translated = translate(exc)
        if translated is exc:
            raise
        raise translated from exc

