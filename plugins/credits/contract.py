"""What other plugins may rely on: the `credits` service as a typed Protocol, and its errors.

    credits: Credits = kernel.service("credits")

Callers use only this module; the service's key formats and internals stay private to it.
The plugin's events (`credits_changed`, `balance_low`, `tier_changed`) are its hookspecs
(`plugins/credits/hookspecs.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from core.errors import UserError
from core.i18n import Text

if TYPE_CHECKING:
    from plugins.credits.service import LedgerEntry


class CreditsError(UserError):
    """Bad input or an unknown entry; nothing changed."""


class InsufficientCredits(UserError):
    """The balance does not cover a debit (or a reversal); nothing changed."""

    def __init__(self, balance: int, needed: int, message: Text | None = None) -> None:
        self.balance = balance
        self.needed = needed
        self.shortfall = needed - balance
        super().__init__(message or Text("credits-not-enough", needed=needed, balance=balance,
                                         shortfall=self.shortfall))


class Credits(Protocol):
    """The `credits` service, as other plugins see it."""

    max_amount: int

    async def balance(self, user_id: int) -> int: ...

    async def discount(self, user_id: int) -> int:
        """The user's tier discount in percent (0 without a tier)."""
        ...

    async def entry(self, key: str) -> LedgerEntry | None: ...

    async def credit(self, user_id: int, amount: int, reason: str, key: str, *,
                     actor: int | None = None, purchased: bool = False) -> LedgerEntry: ...

    async def debit(self, user_id: int, amount: int, reason: str, key: str, *,
                    actor: int | None = None) -> LedgerEntry:
        """Raises `InsufficientCredits`."""
        ...

    async def refund(self, debit_key: str, reason: str = "refund", *,
                     actor: int | None = None) -> LedgerEntry: ...

    async def reverse(self, key: str, reason: str = "reversed", *, force: bool = False,
                      actor: int | None = None) -> LedgerEntry:
        """Take back the credit written with `key`; raises `InsufficientCredits` when part of
        it is spent, unless `force`."""
        ...

    async def reversal(self, key: str) -> LedgerEntry | None:
        """The reversal of the credit written with `key`, if one was written."""
        ...

    def debit_in_transaction(self, user_id: int, amount: int, reason: str, key: str, *,
                             actor: int | None = None) -> Any: ...

    def refund_in_transaction(self, debit_key: str, reason: str = "refund", *,
                              actor: int | None = None) -> Any: ...

    async def after_commit(self, pending: Any) -> None: ...
