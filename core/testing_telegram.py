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
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

import pyrogram
from pyrogram import raw, types
from pyrogram.raw.core import TLObject

from core.clock import Clock
from core.testing import ADMIN_ID, base_settings
from core.transports.telegram import TelegramTransport, client_options

BOT_ID = 777000111
BOT_USERNAME = "test_bot"
API_HASH = "0123456789abcdef0123456789abcdef"
T = TypeVar("T")


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


def bot_user() -> raw.types.User:
    return raw.types.User(id=BOT_ID, is_self=True, bot=True, bot_info_version=1,
                          access_hash=1, first_name="Test bot", username=BOT_USERNAME)


class FakeTelegram:
    """What the server knows: message ids, messages (for GetMessages), users and chats."""

    def __init__(self) -> None:
        self.message_ids = itertools.count(1)  # one counter, as for users and basic groups
        self.pts = itertools.count(1)
        self.messages: dict[int, Any] = {}
        self.users: dict[int, raw.types.User] = {BOT_ID: bot_user()}
        self.chats: dict[int, raw.types.Chat] = {}
        self.date = 1_700_000_000
        self.refused: list[str] = []  # errors the server answered with, by Telegram's name

    def peer(self, input_peer: Any) -> Any:
        if isinstance(input_peer, raw.types.InputPeerUser):
            return raw.types.PeerUser(user_id=input_peer.user_id)
        if isinstance(input_peer, raw.types.InputPeerChat):
            return raw.types.PeerChat(chat_id=input_peer.chat_id)
        if isinstance(input_peer, raw.types.InputPeerSelf):
            return raw.types.PeerUser(user_id=BOT_ID)
        raise pyrogram.errors.PeerIdInvalid()

    def outgoing(self, input_peer: Any, text: str = "", markup: Any = None,
                 message_id: int | None = None) -> raw.types.Message:
        message = raw.types.Message(id=message_id or next(self.message_ids),
                                    peer_id=self.peer(input_peer), date=self.date, message=text,
                                    out=True, from_id=raw.types.PeerUser(user_id=BOT_ID),
                                    reply_markup=markup)
        self.messages[message.id] = message
        return message

    def updates(self, update: Any) -> raw.types.Updates:
        return raw.types.Updates(updates=[update], users=list(self.users.values()),
                                 chats=list(self.chats.values()), date=self.date, seq=0)

    def respond(self, query: Any) -> Any:
        f = raw.functions
        if isinstance(query, f.messages.SendMessage):
            message = self.outgoing(query.peer, query.message, query.reply_markup)
            return raw.types.UpdateShortSentMessage(id=message.id, pts=next(self.pts),
                                                    pts_count=1, date=self.date, out=True)
        if isinstance(query, f.messages.SendMedia):
            message = self.outgoing(query.peer, query.message, query.reply_markup)
            return self.updates(raw.types.UpdateNewMessage(message=message, pts=next(self.pts),
                                                           pts_count=1))
        if isinstance(query, f.messages.ForwardMessages):
            source = self.messages.get(query.id[0])
            message = self.outgoing(query.to_peer, getattr(source, "message", "") or "")
            return self.updates(raw.types.UpdateNewMessage(message=message, pts=next(self.pts),
                                                           pts_count=1))
        if isinstance(query, f.messages.EditMessage):
            if query.id not in self.messages:
                raise pyrogram.errors.MessageIdInvalid()
            old = self.messages[query.id]
            if query.message == old.message and query.reply_markup == old.reply_markup:
                self.refused.append("MESSAGE_NOT_MODIFIED")
                raise pyrogram.errors.MessageNotModified()
            message = self.outgoing(query.peer, query.message or "", query.reply_markup,
                                    message_id=query.id)
            return self.updates(raw.types.UpdateEditMessage(message=message, pts=next(self.pts),
                                                            pts_count=1))
        if isinstance(query, f.messages.GetMessages):
            ids = [getattr(i, "id", 0) for i in query.id]
            found = [self.messages.get(i) or raw.types.MessageEmpty(id=i) for i in ids]
            return raw.types.messages.Messages(messages=found, users=list(self.users.values()),
                                               chats=list(self.chats.values()), topics=[])
        if isinstance(query, f.payments.ExportInvoice):
            return raw.types.payments.ExportedInvoice(url="https://t.me/$fake-invoice")
        if isinstance(query, (f.messages.SetBotCallbackAnswer, f.messages.SetBotPrecheckoutResults,
                              f.payments.RefundStarsCharge, f.bots.SetBotCommands)):
            if isinstance(query, f.payments.RefundStarsCharge):
                return raw.types.Updates(updates=[], users=[], chats=[], date=self.date, seq=0)
            return True
        if isinstance(query, f.users.GetUsers):
            # A bot may look up a user who wrote to it with access_hash 0: how a worker's
            # session, which receives no updates, learns whom it is answering.
            return [self.users.get(u.user_id) or TgUser(u.user_id).raw() for u in query.id]
        if isinstance(query, f.updates.GetState):
            return raw.types.updates.State(pts=0, qts=0, date=self.date, seq=0, unread_count=0)
        raise NotImplementedError(f"the fake Telegram has no answer for {type(query).__name__}")


class OfflineClient(pyrogram.Client):
    """A kurigram Client with the network replaced: every request is recorded in `requests`;
    `server.respond` answers it. `on_request` may raise (a FloodWait, a blocked user...)."""

    def __init__(self, server: FakeTelegram | None = None, **kwargs: Any) -> None:
        options = {**client_options(), **kwargs}
        super().__init__("offline", api_id=1, api_hash=API_HASH, bot_token="1:offline",
                         in_memory=True, **options)
        self.server = server or FakeTelegram()
        self.requests: list[Any] = []
        self.on_request: Callable[[Any], None] | None = None
        self.uploads: list[tuple[str, bytes]] = []

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

    async def invoke(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self.requests.append(query)
        if self.on_request is not None:
            self.on_request(query)
        response = self.server.respond(query)
        if isinstance(response, bool):
            return response
        if isinstance(response, list):  # a TL vector
            return [roundtrip(item) for item in response]
        response = roundtrip(response)
        await self.fetch_peers(getattr(response, "users", []))
        await self.fetch_peers(getattr(response, "chats", []))
        return response

    async def open(self) -> None:
        """Ready to take updates, without connecting (call inside the running loop)."""
        await self.storage.open()
        me = roundtrip(bot_user())
        await self.fetch_peers([me])
        self.me = await types.User._parse(self, me)
        self.is_connected = True
        await self.dispatcher.start()
        await asyncio.sleep(0)

    async def close(self) -> None:
        await self.dispatcher.stop()
        self.is_connected = False
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

    # ---- raw updates in -------------------------------------------------------------------------

    async def feed(self, *updates: Any, users: Sequence[TgUser] = (),
                   groups: Sequence[TgGroup] = (), wait: bool = True) -> None:
        """Hand raw updates to kurigram as the network would; by default wait until handled."""
        for g in groups:
            self.server.chats[g.id] = g.raw()
        raw_users = [u.raw() for u in users]
        for u in raw_users:
            self.server.users[u.id] = u
        batch = raw.types.Updates(updates=list(updates), users=raw_users,
                                  chats=[g.raw() for g in groups],
                                  date=self.server.date, seq=0)
        await self.client.handle_updates(roundtrip(batch))
        if wait:
            await self.settle()

    async def settle(self) -> None:
        """Wait until kurigram's queue is empty and every handler has finished."""
        queue = self.client.dispatcher.updates_queue
        idle = 0
        while idle < 5:
            await asyncio.sleep(0)
            busy = queue.qsize() > 0 or self.transport.inflight > 0 or self.kernel.outbox.depth()
            idle = 0 if busy else idle + 1

    def raw_message(self, user: TgUser, text: str = "", *, group: TgGroup | None = None,
                    media: Any = None, reply_to: int | None = None) -> raw.types.Message:
        peer = (raw.types.PeerChat(chat_id=group.id) if group is not None
                else raw.types.PeerUser(user_id=user.id))
        message = raw.types.Message(
            id=next(self.server.message_ids), peer_id=peer, date=self.server.date,
            message=text, from_id=raw.types.PeerUser(user_id=user.id), media=media,
            reply_to=raw.types.MessageReplyHeader(reply_to_msg_id=reply_to) if reply_to else None,
        )
        self.server.messages[message.id] = message
        return message

    def _new(self, message: Any) -> raw.types.UpdateNewMessage:
        return raw.types.UpdateNewMessage(message=message, pts=next(self.server.pts), pts_count=1)

    async def message(self, user: TgUser, text: str, *, group: TgGroup | None = None,
                      reply_to: int | None = None) -> int:
        """`user` writes `text` (privately, or in `group`); returns the message id."""
        message = self.raw_message(user, text, group=group, reply_to=reply_to)
        await self.feed(self._new(message), users=[user], groups=[group] if group else [])
        return message.id

    async def photo(self, user: TgUser, caption: str = "", photo_id: int = 5001) -> int:
        photo = raw.types.MessageMediaPhoto(photo=raw.types.Photo(
            id=photo_id, access_hash=9, file_reference=b"ref", date=self.server.date, dc_id=2,
            sizes=[raw.types.PhotoSize(type="x", w=800, h=600, size=12345)]))
        message = self.raw_message(user, caption, media=photo)
        await self.feed(self._new(message), users=[user])
        return message.id

    async def document(self, user: TgUser, file_name: str = "report.pdf",
                       mime_type: str = "application/pdf", caption: str = "",
                       document_id: int = 6001) -> int:
        doc = raw.types.MessageMediaDocument(document=raw.types.Document(
            id=document_id, access_hash=9, file_reference=b"ref", date=self.server.date,
            mime_type=mime_type, size=2048, dc_id=2,
            attributes=[raw.types.DocumentAttributeFilename(file_name=file_name)]))
        message = self.raw_message(user, caption, media=doc)
        await self.feed(self._new(message), users=[user])
        return message.id

    async def press(self, user: TgUser, data: str | bytes, message_id: int,
                    group: TgGroup | None = None) -> int:
        """`user` presses a button carrying `data` on message `message_id`; the query id."""
        query_id = 10_000 + next(self._ids)
        peer = (raw.types.PeerChat(chat_id=group.id) if group is not None
                else raw.types.PeerUser(user_id=user.id))
        await self.feed(raw.types.UpdateBotCallbackQuery(
            query_id=query_id, user_id=user.id, peer=peer, msg_id=message_id, chat_instance=1,
            data=data.encode() if isinstance(data, str) else data,
        ), users=[user], groups=[group] if group else [])
        return query_id

    async def pre_checkout(self, user: TgUser, payload: str, currency: str, amount: int) -> int:
        query_id = 20_000 + next(self._ids)
        await self.feed(raw.types.UpdateBotPrecheckoutQuery(
            query_id=query_id, user_id=user.id, payload=payload.encode(), currency=currency,
            total_amount=amount), users=[user])
        return query_id

    async def paid(self, user: TgUser, payload: str, currency: str, amount: int,
                   charge_id: str = "charge-1") -> int:
        """The successful-payment service message Telegram sends after a payment."""
        service = raw.types.MessageService(
            id=next(self.server.message_ids), peer_id=raw.types.PeerUser(user_id=user.id),
            date=self.server.date, from_id=raw.types.PeerUser(user_id=user.id),
            action=raw.types.MessageActionPaymentSentMe(
                currency=currency, total_amount=amount, payload=payload.encode(),
                charge=raw.types.PaymentCharge(id=charge_id,
                                               provider_charge_id=f"provider-{charge_id}")))
        await self.feed(self._new(service), users=[user])
        return service.id

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
    """The Bot API chat id of a raw input peer (users positive, basic groups negative)."""
    if isinstance(peer, raw.types.InputPeerUser):
        return int(peer.user_id)
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
) -> AsyncIterator[TelegramHarness]:
    """The whole bot (temporary SQLite) behind the Telegram transport on an OfflineClient."""
    from core.kernel import Kernel

    settings = telegram_settings(tmp_path)
    if plugins is not None:
        settings["plugins.enabled"] = plugins
    settings.update(overrides or {})
    kernel = Kernel.configure(settings, extra_plugins=extra_plugins or [], clock=clock)
    client = client or OfflineClient()  # built here, inside the running loop
    transport = TelegramTransport(kernel, client)
    kernel.attach(transport)
    await kernel.start()
    await client.open()
    transport.register_handlers()
    await asyncio.sleep(0)  # add_handler schedules a task: let it run
    harness = TelegramHarness(kernel, transport, client)
    try:
        yield harness
    finally:
        await harness.settle()
        await kernel.stop()
        await client.close()
