"""Typed button data: a callback is declared once, with its prefix and typed fields.

    @dataclass(frozen=True, slots=True)
    class ProductCard(CallbackData, prefix="shop:p"):
        product_id: Annotated[int, IntRange(1, 10**12)]

    Button("Show", ProductCard(42).pack())            # "shop:p:42", checked against 64 bytes
    CallbackRoute.of(ProductCard, handlers.card)       # the route, keyed by the prefix
    card = ctx.button(ProductCard)                     # in the handler: the parsed press

Fields are ints (with a range: `IntRange`), short strings (`Chars(max_len, pattern)`), `StrEnum`s
and bools, written in order after the prefix and separated by ':'. The dispatcher parses a press
before the handler runs; malformed, oversized, forged or out-of-range data never reaches a
handler, and the press is answered "This button is no longer valid".

A declaration with `signed=True` carries an HMAC tag, so its data cannot be forged or edited:
build it with `pack(secret)` (handlers use `ctx.pack(data)`, which knows the kernel's key).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self

from core.types import CALLBACK_DATA_LIMIT

SEP = ":"
TAG_CHARS = 11  # 8 bytes of HMAC-SHA256, base64url without padding
INVALID_BUTTON = "This button is no longer valid."  # English; users see error-button-expired


class InvalidCallback(ValueError):
    """Button data that does not match its declaration (never shown to a handler)."""


@dataclass(frozen=True, slots=True)
class IntRange:
    """An int field's bounds, inclusive. Digits only: no sign, no leading '+', no spaces."""

    low: int = 0
    high: int = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Chars:
    """A string field: at most `max_len` characters matching `pattern`; never contains ':'."""

    max_len: int = 32
    pattern: str = r"[A-Za-z0-9_-]*"


Text = Chars  # the first name; `Chars` does not clash with core.i18n.Text

DIGITS = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str]


def _int_field(name: str, bounds: IntRange) -> _Field:
    limit = len(str(max(abs(bounds.low), abs(bounds.high)))) + 1

    def parse(raw: str) -> int:
        negative = raw.startswith("-")
        digits = raw[1:] if negative else raw
        if len(raw) > limit or not DIGITS.fullmatch(digits):
            raise InvalidCallback(f"{name}: not a number")
        value = -int(digits) if negative else int(digits)
        if not bounds.low <= value <= bounds.high:
            raise InvalidCallback(f"{name}: out of range")
        return value

    def show(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int")
        if not bounds.low <= value <= bounds.high:
            raise ValueError(f"{name}={value} is outside {bounds.low}..{bounds.high}")
        return str(value)

    return _Field(name, parse, show)


def _text_field(name: str, spec: Chars) -> _Field:
    pattern = re.compile(spec.pattern)

    def check(value: str) -> str:
        if len(value) > spec.max_len or SEP in value or not pattern.fullmatch(value):
            raise InvalidCallback(f"{name}: not a valid value")
        return value

    def show(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str")
        try:
            return check(value)
        except InvalidCallback as exc:
            raise ValueError(f"{name}={value!r} does not fit {spec}") from exc

    return _Field(name, check, show)


def _enum_field(name: str, enum: type[StrEnum]) -> _Field:
    def parse(raw: str) -> StrEnum:
        try:
            return enum(raw)
        except ValueError:
            raise InvalidCallback(f"{name}: unknown value") from None

    def show(value: Any) -> str:
        return str(enum(value).value)

    return _Field(name, parse, show)


def _bool_field(name: str) -> _Field:
    def parse(raw: str) -> bool:
        if raw not in ("0", "1"):
            raise InvalidCallback(f"{name}: not a flag")
        return raw == "1"

    def show(value: Any) -> str:
        return "1" if value else "0"

    return _Field(name, parse, show)


def _field_for(name: str, hint: Any) -> _Field:
    base, extras = hint, ()
    if typing.get_origin(hint) is typing.Annotated:
        base, *rest = typing.get_args(hint)
        extras = tuple(rest)
    if base is bool:
        return _bool_field(name)
    if base is int:
        bounds = next((e for e in extras if isinstance(e, IntRange)), None)
        if bounds is None:
            raise TypeError(f"int field {name!r} needs a range: Annotated[int, IntRange(...)]")
        return _int_field(name, bounds)
    if base is str:
        return _text_field(name, next((e for e in extras if isinstance(e, Chars)), Chars()))
    if isinstance(base, type) and issubclass(base, StrEnum):
        return _enum_field(name, base)
    raise TypeError(f"callback field {name!r}: unsupported type {hint!r}")


class CallbackData:
    """Base of every button-data declaration (subclass it as a frozen dataclass)."""

    prefix: ClassVar[str]
    signed: ClassVar[bool] = False
    _fields: ClassVar[tuple[_Field, ...] | None] = None

    def __init_subclass__(cls, *, prefix: str = "", signed: bool = False, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if not prefix:
            # a dataclass(slots=True) re-creates the class: it inherits the settings
            if not getattr(cls, "prefix", ""):
                raise TypeError(f"{cls.__name__}: declare a prefix: class X(CallbackData, "
                                "prefix='plugin:verb')")
            return
        if not re.fullmatch(r"[a-z][a-z0-9_]*(:[a-z0-9_]+)*", prefix):
            raise TypeError(f"{cls.__name__}: prefix {prefix!r} must be lower-case words "
                            "separated by ':'")
        cls.prefix = prefix
        cls.signed = signed
        cls._fields = None

    @classmethod
    def _layout(cls) -> tuple[_Field, ...]:
        if cls._fields is None:
            if not dataclasses.is_dataclass(cls):
                raise TypeError(f"{cls.__name__} must be a dataclass")
            hints = typing.get_type_hints(cls, include_extras=True)
            cls._fields = tuple(_field_for(f.name, hints[f.name])
                                for f in dataclasses.fields(cls))
        return cls._fields

    # ---- building -----------------------------------------------------------------------------

    def pack(self, secret: bytes | None = None) -> str:
        """The button data: prefix and fields, plus a tag when signed; at most 64 bytes."""
        cls = type(self)
        parts = [cls.prefix] + [f.show(getattr(self, f.name)) for f in cls._layout()]
        data = SEP.join(parts)
        if cls.signed:
            if not secret:
                raise ValueError(f"{cls.__name__} is signed: pack it with the kernel's key "
                                 "(ctx.pack(...))")
            data += SEP + _tag(secret, data)
        size = len(data.encode())
        if size > CALLBACK_DATA_LIMIT:
            raise ValueError(f"{cls.__name__} data is {size} bytes, Telegram allows "
                             f"{CALLBACK_DATA_LIMIT}: {data!r}")
        return data

    # ---- parsing ------------------------------------------------------------------------------

    @classmethod
    def unpack(cls, data: str, secret: bytes | None = None) -> Self:
        """Parse button data of this declaration, or raise InvalidCallback."""
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise InvalidCallback("oversized")
        head = cls.prefix + SEP
        fields = cls._layout()
        if data == cls.prefix and not fields and not cls.signed:
            return cls()
        if not data.startswith(head):
            raise InvalidCallback("another prefix")
        parts = data[len(head):].split(SEP)
        if cls.signed:
            if not secret or len(parts) != len(fields) + 1:
                raise InvalidCallback("unsigned")
            body = data[: len(data) - len(parts[-1]) - 1]
            if not hmac.compare_digest(parts[-1], _tag(secret, body)):
                raise InvalidCallback("bad signature")
            parts = parts[:-1]
        if len(parts) != len(fields):
            raise InvalidCallback(f"expected {len(fields)} fields, got {len(parts)}")
        values = {f.name: f.parse(raw) for f, raw in zip(fields, parts, strict=True)}
        return cls(**values)


def _tag(secret: bytes, data: str) -> str:
    digest = hmac.new(secret, data.encode(), hashlib.sha256).digest()[:8]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def prefix_candidates(data: str, depth: int = 3) -> list[str]:
    """The prefixes a piece of button data could belong to, longest first."""
    parts = data.split(SEP, depth)
    return [SEP.join(parts[:i]) for i in range(min(depth, len(parts)), 0, -1)]
