"""Chat side of the payments plugin: parse, call the service, reply."""

from __future__ import annotations

import asyncio
import re

from loguru import logger

from core.context import Context
from core.errors import UserError
from core.types import AnswerPreCheckout, Button, Media, SendMedia
from plugins.payments.packages import money
from plugins.payments.service import BUY_PREFIX, MENU, PaymentsService

CHARGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,255}$")
LATE = ("We could not check this payment in time. Nothing was charged: please try again in a "
        "moment.")
BROKEN = "Something went wrong on our side. Nothing was charged: please try again later."


def _service(ctx: Context) -> PaymentsService:
    return ctx.service("payments")


async def buy(ctx: Context) -> None:
    """Buy credits"""
    service = _service(ctx)
    if ctx.args:
        await service.invoice(ctx.user.id, ctx.args[0].lower()[:32])
        return
    await ctx.reply(*_menu(service))


def _menu(service: PaymentsService) -> tuple[str, list[list[Button]]]:
    if not service.packages:
        raise UserError("Nothing is on sale right now.")
    rows = [[Button(p.label(), data=f"{BUY_PREFIX}:{p.id}")] for p in service.packages]
    return "Choose a package of credits:", rows


async def buy_pressed(ctx: Context) -> None:
    # The button carries the package id only; the service re-checks that it is on offer.
    package_id = (ctx.update.callback_data or "").split(":", 1)[-1]
    if package_id == MENU:  # "Top up" under a "not enough credits" message
        await ctx.reply(*_menu(_service(ctx)))
        await ctx.answer()
        return
    await _service(ctx).invoice(ctx.user.id, package_id)
    await ctx.answer()


async def pre_checkout(ctx: Context) -> None:
    """Answer within `payments.precheckout_deadline`, whatever the database is doing."""
    info = ctx.update.payment
    assert info is not None and info.query_id is not None
    service = _service(ctx)
    failure: BaseException | None = None
    try:
        async with asyncio.timeout(service.deadline):
            error = await service.check(ctx.user, info)
    except TimeoutError:
        logger.warning("pre-checkout checks for user {} missed the {}s deadline", ctx.user.id,
                       service.deadline)
        error = LATE
    except Exception as exc:
        error, failure = BROKEN, exc
    await ctx.do(AnswerPreCheckout(ctx.chat_id, info.query_id, error is None, error))
    if failure is not None:
        raise failure  # answered; now the error hooks log it with a reference


async def successful_payment(ctx: Context) -> None:
    info = ctx.update.payment
    assert info is not None
    # The thank-you message is sent by the service, by whichever worker completes the grant.
    await _service(ctx).record(ctx.user.id, info)


async def paysupport(ctx: Context) -> None:
    """Help with a payment"""
    await ctx.reply(ctx.settings.payments.texts.support)


async def terms(ctx: Context) -> None:
    """Terms of sale"""
    await ctx.reply(ctx.settings.payments.texts.terms)


async def privacy(ctx: Context) -> None:
    """Privacy policy"""
    await ctx.reply(ctx.settings.payments.texts.privacy)


# ---- admins ------------------------------------------------------------------------------------


async def refund(ctx: Context) -> None:
    """Refund a Stars payment: /refund <charge id> [force]"""
    args = ctx.args
    if not args or len(args) > 2 or (len(args) == 2 and args[1].lower() != "force"):
        raise UserError("Usage: /refund <charge id> [force]")
    charge_id = args[0]
    if not CHARGE_ID.match(charge_id):
        raise UserError("That is not a charge id.")
    request = await _service(ctx).request_refund(charge_id, actor=ctx.user.id,
                                                 force=len(args) == 2)
    if not request.queued:
        await ctx.reply(f"A refund of {charge_id} was already queued; /payments shows its "
                        "state.")
        return
    text = f"Refund of {charge_id} queued; {request.reversed_credits} credits taken back"
    if request.unrecovered:
        text += f" ({request.unrecovered} were already spent and stay with the user)"
    await ctx.reply(text + ".")


async def payments(ctx: Context) -> None:
    """Recent payments and totals by day and currency"""
    service = _service(ctx)
    recent = await service.recent(10)
    by_day, overall = await service.totals(14)
    if not recent:
        await ctx.reply("No payments yet.")
        return
    lines = ["Last payments:"]
    for p in recent:
        when = p.created_at.strftime("%Y-%m-%d %H:%M") if p.created_at else ""
        lines.append(f"{when} user {p.user_id}: {money(p.amount, p.currency)}, "
                     f"{p.credits} credits, {p.status} [{p.charge_id}]")
    lines.append("")
    lines.append("By day (14 days, refunds left out):")
    lines.extend(f"{day} {currency}: {n} payments, {money(amount, currency)}"
                 for (day, currency), (n, amount) in by_day.items())
    lines.append("All time: " + ", ".join(f"{money(amount, currency)} in {n} payments"
                                          for currency, (n, amount) in sorted(overall.items())))
    await ctx.reply("\n".join(lines))


async def payments_csv(ctx: Context) -> None:
    """All payments as a CSV file"""
    data = await _service(ctx).csv_export()
    await ctx.do(SendMedia(ctx.chat_id, Media("document", "", "payments.csv", "text/csv", data),
                           caption="Payments (CSV)"))
