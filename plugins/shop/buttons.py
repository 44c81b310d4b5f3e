"""The shop's button data, declared once (see core/callbacks.py). Ids only: the service
re-checks everything on a press."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from core.callbacks import CallbackData, Chars, IntRange
from core.pagination import MAX_PAGE

PageNumber = Annotated[int, IntRange(0, MAX_PAGE)]
Id = Annotated[int, IntRange(1, 2**63 - 1)]
RequestId = Annotated[str, Chars(16, r"[A-Za-z0-9_-]{16}")]
CategoryCode = Annotated[str, Chars(8, r"[0-9a-f]{8}")]


@dataclass(frozen=True, slots=True)
class Home(CallbackData, prefix="shop:h"):
    """Categories, a page of them."""

    page: PageNumber = 0


@dataclass(frozen=True, slots=True)
class Category(CallbackData, prefix="shop:c"):
    """Products of a category, a page of them."""

    code: CategoryCode
    page: PageNumber = 0


@dataclass(frozen=True, slots=True)
class Card(CallbackData, prefix="shop:p"):
    """A product card."""

    product_id: Id


@dataclass(frozen=True, slots=True)
class Buy(CallbackData, prefix="shop:buy"):
    """Ask to confirm (writes a purchase request)."""

    product_id: Id


@dataclass(frozen=True, slots=True)
class Confirm(CallbackData, prefix="shop:ok"):
    request_id: RequestId


@dataclass(frozen=True, slots=True)
class Cancel(CallbackData, prefix="shop:no"):
    request_id: RequestId


@dataclass(frozen=True, slots=True)
class Mine(CallbackData, prefix="shop:m"):
    """/purchases, a page of them."""

    page: PageNumber = 0


@dataclass(frozen=True, slots=True)
class Again(CallbackData, prefix="shop:get"):
    """Receive a bought item again."""

    purchase_id: Id
