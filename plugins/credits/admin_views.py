"""What the credits plugin adds to the admin tools: balance lines for `/user`, the
`tier:<name>` broadcast segment, and the way to top up offered when credits run short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.errors import UserError
from plugins.credits.models import CreditAccount

if TYPE_CHECKING:
    from plugins.credits.service import CreditsService


async def user_lines(service: CreditsService, user_id: int) -> list[str]:
    account = await service.account(user_id)
    tier = account.tier.name if account.tier else "none"
    lines = [f"Credits: {account.balance} (bought in total {account.purchased_total}, "
             f"tier {tier})"]
    if account.recharge_threshold is not None:
        lines.append(f"Auto-recharge: {account.recharge_amount} credits when below "
                     f"{account.recharge_threshold}")
    return lines


async def tier_members(service: CreditsService, value: str) -> list[int]:
    """Users whose tier is `value` (by credits bought in total, as /balance shows it)."""
    names = ", ".join(t.name for t in service.tiers) or "none are configured"
    position = next((i for i, t in enumerate(service.tiers)
                     if t.name.lower() == value.strip().lower()), None)
    if position is None:
        raise UserError(f"No tier '{value[:32]}'. Tiers: {names}; as in tier:"
                        f"{service.tiers[0].name if service.tiers else 'gold'}.")
    low = service.tiers[position].threshold
    high = (service.tiers[position + 1].threshold if position + 1 < len(service.tiers)
            else None)
    column = CreditAccount.purchased_total

    def fetch() -> list[int]:
        where: Any = column >= low
        if high is not None:
            where = where & (column < high)
        query = CreditAccount.select(CreditAccount.user_id).where(where)
        rows: Any = query.tuples()
        return [int(row[0]) for row in rows]

    return await service.db.run(fetch)


def top_up(kernel: Any) -> tuple[str, list[list[Any]] | None]:
    """How to get more credits: a hint, and a button when the payments service offers one.
    Nothing when this bot sells no credits."""
    if not kernel.has_service("payments"):
        return "", None
    buttons = getattr(kernel.service("payments"), "top_up_buttons", lambda: None)()
    return " Send /buy to top up.", buttons


DEMO_USER = 1000  # the console's own user (core/transports/console.py)
DEMO_CREDITS = 120


async def seed_demo(kernel: Any) -> list[str]:
    """Credits for the console's user, once (the key makes a second run a no-op)."""
    entry = await kernel.service("credits").credit(DEMO_USER, DEMO_CREDITS, "demo credits",
                                                   f"demo:{DEMO_USER}")
    return [f"credits: you (console user {DEMO_USER}) have {entry.balance_after} credits: "
            "try /balance and /history"]
