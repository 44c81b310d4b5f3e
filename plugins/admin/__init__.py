"""Admin tools: broadcasts with live progress, user lookup, bans, runtime settings, statistics.

Every command is for the admins listed in settings (`admins = [...]`). Other plugins add to
`/user`, `/stats` and broadcast segments through the `user_summary`, `stats` and
`segment_users` hooks; none of them is required.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.types import CallbackRoute, Command
from plugins.admin import handlers
from plugins.admin.broadcasts import Broadcaster, Options
from plugins.admin.buttons import BannedPage, BroadcastButton
from plugins.admin.models import MODELS
from plugins.admin.service import AdminService

REQUIRES: tuple[str, ...] = ()
SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "admin"


@hookimpl
def register_settings() -> list[Validator]:
    return [
        Validator("admin.broadcast_batch", default=50, is_type_of=int, gte=1, lte=1000),
        Validator("admin.broadcast_concurrency", default=10, is_type_of=int, gte=1, lte=100),
        Validator("admin.progress_interval", default=3, is_type_of=(int, float), gte=0.5,
                  lte=600),
        Validator("admin.banned_page_size", default=10, is_type_of=int, gte=1, lte=50),
        Validator("admin.chart", default=True, is_type_of=bool),
    ]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return ("admin", str(SCHEMA))


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    admin = AdminService(kernel)
    return {"admin": admin,
            "broadcasts": Broadcaster(kernel, admin, Options.from_settings(kernel.settings))}


@hookimpl
def register_texts() -> str:
    return str(Path(__file__).resolve().parent / "locales")


@hookimpl
def register_commands() -> list[Command]:
    return [
        Command("broadcast", handlers.broadcast, admin_only=True),
        Command("broadcast_status", handlers.broadcast_status, admin_only=True),
        Command("user", handlers.user, admin_only=True),
        Command("ban", handlers.ban, admin_only=True),
        Command("unban", handlers.unban, admin_only=True),
        Command("banned", handlers.banned, admin_only=True),
        Command("set", handlers.set_, admin_only=True),
        Command("get", handlers.get, admin_only=True),
        Command("settings", handlers.settings, admin_only=True),
        Command("stats", handlers.stats, admin_only=True),
    ]


@hookimpl
def register_callbacks() -> list[CallbackRoute]:
    return [CallbackRoute.of(BroadcastButton, handlers.broadcast_button, admin_only=True),
            CallbackRoute.of(BannedPage, handlers.banned_button, admin_only=True)]


@hookimpl
async def startup(kernel: Kernel) -> None:
    # A broadcast left `running` by a crash or a stop goes on where it stopped.
    await kernel.service("broadcasts").resume_interrupted()


@hookimpl
async def shutdown(kernel: Kernel) -> None:
    await kernel.service("broadcasts").stop()
