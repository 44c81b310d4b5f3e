"""What admins see: recent payments with totals by day and currency, a CSV export, figures
for /stats and lines for the user lookup."""

from __future__ import annotations

import csv
import io

import pytest

from core.models import utcnow
from core.testing import BotDriver
from core.types import SendMedia
from tests.payments_support import PLUGINS, buy, settings

pytestmark = [pytest.mark.plugins(*PLUGINS), pytest.mark.bot_settings(settings())]


async def test_payments_list_totals_and_csv(bot: BotDriver) -> None:
    alice, bob = bot.user(42, "Alice"), bot.user(43, "Bob")
    assert (await bot.send("/payments", user=bot.admin)).text == "No payments yet."
    await buy(bot, alice, "charge-a1")
    await buy(bot, alice, "charge-a2", "large")
    await buy(bot, bob, "charge-b1")

    listing = await bot.send("/payments", user=bot.admin)
    today = utcnow().strftime("%Y-%m-%d")
    assert "user 43: 50 ⭐, 100 credits, paid [charge-b1]" in listing.text
    assert f"{today} XTR: 3 payments, 300 ⭐" in listing.text
    assert "All time: 300 ⭐ in 3 payments" in listing.text

    export = await bot.send("/payments_csv", user=bot.admin)
    (document,) = export.of(SendMedia)
    assert document.media.kind == "document" and document.media.file_name == "payments.csv"
    rows = list(csv.DictReader(io.StringIO(document.media.data.decode())))
    assert [(r["charge_id"], r["user_id"], r["amount"], r["credits"]) for r in rows] == [
        ("charge-a1", "42", "50", "100"), ("charge-a2", "42", "200", "500"),
        ("charge-b1", "43", "50", "100")]

    for command in ("/payments", "/payments_csv", "/refund charge-a1"):
        denied = await bot.send(command, user=alice)
        assert denied.outcome == "denied" and not denied.of(SendMedia)


async def test_stats_and_user_summary_hooks(bot: BotDriver) -> None:
    await buy(bot, bot.user(42), "charge-s1")
    await buy(bot, bot.user(42), "charge-s2", "large")
    (figures,) = [f for f in await bot.kernel.emit("stats") if "payments" in f]
    assert figures["payments"] == 2 and figures["payments received XTR"] == 250
    assert figures["refunds pending"] == 0
    en = bot.kernel.texts("en")
    lines = [en.text(line) for found in await bot.kernel.emit("user_summary", user_id=42)
             for line in found]
    assert "Payments: 2 (250 ⭐)" in lines
    other = await bot.kernel.emit("user_summary", user_id=99)
    assert not any("Payments" in en.text(line) for found in other for line in found)


async def test_buyers_segment_for_broadcasts(bot: BotDriver) -> None:
    await buy(bot, bot.user(42), "charge-g1")
    await buy(bot, bot.user(43), "charge-g2")
    await bot.send("/start", user=bot.user(44))  # never paid
    assert await bot.kernel.emit("segment_users", segment="buyers", value="") == [[42, 43]]
    assert await bot.kernel.emit("segment_users", segment="buyers", value="EUR") == [[]]
