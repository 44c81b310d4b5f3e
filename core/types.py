"""The kernel's own small types: what comes in (Update) and what goes out (actions).

Transports translate to and from these; plugins never see a transport object unless they ask
for the raw escape hatch (`Update.raw`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.callbacks import CallbackData
    from core.context import Context
    from core.i18n import Text

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for inline button data


class UpdateKind(StrEnum):
    COMMAND = "command"
    TEXT = "text"
    MEDIA = "media"
    CALLBACK = "callback"
    PRE_CHECKOUT = "pre_checkout"
    PAYMENT = "payment"


class ChatType(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class Sender:
    id: int
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    type: ChatType = ChatType.PRIVATE

    @property
    def is_group(self) -> bool:
        return self.type in (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass(frozen=True, slots=True)
class Media:
    """A photo or a document: by Telegram file id, or as bytes to upload (`data`, with an
    empty `file_id`), such as a chart drawn by the bot."""

    kind: str  # "photo" | "document"
    file_id: str
    file_name: str | None = None
    mime_type: str | None = None
    data: bytes | None = field(default=None, repr=False)  # upload these bytes instead

    def __post_init__(self) -> None:
        if not self.file_id and not self.data:
            raise ValueError("media needs a file_id or data to upload")


@dataclass(frozen=True, slots=True)
class PaymentInfo:
    """A pre-checkout query or a successful payment."""

    currency: str
    total_amount: int  # minor units; Stars for XTR
    payload: str
    query_id: str | None = None  # pre-checkout only
    telegram_payment_charge_id: str | None = None  # successful payment only
    provider_payment_charge_id: str | None = None


@dataclass(slots=True)
class Update:
    """One thing that happened, in the kernel's words.

    `key` identifies the update across redeliveries (for example "tg:42:1001" for message 1001
    in chat 42); the dispatcher drops an update whose key it has already seen.
    """

    key: str
    kind: UpdateKind
    user: Sender
    chat: Chat
    text: str = ""
    command: str | None = None  # without the slash and without @botname, lower case
    args: str = ""  # the raw text after the command
    message_id: int | None = None
    reply_to_message_id: int | None = None
    callback_id: str | None = None
    callback_data: str | None = None
    media: Media | None = None
    payment: PaymentInfo | None = None
    # Sent on behalf of a chat (an anonymous group admin, a linked channel): that chat, while
    # `user` is the stand-in account Telegram names as the sender.
    sender_chat: Chat | None = None
    # A button pressed under a message sent in inline mode: no chat, only this id to edit it.
    inline_message_id: str | None = None
    # Every item of an album (photos or documents sent together); `media` is the first.
    album: tuple[Media, ...] = ()
    raw: Any = None  # the transport's own object, for the rare plugin that needs it


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: `data` for a callback, or `url` for a link."""

    text: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.text:
            raise ValueError("a button needs a text")
        if (self.data is None) == (self.url is None):
            raise ValueError(f"button {self.text!r}: give exactly one of data or url")
        if self.data is not None and len(self.data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(
                f"button {self.text!r}: callback data is {len(self.data.encode())} bytes, "
                f"Telegram allows {CALLBACK_DATA_LIMIT}"
            )


Keyboard = Sequence[Sequence[Button]]


def keyboard(*rows: Sequence[Button] | Button) -> list[list[Button]]:
    """Build rows of buttons; a bare Button is a row of its own."""
    return [[row] if isinstance(row, Button) else list(row) for row in rows]


# ----------------------------------------------------------------------------------------------
# Outgoing actions: the transport executes them, the outbox paces them.
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    chat_id: int

    paced = True  # counts against Telegram's flood limits


@dataclass(frozen=True, slots=True)
class SendMessage(Action):
    text: str
    buttons: Keyboard | None = None
    html: bool = False  # False: the text is escaped, so user input can never inject markup
    reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class EditMessage(Action):
    message_id: int
    text: str
    buttons: Keyboard | None = None
    html: bool = False
    inline_message_id: str | None = None  # a message sent in inline mode: edited by this id


@dataclass(frozen=True, slots=True)
class SendMedia(Action):
    media: Media
    caption: str = ""
    buttons: Keyboard | None = None
    html: bool = False


@dataclass(frozen=True, slots=True)
class CopyMessage(Action):
    from_chat_id: int
    message_id: int
    buttons: Keyboard | None = None


@dataclass(frozen=True, slots=True)
class ForwardMessage(Action):
    from_chat_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class SendInvoice(Action):
    title: str
    description: str
    payload: str
    currency: str  # "XTR" for Telegram Stars
    amount: int  # minor units; Stars for XTR
    provider_token: str = ""  # empty for Stars
    label: str = ""


@dataclass(frozen=True, slots=True)
class AnswerCallback(Action):
    callback_id: str
    text: str | None = None
    alert: bool = False

    paced = False


@dataclass(frozen=True, slots=True)
class AnswerPreCheckout(Action):
    query_id: str
    ok: bool
    error: str | None = None

    paced = False  # Telegram gives ten seconds; never queue behind messages


@dataclass(frozen=True, slots=True)
class RefundStars(Action):
    user_id: int
    charge_id: str

    paced = False


@dataclass(frozen=True, slots=True)
class SetCommands(Action):
    """The command menu: `commands` for everyone, plus `admin_commands` in each admin's chat;
    for users whose Telegram speaks `language` (a language code), or for all when empty."""

    commands: tuple[tuple[str, str], ...]
    admin_commands: tuple[tuple[str, str], ...] = ()
    admin_ids: tuple[int, ...] = ()
    language: str = ""

    paced = False


@dataclass(frozen=True, slots=True)
class Sent:
    """What the transport reports back for a delivered action."""

    message_id: int | None = None
    ok: bool = True
    file_id: str | None = None  # a sent photo's or document's file id, to send it again


# ----------------------------------------------------------------------------------------------
# Declarations plugins return from hooks.
# ----------------------------------------------------------------------------------------------

Handler = Callable[["Context"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command. `help` defaults to the handler's docstring (first line)."""

    name: str
    handler: Handler
    help: str = ""
    admin_only: bool = False
    rate: str | None = None  # a `limits` string such as "5/minute"; None: the default
    cost: int = 0  # credits charged before the handler runs, refunded if it fails
    hidden: bool = False  # left out of /help and the menu

    @property
    def description(self) -> str:
        if self.help:
            return self.help
        doc = (self.handler.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else self.name

    @property
    def label(self) -> str:
        """The description with the cost, as `/help` and the command menu show it. Kernel
        routes carry the cost actually charged (`[default.costs]` applied)."""
        return f"{self.description} ({self.cost} credits)" if self.cost else self.description


@dataclass(frozen=True, slots=True)
class CallbackRoute:
    """Button presses whose data starts with `prefix` followed by ':' (or equals it).

    Declare routes with `CallbackRoute.of(Declaration, handler)`: the dispatcher then parses
    every press against the declaration (see core/callbacks.py) and a press that does not fit
    never reaches the handler, which reads the parsed fields with `ctx.button(Declaration)`.
    """

    prefix: str
    handler: Handler
    admin_only: bool = False
    rate: str | None = None
    data: type[CallbackData] | None = None

    @classmethod
    def of(cls, data: type[CallbackData], handler: Handler, *, admin_only: bool = False,
           rate: str | None = None) -> CallbackRoute:
        return cls(data.prefix, handler, admin_only, rate, data)


@dataclass(frozen=True, slots=True)
class MessageHandler:
    """Anything that is not a command or a button: free text, media, payments.

    Handlers are tried by descending `priority`; the first that returns True (handled) stops.
    A handler returning None counts as handled.
    """

    handler: Callable[[Context], Awaitable[bool | None]]
    kinds: frozenset[UpdateKind] = field(
        default_factory=lambda: frozenset({UpdateKind.TEXT, UpdateKind.MEDIA})
    )
    priority: int = 0
    private_only: bool = True


@dataclass(frozen=True, slots=True)
class RuntimeSetting:
    """A key an admin may change from the chat (`/set key value`), stored in the database."""

    key: str
    default: Any
    description: str | Text = ""  # a Text is shown in the admin's language
    parse: Callable[[str], Any] = str  # raises ValueError with a message on a bad value


@dataclass(frozen=True, slots=True)
class HealthCheck:
    """A named check; `check` returns details (a dict) or raises when unhealthy."""

    name: str
    check: Callable[[], Awaitable[dict[str, Any]]]
