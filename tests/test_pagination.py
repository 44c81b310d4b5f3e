"""One pagination: pages counted one way, clamped, one set of labels."""

from __future__ import annotations

import pytest

from core.pagination import NEXT, PREVIOUS, Page, add_nav, pages_for, paginate


def test_pages_are_counted_one_way() -> None:
    assert [pages_for(n, 5) for n in (0, 1, 5, 6, 10, 11)] == [1, 1, 1, 2, 2, 3]
    with pytest.raises(ValueError):
        pages_for(3, 0)


def test_a_page_of_a_list_is_clamped() -> None:
    items = list(range(12))
    assert paginate(items, 0, 5).items == [0, 1, 2, 3, 4]
    last = paginate(items, 99, 5)
    assert (last.number, last.items, last.pages) == (2, [10, 11], 3)
    assert paginate(items, -4, 5).number == 0
    assert paginate([], 3, 5) == Page([], 0, 1, 0)


def test_navigation_row_and_labels() -> None:
    middle = paginate(list(range(12)), 1, 5)
    row = middle.nav(lambda n: f"x:{n}")
    assert [(b.text, b.data) for b in row] == [(PREVIOUS, "x:0"), (NEXT, "x:2")]
    assert middle.label == "page 2 of 3" and middle.suffix() == " (page 2 of 3)"
    single = paginate([1, 2], 0, 5)
    rows: list = []
    add_nav(rows, single, lambda n: f"x:{n}")
    assert rows == [] and single.suffix() == ""


def test_a_counted_database_page() -> None:
    page = Page.counted(["a", "b"], 3, 2, 8)
    assert page.pages == 4 and page.has_previous and not page.has_next
