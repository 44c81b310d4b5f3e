"""An update's way from the transport to a handler.

    user upsert, banned? stop  ->  an open conversation's answer?
    ->  route (a button's data parsed against its declaration)  ->  admin check
    ->  inbound rate limit  ->  charge the command's cost  ->  handler(ctx)
    an unexpected error  ->  RetryLater (the pipeline tries again after a backoff), or on the
    last attempt: refund, handle_error hooks, a message the user understands

Redeliveries never get this far: the journal knows every key it has taken (core/journal.py),
and an update is marked done only after this has finished, so nothing is remembered as
"seen" before the work it stands for. A handler may therefore run more than once (a retry, a
restart between the work and the done-mark): its effects carry idempotency keys.

Each step is a few lines here rather than a middleware chain: the order matters, it is the
same for every update, and the hot path stays short (see bench/dispatch.py).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from loguru import logger

from core.callbacks import CallbackData, InvalidCallback, prefix_candidates
from core.context import BotUser, Context
from core.conversations import Conversations
from core.errors import Unreachable, UserError, new_reference
from core.pipeline import RetryLater
from core.types import CallbackRoute, Command, MessageHandler, Update, UpdateKind

if TYPE_CHECKING:
    from core.kernel import Kernel

NEVER_LIMITED = frozenset({UpdateKind.PRE_CHECKOUT, UpdateKind.PAYMENT})
# Money must never be dropped silently: a banned user's pre-checkout query still needs an
# answer (a decline) and a payment already taken must still be recorded, so these reach their
# handlers, which see `ctx.user.is_banned`.
PAST_BANS = NEVER_LIMITED
FLOW_KINDS = frozenset({UpdateKind.TEXT, UpdateKind.MEDIA})


@dataclass(slots=True)
class Routes:
    commands: dict[str, Command] = field(default_factory=dict)
    callbacks: dict[str, CallbackRoute] = field(default_factory=dict)
    messages: list[MessageHandler] = field(default_factory=list)

    def callback_for(self, data: str) -> CallbackRoute | None:
        """The route of a press by its prefix, longest first (its data not yet parsed)."""
        for prefix in prefix_candidates(data):
            route = self.callbacks.get(prefix)
            if route is not None:
                return route
        return None


class Dispatcher:
    def __init__(self, kernel: Kernel, routes: Routes) -> None:
        self.kernel = kernel
        self.routes = routes
        s = kernel.settings
        self.default_rate: str = s.ratelimit.default
        self.callback_rate: str = s.ratelimit.callbacks
        self.counts: dict[str, int] = {}
        self.button_key = button_key(s)
        self.conversations = Conversations(kernel)

    async def handle(self, update: Update, final: bool = True, attempt: int = 1) -> str:
        """Handle one update; return its outcome ('ok', 'banned', 'user_error', ...).

        An unexpected error raises `RetryLater` unless this is the `final` attempt: then the
        command's cost is refunded, the error hooks run and the outcome is 'error'."""
        started = time.perf_counter()
        try:
            outcome = await self._handle(update, final, attempt)
        except RetryLater:
            self.counts["retry"] = self.counts.get("retry", 0) + 1
            raise
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        if self.kernel.listens("update_handled"):
            await self.kernel.emit("update_handled", update=update, outcome=outcome,
                                   seconds=time.perf_counter() - started)
        return outcome

    async def _handle(self, update: Update, final: bool, attempt: int) -> str:
        kernel = self.kernel
        ctx: Context | None = None
        receipt: Any = None
        try:
            user = await kernel.users.touch(update.user)
            if user.is_new:
                await kernel.emit("user_created", user_id=user.id)
            if user.is_banned and update.kind not in PAST_BANS:
                return "banned"
            ctx = Context(kernel, update, user)
            if update.kind in FLOW_KINDS and await self.conversations.on_message(ctx):
                return "ok"  # the answer to a question of an open conversation
            route = self._route(update)
            if route is None:
                return await self._unrouted(ctx)
            if isinstance(route, CallbackRoute) and route.data is not None:
                route, ctx.pressed = self._parse_press(update.callback_data or "")
                if route is None:
                    await ctx.answer(ctx.t("error-button-expired"), alert=True)
                    return "invalid_button"
            if not isinstance(route, list) and route.admin_only and not user.is_admin:
                await self._tell(ctx, ctx.t("error-admins-only"))
                return "denied"
            # A retry is the same update again: it was counted against the limit once.
            if (update.kind not in NEVER_LIMITED and attempt == 1
                    and await self._limited(ctx, route)):
                return "limited"
            if isinstance(route, Command):
                if route.cost > 0:  # the `[default.costs]` override is applied in the route
                    receipt = await kernel.charge(user.id, route.name, route.cost, update.key)
                await route.handler(ctx)
            elif isinstance(route, CallbackRoute):
                await route.handler(ctx)
            else:
                await self._run_message_handlers(ctx, route)
            if update.callback_id is not None and not ctx.answered:
                await ctx.answer()
            return "ok"
        except Unreachable:
            # The user blocked the bot or is gone: the outbox marked them; no one to tell.
            await self._refund(receipt, "user unreachable")
            return "unreachable"
        except UserError as exc:
            await self._refund(receipt, "user error")
            if ctx is not None:
                await self._tell(ctx, ctx.t.text(exc.message))
            return "user_error"
        except Exception as exc:
            if not final:
                # The charge stays: the retry charges with the same key, which changes nothing.
                logger.opt(exception=exc).warning("update {} failed; it will be tried again",
                                                  update.key)
                error = kernel.redact(f"{type(exc).__name__}: {exc}")[:500]
                raise RetryLater(error) from exc
            await self._refund(receipt, "handler failed")
            reference = new_reference()
            if ctx is None:
                ctx = Context(kernel, update, BotUser(update.user.id, update.user.first_name))
            await kernel.emit("handle_error", ctx=ctx, error=exc, reference=reference)
            return "error"

    # ---- steps --------------------------------------------------------------------------------

    def _route(self, update: Update) -> Command | CallbackRoute | list[MessageHandler] | None:
        if update.kind is UpdateKind.COMMAND:
            return self.routes.commands.get(update.command or "")
        if update.kind is UpdateKind.CALLBACK:
            return self.routes.callback_for(update.callback_data or "")
        handlers = [
            h for h in self.routes.messages
            if update.kind in h.kinds and (not h.private_only or not update.chat.is_group)
        ]
        return handlers or None

    def _parse_press(self, data: str) -> tuple[CallbackRoute | None, CallbackData | None]:
        """The route whose declaration parses the data, longest prefix first (`inbox:p:12:2`
        may be `inbox:p` with two fields, or `inbox` with an action and an id); (None, None)
        when none does: the data is malformed, forged or out of range."""
        refused = False
        for prefix in prefix_candidates(data):
            route = self.routes.callbacks.get(prefix)
            if route is None:
                continue
            if route.data is None:
                # An untyped catch-all never takes what a declaration refused.
                return (None, None) if refused else (route, None)
            try:
                return route, route.data.unpack(data, self.button_key)
            except InvalidCallback:
                refused = True
        return None, None

    async def _run_message_handlers(self, ctx: Context, handlers: list[MessageHandler]) -> None:
        for h in handlers:
            if await h.handler(ctx) is not False:
                return

    async def _unrouted(self, ctx: Context) -> str:
        update = ctx.update
        if update.kind is UpdateKind.COMMAND and not update.chat.is_group:
            await ctx.reply(ctx.t("error-unknown-command", command=(update.command or "")[:32]))
        elif update.kind is UpdateKind.TEXT and not update.chat.is_group:
            await ctx.reply(ctx.t("error-commands-only"))
        elif update.kind is UpdateKind.CALLBACK:
            await ctx.answer(ctx.t("error-button-expired"), alert=True)
        return "unrouted"

    async def _limited(self, ctx: Context, route: Any) -> bool:
        user_id = str(ctx.user.id)
        rate = route.rate if not isinstance(route, list) else None
        if rate is None:
            rate = self.callback_rate if isinstance(route, CallbackRoute) else self.default_rate
            scope = "callbacks" if isinstance(route, CallbackRoute) else "*"
        else:
            scope = getattr(route, "name", None) or getattr(route, "prefix", "?")
        wait = await self.kernel.limiter.hit(rate, "in", scope, user_id)
        if wait is None:
            return False
        # Say it once per window, then stay quiet: a flood must not become our flood.
        if await self.kernel.cache.add(f"core:limited:{scope}:{user_id}", 1, wait):
            await self._tell(ctx, ctx.t("error-too-fast", seconds=int(wait + 0.999)))
        elif ctx.update.callback_id is not None:
            await ctx.answer()
        return True

    async def _tell(self, ctx: Context, text: str) -> None:
        """A short message for the user: an alert on a button press, a reply otherwise."""
        if ctx.update.callback_id is not None and not ctx.answered:
            await ctx.answer(text[:200], alert=True)
        elif ctx.update.kind is not UpdateKind.PRE_CHECKOUT:
            await ctx.reply(text)

    async def _refund(self, receipt: Any, reason: str) -> None:
        if receipt is not None:
            await self.kernel.emit("refund_command", receipt=receipt, reason=reason)


def button_key(settings: Any) -> bytes:
    """The key signed button data is tagged with: `bot.button_secret`, else derived from the
    bot token; with neither (the console chat) a key for this process only."""
    secret = str(settings.get("bot.button_secret", "") or "")
    if not secret:
        token = str(settings.get("telegram.bot_token", "") or "")
        if token:
            return hashlib.sha256(b"button-data:" + token.encode()).digest()
        return secrets.token_bytes(32)
    return hashlib.sha256(b"button-data:" + secret.encode()).digest()
