"""The Telegram transport, on kurigram (`import pyrogram`).

    transport = TelegramTransport(kernel)       # a Client from settings.telegram
    kernel.attach(transport)
    await kernel.start()
    await transport.run()                       # until cancelled
    await transport.stop()

Incoming: kurigram parses raw updates; `tg_updates` turns them into kernel Updates. Outgoing:
the kernel's outbox paces actions and calls `execute`; `tg_actions` makes the client calls and
translates kurigram's errors (FloodWait -> RetryAfter, blocked -> Unreachable, ...).
kurigram's own flood sleep is switched off (`sleep_threshold=0`): the outbox waits instead,
so one chat's wait never holds a handler or another chat's messages.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrogram
from loguru import logger
from pyrogram import filters, handlers
from pyrogram import types as tg

from core.errors import RetryAfter
from core.transports import tg_actions, tg_updates
from core.types import Action, Sent, SetCommands, Update

if TYPE_CHECKING:
    from core.kernel import Kernel

WORKERS = 16  # updates handled at once; a handler waiting on the outbox holds one


def build_client(settings: Any, root: Path) -> pyrogram.Client:
    t = settings.telegram
    workdir = Path(t.session_dir)
    if not workdir.is_absolute():
        workdir = root / workdir
    workdir.mkdir(parents=True, exist_ok=True)
    return pyrogram.Client(
        settings.bot.name, api_id=t.api_id, api_hash=t.api_hash, bot_token=t.bot_token,
        workdir=str(workdir), **client_options(),
    )


def client_options() -> dict[str, Any]:
    """Options every client of ours uses, the offline harness's too."""
    return {
        "workers": WORKERS,
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
        self.inflight = 0  # updates being handled; the offline harness waits for zero
        self._flood_until: dict[int, float] = {}
        self._stopped = asyncio.Event()
        self._started_client = False

    def ready(self) -> bool:
        """Whether the client is connected: `/readyz` of the monitoring plugin asks."""
        return bool(self.client.is_connected)

    # ---- outgoing -----------------------------------------------------------------------------

    def expand(self, action: Action) -> list[Action]:
        return tg_actions.split_long(action)

    async def execute(self, action: Action) -> Sent:
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

    def register_handlers(self) -> None:
        self.client.add_handler(handlers.MessageHandler(self._on_message, filters.incoming))
        self.client.add_handler(handlers.CallbackQueryHandler(self._on_callback))
        self.client.add_handler(handlers.PreCheckoutQueryHandler(self._on_pre_checkout))

    def bot_username(self) -> str | None:
        me = getattr(self.client, "me", None)
        return getattr(me, "username", None)

    async def _on_message(self, _: pyrogram.Client, message: tg.Message) -> None:
        await self._handle(tg_updates.from_message(message, self.bot_username()))

    async def _on_callback(self, _: pyrogram.Client, query: tg.CallbackQuery) -> None:
        await self._handle(tg_updates.from_callback(query))

    async def _on_pre_checkout(self, _: pyrogram.Client, query: tg.PreCheckoutQuery) -> None:
        await self._handle(tg_updates.from_pre_checkout(query))

    async def _handle(self, update: Update | None) -> None:
        if update is None:
            return
        self.inflight += 1
        try:
            await self.kernel.handle(update)
        except Exception:
            # The dispatcher reports handler errors itself; this is the kernel failing (the
            # database is down...). Log and go on: one update must not stop the others.
            logger.exception("update {} could not be handled", update.key)
        finally:
            self.inflight -= 1

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

    async def run(self) -> None:
        """Connect, listen, and serve until cancelled (or `stop`)."""
        self.register_handlers()
        await self.client.start()
        self._started_client = True
        logger.info("telegram: connected as @{}", self.bot_username())
        await self.set_menu()
        await self._stopped.wait()  # cancellation propagates; the caller then awaits stop()

    async def stop(self) -> None:
        self._stopped.set()
        if self._started_client and self.client.is_connected:
            self._started_client = False
            await self.client.stop()
