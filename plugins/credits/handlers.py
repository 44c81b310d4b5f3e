"""Chat commands of the credits plugin: parse, call the service, reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from core.callbacks import CallbackData, IntRange
from core.context import Context
from core.errors import UserError
from core.pagination import MAX_PAGE, Page, add_nav
from core.parsing import parse_amount
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


def _amount(ctx: Context, text: str, what: str = "The amount") -> int:
    try:
        return parse_amount(text, maximum=_service(ctx).max_amount)
    except ValueError as exc:
        raise UserError(f"{what} {exc}.") from None


def _line(entry: LedgerEntry) -> str:
    when = entry.created_at.strftime("%Y-%m-%d %H:%M") if entry.created_at else ""
    reason = f" {entry.reason}" if entry.reason else ""
    return f"{when} {entry.amount:+d}{reason} = {entry.balance_after}"


def _tier_line(account: Account) -> str:
    if account.tier is None:
        return "Tier: none yet"
    off = f" ({account.tier.discount}% off)" if account.tier.discount else ""
    return f"Tier: {account.tier.name}{off}"


def _describe(account: Account, page: HistoryPage, title: str) -> str:
    lines = [f"{title}: {account.balance} credits", _tier_line(account)]
    if account.recharge_threshold is not None:
        lines.append(f"Auto-recharge: {account.recharge_amount} credits when below "
                     f"{account.recharge_threshold}")
    if page.entries:
        lines.append("")
        lines.append(f"Last {len(page.entries)} of {page.total} entries:")
        lines.extend(_line(e) for e in page.entries)
    return "\n".join(lines)


async def balance(ctx: Context) -> None:
    """Your credits, tier and last entries"""
    service = _service(ctx)
    account = await service.account(ctx.user.id)
    page = await service.history(ctx.user.id, 0, 5)
    await ctx.reply(_describe(account, page, "Balance"))


# ---- history, paged with buttons -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryButton(CallbackData, prefix="crh"):
    """A history page: the number is all it carries; the user is whoever pressed."""

    page: Annotated[int, IntRange(0, MAX_PAGE)]


async def _history_view(ctx: Context, number: int) -> tuple[str, list[list[Button]] | None]:
    size = ctx.settings.credits.history_page_size
    page = await _service(ctx).history(ctx.user.id, number * size, size)
    if page.total == 0:
        return "No credit history yet.", None
    if not page.entries:
        raise UserError("That page no longer exists. Send /history again.")
    shown = Page.counted(page.entries, number, size, page.total)
    lines = [f"History, {shown.label or 'page 1 of 1'}:"]
    lines.extend(_line(e) for e in page.entries)
    rows: list[list[Button]] = []
    add_nav(rows, shown, lambda n: HistoryButton(n).pack())
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

AUTORECHARGE_USAGE = ("Usage: /autorecharge <threshold> <amount>, for example /autorecharge "
                      "20 100: when your balance falls below 20 I offer you 100 credits in one "
                      "tap. /autorecharge off stops it.")


async def autorecharge(ctx: Context) -> None:
    """Offer a top-up when your balance runs low"""
    service = _service(ctx)
    args = ctx.args
    if not args:
        account = await service.account(ctx.user.id)
        state = ("off" if account.recharge_threshold is None else
                 f"{account.recharge_amount} credits when below {account.recharge_threshold}")
        await ctx.reply(f"Auto-recharge: {state}.\n{AUTORECHARGE_USAGE}")
        return
    if len(args) == 1 and args[0].lower() in ("off", "stop", "0"):
        await service.set_autorecharge(ctx.user.id, None, None)
        await ctx.reply("Auto-recharge is off.")
        return
    if len(args) != 2:
        raise UserError(AUTORECHARGE_USAGE)
    threshold = _amount(ctx, args[0], "The threshold")
    amount = _amount(ctx, args[1], "The amount")
    await service.set_autorecharge(ctx.user.id, threshold, amount)
    await ctx.reply(f"Auto-recharge is on: when your balance falls below {threshold}, I will "
                    f"offer you {amount} credits.")


# ---- admins ----------------------------------------------------------------------------------


async def _target(ctx: Context, usage: str) -> tuple[int, str, list[str]]:
    args = ctx.args
    if not args:
        raise UserError(usage)
    user = await ctx.service("users").find(args[0][:64])
    if user is None:
        raise UserError(f"I don't know the user {args[0][:40]}: give their id or @username "
                        "(they must have written to the bot).")
    return user.id, user.display, args[1:]


async def _adjust(ctx: Context, usage: str, revoke: bool) -> None:
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
            raise UserError(f"{name} has only {exc.balance} credits, {exc.shortfall} fewer "
                            f"than {amount}: nothing was taken.") from None
        await ctx.reply(f"Took {amount} credits from {name}: balance {entry.balance_after}.")
        return
    entry = await service.credit(user_id, amount, reason, key, actor=ctx.user.id)
    await ctx.reply(f"Granted {amount} credits to {name}: balance {entry.balance_after}.")
    if not entry.duplicate and user_id != ctx.user.id:
        await ctx.do(SendMessage(user_id, f"You received {amount} credits ({reason}). "
                                          f"Balance: {entry.balance_after}."))


async def grant(ctx: Context) -> None:
    """Give credits: /grant <user> <amount> [reason]"""
    await _adjust(ctx, "Usage: /grant <user id or @username> <amount> [reason]", revoke=False)


async def revoke(ctx: Context) -> None:
    """Take credits back: /revoke <user> <amount> [reason]"""
    await _adjust(ctx, "Usage: /revoke <user id or @username> <amount> [reason]", revoke=True)


async def credits(ctx: Context) -> None:
    """A user's credits (/credits <user>), or totals (/credits)"""
    service = _service(ctx)
    if not ctx.args:
        s = await service.summary()
        await ctx.reply(
            f"Credits issued: {s.issued} (bought: {s.purchased})\nSpent: {s.spent}\n"
            f"Outstanding: {s.outstanding} in {s.accounts} accounts\nLedger entries: "
            f"{s.entries}\nUse /credits <user> for one user.")
        return
    user_id, name, rest = await _target(ctx, "Usage: /credits [user id or @username]")
    if rest:
        raise UserError("Usage: /credits [user id or @username]")
    account = await service.account(user_id)
    page = await service.history(user_id, 0, ADMIN_HISTORY)
    await ctx.reply(_describe(account, page, f"{name} (id {user_id})") +
                    f"\nBought in total: {account.purchased_total}")
