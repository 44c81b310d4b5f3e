"""A chat in the terminal: the embedded default when no bot token is configured.

You talk to the bot as a user; buttons are numbered and pressed with `/press N`. Console-only
commands (never sent to the bot):

    /as ID [NAME]   talk as another user          /admin    talk as the first admin
    /press N        press button N                /pay      pay the last invoice (test money)
    /whoami         who you are now               /quit     leave (Ctrl-D works too)

`--script FILE` plays a file of lines the same way (lines starting with # are comments).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, TextIO

from core.transports.local import LocalUpdates
from core.types import (
    Action,
    AnswerCallback,
    AnswerPreCheckout,
    Button,
    CopyMessage,
    EditMessage,
    ForwardMessage,
    RefundStars,
    Sender,
    SendInvoice,
    SendMedia,
    SendMessage,
    Sent,
    SetCommands,
    Update,
)

if TYPE_CHECKING:
    from core.kernel import Kernel

CONSOLE_USER = 1000
CONSOLE_ADMIN = 1
HELP = __doc__.split("\n\n")[1] if __doc__ else ""


class ConsoleTransport:
    name = "console"

    def __init__(self, kernel: Kernel, out: TextIO | None = None) -> None:
        self.kernel = kernel
        self.out = out or sys.stdout
        if not kernel.admins:
            # With no admins configured, the console's own admin lets you try admin features.
            kernel.admins = frozenset({CONSOLE_ADMIN})
        self.updates = LocalUpdates(kernel.settings.bot.name, prefix="console")
        self.sender = Sender(CONSOLE_USER, "You", username="you")
        self._ids = 0
        self._buttons: list[tuple[int, int, Button]] = []  # (chat, message id, button)
        self._invoice: SendInvoice | None = None
        self._precheckout: AnswerPreCheckout | None = None
        self._stopping = False

    # ---- output ------------------------------------------------------------------------------

    def _print(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def _show_buttons(self, chat: int, message_id: int, rows: Iterable[Iterable[Button]] | None
                      ) -> None:
        if not rows:
            return
        self._buttons = [b for b in self._buttons if b[1] != message_id]
        labels = []
        for row in rows:
            for button in row:
                self._buttons.append((chat, message_id, button))
                target = f" -> {button.url}" if button.url else ""
                labels.append(f"[{len(self._buttons)}] {button.text}{target}")
        self._print("     " + "  ".join(labels))

    async def execute(self, action: Action) -> Sent:
        self._ids += 1
        to = "" if action.chat_id == self.sender.id else f" (to {action.chat_id})"
        if isinstance(action, SendMessage):
            self._print(f"bot{to}> {action.text}")
            self._show_buttons(action.chat_id, self._ids, action.buttons)
            return Sent(self._ids)
        if isinstance(action, EditMessage):
            self._print(f"bot{to} (edits #{action.message_id})> {action.text}")
            self._show_buttons(action.chat_id, action.message_id, action.buttons)
            return Sent(action.message_id)
        if isinstance(action, AnswerCallback):
            if action.text:
                self._print(f"bot{to} ({'alert' if action.alert else 'toast'})> {action.text}")
            return Sent()
        if isinstance(action, SendInvoice):
            self._invoice = action
            self._print(f"bot{to}> INVOICE {action.title}: {action.description} - "
                        f"{action.amount} {action.currency}. Type /pay to pay (test money).")
            return Sent(self._ids)
        if isinstance(action, AnswerPreCheckout):
            self._precheckout = action
            verdict = "accepted" if action.ok else f"declined: {action.error}"
            self._print(f"bot{to} (checkout {verdict})")
            return Sent()
        if isinstance(action, SendMedia):
            self._print(f"bot{to}> [{action.media.kind} {action.media.file_id}] {action.caption}")
            self._show_buttons(action.chat_id, self._ids, action.buttons)
            return Sent(self._ids)
        if isinstance(action, (CopyMessage, ForwardMessage)):
            self._print(f"bot{to}> [copy of message #{action.message_id} "
                        f"from chat {action.from_chat_id}]")
            return Sent(self._ids)
        if isinstance(action, RefundStars):
            self._print(f"bot> (refunded Stars payment {action.charge_id})")
            return Sent()
        if isinstance(action, SetCommands):
            return Sent()
        self._print(f"bot{to}> {action!r}")
        return Sent(self._ids)

    # ---- input -------------------------------------------------------------------------------

    async def run(self, lines: AsyncIterator[str] | None = None, echo: bool = False) -> None:
        """Chat until the input ends or /quit."""
        self._print(f"Console chat with {self.kernel.settings.bot.name}. You are user "
                    f"{self.sender.id}. /as ID, /admin, /press N, /pay, /quit.")
        async for line in lines or self._stdin():
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if echo:
                self._print(f"you ({self.sender.id})> {line}")
            if not await self.handle_line(line.strip()):
                break

    async def _stdin(self) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        while not self._stopping:
            self.out.write(f"you ({self.sender.id})> ")
            self.out.flush()
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            yield line

    async def handle_line(self, line: str) -> bool:
        """One line of input; False when the chat should end."""
        word, _, rest = line.partition(" ")
        if word == "/quit":
            return False
        if word == "/as":
            self._switch(rest)
        elif word == "/admin":
            admin = min(self.kernel.admins)
            self.sender = Sender(admin, "Admin", username="admin")
            self._print(f"(you are admin {admin})")
        elif word == "/whoami":
            role = "an admin" if self.sender.id in self.kernel.admins else "a user"
            self._print(f"(you are {self.sender.id}, {role})")
        elif word == "/press":
            await self._press(rest)
        elif word == "/pay":
            await self._pay()
        else:
            update = self.updates.message(line, self.sender)
            if update is not None:
                await self._deliver(update)
        return True

    def _switch(self, rest: str) -> None:
        ident, _, name = rest.strip().partition(" ")
        if not ident.lstrip("-").isdigit() or len(ident) > 15:
            self._print("(usage: /as ID [NAME], for example /as 42 Alice)")
            return
        self.sender = Sender(int(ident), name or f"User {ident}", username=None)
        self._print(f"(you are user {ident})")

    async def _press(self, rest: str) -> None:
        if not rest.strip().isdigit() or not 1 <= int(rest) <= len(self._buttons):
            self._print(f"(no button {rest.strip()!r}; buttons are numbered 1 to "
                        f"{len(self._buttons)})")
            return
        _chat, message_id, button = self._buttons[int(rest) - 1]
        if button.data is None:
            self._print(f"(a link: {button.url})")
            return
        await self._deliver(self.updates.press(button.data, self.sender, message_id))

    async def _pay(self) -> None:
        invoice = self._invoice
        if invoice is None:
            self._print("(no invoice to pay)")
            return
        self._precheckout = None
        await self._deliver(self.updates.pre_checkout(self.sender, invoice.payload,
                                                      invoice.currency, invoice.amount))
        if self._precheckout is None or not self._precheckout.ok:
            self._print("(payment not taken)")
            return
        await self._deliver(self.updates.payment(self.sender, invoice.payload,
                                                 invoice.currency, invoice.amount))
        self._invoice = None

    async def _deliver(self, update: Update) -> None:
        """Journal the update and wait until the bot has answered it, so the prompt comes
        back after the bot's lines (a terminal chat is one exchange at a time)."""
        await self.kernel.ingest([update])
        await self.kernel.idle()

    async def stop(self) -> None:
        self._stopping = True


async def lines_of(path: str) -> AsyncIterator[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line
