"""One pagination for every list a bot shows: pages counted one way, one set of labels.

    page = paginate(items, requested, size)              # a list already in memory
    page = Page.counted(rows, requested, size, total)    # a database page with its total
    page = Page.probed(rows, requested, size)            # read with limit(size + 1)
    add_nav(rows, page, lambda n: History(n).pack())   # Previous / Next buttons

Page numbers are 0-based inside, shown 1-based. A requested page past the end shows the last
one (a list that shrank since its buttons were drawn), and a negative one the first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from core.types import Button

if TYPE_CHECKING:
    from core.i18n import Translator

T = TypeVar("T")

PREVIOUS = "‹ Previous"
NEXT = "Next ›"
MAX_PAGE = 99_999  # button data ranges use this bound: no list has more pages


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    number: int  # 0-based
    pages: int  # at least 1
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.pages

    @property
    def label(self) -> str:
        """"page 2 of 5", or "" when everything fits on one page."""
        return f"page {self.number + 1} of {self.pages}" if self.pages > 1 else ""

    def label_in(self, t: Translator | None) -> str:
        """`label` in the reader's language."""
        if t is None or self.pages <= 1:
            return self.label
        return t("page-of", page=self.number + 1, pages=self.pages)

    def suffix(self, t: Translator | None = None) -> str:
        """" (page 2 of 5)" for a title, or ""."""
        label = self.label_in(t)
        return f" ({label})" if label else ""

    def nav(self, data: Callable[[int], str], t: Translator | None = None) -> list[Button]:
        """The navigation row: buttons to the neighbouring pages (empty on a single page)."""
        row = []
        if self.has_previous:
            row.append(Button(t("page-previous") if t else PREVIOUS, data(self.number - 1)))
        if self.has_next:
            row.append(Button(t("page-next") if t else NEXT, data(self.number + 1)))
        return row

    @classmethod
    def counted(cls, items: Sequence[T], number: int, size: int, total: int) -> Page[T]:
        """A page read from a database (`offset(number * size).limit(size)`), given the total."""
        return cls(list(items), max(0, number), pages_for(total, size), total)


    @classmethod
    def probed(cls, rows: Sequence[T], number: int, size: int) -> Page[T]:
        """A page read with one extra row (`limit(size + 1)`) to learn whether another follows,
        when counting them all would cost too much. `pages` and `total` are then lower bounds:
        show `number + 1` alone, not "of N"."""
        number = max(0, number)
        items = list(rows[:size])
        more = len(rows) > size
        return cls(items, number, number + (2 if more else 1), number * size + len(items))


def pages_for(total: int, size: int) -> int:
    if size < 1:
        raise ValueError("a page holds at least one item")
    return max(1, (total + size - 1) // size)


def clamp(number: int, total: int, size: int) -> int:
    """The page to show for a requested number: within 0..last."""
    return min(max(0, number), pages_for(total, size) - 1)


def paginate(items: Sequence[T], number: int, size: int) -> Page[T]:
    """One page of a list in memory; an out-of-range number shows the nearest page."""
    number = clamp(number, len(items), size)
    start = number * size
    return Page(list(items[start:start + size]), number, pages_for(len(items), size),
                len(items))


def add_nav(rows: list[list[Button]], page: Page[T], data: Callable[[int], str],
            t: Translator | None = None) -> None:
    """Append the navigation row to a keyboard when there is more than one page (its buttons
    in `t`'s language when given)."""
    nav = page.nav(data, t)
    if nav:
        rows.append(nav)
