"""Numbers, money and dates written the way a locale writes them (Babel).

Money is an integer in minor units (cents; Stars for XTR). Telegram Stars are not an ISO
currency, so they are written as a number with a star.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, get_currency_precision

STARS = "XTR"


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units; Stars for XTR
    currency: str


@lru_cache(maxsize=64)
def locale(language: str) -> Locale:
    """Babel's locale for a language code ('es', 'pt-br'); English when Babel has none."""
    try:
        return Locale.parse(locale_name(language))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def locale_name(language: str) -> str:
    """'pt-br' -> 'pt_BR', the form Babel and Fluent expect."""
    primary, _, region = language.partition("-")
    return f"{primary}_{region.upper()}" if region else primary


@lru_cache(maxsize=64)
def language_name(language: str) -> str:
    """A language's own name for itself, capitalised: 'Español', 'Русский'."""
    loc = locale(language)
    name = loc.get_display_name(loc) or language
    return name[:1].upper() + name[1:]


def number(value: int | float, where: Locale) -> str:
    return format_decimal(value, locale=where)


def money(value: Money, where: Locale) -> str:
    currency = value.currency.upper()
    if currency == STARS:
        return f"{format_decimal(value.amount, locale=where)} ⭐"
    digits = get_currency_precision(currency)
    major = Decimal(value.amount).scaleb(-digits)
    return format_currency(major, currency, locale=where)


def when(value: datetime, where: Locale) -> str:
    """A stored time (naive UTC) as a short date and time, in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value, "short", tzinfo=UTC, locale=where)


def day(value: date, where: Locale) -> str:
    return format_date(value, "medium", locale=where)
