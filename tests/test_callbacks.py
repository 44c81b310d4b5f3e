"""Typed button data: declared once, built within 64 bytes, parsed before any handler runs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.callbacks import (
    INVALID_BUTTON,
    CallbackData,
    Chars,
    IntRange,
    InvalidCallback,
    prefix_candidates,
)
from core.testing import BotDriver
from core.types import CALLBACK_DATA_LIMIT
from tests.sample_plugin import Vote

KEY = b"k" * 32


class Colour(StrEnum):
    RED = "r"
    BLUE = "b"


@dataclass(frozen=True, slots=True)
class Everything(CallbackData, prefix="t:all"):
    page: Annotated[int, IntRange(0, 999)]
    offset: Annotated[int, IntRange(-5, 5)]
    code: Annotated[str, Chars(8, r"[0-9a-f]{8}")]
    colour: Colour
    flag: bool


def test_pack_and_unpack_round_trip() -> None:
    data = Everything(12, -3, "deadbeef", Colour.BLUE, True)
    assert data.pack() == "t:all:12:-3:deadbeef:b:1"
    assert Everything.unpack(data.pack()) == data


@given(page=st.integers(0, 999), offset=st.integers(-5, 5), flag=st.booleans(),
       colour=st.sampled_from(list(Colour)))
def test_any_valid_value_round_trips(page: int, offset: int, flag: bool,
                                     colour: Colour) -> None:
    data = Everything(page, offset, "0123abcd", colour, flag)
    assert Everything.unpack(data.pack()) == data


@pytest.mark.parametrize("raw", [
    "t:all", "t:all:", "t:all:1:0:deadbeef:r", "t:all:1:0:deadbeef:r:1:extra",
    "t:all:1000:0:deadbeef:r:1",                  # out of range
    "t:all:" + "9" * 18 + ":0:deadbeef:r:1",      # the 18-digit page
    "t:all:-1:0:deadbeef:r:1", "t:all:+1:0:deadbeef:r:1", "t:all:01:0:deadbeef:r:1",
    "t:all: 1:0:deadbeef:r:1", "t:all:١:0:deadbeef:r:1",  # arabic-indic digit one
    "t:all:1:6:deadbeef:r:1", "t:all:1:0:DEADBEEF:r:1", "t:all:1:0:dead:r:1",
    "t:all:1:0:deadbeef:g:1", "t:all:1:0:deadbeef:r:2", "t:all:1:0:deadbeef:r:true",
    "t:other:1:0:deadbeef:r:1", "t:all:1:0:deadbeef:r:1" + "0" * 60,
])
def test_malformed_data_is_refused(raw: str) -> None:
    with pytest.raises(InvalidCallback):
        Everything.unpack(raw)


def test_building_checks_ranges_and_telegrams_limit() -> None:
    with pytest.raises(ValueError, match="outside"):
        Everything(1000, 0, "deadbeef", Colour.RED, False).pack()
    with pytest.raises(ValueError, match="does not fit"):
        Everything(1, 0, "a:b", Colour.RED, False).pack()

    @dataclass(frozen=True, slots=True)
    class Long(CallbackData, prefix="t:long"):
        text: Annotated[str, Chars(100, r"[a-z]*")]

    assert Long("a" * 10).pack() == "t:long:" + "a" * 10
    with pytest.raises(ValueError, match=f"Telegram allows {CALLBACK_DATA_LIMIT}"):
        Long("a" * 60).pack()


def test_declarations_are_checked() -> None:
    with pytest.raises(TypeError, match="needs a range"):
        @dataclass(frozen=True, slots=True)
        class NoRange(CallbackData, prefix="t:n"):
            n: int

        NoRange(1).pack()
    with pytest.raises(TypeError, match="prefix"):
        class BadPrefix(CallbackData, prefix="Bad Prefix"):
            pass


def test_signed_data_cannot_be_forged() -> None:
    data = Vote(3).pack(KEY)
    assert Vote.unpack(data, KEY) == Vote(3)
    forged = data.replace(":3:", ":4:")
    for raw in (forged, "sample:vote:3", data[:-1] + ("A" if data[-1] != "A" else "B")):
        with pytest.raises(InvalidCallback):
            Vote.unpack(raw, KEY)
    with pytest.raises(InvalidCallback):
        Vote.unpack(data, b"another key" * 3)
    with pytest.raises(ValueError, match="signed"):
        Vote(3).pack()


def test_prefix_candidates_longest_first() -> None:
    assert prefix_candidates("shop:c:ab:0") == ["shop:c:ab", "shop:c", "shop"]
    assert prefix_candidates("x") == ["x"]


# ---- through the dispatcher --------------------------------------------------------------------


async def test_a_valid_press_reaches_the_handler_parsed(bot_with_sample: BotDriver) -> None:
    bot = bot_with_sample
    alice = bot.user(42)
    shown = await bot.send("/buttons", user=alice)
    pressed = await bot.press(shown.button("Seven"), user=alice)
    assert pressed.outcome == "ok" and pressed.alert == "picked 7 lucky"
    voted = await bot.press(shown.button("Vote 3"), user=alice)
    assert voted.alert == "voted 3"


@pytest.mark.parametrize("raw", [
    "sample:pick", "sample:pick:0", "sample:pick:100", "sample:pick:" + "9" * 18,
    "sample:pick:7:toolongword", "sample:pick:7:x:y", "sample:pick:-7", "sample:pick:7:é",
    "sample:pick:" + "1" * 70, "sample:vote:3", "sample:vote:3:AAAAAAAAAAA", "sample:vote:x:y",
])
async def test_forged_or_out_of_range_press_never_reaches_the_handler(
    bot_with_sample: BotDriver, raw: str,
) -> None:
    bot = bot_with_sample
    reply = await bot.press(raw, user=bot.user(42))
    assert reply.outcome == "invalid_button"
    assert reply.alert == INVALID_BUTTON
    assert bot.service("sample").errors == []
