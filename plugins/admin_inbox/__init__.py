"""Admin inbox: users write to the operators, operators answer from Telegram."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.conversations import Flow
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.types import CallbackRoute, Command, HealthCheck, MessageHandler, UpdateKind
from plugins.admin_inbox import handlers
from plugins.admin_inbox.buttons import OnConversation, QueuePage, SetPriority
from plugins.admin_inbox.models import MODELS, PRIORITIES
from plugins.admin_inbox.service import InboxService

REQUIRES: tuple[str, ...] = ()
SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "admin_inbox"
MESSAGES = frozenset({UpdateKind.TEXT, UpdateKind.MEDIA})


def _words(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _tiers(value: Any) -> bool:
    return isinstance(value, dict) and all(v in PRIORITIES for v in value.values())


def _text_or_unset(shortest: int) -> Any:
    return lambda v: v is None or (isinstance(v, str) and shortest <= len(v) <= 1000)


@hookimpl
def register_texts() -> str:
    return str(Path(__file__).resolve().parent / "locales")


@hookimpl
def register_settings() -> list[Validator]:
    o = "admin_inbox."
    return [
        Validator(o + "operators_chat", default=0, is_type_of=int),
        Validator(o + "show_admin_name", default=False, is_type_of=bool),
        # Unset: the catalogue's text in the user's language; set: that text for everyone.
        Validator(o + "received_text", default=None, condition=_text_or_unset(1),
                  messages={"condition": "{name} must be 1 to 1000 characters, or unset"}),
        Validator(o + "closed_text", default=None, condition=_text_or_unset(0),
                  messages={"condition": "{name} must be at most 1000 characters (\"\": say "
                                         "nothing), or unset"}),
        Validator(o + "reopen_hours", default=24, is_type_of=int, gte=0, lte=24 * 365),
        Validator(o + "page_size", default=8, is_type_of=int, gte=1, lte=50),
        Validator(o + "history_size", default=10, is_type_of=int, gte=1, lte=50),
        Validator(o + "keywords_high", default=[], condition=_words,
                  messages={"condition": "{name} must be a list of words, got {value}"}),
        Validator(o + "keywords_urgent", default=[], condition=_words,
                  messages={"condition": "{name} must be a list of words, got {value}"}),
        Validator(o + "tier_priority", default={}, condition=_tiers,
                  messages={"condition": "{name} must map tiers to one of "
                                         f"{', '.join(PRIORITIES)}, got {{value}}"}),
        Validator(o + "escalate_after_minutes", default=60, is_type_of=int, gte=0),
        Validator(o + "remind_after_minutes", default=30, is_type_of=int, gte=0),
        Validator(o + "check_every_seconds", default=60, is_type_of=int, gte=1, lte=3600),
    ]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return "admin_inbox", str(SCHEMA)


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"inbox": InboxService(kernel)}


@hookimpl
def register_commands() -> list[Command]:
    return [
        Command("inbox", handlers.inbox_command, admin_only=True),
        Command("reply", handlers.reply_command, admin_only=True),
        Command("close", handlers.close_command, admin_only=True),
        Command("assign", handlers.assign_command, admin_only=True),
        Command("inbox_stats", handlers.stats_command, admin_only=True),
    ]


@hookimpl
def register_callbacks() -> list[CallbackRoute]:
    return [CallbackRoute.of(OnConversation, handlers.on_conversation, admin_only=True),
            CallbackRoute.of(SetPriority, handlers.set_priority, admin_only=True),
            CallbackRoute.of(QueuePage, handlers.queue_page, admin_only=True)]


@hookimpl
def register_conversations() -> list[Flow]:
    return [handlers.REPLY]


@hookimpl
def register_message_handlers() -> list[MessageHandler]:
    # Operators' answers come first (and may be in the operators' group); everything else a
    # user writes in private lands here last, after any plugin waiting for specific input.
    return [MessageHandler(handlers.operator_message, MESSAGES, priority=100,
                           private_only=False),
            MessageHandler(handlers.user_message, MESSAGES, priority=-100, private_only=True)]


@hookimpl
def startup(kernel: Kernel) -> None:
    kernel.service("inbox").start()


@hookimpl
def shutdown(kernel: Kernel) -> Any:
    return kernel.service("inbox").stop()


@hookimpl
def stats(kernel: Kernel) -> Any:
    async def figures() -> dict[str, Any]:
        return {f"inbox {k}": v for k, v in (await kernel.service("inbox").figures()).items()}

    return figures()


@hookimpl
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    return [HealthCheck("admin_inbox", lambda: kernel.service("inbox").figures())]


@hookimpl
def user_summary(kernel: Kernel, user_id: int) -> Any:
    return kernel.service("inbox").summary(user_id)
