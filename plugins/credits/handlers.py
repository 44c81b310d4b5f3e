"""Chat commands of the credits plugin: parse, call the service, reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from core.callbacks import CallbackData, IntRange
from core.context import Context
from core.errors import UserError
from core.i18n import Text, Translator
from core.pagination import MAX_PAGE, Page, add_nav
from core.parsing import AmountError, parse_amount
from core.types import Button, SendMessage
from plugins.credits.service import (
    REVOKE,
    Account,
    CreditsService,
    HistoryPage,
    InsufficientCredits,
    LedgerEntry,
)

ADMIN_HISTORY = 10


def _service(ctx: Context) -> CreditsService:
    return ctx.service("credits")


def _amount(ctx: Context, text: str, field: str = "credits-field-amount") -> int:
    try:
        return parse_amount(text, maximum=_service(ctx).max_amount, field=Text(field))
    except AmountError as exc:
        raise UserError(exc.text) from None


# Reasons the plugin itself writes in the ledger, shown in the reader's language.
REASONS = {
    "granted by an admin": "credits-reason-admin-grant",
    "revoked by an admin": "credits-reason-admin-revoke",
    "start bonus": "credits-reason-start-bonus",
    "refund": "credits-reason-refund",
    "reversed": "credits-reason-reversed",
}


def _reason(t: Translator, reason: str) -> str:
    key = REASONS.get(reason)
    return t(key) if key else reason


def _line(t: Translator, entry: LedgerEntry) -> str:
    when = t.when(entry.created_at) if entry.created_at else ""
    amount = ("+" if entry.amount >= 0 else "-") + t.number(abs(entry.amount))
    reason = f" {_reason(t, entry.reason)}" if entry.reason else ""
    return t("credits-history-line", when=when, amount=amount, reason=reason,
             balance=entry.balance_after)


def _tier_line(t: Translator, account: Account) -> str:
    if account.tier is None:
        return t("credits-tier-none")
    if account.tier.discount:
        return t("credits-tier-discount", tier=account.tier.name, discount=account.tier.discount)
    return t("credits-tier", tier=account.tier.name)


def _describe(t: Translator, account: Account, page: HistoryPage, title: str) -> str:
    lines = [title, _tier_line(t, account)]
    if account.recharge_threshold is not None:
        lines.append(t("credits-autorecharge-line", amount=account.recharge_amount,
                       threshold=account.recharge_threshold))
    if page.entries:
        lines.append("")
        lines.append(t("credits-last-entries", shown=len(page.entries), total=page.total))
        lines.extend(_line(t, e) for e in page.entries)
    return "\n".join(lines)


async def balance(ctx: Context) -> None:
    """Your credits, tier and last entries"""
    service = _service(ctx)
    account = await service.account(ctx.user.id)
    page = await service.history(ctx.user.id, 0, 5)
    await ctx.reply(_describe(ctx.t, account, page,
                              ctx.t("credits-balance", balance=account.balance)))


# ---- history, paged with buttons -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryButton(CallbackData, prefix="crh"):
    """A history page: the number is all it carries; the user is whoever pressed."""

    page: Annotated[int, IntRange(0, MAX_PAGE)]


async def _history_view(ctx: Context, number: int) -> tuple[str, list[list[Button]] | None]:
    size = ctx.settings.credits.history_page_size
    page = await _service(ctx).history(ctx.user.id, number * size, size)
    t = ctx.t
    if page.total == 0:
        return t("credits-history-empty"), None
    if not page.entries:
        raise UserError(Text("credits-page-gone"))
    shown = Page.counted(page.entries, number, size, page.total)
    lines = [t("credits-history-title", page=shown.number + 1, pages=shown.pages)]
    lines.extend(_line(t, e) for e in page.entries)
    rows: list[list[Button]] = []
    add_nav(rows, shown, lambda n: HistoryButton(n).pack(), t)
    return "\n".join(lines), rows or None


async def history(ctx: Context) -> None:
    """Your credit history, page by page"""
    text, buttons = await _history_view(ctx, 0)
    await ctx.reply(text, buttons)


async def history_page(ctx: Context) -> None:
    text, buttons = await _history_view(ctx, ctx.button(HistoryButton).page)
    await ctx.edit(text, buttons)
    await ctx.answer()


# ---- auto-recharge -------------------------------------------------------------------------

AUTORECHARGE_USAGE = Text("credits-autorecharge-usage")


async def autorecharge(ctx: Context) -> None:
    """Offer a top-up when your balance runs low"""
    service = _service(ctx)
    args = ctx.args
    if not args:
        account = await service.account(ctx.user.id)
        t = ctx.t
        state = (t("credits-autorecharge-off-state") if account.recharge_threshold is None else
                 t("credits-autorecharge-line", amount=account.recharge_amount,
                   threshold=account.recharge_threshold) + ".")
        await ctx.reply(f"{state}\n{t.text(AUTORECHARGE_USAGE)}")
        return
    if len(args) == 1 and args[0].lower() in ("off", "stop", "0"):
        await service.set_autorecharge(ctx.user.id, None, None)
        await ctx.reply(ctx.t("credits-autorecharge-stopped"))
        return
    if len(args) != 2:
        raise UserError(AUTORECHARGE_USAGE)
    threshold = _amount(ctx, args[0], "credits-field-threshold")
    amount = _amount(ctx, args[1], "credits-field-amount")
    await service.set_autorecharge(ctx.user.id, threshold, amount)
    await ctx.reply(ctx.t("credits-autorecharge-started", threshold=threshold, amount=amount))


# ---- admins ----------------------------------------------------------------------------------


async def _target(ctx: Context, usage: Text) -> tuple[int, str, list[str]]:
    args = ctx.args
    if not args:
        raise UserError(usage)
    user = await ctx.service("users").find(args[0][:64])
    if user is None:
        raise UserError(Text("credits-unknown-user", user=args[0][:40]))
    return user.id, user.display, args[1:]


async def _adjust(ctx: Context, usage: Text, revoke: bool) -> None:
    user_id, name, rest = await _target(ctx, usage)
    if not rest:
        raise UserError(usage)
    amount = _amount(ctx, rest[0])
    reason = " ".join(rest[1:])[:200] or ("revoked by an admin" if revoke else
                                         "granted by an admin")
    service = _service(ctx)
    key = f"admin:{ctx.update.key}"
    if revoke:
        try:
            entry = await service.debit(user_id, amount, reason, key, actor=ctx.user.id,
                                        kind=REVOKE)
        except InsufficientCredits as exc:
            raise UserError(Text("credits-revoke-short", name=name, balance=exc.balance,
                                 shortfall=exc.shortfall, amount=amount)) from None
        await ctx.reply(ctx.t("credits-revoked", amount=amount, name=name,
                              balance=entry.balance_after))
        return
    entry = await service.credit(user_id, amount, reason, key, actor=ctx.user.id)
    await ctx.reply(ctx.t("credits-granted", amount=amount, name=name,
                          balance=entry.balance_after))
    if not entry.duplicate and user_id != ctx.user.id:
        t = await ctx.kernel.texts_for(user_id)
        await ctx.do(SendMessage(user_id, t("credits-received", amount=amount,
                                            reason=_reason(t, reason),
                                            balance=entry.balance_after)))


async def grant(ctx: Context) -> None:
    """Give credits: /grant <user> <amount> [reason]"""
    await _adjust(ctx, Text("credits-grant-usage"), revoke=False)


async def revoke(ctx: Context) -> None:
    """Take credits back: /revoke <user> <amount> [reason]"""
    await _adjust(ctx, Text("credits-revoke-usage"), revoke=True)


async def credits(ctx: Context) -> None:
    """A user's credits (/credits <user>), or totals (/credits)"""
    service = _service(ctx)
    if not ctx.args:
        s = await service.summary()
        await ctx.reply(ctx.t("credits-summary", issued=s.issued, purchased=s.purchased,
                              spent=s.spent, outstanding=s.outstanding, accounts=s.accounts,
                              entries=s.entries))
        return
    usage = Text("credits-credits-usage")
    user_id, name, rest = await _target(ctx, usage)
    if rest:
        raise UserError(usage)
    account = await service.account(user_id)
    page = await service.history(user_id, 0, ADMIN_HISTORY)
    t = ctx.t
    title = t("credits-user-balance", name=name, id=str(user_id), balance=account.balance)
    await ctx.reply(_describe(t, account, page, title) + "\n" +
                    t("credits-bought-total", total=account.purchased_total))
