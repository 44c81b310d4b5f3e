"""The admin plugin's button data, declared once (see core/callbacks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from core.callbacks import CallbackData, IntRange
from core.pagination import MAX_PAGE


class Verb(StrEnum):
    CONFIRM = "confirm"
    DISCARD = "discard"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class BroadcastButton(CallbackData, prefix="bc"):
    verb: Verb
    broadcast_id: Annotated[int, IntRange(1, 10**12 - 1)]


@dataclass(frozen=True, slots=True)
class BannedPage(CallbackData, prefix="adm:banned"):
    page: Annotated[int, IntRange(0, MAX_PAGE)]
