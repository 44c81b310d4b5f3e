"""pytest plugin: drive the whole bot offline, one line per exchange.

    async def test_help(bot):
        alice = bot.user(42, "Alice")
        reply = await bot.send("/help", user=alice)
        assert "/start" in reply.text

    @pytest.mark.plugins("credits")
    @pytest.mark.bot_settings({"credits.start_bonus": 10})
    async def test_balance(bot): ...

The kernel runs for real on a temporary SQLite database (or the PostgreSQL/Redis given by
`TEST_POSTGRES_URL` / `TEST_REDIS_URL` where a test asks for them); only the transport is a
recorder. Loaded with `-p core.testing` (see pyproject.toml).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core import logs
from core.clock import Clock
from core.kernel import Kernel
from core.transports.local import LocalUpdates
from core.types import (
    Action,
    AnswerCallback,
    Button,
    Chat,
    CopyMessage,
    EditMessage,
    ForwardMessage,
    Media,
    Sender,
    SendInvoice,
    SendMedia,
    SendMessage,
    Sent,
    Update,
)

ADMIN_ID = 1
BOT_USERNAME = "test_bot"
MESSAGE_ACTIONS = (SendMessage, SendMedia, SendInvoice, CopyMessage, ForwardMessage)


class RecordingTransport:
    """Executes actions by writing them down. `fail` may raise for chosen actions."""

    name = "recording"

    def __init__(self) -> None:
        self.log: list[tuple[Action, Sent]] = []
        self.fail: Callable[[Action], None] | None = None
        self._ids = itertools.count(1000)

    async def execute(self, action: Action) -> Sent:
        if self.fail is not None:
            self.fail(action)
        if isinstance(action, MESSAGE_ACTIONS):
            sent = Sent(next(self._ids))
        elif isinstance(action, EditMessage):
            sent = Sent(action.message_id)
        else:
            sent = Sent()
        self.log.append((action, sent))
        return sent

    @property
    def actions(self) -> list[Action]:
        return [a for a, _ in self.log]


@dataclass(frozen=True, slots=True)
class TestUser:
    id: int
    first_name: str = "Test"
    username: str | None = None
    language: str | None = "en"

    __test__ = False  # not a pytest test class

    @property
    def sender(self) -> Sender:
        return Sender(self.id, self.first_name, None, self.username, self.language)


@dataclass(slots=True)
class Reply:
    """Everything the bot did in answer to one update."""

    outcome: str
    actions: list[tuple[Action, Sent]] = field(default_factory=list)

    @property
    def messages(self) -> list[SendMessage | EditMessage]:
        return [a for a, _ in self.actions if isinstance(a, (SendMessage, EditMessage))]

    @property
    def text(self) -> str:
        """All texts sent or edited, joined by newlines (captions and alerts too)."""
        parts: list[str] = []
        for action, _ in self.actions:
            if isinstance(action, (SendMessage, EditMessage)):
                parts.append(action.text)
            elif isinstance(action, SendMedia):
                parts.append(action.caption)
            elif isinstance(action, AnswerCallback) and action.text:
                parts.append(action.text)
        return "\n".join(parts)

    @property
    def buttons(self) -> list[Button]:
        found: list[Button] = []
        for action, _ in self.actions:
            for row in getattr(action, "buttons", None) or []:
                found.extend(row)
        return found

    def button(self, label: str) -> Button:
        """The button whose text contains `label` (case-insensitive)."""
        for b in self.buttons:
            if label.lower() in b.text.lower():
                return b
        raise AssertionError(f"no button {label!r} among {[b.text for b in self.buttons]}")

    @property
    def alert(self) -> str | None:
        for action, _ in self.actions:
            if isinstance(action, AnswerCallback):
                return action.text
        return None

    def of(self, kind: type[Action]) -> list[Any]:
        return [a for a, _ in self.actions if isinstance(a, kind)]

    def to(self, chat_id: int) -> list[Action]:
        return [a for a, _ in self.actions if a.chat_id == chat_id]


class BotDriver:
    """A running kernel and the conversation helpers around it."""

    def __init__(self, kernel: Kernel, transport: RecordingTransport) -> None:
        self.kernel = kernel
        self.transport = transport
        self.updates = LocalUpdates(BOT_USERNAME, prefix="test")
        self.admin = TestUser(ADMIN_ID, "Admin", "admin")

    def user(self, id: int, first_name: str = "Test", username: str | None = None,
             language: str | None = "en") -> TestUser:
        return TestUser(id, first_name, username, language)

    def service(self, name: str) -> Any:
        return self.kernel.service(name)

    async def deliver(self, update: Update | None) -> Reply:
        """Hand an update to the kernel the way a transport does (`ingest`: journaled, then
        handled on the kernel's workers); wait until it is finished and the outbox is empty;
        return what the bot did meanwhile. A key already journaled: outcome 'duplicate'."""
        if update is None:
            return Reply("ignored")
        mark = len(self.transport.log)
        pipeline = self.kernel.pipeline
        outcome = pipeline.outcome(update.key)
        try:
            if not await pipeline.ingest([update]):
                await self.kernel.idle()
                return Reply("duplicate", self.transport.log[mark:])
            result = await outcome
        finally:
            pipeline.forget(update.key)
        await self.kernel.idle()
        return Reply(result, self.transport.log[mark:])

    async def send(self, text: str, user: TestUser, *, chat: Chat | None = None,
                   media: Media | None = None, reply_to: int | None = None) -> Reply:
        """`user` writes `text` (a command or free text) to the bot."""
        return await self.deliver(self.updates.message(text, user.sender, chat, media, reply_to))

    async def press(self, button: Button | str, user: TestUser, *,
                    message_id: int | None = None, chat: Chat | None = None) -> Reply:
        """`user` presses an inline button (or sends forged callback data as a string)."""
        data = button.data if isinstance(button, Button) else button
        chat = chat or LocalUpdates.private(user.sender)
        if message_id is None and isinstance(button, Button):
            message_id = self._message_with(button, chat.id)
        return await self.deliver(self.updates.press(data or "", user.sender, message_id, chat))

    def _message_with(self, button: Button, chat_id: int) -> int | None:
        for action, sent in reversed(self.transport.log):
            if action.chat_id == chat_id and any(
                button in row for row in getattr(action, "buttons", None) or []
            ):
                return sent.message_id
        return None

    async def pre_checkout(self, user: TestUser, payload: str, currency: str, amount: int
                           ) -> Reply:
        return await self.deliver(self.updates.pre_checkout(user.sender, payload, currency,
                                                            amount))

    async def paid(self, user: TestUser, payload: str, currency: str, amount: int,
                   charge_id: str | None = None) -> Reply:
        """A successful payment arrives (Telegram may deliver it more than once: same key)."""
        return await self.deliver(self.updates.payment(user.sender, payload, currency, amount,
                                                       charge_id))


def base_settings(tmp_path: Path, database_url: str | None = None) -> dict[str, Any]:
    return {
        "database.url": database_url or f"sqlite:///{tmp_path / 'bot.db'}",
        "cache.backend": "memory",
        "ratelimit.storage": "memory://",
        "outbound.enabled": False,
        "admins": [ADMIN_ID],
        "plugins.enabled": [],
        "errors.alert_cooldown": 60,
        "telegram.bot_token": "",
        # A failing handler is retried at once in tests (the backoff is tested on its own).
        "pipeline.retry_base_delay": 0.0,
        "i18n.overrides_dir": str(tmp_path / "locales"),  # operators' overrides: none
    }


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    overrides: dict[str, Any] | None = None,
    *,
    plugins: list[str] | None = None,
    extra_plugins: list[Any] | None = None,
    clock: Clock | None = None,
    transport: RecordingTransport | None = None,
) -> AsyncIterator[BotDriver]:
    settings = base_settings(tmp_path)
    if plugins is not None:
        settings["plugins.enabled"] = plugins
    settings.update(overrides or {})
    kernel = Kernel.configure(settings, extra_plugins=extra_plugins or [], clock=clock)
    logs.setup(kernel.settings, kernel.redact.secrets)
    transport = transport or RecordingTransport()
    kernel.attach(transport)
    await kernel.start()
    try:
        yield BotDriver(kernel, transport)
    finally:
        await kernel.stop()


def _marker_args(request: pytest.FixtureRequest) -> tuple[list[str] | None, dict[str, Any]]:
    plugins_marker = request.node.get_closest_marker("plugins")
    settings_marker = request.node.get_closest_marker("bot_settings")
    plugins = list(plugins_marker.args) if plugins_marker else None
    overrides = dict(settings_marker.args[0]) if settings_marker else {}
    return plugins, overrides


@pytest.fixture
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BotDriver]:
    """The whole bot on a fresh SQLite database. Markers: plugins(...), bot_settings({...})."""
    plugins, overrides = _marker_args(request)
    async with running_bot(tmp_path, overrides, plugins=plugins) as driver:
        yield driver


# ---- real servers -------------------------------------------------------------------------


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not set: CI must run the PostgreSQL and Redis tests")
        pytest.skip(f"{name} not set (export it to run this test against a real server)")
    return value


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; its URL. Dropped afterwards."""
    import psycopg

    base = _required("TEST_POSTGRES_URL")
    name = f"bot_test_{uuid.uuid4().hex[:10]}"
    admin_url = base.replace("postgresql+pool://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    prefix, _, _ = base.rpartition("/")
    try:
        yield f"{prefix}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url() -> str:
    return _required("TEST_REDIS_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using it runs twice: on SQLite, and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
    else:
        with postgres_database() as url:
            yield url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "plugins(*names): plugins enabled for the bot fixture")
    config.addinivalue_line("markers", "bot_settings(dict): settings overrides for the bot")
