"""Credit packages from settings, and the price of an auto-recharge top-up."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.i18n import Translator

STARS = "XTR"
PACKAGE_ID = re.compile(r"^[a-z0-9_-]{1,32}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_PRICE = 10**9
# Telegram counts amounts in the currency's smallest unit; these have no minor unit.
ZERO_DECIMAL = frozenset({"XTR", "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "PYG", "HUF"})


def money(amount: int, currency: str) -> str:
    """An amount in minor units for people: '50 ⭐', '4.99 EUR', '500 JPY'."""
    if currency == STARS:
        return f"{amount} ⭐"
    if currency in ZERO_DECIMAL:
        return f"{amount} {currency}"
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}{whole}.{cents:02d} {currency}"


@dataclass(frozen=True, slots=True)
class Package:
    id: str
    credits: int
    price: int  # minor units; Stars for XTR
    currency: str
    title: str  # "" : the translated "<n> credits"

    @property
    def is_stars(self) -> bool:
        return self.currency == STARS

    def title_in(self, t: Translator) -> str:
        return self.title or t("payments-package-title", credits=self.credits)

    def label(self, t: Translator) -> str:
        return t("payments-package-label", title=self.title_in(t),
                 price=t.money(self.price, self.currency))


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def parse_packages(raw: Iterable[Any]) -> tuple[Package, ...]:
    """Packages from settings (a list of {id, credits, price, currency, title}); raises
    ValueError naming the problem (the settings validator uses it too)."""
    found: list[Package] = []
    for item in raw or []:
        if not isinstance(item, dict):
            raise ValueError("each package is a table {id, credits, price, currency, title}")
        pid = item.get("id")
        if not isinstance(pid, str) or not PACKAGE_ID.match(pid):
            raise ValueError(f"package id {pid!r} must be 1-32 of a-z, 0-9, _ or -")
        credits, price = item.get("credits"), item.get("price")
        currency = item.get("currency", STARS)
        title = item.get("title") or ""
        if not _whole(credits, 1, 10**12):
            raise ValueError(f"package {pid!r}: credits must be a whole number from 1")
        if not _whole(price, 1, MAX_PRICE):
            raise ValueError(f"package {pid!r}: price must be a whole number from 1 (minor "
                             "units; Stars for XTR)")
        if not isinstance(currency, str) or not CURRENCY.match(currency):
            raise ValueError(f"package {pid!r}: currency must be a 3-letter code such as XTR")
        if not isinstance(title, str) or len(title) > 32:
            raise ValueError(f"package {pid!r}: title must be 1 to 32 characters")
        found.append(Package(pid, credits, price, currency, title))
    if len({p.id for p in found}) != len(found):
        raise ValueError("package ids must be unique")
    return tuple(found)


def topup_price(reference: Package, credits: int) -> int:
    """The price of `credits` at the reference package's rate, rounded up (integer math)."""
    return max(1, -(-credits * reference.price // reference.credits))
