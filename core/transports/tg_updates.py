"""Parsed kurigram objects -> the kernel's `Update`. Pure functions: no client calls.

Keys are stable across redeliveries, so the dispatcher's seen-update check drops a repeat:
`tg:msg:<chat>:<message id>`, `tg:cb:<query id>`, `tg:pcq:<query id>`,
`tg:pay:<telegram_payment_charge_id>`.
"""

from __future__ import annotations

from typing import Any

from pyrogram import enums
from pyrogram import types as tg

from core.parsing import parse_command
from core.types import Chat, ChatType, Media, PaymentInfo, Sender, Update, UpdateKind

CHAT_TYPES = {
    enums.ChatType.PRIVATE: ChatType.PRIVATE,
    enums.ChatType.BOT: ChatType.PRIVATE,
    enums.ChatType.GROUP: ChatType.GROUP,
    enums.ChatType.SUPERGROUP: ChatType.SUPERGROUP,
    enums.ChatType.CHANNEL: ChatType.CHANNEL,
}


def sender(user: tg.User) -> Sender:
    return Sender(user.id, user.first_name or "", user.last_name, user.username,
                  user.language_code)


def chat(c: tg.Chat | None, fallback: Sender) -> Chat:
    if c is None:
        return Chat(fallback.id, ChatType.PRIVATE)
    return Chat(c.id, CHAT_TYPES.get(c.type, ChatType.PRIVATE))


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def media(message: tg.Message) -> Media | None:
    if message.photo is not None:
        return Media("photo", message.photo.file_id)
    if message.document is not None:
        d = message.document
        return Media("document", d.file_id, d.file_name, d.mime_type)
    return None


def from_message(message: tg.Message, bot_username: str | None) -> Update | None:
    """A message for the kernel; None when it is not for us (another bot's command, a channel
    post, our own message, a kind of message no plugin can act on)."""
    user = message.from_user
    if user is None or message.outgoing or user.is_self:
        return None
    who = sender(user)
    where = chat(message.chat, who)
    common: dict[str, Any] = {"message_id": message.id,
                              "reply_to_message_id": message.reply_to_message_id,
                              "raw": message}
    paid = message.successful_payment
    if paid is not None:
        info = PaymentInfo(paid.currency, paid.total_amount, _text(paid.invoice_payload),
                           telegram_payment_charge_id=paid.telegram_payment_charge_id,
                           provider_payment_charge_id=paid.provider_payment_charge_id or None)
        return Update(f"tg:pay:{paid.telegram_payment_charge_id}", UpdateKind.PAYMENT, who,
                      where, payment=info, **common)
    key = f"tg:msg:{where.id}:{message.id}"
    text = message.text or ""
    if text:
        parsed = parse_command(text, bot_username)
        if parsed is not None:
            if not parsed.for_us:
                return None
            return Update(key, UpdateKind.COMMAND, who, where, text=text, command=parsed.name,
                          args=parsed.args, **common)
        return Update(key, UpdateKind.TEXT, who, where, text=text, **common)
    found = media(message)
    if found is not None:
        return Update(key, UpdateKind.MEDIA, who, where, text=message.caption or "",
                      media=found, **common)
    return None


def from_callback(query: tg.CallbackQuery) -> Update:
    who = sender(query.from_user)
    message = query.message
    where = chat(message.chat if message is not None else None, who)
    return Update(f"tg:cb:{query.id}", UpdateKind.CALLBACK, who, where,
                  message_id=message.id if message is not None else None,
                  callback_id=str(query.id), callback_data=_text(query.data), raw=query)


def from_pre_checkout(query: tg.PreCheckoutQuery) -> Update:
    who = sender(query.from_user)
    info = PaymentInfo(query.currency, query.total_amount, _text(query.invoice_payload),
                       query_id=str(query.id))
    return Update(f"tg:pcq:{query.id}", UpdateKind.PRE_CHECKOUT, who,
                  Chat(who.id, ChatType.PRIVATE), payment=info, raw=query)
