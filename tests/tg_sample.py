"""A sample plugin for the Telegram transport tests: one command or route per action kind,
and a log of the kernel Updates it was given."""

from __future__ import annotations

from core.context import Context
from core.hookspecs import hookimpl
from core.types import (
    AnswerPreCheckout,
    Button,
    CallbackRoute,
    Command,
    CopyMessage,
    ForwardMessage,
    MessageHandler,
    RefundStars,
    SendInvoice,
    SendMedia,
    Update,
    UpdateKind,
    keyboard,
)


class SamplePlugin:
    def __init__(self) -> None:
        self.updates: list[Update] = []

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [
            Command("menu", self.menu, "Show the menu"),
            Command("stars", self.stars, "Buy with Stars"),
            Command("card", self.card, "Buy by card"),
            Command("refund", self.refund, "Refund a charge"),
            Command("echo", self.echo, "Repeat what you say"),
            Command("long", self.long, "A very long answer"),
            Command("copy", self.copy, "Copy your message back"),
            Command("forward", self.forward, "Forward your message back"),
            Command("bold", self.bold, "Formatted on purpose"),
            Command("stats", self.echo, "Bot statistics", admin_only=True),
        ]

    @hookimpl
    def register_callbacks(self) -> list[CallbackRoute]:
        return [CallbackRoute("pick", self.pick), CallbackRoute("same", self.same)]

    @hookimpl
    def register_message_handlers(self) -> list[MessageHandler]:
        kinds = frozenset({UpdateKind.TEXT, UpdateKind.MEDIA, UpdateKind.PRE_CHECKOUT,
                           UpdateKind.PAYMENT})
        return [MessageHandler(self.anything, kinds)]

    async def menu(self, ctx: Context) -> None:
        self.updates.append(ctx.update)
        await ctx.reply("Pick one:", keyboard([Button("Apples", data="pick:1"),
                                               Button("Pears", data="pick:2")],
                                              Button("Site", url="https://example.org")))

    async def pick(self, ctx: Context) -> None:
        self.updates.append(ctx.update)
        await ctx.answer("Noted")
        await ctx.edit(f"You picked {ctx.update.callback_data}")

    async def same(self, ctx: Context) -> None:
        await ctx.edit("Pick one:", keyboard([Button("Apples", data="pick:1"),
                                              Button("Pears", data="pick:2")],
                                             Button("Site", url="https://example.org")))

    async def stars(self, ctx: Context) -> None:
        await ctx.do(SendInvoice(ctx.chat_id, "100 credits", "A pack of credits", "pack:100",
                                 "XTR", 50))

    async def card(self, ctx: Context) -> None:
        await ctx.do(SendInvoice(ctx.chat_id, "100 credits", "A pack of credits", "pack:100",
                                 "EUR", 499, provider_token="284685063:TEST:abc", label="Pack"))

    async def refund(self, ctx: Context) -> None:
        await ctx.do(RefundStars(ctx.chat_id, ctx.user.id, ctx.update.args))

    async def echo(self, ctx: Context) -> None:
        self.updates.append(ctx.update)
        await ctx.reply(ctx.update.args)

    async def bold(self, ctx: Context) -> None:
        await ctx.reply("<b>Balance:</b> 5 &lt; 10", html=True)

    async def long(self, ctx: Context) -> None:
        lines = [f"line {i:04d} " + "x" * 90 for i in range(100)]  # 100 lines, ~10,000 chars
        await ctx.reply("\n".join(lines), keyboard(Button("More", data="pick:more")))

    async def copy(self, ctx: Context) -> None:
        target = ctx.update.reply_to_message_id or 0
        await ctx.do(CopyMessage(ctx.chat_id, ctx.chat_id, target))
        await ctx.do(CopyMessage(ctx.chat_id, ctx.chat_id, target,
                                 keyboard(Button("Reply", data="pick:reply"))))

    async def forward(self, ctx: Context) -> None:
        target = ctx.update.reply_to_message_id or 0
        await ctx.do(ForwardMessage(ctx.chat_id, ctx.chat_id, target))

    async def anything(self, ctx: Context) -> None:
        self.updates.append(ctx.update)
        if ctx.update.media is not None:  # send it back, by file id, with a button
            await ctx.do(SendMedia(ctx.chat_id, ctx.update.media, caption="Got <it>",
                                   buttons=keyboard(Button("Keep", data="pick:keep"))))
        if ctx.update.kind is UpdateKind.PRE_CHECKOUT:
            payment = ctx.update.payment
            assert payment is not None and payment.query_id is not None
            ok = payment.payload.startswith("pack:")
            await ctx.do(AnswerPreCheckout(ctx.chat_id, payment.query_id, ok,
                                           None if ok else "This offer has expired."))
