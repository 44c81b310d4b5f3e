"""Text rules of the Telegram transport, as pure functions: escaping and splitting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.transports.tg_actions import TEXT_LIMIT, as_html, chunks, split_long, units
from core.types import Button, SendMessage, keyboard


def test_plain_text_is_escaped_html_is_kept() -> None:
    assert as_html("<b>x</b> & y", False) == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert as_html("<b>x</b>", True) == "<b>x</b>"


def test_emoji_count_twice_towards_the_limit() -> None:
    text = "😀" * 3000  # 3,000 characters, 6,000 UTF-16 units: one line, cut hard
    parts = chunks(text)
    assert [units(p) for p in parts] == [4096, 6000 - 4096]
    assert "".join(parts) == text


def test_short_text_is_one_message_with_its_buttons() -> None:
    action = SendMessage(1, "hi", keyboard(Button("A", data="a")))
    assert split_long(action) == [action]


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"],
                                                blacklist_characters="\r\n\x0b\x0c\x1c\x1d"
                                                "\x1e\x85\u2028\u2029"),
                        max_size=3000), min_size=1, max_size=12))
def test_split_keeps_every_line_whole_and_in_order(lines: list[str]) -> None:
    text = "\n".join(lines)
    parts = split_long(SendMessage(7, text, keyboard(Button("Next", data="n")), html=True))
    assert all(units(p.text) <= TEXT_LIMIT for p in parts)  # type: ignore[attr-defined]
    assert [p.buttons is not None for p in parts][-1]  # type: ignore[attr-defined]
    assert all(p.buttons is None for p in parts[:-1])  # type: ignore[attr-defined]
    joined = "".join(p.text for p in parts)  # type: ignore[attr-defined]
    assert joined.replace("\n", "") == text.replace("\n", "")  # nothing lost, nothing added
