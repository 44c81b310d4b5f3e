"""Updates made up locally, by the console chat and by the test driver, exactly as a real
transport would shape them."""

from __future__ import annotations

import itertools
import uuid

from core.parsing import parse_command
from core.types import Chat, ChatType, Media, PaymentInfo, Sender, Update, UpdateKind


class LocalUpdates:
    def __init__(self, bot_username: str = "local_bot", prefix: str = "local") -> None:
        self.bot_username = bot_username
        # Keys are unique per run: the journal remembers handled keys across restarts, and a
        # new run numbering its messages from 1 again is not a redelivery.
        self.prefix = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self._ids = itertools.count(1)

    def _key(self, kind: str) -> str:
        return f"{self.prefix}:{kind}:{next(self._ids)}"

    @staticmethod
    def private(sender: Sender) -> Chat:
        return Chat(sender.id, ChatType.PRIVATE)

    def message(self, text: str, sender: Sender, chat: Chat | None = None,
                media: Media | None = None, reply_to: int | None = None) -> Update | None:
        """A message; None for a command addressed to another bot (a real transport drops it)."""
        chat = chat or self.private(sender)
        parsed = parse_command(text, self.bot_username)
        if parsed is not None and not parsed.for_us:
            return None
        key = self._key("msg")
        message_id = int(key.rsplit(":", 1)[1])
        if parsed is not None:
            return Update(key, UpdateKind.COMMAND, sender, chat, text=text, command=parsed.name,
                          args=parsed.args, message_id=message_id, reply_to_message_id=reply_to)
        kind = UpdateKind.MEDIA if media else UpdateKind.TEXT
        return Update(key, kind, sender, chat, text=text, message_id=message_id,
                      reply_to_message_id=reply_to, media=media)

    def press(self, data: str, sender: Sender, message_id: int | None,
              chat: Chat | None = None) -> Update:
        key = self._key("cb")
        return Update(key, UpdateKind.CALLBACK, sender, chat or self.private(sender),
                      callback_id=key, callback_data=data, message_id=message_id)

    def pre_checkout(self, sender: Sender, payload: str, currency: str, amount: int) -> Update:
        key = self._key("pcq")
        return Update(key, UpdateKind.PRE_CHECKOUT, sender, self.private(sender),
                      payment=PaymentInfo(currency, amount, payload, query_id=key))

    def payment(self, sender: Sender, payload: str, currency: str, amount: int,
                charge_id: str | None = None) -> Update:
        """A successful payment; the same charge id always makes the same update key."""
        charge_id = charge_id or f"local-{uuid.uuid4().hex[:16]}"
        info = PaymentInfo(currency, amount, payload, telegram_payment_charge_id=charge_id,
                           provider_payment_charge_id=f"provider-{charge_id}")
        return Update(f"{self.prefix}:pay:{charge_id}", UpdateKind.PAYMENT, sender,
                      self.private(sender), payment=info)
