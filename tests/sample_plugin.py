"""A sample plugin implementing every hook, used by the kernel's tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import peewee
from dynaconf import Validator

from core.callbacks import CallbackData, Chars, IntRange
from core.context import Context
from core.conversations import Flow, Step
from core.errors import UserError
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.models import BaseModel
from core.types import (
    Button,
    CallbackRoute,
    Command,
    HealthCheck,
    MessageHandler,
    RuntimeSetting,
    Update,
    UpdateKind,
    keyboard,
)


class Note(BaseModel):
    user_id = peewee.BigIntegerField()
    text = peewee.TextField()

    class Meta:
        table_name = "sample_notes"


class SampleService:
    """Records what the hooks saw, and keeps a toy wallet for command costs."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.events: Counter[str] = Counter()
        self.wallet: dict[int, int] = {}
        self.charged: dict[str, tuple[int, int]] = {}
        self.errors: list[tuple[str, str]] = []
        self.created: list[int] = []

    async def add_note(self, user_id: int, text: str) -> int:
        return await self.kernel.db.transaction(
            lambda: Note.create(user_id=user_id, text=text).id
        )

    async def notes(self, user_id: int) -> list[str]:
        return await self.kernel.db.run(
            lambda: [n.text for n in Note.select().where(Note.user_id == user_id)]
        )


async def note(ctx: Context) -> None:
    """Save a note"""
    if not ctx.update.args:
        raise UserError("Usage: /note TEXT")
    await ctx.service("sample").add_note(ctx.user.id, ctx.update.args)
    await ctx.reply("Saved.", keyboard([Button("Show notes", data="sample:show")]))


async def boom(ctx: Context) -> None:
    """Fail on purpose"""
    raise RuntimeError("kaboom")


async def paid(ctx: Context) -> None:
    """A command that costs 2"""
    if ctx.update.args == "fail":
        raise RuntimeError("paid command failed")
    await ctx.reply("Paid work done.")


async def secret(ctx: Context) -> None:
    """Admins only"""
    await ctx.reply("The secret.")


async def slow(ctx: Context) -> None:
    """Rate limited to 2 per minute"""
    await ctx.reply("ok")


async def greet(ctx: Context) -> None:
    """Greet with the configured greeting"""
    await ctx.reply(f"{ctx.settings.sample.greeting}, {ctx.user.first_name}!")


async def show(ctx: Context) -> None:
    notes = await ctx.service("sample").notes(ctx.user.id)
    await ctx.edit("Notes: " + ", ".join(notes))


@dataclass(frozen=True, slots=True)
class Pick(CallbackData, prefix="sample:pick"):
    """A typed button: a number from 1 to 99 and a short word."""

    number: Annotated[int, IntRange(1, 99)]
    word: Annotated[str, Chars(8)] = "x"


@dataclass(frozen=True, slots=True)
class Vote(CallbackData, prefix="sample:vote", signed=True):
    """A signed button: its data cannot be forged."""

    choice: Annotated[int, IntRange(0, 9)]


async def pick(ctx: Context) -> None:
    pressed = ctx.button(Pick)
    await ctx.answer(f"picked {pressed.number} {pressed.word}")


async def vote(ctx: Context) -> None:
    await ctx.answer(f"voted {ctx.button(Vote).choice}")


async def buttons(ctx: Context) -> None:
    """Show typed buttons"""
    await ctx.reply("Pick one:", keyboard([Button("Seven", Pick(7, "lucky").pack()),
                                           Button("Vote 3", ctx.pack(Vote(3)))]))


def _age(ctx: Context, text: str, answers: dict[str, Any]) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 150:
        raise UserError("An age is a number from 1 to 150.")
    return int(text)


async def _survey_done(ctx: Context, answers: dict[str, Any]) -> None:
    await ctx.reply(f"Thanks {answers['name']}, {answers['age']}.")


SURVEY = Flow("sample.survey", (Step("name", "Your name?"), Step("age", "Your age?", _age)),
              _survey_done, expiry=600)


async def survey(ctx: Context) -> None:
    """Answer two questions"""
    await ctx.converse(SURVEY)


async def echo(ctx: Context) -> bool:
    await ctx.reply(f"echo: {ctx.text}")
    return True


@hookimpl
def register_settings() -> list[Validator]:
    return [Validator("sample.greeting", default="Hi", is_type_of=str, len_min=1),
            Validator("sample.limit", default=3, is_type_of=int, gte=1, lte=10)]


@hookimpl
def register_models() -> list[type[peewee.Model]]:
    return [Note]


@hookimpl
def register_migrations() -> tuple[str, str]:
    return "sample", str(Path(__file__).parent / "sample_schema")


@hookimpl
def register_texts() -> str:
    return str(Path(__file__).parent / "sample_locales")


@hookimpl
def register_commands() -> list[Command]:
    return [
        Command("note", note),
        Command("boom", boom),
        Command("paid", paid, cost=2),
        Command("secret", secret, admin_only=True),
        Command("slow", slow, rate="2/minute"),
        Command("greet", greet),
        Command("buttons", buttons),
        Command("survey", survey),
    ]


@hookimpl
def register_conversations() -> list[Flow]:
    return [SURVEY]


@hookimpl
def register_callbacks() -> list[CallbackRoute]:
    return [CallbackRoute("sample", show), CallbackRoute.of(Pick, pick),
            CallbackRoute.of(Vote, vote)]


@hookimpl
def register_message_handlers() -> list[MessageHandler]:
    return [MessageHandler(echo, kinds=frozenset({UpdateKind.TEXT}))]


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"sample": SampleService(kernel)}


@hookimpl
def register_runtime_settings(settings: Any) -> list[RuntimeSetting]:
    def parse_limit(raw: str) -> int:
        value = int(raw)
        if not 1 <= value <= 100:
            raise ValueError("must be between 1 and 100")
        return value

    return [RuntimeSetting("sample_limit", 5, "how many notes to show", parse_limit)]


@hookimpl
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    async def notes() -> dict[str, Any]:
        return {"notes": await kernel.db.run(Note.select().count)}

    return [HealthCheck("sample", notes)]


@hookimpl
async def startup(kernel: Kernel) -> None:
    kernel.service("sample").events["startup"] += 1


@hookimpl
async def warm_cache(kernel: Kernel) -> None:
    kernel.service("sample").events["warm_cache"] += 1


@hookimpl
def shutdown(kernel: Kernel) -> None:
    kernel.service("sample").events["shutdown"] += 1


@hookimpl
def charge_command(kernel: Kernel, user_id: int, command: str, cost: int, key: str) -> Any:
    sample = kernel.service("sample")
    if key in sample.charged:  # idempotent on the update's key, as the hook requires
        return sample.charged[key]
    wallet = sample.wallet
    balance = wallet.get(user_id, 0)
    if balance < cost:
        raise UserError(f"/{command} costs {cost}; you have {balance}.")
    wallet[user_id] = balance - cost
    sample.charged[key] = (user_id, cost)
    return (user_id, cost)


@hookimpl
def refund_command(kernel: Kernel, receipt: Any, reason: str) -> None:
    user_id, cost = receipt
    kernel.service("sample").wallet[user_id] += cost


@hookimpl
async def deep_link(ctx: Context, payload: str) -> bool | None:
    if payload.startswith("note-"):
        await ctx.reply(f"Opened note link {payload[5:]}")
        return True
    return None


@hookimpl
def handle_error(ctx: Context, error: BaseException, reference: str) -> None:
    ctx.service("sample").errors.append((type(error).__name__, reference))


@hookimpl
async def user_created(kernel: Kernel, user_id: int) -> None:
    kernel.service("sample").created.append(user_id)


@hookimpl
def user_unreachable(kernel: Kernel, user_id: int) -> None:
    kernel.service("sample").events["unreachable"] += 1


@hookimpl
def update_handled(kernel: Kernel, update: Update, outcome: str, seconds: float) -> None:
    kernel.service("sample").events[f"outcome:{outcome}"] += 1


@hookimpl
def credits_changed(kernel: Kernel, user_id: int, delta: int, balance: int, reason: str) -> None:
    kernel.service("sample").events["credits_changed"] += 1


@hookimpl
def balance_low(kernel: Kernel, user_id: int, balance: int, threshold: int, amount: int) -> None:
    kernel.service("sample").events["balance_low"] += 1


@hookimpl
def tier_changed(kernel: Kernel, user_id: int, old: str | None, new: str | None) -> None:
    kernel.service("sample").events["tier_changed"] += 1


@hookimpl
def payment_succeeded(kernel: Kernel, user_id: int, payment: Any) -> None:
    kernel.service("sample").events["payment_succeeded"] += 1


@hookimpl
def purchase_completed(kernel: Kernel, user_id: int, purchase: Any) -> None:
    kernel.service("sample").events["purchase_completed"] += 1


@hookimpl
async def user_summary(kernel: Kernel, user_id: int) -> list[str]:
    notes = await kernel.service("sample").notes(user_id)
    return [f"notes: {len(notes)}"]


@hookimpl
def stats(kernel: Kernel) -> dict[str, Any]:
    return {"sample events": sum(kernel.service("sample").events.values())}


@hookimpl
def segment_users(kernel: Kernel, segment: str, value: str) -> list[int] | None:
    return [42] if segment == "sample" else None
