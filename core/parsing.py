"""Text parsing shared by every transport: commands, deep links, user references."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def parse_amount(text: str, *, minimum: int = 1, maximum: int = 10**9) -> int:
    """A whole positive number within bounds, or ValueError with a message for the user."""
    cleaned = text.strip().replace("_", "")
    if not (cleaned.isascii() and cleaned.lstrip("+").isdigit()) or len(cleaned) > 15:
        raise ValueError(f"'{text[:20]}' is not a whole number")
    value = int(cleaned)
    if not minimum <= value <= maximum:
        raise ValueError(f"must be between {minimum} and {maximum}")
    return value
