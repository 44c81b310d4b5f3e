"""The Telegram transport, on kurigram (`import pyrogram`).

    transport = TelegramTransport(kernel)       # a Client from settings.telegram
    kernel.attach(transport)
    await transport.connect()                   # connected before start-up hooks send
    await kernel.start()
    await transport.run()                       # catch up, then receive until `stop`
    await transport.stop()                      # take no more updates
    await kernel.stop()                         # handlers and the outbox finish
    await transport.close()                     # session saved, disconnected

Incoming: raw MTProto containers go to the `Receiver` (tg_receive), which translates them
(tg_raw) and hands them to `kernel.ingest`; the update state is saved only after. Outgoing:
the kernel's outbox paces actions and calls `execute`; `tg_actions` makes the client calls and
translates kurigram's errors (FloodWait -> RetryAfter, blocked -> Unreachable, ...).
kurigram's own flood sleep is switched off (`sleep_threshold=0`): the outbox waits instead,
so one chat's wait never holds a handler or another chat's messages.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrogram
from loguru import logger
from pyrogram import errors

from core.errors import Fatal, RetryAfter
from core.transports import tg_actions, tg_raw
from core.transports.tg_client import BotClient
from core.transports.tg_receive import Receiver
from core.types import Action, Sent, SetCommands, Update

if TYPE_CHECKING:
    from core.kernel import Kernel

SESSION_SAVE_INTERVAL = 2.0  # seconds between commits of learned peers and update state
CONNECT_TIMEOUT = 20.0  # seconds to reach Telegram and sign in before giving up, at start
REFUSED_TOKEN = (errors.AccessTokenInvalid, errors.AccessTokenExpired, errors.AuthKeyUnregistered,
                 errors.UserDeactivated, errors.UserDeactivatedBan)


def build_client(settings: Any, root: Path) -> pyrogram.Client:
    t = settings.telegram
    workdir = Path(t.session_dir)
    if not workdir.is_absolute():
        workdir = root / workdir
    workdir.mkdir(parents=True, exist_ok=True)
    return BotClient(
        settings.bot.name, api_id=t.api_id, api_hash=t.api_hash, bot_token=t.bot_token,
        workdir=str(workdir), **client_options(),
    )


def client_options() -> dict[str, Any]:
    """Options every client of ours uses, the offline harness's too."""
    return {
        "workers": 1,  # kurigram's dispatcher stays idle: the receiver takes the updates
        "skip_updates": True,  # kurigram's own catching up is off: the receiver's runs
        "sleep_threshold": 0,  # FloodWait reaches the outbox, which pauses only that chat
        # The kernel needs ids, not the replied-to message or topic: skip the extra requests.
        "fetch_replies": False,
        "fetch_topics": False,
        "fetch_stories": False,
        "fetch_stickers": False,
    }


class TelegramTransport:
    name = "telegram"

    def __init__(self, kernel: Kernel, client: pyrogram.Client | None = None) -> None:
        self.kernel = kernel
        self.client = client or build_client(kernel.settings, kernel.root)
        self.receiver = Receiver(self.client, self._ingest, self._me)
        if isinstance(self.client, BotClient):
            self.client.receiver = self.receiver
        self.client.connect_handler = self._on_connect
        self._flood_until: dict[int, float] = {}
        self._connected = asyncio.Event()
        self.serving = asyncio.Event()  # caught up and the menu set: live updates flow
        self._stopped = asyncio.Event()
        self._listening = False
        self._started_client = False
        self._me_cache: tg_raw.Me | None = None

    def ready(self) -> bool:
        """Whether the client is connected: `/readyz` of the monitoring plugin asks."""
        return bool(self.client.is_connected)

    # ---- outgoing -----------------------------------------------------------------------------

    def expand(self, action: Action) -> list[Action]:
        return tg_actions.split_long(action)

    async def execute(self, action: Action) -> Sent:
        if not self.client.is_connected:  # a start-up hook sending before `connect` finished
            await self._connected.wait()
        try:
            return await tg_actions.execute(self.client, action)
        except RetryAfter as exc:
            exc.scope_all = self._looks_global(action.chat_id, exc.seconds)
            raise

    def _looks_global(self, chat_id: int, seconds: float) -> bool:
        """Telegram does not say whether a wait is for one chat or for the bot. A second chat
        told to wait while another's wait still runs means the bot's global rate was hit."""
        now = self.kernel.clock.now()
        self._flood_until = {c: t for c, t in self._flood_until.items() if t > now}
        others = any(c != chat_id for c in self._flood_until)
        self._flood_until[chat_id] = now + seconds
        return others

    # ---- incoming -----------------------------------------------------------------------------

    def bot_username(self) -> str | None:
        me = getattr(self.client, "me", None)
        return getattr(me, "username", None)

    def _me(self) -> tg_raw.Me:
        if self._me_cache is None:
            me = self.client.me
            self._me_cache = tg_raw.Me(me.id, me.username)
        return self._me_cache

    async def _ingest(self, updates: Sequence[Update]) -> None:
        await self.kernel.ingest(updates)

    # ---- life cycle ---------------------------------------------------------------------------

    def menu(self, language: str = "") -> SetCommands:
        """The menu in `language` (Telegram shows it to users whose app speaks it), or in the
        default language for everyone else when empty."""
        kernel = self.kernel
        t = kernel.texts(language or kernel.texts.default)
        everyone = kernel.commands_for(admin=False)
        public = {c.name for c in everyone}
        extra = [c for c in kernel.commands_for(admin=True) if c.name not in public]
        admin_ids = tuple(sorted(kernel.admins))
        return SetCommands(admin_ids[0] if admin_ids else 0,
                           tuple((c.name, kernel.describe(c, t)) for c in everyone),
                           tuple((c.name, kernel.describe(c, t)) for c in extra), admin_ids,
                           language)

    def menus(self) -> list[SetCommands]:
        return [self.menu()] + [self.menu(lang) for lang in self.kernel.texts.languages]

    async def set_menu(self) -> None:
        for menu in self.menus():
            try:
                await self.kernel.send(menu)
            except Exception:
                logger.exception("could not set the command menu ({})", menu.language or "all")

    async def connect(self) -> None:
        """Connect and authorise; updates wait (unacknowledged) until `run`. A refused token
        or an unreachable Telegram is a `Fatal` naming the problem and its fix."""
        if not self.client.is_connected:
            try:
                await asyncio.wait_for(self.client.start(), CONNECT_TIMEOUT)
            except REFUSED_TOKEN as exc:
                raise Fatal(f"Telegram refused the bot token ({exc.ID})",
                            "get the token again from @BotFather (/token) and put it in "
                            ".secrets.toml as telegram.bot_token") from exc
            except errors.ApiIdInvalid as exc:
                raise Fatal("Telegram refused telegram.api_id / telegram.api_hash",
                            "copy both again from https://my.telegram.org") from exc
            except Exception as exc:
                await self._give_up()
                reason = (f"no answer within {CONNECT_TIMEOUT:.0f} s"
                          if isinstance(exc, TimeoutError)
                          else f"the connection failed: {type(exc).__name__}")
                raise Fatal(f"Telegram is unreachable ({reason})",
                            "check the network connection, a firewall or proxy; "
                            "then start again") from exc
            self._started_client = True
        self._connected.set()

    async def _give_up(self) -> None:
        """Leave no connection attempt running behind a failed start."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.disconnect(), 5)

    async def _on_connect(self, client: Any, session: Any) -> None:
        if self._listening:  # a reconnect: what passed meanwhile comes from the difference
            self.receiver.reconnected()

    async def run(self) -> None:
        """Catch up on what was missed, then receive until `stop` (or cancellation)."""
        await self.connect()
        logger.info("telegram: connected as @{}", self.bot_username())
        self._listening = True
        await self.receiver.start()
        await self.set_menu()
        self.serving.set()
        saver = asyncio.create_task(self._save_session_often())
        try:
            await self._stopped.wait()
        finally:
            saver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await saver

    async def _save_session_often(self) -> None:
        """Peers and update state reach the session file every few seconds, not only at a
        clean stop: after a crash the bot still knows every user it met."""
        while True:
            await asyncio.sleep(SESSION_SAVE_INTERVAL)
            await self.save_session()

    async def save_session(self) -> None:
        try:
            await self.client.storage.save()
        except Exception:
            logger.exception("telegram: could not save the session")

    async def stop(self) -> None:
        """Take no more updates (those not journaled come again from the difference)."""
        self._stopped.set()
        self._listening = False
        await self.receiver.stop()

    async def close(self) -> None:
        """After the kernel stopped: save the session and disconnect."""
        await self.stop()
        if self.client.is_connected:
            await self.save_session()
        if self._started_client and self.client.is_connected:
            self._started_client = False
            await self.client.stop()
