"""A web dashboard for the operators, on the same services as the Telegram commands.

An admin sends /dashboard and gets a one-time login link; the pages (overview, inbox,
products, payments, users, broadcasts, settings, health, audit log) are rendered on the
server by aiohttp and Jinja2, with their own CSS and no JavaScript framework. Bound to
127.0.0.1 by default; see the README for a TLS reverse proxy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.context import Context
from core.errors import UserError
from core.hookspecs import hookimpl
from core.i18n import Text
from core.kernel import Kernel
from core.types import Command, Update
from plugins.dashboard.models import MODELS
from plugins.dashboard.server import Dashboard, Options

REQUIRES: tuple[str, ...] = ()
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@hookimpl
def register_settings() -> list[Validator]:
    return [
        Validator("dashboard.host", default="127.0.0.1", is_type_of=str, len_min=1),
        Validator("dashboard.port", default=8465, is_type_of=int, gte=0, lte=65535),
        Validator("dashboard.public_url", default="", is_type_of=str,
                  condition=lambda v: v == "" or v.startswith(("http://", "https://")),
                  messages={"condition": "{name} must be empty or start with http(s)://"}),
        Validator("dashboard.secret", default="", is_type_of=str),
        Validator("dashboard.link_ttl", default=300, is_type_of=int, gte=30, lte=3600),
        Validator("dashboard.session_ttl", default=28_800, is_type_of=int, gte=60,
                  lte=30 * 86_400),
        Validator("dashboard.idle_timeout", default=1_800, is_type_of=int, gte=60),
        Validator("dashboard.secure_cookie", default="auto", is_in=["auto", "always", "never"]),
        Validator("dashboard.trust_proxy", default=False, is_type_of=bool),
        Validator("dashboard.page_size", default=25, is_type_of=int, gte=5, lte=200),
    ]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return ("dashboard", str(MIGRATIONS))


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"dashboard": Dashboard(kernel, Options.from_settings(kernel.settings))}


async def dashboard_command(ctx: Context) -> None:
    """A one-time login link to the web dashboard"""
    if not ctx.user.is_admin:
        raise UserError(Text("error-admins-only"))
    dash: Dashboard = ctx.service("dashboard")
    if not dash.running:
        raise UserError(Text("dashboard-not-running"))
    url = await dash.login_link(ctx.user.id)
    await ctx.reply(ctx.t("dashboard-link", minutes=max(1, dash.options.link_ttl // 60),
                          url=url))


@hookimpl
def register_texts() -> str:
    return str(Path(__file__).resolve().parent / "locales")


@hookimpl
def register_commands() -> list[Command]:
    return [Command("dashboard", dashboard_command, admin_only=True)]


@hookimpl
async def startup(kernel: Kernel) -> None:
    await kernel.service("dashboard").start()


@hookimpl
async def shutdown(kernel: Kernel) -> None:
    await kernel.service("dashboard").stop()


@hookimpl
def update_handled(kernel: Kernel, update: Update, outcome: str) -> None:
    if kernel.has_service("dashboard"):
        kernel.service("dashboard").activity.count(outcome)

