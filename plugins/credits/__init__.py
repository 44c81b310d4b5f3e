"""Credits: balances, an append-only ledger, command costs, tiers and auto-recharge.

Other plugins use `kernel.service("credits")` (see `plugins/credits/service.py`) and listen to
`credits_changed`, `tier_changed` and `balance_low`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.errors import UserError
from core.hookspecs import hookimpl
from core.i18n import Text
from core.kernel import Kernel
from core.types import CallbackRoute, Command, HealthCheck
from plugins.credits import handlers
from plugins.credits.models import MODELS
from plugins.credits.service import CreditsService, InsufficientCredits, LedgerEntry, parse_tiers

REQUIRES: tuple[str, ...] = ()
SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "credits"
LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_TIERS = [
    {"name": "bronze", "threshold": 100, "discount": 0},
    {"name": "silver", "threshold": 500, "discount": 5},
    {"name": "gold", "threshold": 2000, "discount": 10},
]


def _tiers_ok(value: Any) -> bool:
    try:
        parse_tiers(value)
    except ValueError:
        return False
    return True


@hookimpl
def register_settings() -> list[Validator]:
    return [
        Validator("credits.start_bonus", default=0, is_type_of=int, gte=0, lte=1_000_000),
        Validator("credits.max_amount", default=1_000_000_000, is_type_of=int, gte=1,
                  lte=10**15),
        Validator("credits.tiers", default=DEFAULT_TIERS, condition=_tiers_ok,
                  messages={"condition": "{name} must be a list of {{name, threshold, "
                                         "discount}} with unique names and thresholds, "
                                         "discount 0-90"}),
        Validator("credits.announce_tiers", default=True, is_type_of=bool),
        Validator("credits.low_balance_cooldown", default=86_400, is_type_of=int, gte=0),
        Validator("credits.history_page_size", default=5, is_type_of=int, gte=1, lte=20),
        Validator("credits.cache_ttl", default=60, is_type_of=int, gte=1),
        Validator("credits.group_commit", default=64, is_type_of=int, gte=1, lte=1000),
    ]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return ("credits", str(SCHEMA))


@hookimpl
def register_texts() -> str:
    return str(LOCALES)


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"credits": CreditsService(kernel, kernel.settings.credits)}


@hookimpl
def register_commands() -> list[Command]:
    return [
        Command("balance", handlers.balance),
        Command("history", handlers.history),
        Command("autorecharge", handlers.autorecharge),
        Command("grant", handlers.grant, admin_only=True),
        Command("revoke", handlers.revoke, admin_only=True),
        Command("credits", handlers.credits, admin_only=True),
    ]


@hookimpl
def register_callbacks() -> list[CallbackRoute]:
    return [CallbackRoute.of(handlers.HistoryButton, handlers.history_page)]


@hookimpl
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    async def ledger() -> dict[str, Any]:
        bad = await kernel.service("credits").audit()
        if bad:
            raise RuntimeError(f"{len(bad)} balances differ from their ledger, e.g. {bad[:3]}")
        return {"balances": "match the ledger"}

    return [HealthCheck("credits.ledger", ledger)]


@hookimpl
def user_created(kernel: Kernel, user_id: int) -> Any:
    bonus = kernel.settings.credits.start_bonus
    if bonus > 0:
        return kernel.service("credits").credit(user_id, bonus, "start bonus",
                                                f"start-bonus:{user_id}")
    return None


@hookimpl
def charge_command(kernel: Kernel, user_id: int, command: str, cost: int, key: str) -> Any:
    return _charge(kernel, user_id, command, cost, key)


async def _charge(kernel: Kernel, user_id: int, command: str, cost: int,
                  key: str) -> LedgerEntry:
    try:
        return await kernel.service("credits").debit(user_id, cost, f"/{command}",
                                                     "cmd:" + key[:170])
    except InsufficientCredits as exc:
        raise UserError(Text("credits-command-cost", command=command, cost=cost,
                             balance=exc.balance, shortfall=exc.shortfall)) from exc


@hookimpl
def refund_command(kernel: Kernel, receipt: Any, reason: str) -> Any:
    if isinstance(receipt, LedgerEntry):
        return kernel.service("credits").refund(receipt.key, f"{receipt.reason}: {reason}")
    return None

