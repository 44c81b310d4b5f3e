"""Signed invoice payloads: `<order id>.<signature>`, well inside Telegram's 128 bytes.

The signature is an HMAC-SHA256 (first 16 bytes, base64url) over the order id, the payer, the
amount and the currency, so a payload copied to another user or another price does not verify
even before the order is read. The first secret signs; every secret verifies, so a secret can be
rotated by putting the new one first and dropping the old one once its invoices are stale.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence

PAYLOAD_LIMIT = 128  # bytes, Telegram's limit for an invoice payload
_FORMAT = re.compile(r"^([1-9][0-9]{0,18})\.([A-Za-z0-9_-]{22})$")


def _mac(secret: str, order_id: int, user_id: int, amount: int, currency: str) -> str:
    message = f"v1|{order_id}|{user_id}|{amount}|{currency}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(secrets: Sequence[str], order_id: int, user_id: int, amount: int, currency: str) -> str:
    payload = f"{order_id}.{_mac(secrets[0], order_id, user_id, amount, currency)}"
    assert len(payload.encode()) <= PAYLOAD_LIMIT
    return payload


def verify(secrets: Sequence[str], payload: str, user_id: int, amount: int,
           currency: str) -> int | None:
    """The order id when `payload` was signed by one of `secrets` for exactly this payer,
    amount and currency; None otherwise."""
    match = _FORMAT.match(payload or "")
    if match is None:
        return None
    order_id, given = int(match.group(1)), match.group(2)
    valid = False
    for secret in secrets:
        # Every secret is tried (no early exit), each comparison in constant time.
        valid |= hmac.compare_digest(_mac(secret, order_id, user_id, amount, currency), given)
    return order_id if valid else None
