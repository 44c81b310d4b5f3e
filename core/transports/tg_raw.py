"""Raw MTProto updates -> the kernel's `Update`, straight from the TL objects and the users and
chats of the container they came in. Pure functions: no client call, no request, no parsing
into kurigram's high-level types (the kernel needs ids, names, text and a few payment fields).

Keys are stable across redeliveries (live and again from `getDifference`), so the journal
skips a repeat: `tg:msg:<chat>:<message id>`, `tg:album:<chat>:<grouped id>`,
`tg:cb:<query id>`, `tg:pcq:<query id>`, `tg:pay:<telegram_payment_charge_id>`.

Ignored on purpose: edited messages, channel posts (a broadcast channel's messages), the bot's
own messages, and every kind of update no plugin can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyrogram import raw, utils
from pyrogram.file_id import FileId, FileType, ThumbnailSource

from core.parsing import parse_command
from core.types import Chat, ChatType, Media, PaymentInfo, Sender, Update, UpdateKind

# The accounts Telegram names as the sender of a message sent on behalf of a chat (Bot API:
# `from` is @GroupAnonymousBot for an anonymous admin, @Channel_Bot for a channel).
GROUP_ANONYMOUS_BOT = 1087968824
CHANNEL_BOT = 136817688

Users = dict[int, Any]  # raw.types.User by id, from the update's container
Chats = dict[int, Any]  # raw.types.Chat / Channel by id


@dataclass(frozen=True, slots=True)
class Me:
    id: int
    username: str | None


def chat_id(peer: Any) -> int:
    """The Bot API id of a raw peer: users positive, basic groups negative, channels -100..."""
    if isinstance(peer, raw.types.PeerUser):
        return int(peer.user_id)
    if isinstance(peer, raw.types.PeerChat):
        return -int(peer.chat_id)
    return utils.get_channel_id(int(peer.channel_id))


def chat_of(peer: Any, chats: Chats) -> Chat:
    if isinstance(peer, raw.types.PeerUser):
        return Chat(int(peer.user_id), ChatType.PRIVATE)
    if isinstance(peer, raw.types.PeerChat):
        return Chat(-int(peer.chat_id), ChatType.GROUP)
    channel = chats.get(peer.channel_id)
    kind = ChatType.CHANNEL if getattr(channel, "broadcast", False) else ChatType.SUPERGROUP
    return Chat(chat_id(peer), kind)


def sender(user_id: int, users: Users) -> Sender:
    u = users.get(user_id)
    if u is None:  # not in the container (a "min" update): the id is all we know
        return Sender(user_id)
    username = u.username
    if username is None and u.usernames:
        username = u.usernames[0].username
    return Sender(user_id, u.first_name or "", u.last_name, username, u.lang_code)


def _chat_sender(peer: Any, where: Chat, chats: Chats) -> tuple[Sender, Chat]:
    """A message sent on behalf of a chat: the stand-in sender, and that chat."""
    on_behalf = chat_of(peer, chats)
    title = getattr(chats.get(getattr(peer, "channel_id", getattr(peer, "chat_id", 0))),
                    "title", "") or ""
    stand_in = GROUP_ANONYMOUS_BOT if on_behalf.id == where.id else CHANNEL_BOT
    return Sender(stand_in, title), on_behalf


def photo_media(photo: Any) -> Media | None:
    if not isinstance(photo, raw.types.Photo):
        return None
    sizes = [s for s in photo.sizes or [] if hasattr(s, "w")]
    biggest = max(sizes, key=lambda s: s.w * s.h).type if sizes else "x"
    file_id = FileId(file_type=FileType.PHOTO, dc_id=photo.dc_id, media_id=photo.id,
                     access_hash=photo.access_hash, file_reference=photo.file_reference,
                     thumbnail_source=ThumbnailSource.THUMBNAIL,
                     thumbnail_file_type=FileType.PHOTO, thumbnail_size=biggest,
                     volume_id=0, local_id=0).encode()
    return Media("photo", file_id)


def document_media(document: Any) -> Media | None:
    if not isinstance(document, raw.types.Document):
        return None
    names = [a.file_name for a in document.attributes or []
             if isinstance(a, raw.types.DocumentAttributeFilename)]
    file_id = FileId(file_type=FileType.DOCUMENT, dc_id=document.dc_id, media_id=document.id,
                     access_hash=document.access_hash,
                     file_reference=document.file_reference).encode()
    return Media("document", file_id, names[0] if names else None, document.mime_type)


def media_of(message: Any) -> Media | None:
    m = message.media
    if isinstance(m, raw.types.MessageMediaPhoto):
        return photo_media(m.photo)
    if isinstance(m, raw.types.MessageMediaDocument):
        return document_media(m.document)
    return None


def is_command(message: Any) -> bool:
    """Telegram marks a command with a bot_command entity; only one at the start counts."""
    return any(isinstance(e, raw.types.MessageEntityBotCommand) and e.offset == 0
               for e in message.entities or [])


def _bytes_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def from_message(message: Any, users: Users, chats: Chats, me: Me) -> Update | None:
    """A new message for the kernel; None when it is not for us."""
    if not isinstance(message, (raw.types.Message, raw.types.MessageService)) or message.out:
        return None
    where = chat_of(message.peer_id, chats)
    if where.type is ChatType.CHANNEL or getattr(message, "post", False):
        return None  # a channel post: the bot is not talking with anyone there
    origin = message.from_id or message.peer_id  # a private chat's messages carry no from_id
    sender_chat = None
    if isinstance(origin, raw.types.PeerUser):
        if origin.user_id == me.id:
            return None
        who = sender(origin.user_id, users)
    else:
        who, sender_chat = _chat_sender(origin, where, chats)
    reply = message.reply_to
    common: dict[str, Any] = {
        "message_id": message.id, "sender_chat": sender_chat, "raw": message,
        "reply_to_message_id": getattr(reply, "reply_to_msg_id", None),
    }
    if isinstance(message, raw.types.MessageService):
        action = message.action
        if not isinstance(action, raw.types.MessageActionPaymentSentMe):
            return None
        charge = action.charge
        info = PaymentInfo(action.currency, action.total_amount, _bytes_text(action.payload),
                           telegram_payment_charge_id=charge.id,
                           provider_payment_charge_id=charge.provider_charge_id or None)
        return Update(f"tg:pay:{charge.id}", UpdateKind.PAYMENT, who, where, payment=info,
                      **common)
    key = f"tg:msg:{where.id}:{message.id}"
    text = message.message or ""
    media = media_of(message)
    if media is not None:
        return Update(key, UpdateKind.MEDIA, who, where, text=text, media=media,
                      album=(media,), **common)
    if not text:
        return None
    if is_command(message):
        parsed = parse_command(text, me.username)
        if parsed is not None:
            if not parsed.for_us:
                return None
            return Update(key, UpdateKind.COMMAND, who, where, text=text, command=parsed.name,
                          args=parsed.args, **common)
    return Update(key, UpdateKind.TEXT, who, where, text=text, **common)


def from_callback(update: Any, users: Users, chats: Chats) -> Update:
    who = sender(update.user_id, users)
    data = _bytes_text(update.data)
    key = f"tg:cb:{update.query_id}"
    if isinstance(update, raw.types.UpdateInlineBotCallbackQuery):
        # No chat: the message lives in whichever chat the user shared it to.
        return Update(key, UpdateKind.CALLBACK, who, Chat(who.id, ChatType.PRIVATE),
                      callback_id=str(update.query_id), callback_data=data,
                      inline_message_id=utils.pack_inline_message_id(update.msg_id),
                      raw=update)
    return Update(key, UpdateKind.CALLBACK, who, chat_of(update.peer, chats),
                  message_id=update.msg_id, callback_id=str(update.query_id),
                  callback_data=data, raw=update)


def from_pre_checkout(update: Any, users: Users) -> Update:
    who = sender(update.user_id, users)
    info = PaymentInfo(update.currency, update.total_amount, _bytes_text(update.payload),
                       query_id=str(update.query_id))
    return Update(f"tg:pcq:{update.query_id}", UpdateKind.PRE_CHECKOUT, who,
                  Chat(who.id, ChatType.PRIVATE), payment=info, raw=update)


NEW_MESSAGES = (raw.types.UpdateNewMessage, raw.types.UpdateNewChannelMessage)
CALLBACKS = (raw.types.UpdateBotCallbackQuery, raw.types.UpdateInlineBotCallbackQuery)


def translate(update: Any, users: Users, chats: Chats, me: Me) -> Update | None:
    """The kernel's Update for one raw update, or None when no plugin could act on it."""
    if isinstance(update, NEW_MESSAGES):
        return from_message(update.message, users, chats, me)
    if isinstance(update, CALLBACKS):
        return from_callback(update, users, chats)
    if isinstance(update, raw.types.UpdateBotPrecheckoutQuery):
        return from_pre_checkout(update, users)
    return None  # edits, channel posts' edits, typing, read receipts...


def album_of(parts: list[Update]) -> Update:
    """The parts of one album (same chat, same grouped_id) as one update."""
    first = min(parts, key=lambda u: u.message_id or 0)
    ordered = sorted(parts, key=lambda u: u.message_id or 0)
    media = tuple(u.media for u in ordered if u.media is not None)
    caption = next((u.text for u in ordered if u.text), "")
    return Update(f"tg:album:{first.chat.id}:{first.raw.grouped_id}", UpdateKind.MEDIA,
                  first.user, first.chat, text=caption, message_id=first.message_id,
                  reply_to_message_id=first.reply_to_message_id, media=media[0], album=media,
                  sender_chat=first.sender_chat, raw=[u.raw for u in ordered])


def grouped_id(update: Update) -> int | None:
    """The album an update belongs to, if any."""
    if update.kind is not UpdateKind.MEDIA:
        return None
    return getattr(update.raw, "grouped_id", None)
