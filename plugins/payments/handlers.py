"""Chat side of the payments plugin: parse, call the service, reply."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Annotated

from loguru import logger

from core.callbacks import CallbackData, Chars
from core.context import Context
from core.errors import UserError
from core.i18n import Text
from core.types import AnswerPreCheckout, Button, Media, SendMedia
from plugins.payments.service import PaymentsService


@dataclass(frozen=True, slots=True)
class BuyPackage(CallbackData, prefix="pay"):
    """The package id only; the service re-checks that it is on offer."""

    package_id: Annotated[str, Chars(32, r"[a-z0-9_-]{1,32}")]
CHARGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,255}$")
LATE = Text("payments-late")
BROKEN = Text("payments-broken")


def _service(ctx: Context) -> PaymentsService:
    return ctx.service("payments")


async def buy(ctx: Context) -> None:
    """Buy credits"""
    service = _service(ctx)
    if ctx.args:
        await service.invoice(ctx.user.id, ctx.args[0].lower()[:32])
        return
    if not service.packages:
        raise UserError(Text("payments-nothing-on-sale"))
    rows = [[Button(p.label(ctx.t), data=BuyPackage(p.id).pack())] for p in service.packages]
    await ctx.reply(ctx.t("payments-choose"), rows)


async def buy_pressed(ctx: Context) -> None:
    await _service(ctx).invoice(ctx.user.id, ctx.button(BuyPackage).package_id)
    await ctx.answer()


async def pre_checkout(ctx: Context) -> None:
    """Answer within `payments.precheckout_deadline`, whatever the database is doing."""
    info = ctx.update.payment
    assert info is not None and info.query_id is not None
    service = _service(ctx)
    failure: BaseException | None = None
    error: str | Text | None
    try:
        async with asyncio.timeout(service.deadline):
            error = await service.check(ctx.user, info)
    except TimeoutError:
        logger.warning("pre-checkout checks for user {} missed the {}s deadline", ctx.user.id,
                       service.deadline)
        error = LATE
    except Exception as exc:
        error, failure = BROKEN, exc
    reason = None if error is None else ctx.t.text(error)
    await ctx.do(AnswerPreCheckout(ctx.chat_id, info.query_id, error is None, reason))
    if failure is not None:
        raise failure  # answered; now the error hooks log it with a reference


async def successful_payment(ctx: Context) -> None:
    info = ctx.update.payment
    assert info is not None
    # The thank-you message is sent by the service, by whichever worker completes the grant.
    await _service(ctx).record(ctx.user.id, info)


def _configured(ctx: Context, name: str) -> str:
    """An operator's text from settings (the same in every language), or the catalogue's."""
    text = str(ctx.settings.payments.texts.get(name) or "").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()  # quoted twice (TOML quotes inside an env value): unquote
    return text or ctx.t("payments-" + name)


async def paysupport(ctx: Context) -> None:
    """Help with a payment"""
    await ctx.reply(_configured(ctx, "support"))


async def terms(ctx: Context) -> None:
    """Terms of sale"""
    await ctx.reply(_configured(ctx, "terms"))


async def privacy(ctx: Context) -> None:
    """Privacy policy"""
    await ctx.reply(_configured(ctx, "privacy"))


# ---- admins ------------------------------------------------------------------------------------


async def refund(ctx: Context) -> None:
    """Refund a Stars payment: /refund <charge id> [force]"""
    args = ctx.args
    if not args or len(args) > 2 or (len(args) == 2 and args[1].lower() != "force"):
        raise UserError(Text("payments-refund-usage"))
    charge_id = args[0]
    if not CHARGE_ID.match(charge_id):
        raise UserError(Text("payments-not-charge-id"))
    request = await _service(ctx).request_refund(charge_id, actor=ctx.user.id,
                                                 force=len(args) == 2)
    if not request.queued:
        await ctx.reply(ctx.t("payments-refund-already", charge=charge_id))
        return
    if request.unrecovered:
        await ctx.reply(ctx.t("payments-refund-queued-unrecovered", charge=charge_id,
                              credits=request.reversed_credits, unrecovered=request.unrecovered))
    else:
        await ctx.reply(ctx.t("payments-refund-queued", charge=charge_id,
                              credits=request.reversed_credits))


async def payments(ctx: Context) -> None:
    """Recent payments and totals by day and currency"""
    service = _service(ctx)
    recent = await service.recent(10)
    by_day, overall = await service.totals(14)
    t = ctx.t
    if not recent:
        await ctx.reply(t("payments-none"))
        return
    lines = [t("payments-last")]
    for p in recent:
        lines.append(t("payments-line", when=p.created_at or "", user=str(p.user_id),
                       price=t.money(p.amount, p.currency), credits=p.credits,
                       status=t("payments-status-" + p.status), charge=p.charge_id))
    lines.append("")
    lines.append(t("payments-by-day"))
    lines.extend(t("payments-day-line", day=day, currency=currency, count=n,
                   price=t.money(amount, currency))
                 for (day, currency), (n, amount) in by_day.items())
    # Everything refunded: say so, rather than an empty "All time:".
    totals = [t("payments-total", price=t.money(amount, currency), count=n)
              for currency, (n, amount) in sorted(overall.items())]
    lines.append(t("payments-all-time", totals=", ".join(totals)) if totals
                 else t("payments-all-time-none"))
    await ctx.reply("\n".join(lines))


async def payments_csv(ctx: Context) -> None:
    """All payments as a CSV file"""
    data = await _service(ctx).csv_export()
    await ctx.do(SendMedia(ctx.chat_id, Media("document", "", "payments.csv", "text/csv", data),
                           caption=ctx.t("payments-csv-caption")))
