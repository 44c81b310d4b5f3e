"""Conversations: declarative multi-step flows, one per user and chat, kept in the database.

    ADD = Flow("shop.add", steps=(
        Step("sku", "Its SKU?", check=parse_sku),
        Step("price", "Price in credits?", check=parse_price),
    ), done=finish_add)

    @hookimpl
    def register_conversations() -> list[Flow]:
        return [ADD]

    await ctx.converse(ADD)            # from a command or a button: asks the first question

The user's next message in that chat answers the current step: `check(ctx, text, answers)`
validates it (raise `UserError` and the question is asked again) and returns the value to
collect. After the last step `done(ctx, answers)` runs. `/back` returns to the previous step,
`/cancel` (or the word "cancel") ends the flow, and a flow left alone ends at its expiry, so
nobody is ever stuck in one. State lives in `conversation_states`, so a flow survives a restart.

In a group, a flow with `reply_to_prompt=True` takes only a message that replies to its
prompt: anything else its user sends there ends the flow and is handled as if no flow were open
(an operators' group, where the next message may be meant for colleagues). In a private chat
the next message is the answer.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from core.errors import UserError
from core.i18n import Text
from core.models import ConversationState, utcnow
from core.types import UpdateKind

if TYPE_CHECKING:
    from core.context import Context
    from core.kernel import Kernel

Check = Callable[["Context", str, dict[str, Any]], Any]  # may return an awaitable
STOP_WORDS = frozenset({"cancel", "stop", "/cancel"})
CANCELLED = Text("conversation-cancelled")


@dataclass(frozen=True, slots=True)
class Step:
    """One question. `check` turns the answer into a JSON value or raises UserError."""

    name: str
    # a Text is asked in the user's language; a function makes it from the answers so far
    prompt: str | Text | Callable[[dict[str, Any]], str | Text]
    check: Check | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    done: Callable[[Context, dict[str, Any]], Awaitable[None]]
    expiry: int = 900  # seconds of silence after which the flow is forgotten
    reply_to_prompt: bool = False
    cancelled: str | Text = CANCELLED

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"flow {self.name!r} needs at least one step")
        if len({s.name for s in self.steps}) != len(self.steps):
            raise ValueError(f"flow {self.name!r}: step names must be unique")


@dataclass(slots=True)
class Open:
    """A flow in progress, as read from the database."""

    flow: Flow
    step: int
    answers: dict[str, Any]
    prompt_message_id: int | None


def answer_text(ctx: Context) -> str:
    """The text of an answer; a document or photo becomes `file:<id>` / `photo:<id>`."""
    media = ctx.update.media
    if ctx.update.kind is UpdateKind.MEDIA and media is not None:
        return f"{'photo' if media.kind == 'photo' else 'file'}:{media.file_id}"
    return ctx.text.strip()


class Conversations:
    """The `conversations` service: start, answer, go back, cancel."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self._flows: dict[str, Flow] | None = None

    @property
    def flows(self) -> dict[str, Flow]:
        if self._flows is None:
            flows: dict[str, Flow] = {}
            for owner, declared in self.kernel.collect("register_conversations"):
                for flow in declared:
                    if flow.name in flows:
                        raise ValueError(f"plugin '{owner}': flow {flow.name!r} is declared "
                                         "twice")
                    flows[flow.name] = flow
            self._flows = flows
        return self._flows

    # ---- state --------------------------------------------------------------------------------

    async def current(self, user_id: int, chat_id: int) -> Open | None:
        def read() -> ConversationState | None:
            return ConversationState.get_or_none(ConversationState.user_id == user_id,
                                                 ConversationState.chat_id == chat_id)

        row = await self.kernel.db.run(read)
        if row is None:
            return None
        flow = self.flows.get(row.flow)
        if flow is None or row.expires_at < utcnow() or row.step >= len(flow.steps):
            await self.end(user_id, chat_id)  # expired, or its plugin is switched off
            return None
        return Open(flow, row.step, json.loads(row.answers), row.prompt_message_id)

    async def _save(self, user_id: int, chat_id: int, state: Open) -> None:
        now = utcnow()
        fields = {"flow": state.flow.name, "step": state.step,
                  "answers": json.dumps(state.answers),
                  "prompt_message_id": state.prompt_message_id,
                  "expires_at": now + timedelta(seconds=state.flow.expiry), "updated_at": now}

        def write() -> None:
            (ConversationState.insert(user_id=user_id, chat_id=chat_id, **fields)
             .on_conflict(conflict_target=[ConversationState.user_id, ConversationState.chat_id],
                          update=fields).execute())

        await self.kernel.db.run(write)

    async def end(self, user_id: int, chat_id: int) -> bool:
        def delete() -> int:
            return int(ConversationState.delete().where(
                ConversationState.user_id == user_id,
                ConversationState.chat_id == chat_id).execute())

        return bool(await self.kernel.db.run(delete))

    # ---- the way through a flow ---------------------------------------------------------------

    async def start(self, ctx: Context, flow: Flow | str,
                    answers: dict[str, Any] | None = None) -> None:
        """Open `flow` for this user in this chat (replacing any other) at its first step not
        already answered, and ask it."""
        if isinstance(flow, str):
            flow = self.flows[flow]
        elif flow.name not in self.flows:
            raise ValueError(f"flow {flow.name!r} is not declared by register_conversations")
        answers = dict(answers or {})
        step = next((i for i, s in enumerate(flow.steps) if s.name not in answers), None)
        if step is None:
            await self.end(ctx.user.id, ctx.chat_id)
            await flow.done(ctx, answers)
            return
        await self._ask(ctx, Open(flow, step, answers, None))

    async def _ask(self, ctx: Context, state: Open, error: str = "") -> None:
        asked = state.flow.steps[state.step].prompt
        if not isinstance(asked, str | Text):
            asked = asked(state.answers)
        prompt = ctx.t.text(asked)
        delivery = ctx.reply(f"{error}\n{prompt}" if error else prompt)
        if state.flow.reply_to_prompt:  # only then is the prompt's id needed: wait for it
            state.prompt_message_id = (await delivery.sent()).message_id
        await self._save(ctx.user.id, ctx.chat_id, state)

    async def on_message(self, ctx: Context) -> bool:
        """A message handler ahead of all others: an answer to the open flow, if any."""
        state = await self.current(ctx.user.id, ctx.chat_id)
        if state is None:
            return False
        flow = state.flow
        if flow.reply_to_prompt and ctx.update.chat.is_group and (
                state.prompt_message_id is None
                or ctx.update.reply_to_message_id != state.prompt_message_id):
            # Not an answer: the flow ends, and the message is handled as if none were open.
            await self.end(ctx.user.id, ctx.chat_id)
            return False
        text = answer_text(ctx)
        if text.lower() in STOP_WORDS:
            await self.end(ctx.user.id, ctx.chat_id)
            await ctx.reply(ctx.t.text(flow.cancelled))
            return True
        step = flow.steps[state.step]
        try:
            value: Any = text
            if step.check is not None:
                value = step.check(ctx, text, state.answers)
                if inspect.isawaitable(value):
                    value = await value
        except UserError as exc:
            await self._ask(ctx, state, ctx.t.text(exc.message))
            return True
        state.answers[step.name] = value
        following = next((i for i, s in enumerate(flow.steps) if s.name not in state.answers),
                         None)
        if following is not None:
            state.step = following
            await self._ask(ctx, state)
            return True
        await self.end(ctx.user.id, ctx.chat_id)
        await flow.done(ctx, state.answers)
        return True

    async def back(self, ctx: Context) -> bool:
        """Return to the previous step and ask it again; False when no flow is open."""
        state = await self.current(ctx.user.id, ctx.chat_id)
        if state is None:
            return False
        if state.step > 0:
            state.step -= 1
            for later in state.flow.steps[state.step:]:
                state.answers.pop(later.name, None)
        await self._ask(ctx, state)
        return True

    async def cancel(self, ctx: Context) -> bool:
        """End the open flow; False when there was none."""
        state = await self.current(ctx.user.id, ctx.chat_id)
        if state is None:
            return False
        await self.end(ctx.user.id, ctx.chat_id)
        await ctx.reply(ctx.t.text(state.flow.cancelled))
        return True

    async def forget_expired(self) -> int:
        def delete() -> int:
            return int(ConversationState.delete()
                       .where(ConversationState.expires_at < utcnow()).execute())

        return await self.kernel.db.run(delete)
