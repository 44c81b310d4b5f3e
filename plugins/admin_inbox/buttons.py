"""The inbox's button data, declared once (see core/callbacks.py). Ids only: the service
checks them again when pressed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from core.callbacks import CallbackData, IntRange
from core.pagination import MAX_PAGE
from plugins.admin_inbox.models import PRIORITIES

ConversationId = Annotated[int, IntRange(1, 2**31 - 1)]


class Act(StrEnum):
    VIEW = "v"
    REPLY = "r"
    CLOSE = "c"
    REOPEN = "o"
    PRIORITY = "p"  # ask which
    ASSIGN = "a"
    BAN = "b"
    UNBAN = "u"


@dataclass(frozen=True, slots=True)
class OnConversation(CallbackData, prefix="inbox"):
    """`inbox:<act>:<conversation>`"""

    act: Act
    conversation: ConversationId


@dataclass(frozen=True, slots=True)
class SetPriority(CallbackData, prefix="inbox:p"):
    conversation: ConversationId
    level: Annotated[int, IntRange(0, len(PRIORITIES) - 1)]


@dataclass(frozen=True, slots=True)
class QueuePage(CallbackData, prefix="inbox:l"):
    """/inbox, a page (counted from 1, as /inbox <page> is)."""

    page: Annotated[int, IntRange(1, MAX_PAGE)]
