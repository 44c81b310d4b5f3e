"""Shop: a catalogue of digital products bought with credits and delivered at once.

Users: /shop (categories, product cards, Buy, Confirm), /purchases (receive again).
Admins: /shop_add, /shop_edit, /shop_stock, /shop_off, /shop_on, /shop_list.
Business rules live in `service.py` (`kernel.service("shop")`); it fires `purchase_completed`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator
from loguru import logger

from core.conversations import Flow
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.types import CallbackRoute, Command
from plugins.shop import admin, handlers
from plugins.shop.models import MODELS
from plugins.shop.service import ShopService

REQUIRES: tuple[str, ...] = ("credits",)
SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "shop"
LOCALES = Path(__file__).resolve().parent / "locales"


@hookimpl
def register_settings() -> list[Validator]:
    return [
        Validator("shop.page_size", default=8, is_type_of=int, gte=1, lte=50),
        Validator("shop.cache_ttl", default=300, is_type_of=int, gte=1, lte=86_400),
        Validator("shop.max_price", default=1_000_000, is_type_of=int, gte=1, lte=10**12),
    ]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return ("shop", str(SCHEMA))


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"shop": ShopService(kernel, kernel.settings.shop)}


@hookimpl
def register_texts() -> str:
    return str(LOCALES)


@hookimpl
def register_commands() -> list[Command]:
    return [
        Command("shop", handlers.shop),
        Command("purchases", handlers.purchases),
        Command("shop_add", admin.shop_add, admin_only=True),
        Command("shop_edit", admin.shop_edit, admin_only=True),
        Command("shop_stock", admin.shop_stock, admin_only=True),
        Command("shop_off", admin.shop_off, admin_only=True),
        Command("shop_on", admin.shop_on, admin_only=True),
        Command("shop_list", admin.shop_list, admin_only=True),
    ]


@hookimpl
def register_callbacks() -> list[CallbackRoute]:
    return handlers.ROUTES


@hookimpl
def register_conversations() -> list[Flow]:
    return admin.FLOWS


@hookimpl
async def startup(kernel: Kernel) -> None:
    recovered = await kernel.service("shop").recover()
    if recovered:
        logger.warning("shop: finished {} purchases left paid but undelivered", recovered)


@hookimpl
def stats(kernel: Kernel) -> Any:
    return kernel.service("shop").stats()


@hookimpl
def user_summary(kernel: Kernel, user_id: int) -> Any:
    return kernel.service("shop").user_summary(user_id)


@hookimpl
def segment_users(kernel: Kernel, segment: str, value: str) -> Any:
    if segment != "buyers":
        return None
    return kernel.service("shop").buyers(value)
