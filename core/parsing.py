"""Text parsing shared by every transport: commands, deep links, user references."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.i18n import Text

COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    name: str  # lower case, without slash or @bot
    args: str
    for_us: bool  # False for /cmd@otherbot


def parse_command(text: str, bot_username: str | None = None) -> ParsedCommand | None:
    """`/cmd`, `/cmd args`, `/cmd@bot args`; None when the text is not a command."""
    match = COMMAND.match(text.strip())
    if match is None:
        return None
    name, addressee, args = match.group(1).lower(), match.group(2), match.group(3) or ""
    for_us = addressee is None or (bot_username is not None
                                   and addressee.lower() == bot_username.lower())
    return ParsedCommand(name, args.strip(), for_us)


class AmountError(ValueError):
    """A number the user typed that will not do; `text` says why, in their language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.key)
        self.text = text


def parse_amount(text: str, *, minimum: int = 1, maximum: int = 10**9,
                 field: Text | None = None) -> int:
    """A whole number within bounds, or AmountError with a text for the user that names
    `field` when given ("Price: the number must be from 1 to 1,000")."""
    cleaned = text.strip().replace("_", "")
    digits = cleaned.removeprefix("-").removeprefix("+")
    prefix, named = ("amount-", {}) if field is None else ("amount-field-", {"field": field})
    if not (digits.isascii() and digits.isdigit()):
        raise AmountError(Text(prefix + "not-number", value=text[:20], **named))
    value = int(cleaned) if len(digits) <= 18 else maximum + 1
    if not minimum <= value <= maximum:
        raise AmountError(Text(prefix + "out-of-range", minimum=minimum, maximum=maximum,
                               **named))
    return value
