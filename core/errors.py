"""Error types shared by the kernel, the transports and the plugins."""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.i18n import Text


class BotError(Exception):
    """Base of the framework's own errors."""


class UserError(BotError):
    """A problem the user can fix: its message is shown to them, translated when it is a
    `core.i18n.Text` (`UserError(Text("shop-sold-out", title=...))`)."""

    def __init__(self, message: str | Text) -> None:
        # A Text reads as its key and arguments in logs and tracebacks.
        super().__init__(message if isinstance(message, str) else repr(message))
        self.message = message


class ConfigError(BotError):
    """Settings that stop start-up; `errors` holds every problem found, one line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class PluginError(BotError):
    """A plugin that cannot be loaded as configured (unknown, missing requirement, bad hook)."""


# ---- what a transport raises so the outbox can react, whatever the transport ------------------


class TransportError(BotError):
    """Base for errors a transport translates from its library."""


class RetryAfter(TransportError):
    """Flood control: wait `seconds`, then try again. `scope_all` when the limit is global."""

    def __init__(self, seconds: float, *, scope_all: bool = False) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds
        self.scope_all = scope_all


class Unreachable(TransportError):
    """The user blocked the bot, deactivated the account, or the chat is gone: do not retry."""


class NotModified(TransportError):
    """An edit that changes nothing: harmless."""


class AlreadyDone(TransportError):
    """Telegram says the operation already happened (a charge already refunded): count it done."""


_ALPHABET = string.ascii_uppercase + string.digits


def new_reference() -> str:
    """A short code a user can quote to the operators, such as 'E-7KQ2MX'."""
    return "E-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


class Fatal(BotError):
    """A failure that stops the process and that an operator can fix: one line, what and fix.

    `python -m core` prints it as one line and exits non-zero (see core/failures.py)."""

    def __init__(self, what: str, fix: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix
