"""Drive the Telegram transport offline: a real kurigram Client whose `invoke` records raw
requests and answers like Telegram, fed raw updates through `handle_updates`.

    from pyrogram import raw
    from core.testing_telegram import telegram_bot

    async def test_start(tmp_path):
        async with telegram_bot(tmp_path, plugins=["shop"]) as tg:
            alice = tg.user(42, "Alice")
            await tg.message(alice, "/start")
            sent = tg.requests_of(raw.functions.messages.SendMessage)
            assert sent[-1].message == "Hello! ..."

kurigram's own parsing, filters and request building run; only the socket is replaced
(see shared/TELEGRAM-OFFLINE.md for the pitfalls each step here avoids).
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

import pyrogram
from pyrogram import raw, types, utils
from pyrogram.raw.core import TLObject
from pyrogram.storage import UpdateState

from core.clock import Clock
from core.testing import ADMIN_ID, base_settings
from core.transports.telegram import TelegramTransport, client_options
from core.transports.tg_client import BotClient

BOT_ID = 777000111
BOT_USERNAME = "test_bot"
API_HASH = "0123456789abcdef0123456789abcdef"
T = TypeVar("T")
COMMAND_HEAD = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,64})?")


def roundtrip(obj: T) -> T:
    """A TL object as if read off the wire (constructor-built ones differ and crash parsing)."""
    return TLObject.read(BytesIO(obj.write()))  # type: ignore[attr-defined,no-any-return]


@dataclass(frozen=True, slots=True)
class TgUser:
    id: int
    first_name: str = "Test"
    username: str | None = None
    language: str = "en"

    def raw(self) -> raw.types.User:
        return raw.types.User(id=self.id, access_hash=self.id * 7 + 1,
                              first_name=self.first_name, username=self.username,
                              lang_code=self.language)


@dataclass(frozen=True, slots=True)
class TgGroup:
    """A basic group; its chat id in the Bot API sense is `-id`."""

    id: int
    title: str = "Group"

    @property
    def chat_id(self) -> int:
        return -self.id

    def raw(self) -> raw.types.Chat:
        return raw.types.Chat(id=self.id, title=self.title, photo=raw.types.ChatPhotoEmpty(),
                              participants_count=3, date=0, version=1)


class Refused(Exception):
    """Not a Telegram answer: the request itself was malformed (a bug in the code under test)."""


@dataclass(frozen=True, slots=True)
class TgSupergroup:
    """A supergroup (a channel peer with its own pts); its chat id is `-100<id>`."""

    id: int
    title: str = "Supergroup"

    @property
    def chat_id(self) -> int:
        return utils.get_channel_id(self.id)

    def raw(self) -> raw.types.Channel:
        return raw.types.Channel(id=self.id, access_hash=self.id * 11 + 3, title=self.title,
                                 photo=raw.types.ChatPhotoEmpty(), date=0, megagroup=True)


Place = TgGroup | TgSupergroup


def peer_of(place: Place | None, user: TgUser) -> Any:
    if isinstance(place, TgSupergroup):
        return raw.types.PeerChannel(channel_id=place.id)
    if isinstance(place, TgGroup):
        return raw.types.PeerChat(chat_id=place.id)
    return raw.types.PeerUser(user_id=user.id)


def command_entities(text: str) -> list[Any] | None:
    """The bot_command entity Telegram's servers add to a message starting with a command."""
    match = COMMAND_HEAD.match(text)
    if match is None:
        return None
    return [raw.types.MessageEntityBotCommand(offset=0, length=len(match.group(0)))]


def bot_user() -> raw.types.User:
    return raw.types.User(id=BOT_ID, is_self=True, bot=True, bot_info_version=1,
                          access_hash=1, first_name="Test bot", username=BOT_USERNAME)


def tl_check(query: Any) -> Any:
    """Serialise a request and read it back, as the wire would: a wrong argument fails here,
    in the test that sent it. The request as the server reads it is returned."""
    try:
        data = query.write()
    except Exception as exc:
        raise Refused(f"{type(query).__name__} cannot be serialised: {exc!r}") from exc
    try:
        back = TLObject.read(BytesIO(data))
    except Exception as exc:
        raise Refused(f"{type(query).__name__} does not read back: {exc!r}") from exc
    if type(back) is not type(query):
        raise Refused(f"{type(query).__name__} reads back as {type(back).__name__}")
    try:
        same = back.write() == data
    except Exception:
        # kurigram's reader guesses an untyped vector of 8-byte objects as longs: the bytes
        # were right, only the reading back is lossy, so the server reads the original.
        return query
    if not same:
        raise Refused(f"{type(query).__name__} does not read back as written")
    return back


class FakeTelegram:
    """What the server knows: message ids, messages (for GetMessages), users, chats and the
    updates it delivered (numbered by pts, for GetDifference). It checks what Telegram checks:
    each peer's access_hash and the limits of texts, answers and declines."""

    def __init__(self) -> None:
        self.message_ids = itertools.count(1)  # one counter, as for users and basic groups
        self.file_ids = itertools.count(900_001)  # documents and photos uploaded to it
        self.pts = 0  # the common box: private chats and basic groups
        self.channel_pts: dict[int, int] = {}
        self.log: list[tuple[int, Any]] = []  # (pts, update) of the common box
        self.channel_log: dict[int, list[tuple[int, Any]]] = {}
        self.messages: dict[int, Any] = {}
        self.users: dict[int, raw.types.User] = {BOT_ID: bot_user()}
        self.chats: dict[int, Any] = {}
        self.date = 1_700_000_000
        self.refused: list[str] = []  # errors the server answered with, by Telegram's name
        self.inline_edits: list[Any] = []

    # ---- numbering ----------------------------------------------------------------------------

    def next_pts(self, channel: int | None = None) -> int:
        if channel is None:
            self.pts += 1
            return self.pts
        self.channel_pts[channel] = self.channel_pts.get(channel, 0) + 1
        return self.channel_pts[channel]

    def record(self, update: Any) -> Any:
        """Keep an update that carries a pts, so a later GetDifference returns it."""
        pts = getattr(update, "pts", None)
        if pts is None:
            return update
        channel = getattr(getattr(getattr(update, "message", None), "peer_id", None),
                          "channel_id", None)
        if channel is None:
            self.log.append((pts, update))
        else:
            self.channel_log.setdefault(channel, []).append((pts, update))
        return update

    # ---- peers --------------------------------------------------------------------------------

    def _refuse(self, error: type[Exception]) -> None:
        self.refused.append(error.ID)  # type: ignore[attr-defined]
        raise error()

    def _user(self, user_id: int, access_hash: int) -> raw.types.User:
        known = self.users.get(user_id)
        if known is None or known.access_hash != access_hash:
            self._refuse(pyrogram.errors.PeerIdInvalid)
        return known  # type: ignore[return-value]

    def peer(self, input_peer: Any) -> Any:
        if isinstance(input_peer, raw.types.InputPeerUser):
            self._user(input_peer.user_id, input_peer.access_hash)
            return raw.types.PeerUser(user_id=input_peer.user_id)
        if isinstance(input_peer, raw.types.InputPeerChat):
            if input_peer.chat_id not in self.chats:
                self._refuse(pyrogram.errors.PeerIdInvalid)
            return raw.types.PeerChat(chat_id=input_peer.chat_id)
        if isinstance(input_peer, (raw.types.InputPeerChannel, raw.types.InputChannel)):
            channel = self.chats.get(input_peer.channel_id)
            if getattr(channel, "access_hash", None) != input_peer.access_hash:
                self._refuse(pyrogram.errors.ChannelInvalid)
            return raw.types.PeerChannel(channel_id=input_peer.channel_id)
        if isinstance(input_peer, raw.types.InputPeerSelf):
            return raw.types.PeerUser(user_id=BOT_ID)
        self._refuse(pyrogram.errors.PeerIdInvalid)

    def outgoing(self, input_peer: Any, text: str = "", markup: Any = None,
                 message_id: int | None = None, media: Any = None) -> raw.types.Message:
        message = raw.types.Message(id=message_id or next(self.message_ids),
                                    peer_id=self.peer(input_peer), date=self.date, message=text,
                                    out=True, from_id=raw.types.PeerUser(user_id=BOT_ID),
                                    reply_markup=markup, media=media)
        self.messages[message.id] = message
        return message

    def stored(self, media: Any) -> Any:
        """What Telegram keeps of an uploaded file: a document or photo with its own id (the
        sent message then carries a file id). Other media are not echoed back."""
        file_id = next(self.file_ids)
        if isinstance(media, raw.types.InputMediaUploadedDocument):
            return raw.types.MessageMediaDocument(document=raw.types.Document(
                id=file_id, access_hash=9, file_reference=b"ref", date=self.date,
                mime_type=media.mime_type, size=1, dc_id=2, attributes=media.attributes))
        if isinstance(media, raw.types.InputMediaUploadedPhoto):
            return raw.types.MessageMediaPhoto(photo=raw.types.Photo(
                id=file_id, access_hash=9, file_reference=b"ref", date=self.date, dc_id=2,
                sizes=[raw.types.PhotoSize(type="x", w=100, h=100, size=1)]))
        return None

    def users_in(self, messages: list[Any]) -> list[raw.types.User]:
        """The users an answer about `messages` carries, as Telegram's do: the bot and whoever
        the messages name (not every user the server knows)."""
        ids = {BOT_ID}
        for m in messages:
            for peer in (getattr(m, "peer_id", None), getattr(m, "from_id", None)):
                if isinstance(peer, raw.types.PeerUser):
                    ids.add(peer.user_id)
        return [self.users[i] for i in ids if i in self.users]

    def updates(self, update: Any) -> raw.types.Updates:
        return raw.types.Updates(updates=[self.record(update)],
                                 users=self.users_in([getattr(update, "message", None)]),
                                 chats=list(self.chats.values()), date=self.date, seq=0)

    def _new(self, message: Any) -> Any:
        channel = getattr(message.peer_id, "channel_id", None)
        if channel is not None:
            return raw.types.UpdateNewChannelMessage(message=message,
                                                     pts=self.next_pts(channel), pts_count=1)
        return raw.types.UpdateNewMessage(message=message, pts=self.next_pts(), pts_count=1)

    def _text(self, text: str, limit: int = 4096) -> None:
        if not text.strip():
            self._refuse(pyrogram.errors.MessageEmpty)
        if len(text.encode("utf-16-le")) // 2 > limit:
            self._refuse(pyrogram.errors.MessageTooLong)

    # ---- answers ------------------------------------------------------------------------------

    def respond(self, query: Any) -> Any:
        f = raw.functions
        if isinstance(query, f.messages.SendMessage):
            self._text(query.message)
            message = self.outgoing(query.peer, query.message, query.reply_markup)
            if isinstance(message.peer_id, raw.types.PeerChannel):  # a supergroup's own pts
                return self.updates(self._new(message))
            self.pts += 1
            self.log.append((self.pts, raw.types.UpdateNewMessage(message=message, pts=self.pts,
                                                                  pts_count=1)))
            return raw.types.UpdateShortSentMessage(id=message.id, pts=self.pts,
                                                    pts_count=1, date=self.date, out=True)
        if isinstance(query, f.messages.SendMedia):
            if len(query.message) > 1024:
                self._refuse(pyrogram.errors.MediaCaptionTooLong)
            message = self.outgoing(query.peer, query.message, query.reply_markup,
                                    media=self.stored(query.media))
            return self.updates(self._new(message))
        if isinstance(query, f.messages.ForwardMessages):
            self.peer(query.from_peer)
            source = self.messages.get(query.id[0])
            message = self.outgoing(query.to_peer, getattr(source, "message", "") or "")
            return self.updates(self._new(message))
        if isinstance(query, f.messages.EditMessage):
            self._text(query.message or "")
            self.peer(query.peer)
            if query.id not in self.messages:
                self._refuse(pyrogram.errors.MessageIdInvalid)
            old = self.messages[query.id]
            if query.message == old.message and query.reply_markup == old.reply_markup:
                self._refuse(pyrogram.errors.MessageNotModified)
            message = self.outgoing(query.peer, query.message or "", query.reply_markup,
                                    message_id=query.id)
            return self.updates(raw.types.UpdateEditMessage(message=message,
                                                            pts=self.next_pts(), pts_count=1))
        if isinstance(query, f.messages.EditInlineBotMessage):
            self._text(query.message or "")
            self.inline_edits.append(query)
            return True
        if isinstance(query, f.messages.GetMessages):
            ids = [getattr(i, "id", 0) for i in query.id]
            found = [self.messages.get(i) or raw.types.MessageEmpty(id=i) for i in ids]
            return raw.types.messages.Messages(messages=found, users=self.users_in(found),
                                               chats=list(self.chats.values()), topics=[])
        if isinstance(query, f.users.GetUsers):
            return [self._user(u.user_id, u.access_hash) for u in query.id
                    if isinstance(u, raw.types.InputUser)] + \
                [self.users[BOT_ID] for u in query.id if isinstance(u, raw.types.InputUserSelf)]
        if isinstance(query, f.messages.SetBotCallbackAnswer):
            if query.message is not None and len(query.message) > 200:
                self._refuse(pyrogram.errors.MessageTooLong)
            return True
        if isinstance(query, f.messages.SetBotPrecheckoutResults):
            if not query.success and not query.error:
                self._refuse(pyrogram.errors.ErrorTextEmpty)
            return True
        if isinstance(query, f.payments.ExportInvoice):
            return raw.types.payments.ExportedInvoice(url="https://t.me/$fake-invoice")
        if isinstance(query, f.payments.RefundStarsCharge):
            self._user(query.user_id.user_id, query.user_id.access_hash)
            return raw.types.Updates(updates=[], users=[], chats=[], date=self.date, seq=0)
        if isinstance(query, f.bots.SetBotCommands):
            scope = query.scope
            if isinstance(scope, raw.types.BotCommandScopePeer):
                self.peer(scope.peer)
            return True
        if isinstance(query, f.updates.GetState):
            return self.state()
        if isinstance(query, f.updates.GetDifference):
            return self.difference(query.pts)
        if isinstance(query, f.updates.GetChannelDifference):
            return self.channel_difference(query)
        raise NotImplementedError(f"the fake Telegram has no answer for {type(query).__name__}")

    def state(self) -> raw.types.updates.State:
        return raw.types.updates.State(pts=self.pts, qts=0, date=self.date, seq=0,
                                       unread_count=0)

    def difference(self, pts: int) -> Any:
        missed = [u for p, u in self.log if p > pts]
        if not missed:
            return raw.types.updates.DifferenceEmpty(date=self.date, seq=0)
        messages = [u.message for u in missed if isinstance(u, raw.types.UpdateNewMessage)]
        others = [u for u in missed if not isinstance(u, raw.types.UpdateNewMessage)]
        return raw.types.updates.Difference(
            new_messages=messages, new_encrypted_messages=[], other_updates=others,
            chats=list(self.chats.values()), users=list(self.users.values()), state=self.state())

    def channel_difference(self, query: Any) -> Any:
        self.peer(query.channel)
        channel = query.channel.channel_id
        now = self.channel_pts.get(channel, 0)
        missed = [u for p, u in self.channel_log.get(channel, []) if p > query.pts]
        if not missed:
            return raw.types.updates.ChannelDifferenceEmpty(pts=now, final=True)
        return raw.types.updates.ChannelDifference(
            pts=now, new_messages=[u.message for u in missed], other_updates=[],
            chats=list(self.chats.values()), users=list(self.users.values()), final=True)


class FakeSession:
    """The connection: each request is serialised and read back (so a request built wrong
    fails its test), checked and answered by the server, and the answer read off the wire."""

    def __init__(self, client: OfflineClient) -> None:
        self.client = client

    async def invoke(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            query = tl_check(query)
        except Refused as exc:
            self.client.malformed.append(str(exc))  # the harness fails the test at its end
            raise
        if isinstance(query, raw.functions.InvokeWithoutUpdates):
            query = query.query  # a session that receives no updates (a worker's) wraps each
        self.client.requests.append(query)
        if self.client.on_request is not None:
            self.client.on_request(query)
        response = self.client.server.respond(query)
        if isinstance(response, bool):
            return response
        if isinstance(response, list):
            return [roundtrip(r) for r in response]
        return roundtrip(response)


class OfflineClient(BotClient):
    """The bot's own client class with the socket replaced by a `FakeSession`: every request
    is recorded in `requests`; `server.respond` answers it. `on_request` may raise (a
    FloodWait, a blocked user...). A `workdir` keeps the session in a file across clients."""

    def __init__(self, server: FakeTelegram | None = None, workdir: Path | None = None,
                 **kwargs: Any) -> None:
        options = {**client_options(), **kwargs}
        place: dict[str, Any] = ({"workdir": str(workdir)} if workdir is not None
                                 else {"in_memory": True})
        super().__init__("offline", api_id=1, api_hash=API_HASH, bot_token="1:offline",
                         **place, **options)
        self.server = server or FakeTelegram()
        self.session = FakeSession(self)  # type: ignore[assignment]
        self.requests: list[Any] = []
        self.malformed: list[str] = []  # requests that could not be serialised
        self.on_request: Callable[[Any], None] | None = None
        self.uploads: list[tuple[str, bytes]] = []

    async def get_session(self, *args: Any, **kwargs: Any) -> Any:
        return self.session  # inline messages and uploads name other DCs: one fake for all

    async def save_file(self, path: Any, file_id: int | None = None, file_part: int = 0,
                        progress: Any = None, progress_args: tuple[Any, ...] = ()) -> Any:
        """Uploads go over separate media connections: record the bytes instead."""
        if path is None:
            return None  # no thumbnail
        if hasattr(path, "read"):
            data, name = path.read(), getattr(path, "name", "file")
        else:
            data, name = Path(path).read_bytes(), Path(path).name
        self.uploads.append((name, data))
        return raw.types.InputFile(id=len(self.uploads), parts=1, name=name, md5_checksum="")

    async def open(self) -> None:
        """Connected and authorised, as `start` leaves a client (call inside the running loop)."""
        await self.storage.open()
        me = roundtrip(bot_user())
        await self.fetch_peers([me])
        self.me = await types.User._parse(self, me)
        self.is_connected = True
        if not await self.storage.get_update_states(0):  # what kurigram's start does
            state = self.server.state()
            await self.storage.set_update_state(
                UpdateState(0, state.pts, state.qts, state.date, state.seq))
        await self.dispatcher.start()
        await asyncio.sleep(0)

    async def close(self) -> None:
        await self.dispatcher.stop()
        self.is_connected = False
        await self.storage.save()
        await self.storage.close()

    # `start` and `stop` as the transport calls them, without a network.
    async def start(self, *args: Any, **kwargs: Any) -> OfflineClient:  # type: ignore[override]
        await self.open()
        return self

    async def stop(self, *args: Any, **kwargs: Any) -> OfflineClient:  # type: ignore[override]
        await self.close()
        return self


class TelegramHarness:
    """A running kernel behind the Telegram transport on an OfflineClient."""

    def __init__(self, kernel: Any, transport: TelegramTransport, client: OfflineClient) -> None:
        self.kernel = kernel
        self.transport = transport
        self.client = client
        self.server = client.server
        self.admin = TgUser(ADMIN_ID, "Admin", "admin")
        self._ids = itertools.count(1)

    # ---- people and places --------------------------------------------------------------------

    def user(self, id: int, first_name: str = "Test", username: str | None = None) -> TgUser:
        return TgUser(id, first_name, username)

    def group(self, id: int, title: str = "Group") -> TgGroup:
        return TgGroup(id, title)

    def supergroup(self, id: int, title: str = "Supergroup") -> TgSupergroup:
        return TgSupergroup(id, title)

    # ---- raw updates in -------------------------------------------------------------------------

    def container(self, *updates: Any, users: Sequence[TgUser] = (),
                  groups: Sequence[Place] = ()) -> raw.types.Updates:
        """Updates as the server sends them (and keeps them, numbered, for GetDifference)."""
        for g in groups:
            self.server.chats[g.id] = g.raw()
        raw_users = [u.raw() for u in users]
        for u in raw_users:
            self.server.users[u.id] = u
        for update in updates:
            self.server.record(update)
        return roundtrip(raw.types.Updates(updates=list(updates), users=raw_users,
                                           chats=[g.raw() for g in groups],
                                           date=self.server.date, seq=0))

    async def feed(self, *updates: Any, users: Sequence[TgUser] = (),
                   groups: Sequence[Place] = (), wait: bool = True) -> None:
        """Hand raw updates to the client as the network would; by default wait until handled."""
        await self.client.handle_updates(self.container(*updates, users=users, groups=groups))
        if wait:
            await self.settle()

    def missed(self, *updates: Any, users: Sequence[TgUser] = (),
               groups: Sequence[Place] = ()) -> None:
        """Updates the server sent while the bot was down: only GetDifference brings them."""
        self.container(*updates, users=users, groups=groups)

    async def settle(self) -> None:
        """Wait until every update given is handled and the outbox is empty."""
        await self.kernel.idle()

    def raw_message(self, user: TgUser | None, text: str = "", *, group: Place | None = None,
                    media: Any = None, reply_to: int | None = None, grouped_id: int | None = None,
                    as_chat: Place | None = None) -> raw.types.Message:
        """A message from `user` (or, with `as_chat`, on behalf of that chat)."""
        peer = peer_of(group, user) if user is not None or group is not None else None
        sender = peer_of(as_chat, user) if as_chat is not None else \
            raw.types.PeerUser(user_id=user.id) if user is not None else None
        message = raw.types.Message(
            id=next(self.server.message_ids), peer_id=peer, date=self.server.date,
            message=text, from_id=sender, media=media, entities=command_entities(text),
            reply_to=raw.types.MessageReplyHeader(reply_to_msg_id=reply_to) if reply_to else None,
            grouped_id=grouped_id,
        )
        self.server.messages[message.id] = message
        return message

    def new(self, message: Any) -> Any:
        """The update announcing a new message (numbered in its box)."""
        return self.server._new(message)

    _new = new

    async def message(self, user: TgUser, text: str, *, group: Place | None = None,
                      reply_to: int | None = None) -> int:
        """`user` writes `text` (privately, or in `group`); returns the message id."""
        message = self.raw_message(user, text, group=group, reply_to=reply_to)
        await self.feed(self.new(message), users=[user], groups=[group] if group else [])
        return message.id

    def raw_photo(self, photo_id: int = 5001) -> raw.types.MessageMediaPhoto:
        return raw.types.MessageMediaPhoto(photo=raw.types.Photo(
            id=photo_id, access_hash=9, file_reference=b"ref", date=self.server.date, dc_id=2,
            sizes=[raw.types.PhotoSize(type="x", w=800, h=600, size=12345)]))

    async def photo(self, user: TgUser, caption: str = "", photo_id: int = 5001) -> int:
        message = self.raw_message(user, caption, media=self.raw_photo(photo_id))
        await self.feed(self.new(message), users=[user])
        return message.id

    async def document(self, user: TgUser, file_name: str = "report.pdf",
                       mime_type: str = "application/pdf", caption: str = "",
                       document_id: int = 6001) -> int:
        doc = raw.types.MessageMediaDocument(document=raw.types.Document(
            id=document_id, access_hash=9, file_reference=b"ref", date=self.server.date,
            mime_type=mime_type, size=2048, dc_id=2,
            attributes=[raw.types.DocumentAttributeFilename(file_name=file_name)]))
        message = self.raw_message(user, caption, media=doc)
        await self.feed(self.new(message), users=[user])
        return message.id

    def raw_press(self, user: TgUser, data: str | bytes, message_id: int,
                  group: Place | None = None) -> raw.types.UpdateBotCallbackQuery:
        return raw.types.UpdateBotCallbackQuery(
            query_id=10_000 + next(self._ids), user_id=user.id, peer=peer_of(group, user),
            msg_id=message_id, chat_instance=1,
            data=data.encode() if isinstance(data, str) else data)

    async def press(self, user: TgUser, data: str | bytes, message_id: int,
                    group: Place | None = None) -> int:
        """`user` presses a button carrying `data` on message `message_id`; the query id."""
        update = self.raw_press(user, data, message_id, group)
        await self.feed(update, users=[user], groups=[group] if group else [])
        return int(update.query_id)

    async def press_inline(self, user: TgUser, data: str, inline_id: int = 77) -> str:
        """A button under a message sent in inline mode; the inline message id (Bot API form)."""
        msg_id = raw.types.InputBotInlineMessageID64(dc_id=2, owner_id=user.id, id=inline_id,
                                                     access_hash=inline_id * 13)
        await self.feed(raw.types.UpdateInlineBotCallbackQuery(
            query_id=10_000 + next(self._ids), user_id=user.id, msg_id=msg_id, chat_instance=1,
            data=data.encode()), users=[user])
        return utils.pack_inline_message_id(msg_id)

    def raw_pre_checkout(self, user: TgUser, payload: str, currency: str,
                         amount: int) -> raw.types.UpdateBotPrecheckoutQuery:
        return raw.types.UpdateBotPrecheckoutQuery(
            query_id=20_000 + next(self._ids), user_id=user.id, payload=payload.encode(),
            currency=currency, total_amount=amount)

    async def pre_checkout(self, user: TgUser, payload: str, currency: str, amount: int) -> int:
        update = self.raw_pre_checkout(user, payload, currency, amount)
        await self.feed(update, users=[user])
        return int(update.query_id)

    def raw_paid(self, user: TgUser, payload: str, currency: str, amount: int,
                 charge_id: str = "charge-1") -> raw.types.MessageService:
        """The successful-payment service message Telegram sends after a payment."""
        return raw.types.MessageService(
            id=next(self.server.message_ids), peer_id=raw.types.PeerUser(user_id=user.id),
            date=self.server.date, from_id=raw.types.PeerUser(user_id=user.id),
            action=raw.types.MessageActionPaymentSentMe(
                currency=currency, total_amount=amount, payload=payload.encode(),
                charge=raw.types.PaymentCharge(id=charge_id,
                                               provider_charge_id=f"provider-{charge_id}")))

    async def paid(self, user: TgUser, payload: str, currency: str, amount: int,
                   charge_id: str = "charge-1") -> int:
        service = self.raw_paid(user, payload, currency, amount, charge_id)
        await self.feed(self.new(service), users=[user])
        return int(service.id)

    # ---- raw requests out -----------------------------------------------------------------------

    @property
    def requests(self) -> list[Any]:
        return self.client.requests

    def requests_of(self, kind: type[T]) -> list[T]:
        return [q for q in self.client.requests if isinstance(q, kind)]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of messages.SendMessage requests (to one user or group, if given)."""
        return [q.message for q in self.requests_of(raw.functions.messages.SendMessage)
                if chat_id is None or peer_id(q.peer) == chat_id]

    def last_message(self) -> raw.types.Message:
        """The last message the bot sent or edited, as the fake server keeps it."""
        return self.server.messages[max(k for k, m in self.server.messages.items() if m.out)]

    def clear(self) -> None:
        self.client.requests.clear()

    async def know(self, *people: TgUser) -> None:
        """Users the bot has met before (their access hashes are stored), without an update."""
        found = [u.raw() for u in people]
        for u in found:
            self.server.users[u.id] = u
        await self.client.fetch_peers(roundtrip(raw.types.Updates(
            updates=[], users=found, chats=[], date=self.server.date, seq=0)).users)


def peer_id(peer: Any) -> int:
    """The Bot API chat id of a raw input peer (users positive, groups negative)."""
    if isinstance(peer, raw.types.InputPeerUser):
        return int(peer.user_id)
    if isinstance(peer, raw.types.InputPeerChannel):
        return utils.get_channel_id(peer.channel_id)
    return -int(getattr(peer, "chat_id", 0))


def raw_buttons(markup: Any) -> list[tuple[str, str]]:
    """(text, callback data or url) of every button in a raw reply markup, row by row."""
    found = []
    for row in getattr(markup, "rows", None) or []:
        for button in row.buttons:
            kind = getattr(button, "type", button)  # layer 229 nests data and url in `type`
            data = getattr(kind, "data", None)
            found.append((button.text, data.decode() if data is not None
                          else getattr(kind, "url", "")))
    return found


def button_data(markup: Any) -> list[str]:
    """Callback data of every callback button in a raw reply markup."""
    rows = getattr(markup, "rows", None) or []
    return [getattr(getattr(b, "type", b), "data", b"").decode() for row in rows
            for b in row.buttons if getattr(getattr(b, "type", b), "data", None) is not None]


def telegram_settings(tmp_path: Path) -> dict[str, Any]:
    settings = base_settings(tmp_path)
    settings["telegram.session_dir"] = str(tmp_path)
    return settings


@asynccontextmanager
async def telegram_bot(
    tmp_path: Path,
    overrides: dict[str, Any] | None = None,
    *,
    plugins: list[str] | None = None,
    extra_plugins: list[Any] | None = None,
    clock: Clock | None = None,
    client: OfflineClient | None = None,
    clear_startup: bool = True,
) -> AsyncIterator[TelegramHarness]:
    """The whole bot (temporary SQLite) behind the Telegram transport on an OfflineClient,
    started and stopped in the order `python -m core` uses. A test whose code sent a request
    that could not be serialised fails here, at the end, even if the error was swallowed.
    Start-up's own requests (catching up, the menu) are cleared unless `clear_startup` is
    False (a restart test looks at what catching up fetched and answered)."""
    from core.kernel import Kernel

    settings = telegram_settings(tmp_path)
    if plugins is not None:
        settings["plugins.enabled"] = plugins
    settings.update(overrides or {})
    kernel = Kernel.configure(settings, extra_plugins=extra_plugins or [], clock=clock)
    client = client or OfflineClient()  # built here, inside the running loop
    transport = TelegramTransport(kernel, client)
    kernel.attach(transport)
    await transport.connect()
    await kernel.start()
    running = asyncio.create_task(transport.run())
    await asyncio.wait([running, asyncio.ensure_future(transport.serving.wait())],
                       return_when=asyncio.FIRST_COMPLETED)
    if running.done():
        running.result()  # start-up failed: raise its error
    harness = TelegramHarness(kernel, transport, client)
    await harness.settle()
    if clear_startup:
        harness.clear()
        client.server.refused.clear()
    try:
        yield harness
        await harness.settle()
    finally:
        await transport.stop()
        await running
        await kernel.stop()
        await transport.close()
    if client.malformed:
        raise AssertionError(f"malformed requests: {client.malformed}")
