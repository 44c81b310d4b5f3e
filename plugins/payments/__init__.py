"""Payments: credit packages paid in Telegram Stars (or by card through a provider token),
granted exactly once, refundable, with auto-recharge invoices.

Uses `kernel.service("credits")`; answers the credits plugin's `balance_low` event and emits
`payment_succeeded`. Other plugins may use `kernel.service("payments")`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.types import CallbackRoute, Command, HealthCheck, MessageHandler, UpdateKind
from plugins.payments import handlers
from plugins.payments.models import MODELS
from plugins.payments.packages import STARS, parse_packages
from plugins.payments.service import PaymentsService

REQUIRES: tuple[str, ...] = ("credits",)
SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "payments"
DEFAULT_PACKAGES = [
    # No title: the invoice says "100 credits" in the buyer's language.
    {"id": "small", "credits": 100, "price": 50, "currency": STARS},
    {"id": "large", "credits": 500, "price": 200, "currency": STARS},
]
# Empty: the catalogue's texts (payments-support, -terms, -privacy) in the user's language.
SUPPORT = TERMS = PRIVACY = ""


def _packages_ok(value: Any) -> bool:
    try:
        parse_packages(value)
    except ValueError:
        return False
    return True


def _secrets_ok(value: Any) -> bool:
    return (isinstance(value, list) and len(value) >= 1
            and all(isinstance(s, str) and len(s) >= 16 for s in value))


@hookimpl
def register_settings() -> list[Validator]:
    return [
        Validator("payments.packages", default=DEFAULT_PACKAGES, condition=_packages_ok,
                  messages={"condition": "{name} must be a list of {{id, credits, price, "
                                         "currency, title}} with unique ids, whole numbers "
                                         "from 1, a 3-letter currency (XTR for Stars)"}),
        Validator("payments.payload_secrets", default=[], condition=_secrets_ok,
                  messages={"condition": "{name} must list at least one secret of 16+ "
                                         "characters, in .secrets.toml (the first signs "
                                         "invoices, all verify them)"}),
        Validator("payments.provider_token", default="", is_type_of=str),
        Validator("payments.provider_token", len_min=1,
                  when=Validator("payments.packages", condition=lambda v: any(
                      isinstance(p, dict) and p.get("currency", STARS) != STARS
                      for p in v or [])),
                  messages={"operations": "{name} must be set in .secrets.toml when a package "
                                          "is sold in a currency other than XTR"}),
        Validator("payments.precheckout_deadline", default=5.0, is_type_of=(int, float),
                  gt=0, lte=9),
        Validator("payments.recharge_package", default="small", is_type_of=str),
        Validator("payments.recharge_cooldown", default=None,
                  condition=lambda v: v is None or (isinstance(v, int) and v >= 0),
                  messages={"condition": "{name} must be seconds (0 or more), or unset to "
                                         "follow credits.low_balance_cooldown"}),
        Validator("payments.refund_worker", default=True, is_type_of=bool),
        Validator("payments.refund_poll", default=5.0, is_type_of=(int, float), gt=0),
        Validator("payments.refund_lease", default=60.0, is_type_of=(int, float), gt=0),
        Validator("payments.refund_base_delay", default=5.0, is_type_of=(int, float), gt=0),
        Validator("payments.refund_max_delay", default=3600.0, is_type_of=(int, float), gt=0),
        Validator("payments.refund_max_attempts", default=12, is_type_of=int, gte=1),
        Validator("payments.texts.support", default=SUPPORT, is_type_of=str),
        Validator("payments.texts.terms", default=TERMS, is_type_of=str),
        Validator("payments.texts.privacy", default=PRIVACY, is_type_of=str),
    ]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return ("payments", str(SCHEMA))


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"payments": PaymentsService(kernel, kernel.settings.payments)}


@hookimpl
def register_texts() -> str:
    return str(Path(__file__).resolve().parent / "locales")


@hookimpl
def register_commands() -> list[Command]:
    return [
        Command("buy", handlers.buy),
        Command("paysupport", handlers.paysupport),
        Command("terms", handlers.terms),
        Command("privacy", handlers.privacy),
        Command("refund", handlers.refund, admin_only=True),
        Command("payments", handlers.payments, admin_only=True),
        Command("payments_csv", handlers.payments_csv, admin_only=True),
    ]


@hookimpl
def register_callbacks() -> list[CallbackRoute]:
    return [CallbackRoute.of(handlers.BuyPackage, handlers.buy_pressed)]


@hookimpl
def register_message_handlers() -> list[MessageHandler]:
    return [
        MessageHandler(handlers.pre_checkout, kinds=frozenset({UpdateKind.PRE_CHECKOUT}),
                       private_only=False),
        MessageHandler(handlers.successful_payment, kinds=frozenset({UpdateKind.PAYMENT}),
                       private_only=False),
    ]


@hookimpl
async def startup(kernel: Kernel) -> None:
    service: PaymentsService = kernel.service("payments")
    await service.recover()
    if kernel.settings.payments.refund_worker:
        service.start_worker()


@hookimpl
async def shutdown(kernel: Kernel) -> None:
    await kernel.service("payments").stop_worker()


@hookimpl
def balance_low(kernel: Kernel, user_id: int, amount: int) -> Any:
    return kernel.service("payments").recharge(user_id, amount)


@hookimpl
def stats(kernel: Kernel) -> Any:
    return kernel.service("payments").figures()


@hookimpl
def user_summary(kernel: Kernel, user_id: int) -> Any:
    return kernel.service("payments").user_lines(user_id)


@hookimpl
def segment_users(kernel: Kernel, segment: str, value: str) -> Any:
    """`buyers` (anyone with a payment not refunded) or `buyers:XTR` (in one currency)."""
    if segment != "buyers":
        return None
    return kernel.service("payments").buyers(value)


@hookimpl
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    async def refunds() -> dict[str, Any]:
        figures = await kernel.service("payments").figures()
        if figures["refunds failed"]:
            raise RuntimeError(f"{figures['refunds failed']} refunds failed: see /payments")
        return {"refunds pending": figures["refunds pending"]}

    return [HealthCheck("payments.refunds", refunds)]
