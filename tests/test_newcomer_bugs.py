"""The product bugs a newcomer hit in the first hour, each told as the conversation it was."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.kernel import Kernel
from core.testing import BotDriver, base_settings, config_root
from core.transports.console import ConsoleTransport
from tests.payments_support import settings as payments_settings

SHOP = ["credits", "shop", "admin"]
PAID_SHOP = ["credits", "shop", "admin", "payments"]


async def add_product(bot: BotDriver, sku: str = "ebook", price: int = 30) -> None:
    reply = await bot.send(f"/shop_add {sku} | Python Tricks | {price} | Books | text:42 | 5",
                           user=bot.admin)
    assert reply.text.startswith("Added "), reply.text


async def at_confirmation(bot: BotDriver, credits: int = 0):  # type: ignore[no-untyped-def]
    """Alice (id 42) with `credits`, looking at the Confirm/Cancel of a 30-credit product."""
    await add_product(bot)
    alice = bot.user(42, "Alice")
    await bot.send("/start", user=alice)
    if credits:
        await bot.service("credits").credit(42, credits, "test", "test:42")
    shop = await bot.send("/shop", user=alice)
    listing = await bot.press(shop.button("Books"), user=alice)
    card = await bot.press(listing.button("Python Tricks"), user=alice)
    return alice, await bot.press(card.button("Buy"), user=alice)


@pytest.mark.plugins(*SHOP)
async def test_a_stale_cancel_after_a_purchase_leaves_the_receipt(bot: BotDriver) -> None:
    alice, confirm = await at_confirmation(bot, credits=100)
    cancel = confirm.button("Cancel")
    bought = await bot.press(confirm.button("Confirm"), user=alice)
    assert "You bought Python Tricks for 30 credits" in bought.text

    stale = await bot.press(cancel, user=alice)
    assert "Cancelled" not in stale.text and "nothing was charged" not in stale.text
    assert "already complete" in stale.text
    assert stale.messages == []  # the receipt is not edited
    assert await bot.service("credits").balance(42) == 70


@pytest.mark.plugins(*SHOP)
async def test_cancel_before_confirming_still_cancels(bot: BotDriver) -> None:
    alice, confirm = await at_confirmation(bot)
    cancelled = await bot.press(confirm.button("Cancel"), user=alice)
    assert "Cancelled: nothing was charged." in cancelled.text


@pytest.mark.plugins(*PAID_SHOP)
@pytest.mark.bot_settings(payments_settings())
async def test_short_of_credits_offers_a_top_up(bot: BotDriver) -> None:
    alice, confirm = await at_confirmation(bot)
    short = await bot.press(confirm.button("Confirm"), user=alice)
    assert "30 credits" in short.text and "/buy" in short.text
    menu = await bot.press(short.button("Top up"), user=alice)
    assert "Choose a package of credits" in menu.text
    assert menu.button("100 credits").data == "pay:small"


@pytest.mark.plugins(*SHOP)
async def test_short_of_credits_without_payments_mentions_no_buy(bot: BotDriver) -> None:
    alice, confirm = await at_confirmation(bot)
    short = await bot.press(confirm.button("Confirm"), user=alice)
    assert "short" in (short.alert or "") and "/buy" not in (short.alert or "")


@pytest.mark.plugins(*SHOP)
async def test_autorecharge_is_refused_when_payments_is_off(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    reply = await bot.send("/autorecharge 20 100", user=alice)
    assert reply.outcome == "user_error" and "needs payments" in reply.text
    assert (await bot.service("credits").account(42)).recharge_threshold is None


@pytest.mark.plugins(*SHOP)
async def test_user_finds_whom_grant_named_and_shows_the_balance(bot: BotDriver) -> None:
    named = bot.user(42, "Alice", "alice_w")
    unnamed = bot.user(43, "Bob")  # no username: /grant names them by first name and id
    for user in (named, unnamed):
        await bot.send("/start", user=user)
    granted = await bot.send("/grant @Alice_W 25", user=bot.admin)
    assert "@alice_w (id 42)" in granted.text
    found = await bot.send("/user @alice_w", user=bot.admin)
    assert found.outcome == "ok" and "User 42 (@alice_w)" in found.text
    assert "Credits: 25" in found.text
    granted = await bot.send("/grant 43 5", user=bot.admin)
    assert "Bob (id 43)" in granted.text
    found = await bot.send("/user 43", user=bot.admin)
    assert "Credits: 5" in found.text


@pytest.mark.plugins(*SHOP)
@pytest.mark.parametrize("ref", ["¹²³", "1234567890123456789", "-9999999999999999999",
                                 "@bad name", "٣٤"])
async def test_user_lookups_with_odd_numbers_are_messages(bot: BotDriver, ref: str) -> None:
    reply = await bot.send(f"/user {ref}", user=bot.admin)
    assert reply.outcome == "user_error", reply
    assert "No user" in reply.text


@pytest.mark.plugins(*SHOP)
@pytest.mark.parametrize("change", ["+9223372036854775808", "+2**63", "-²", "+¹"])
async def test_odd_stock_changes_are_messages(bot: BotDriver, change: str) -> None:
    await add_product(bot)
    reply = await bot.send(f"/shop_stock ebook {change}", user=bot.admin)
    assert reply.outcome == "user_error", reply
    listing = await bot.send("/shop_list", user=bot.admin)
    assert "5 left" in listing.text or "5" in listing.text


@pytest.mark.plugins(*SHOP)
async def test_the_tier_segment_reaches_the_tiers_members(bot: BotDriver) -> None:
    credits = bot.service("credits")
    for uid, bought in ((42, 150), (43, 600), (44, 0)):
        await bot.send("/start", user=bot.user(uid))
        if bought:
            await credits.credit(uid, bought, "bought", f"buy:{uid}", purchased=True)
    reply = await bot.send("/broadcast to=tier:bronze Hello bronze", user=bot.admin)
    assert reply.outcome == "ok", reply.text
    assert "to tier:bronze: 1 user now" in reply.text
    reply = await bot.send("/broadcast to=tier:silver Hi", user=bot.admin)
    assert "1 user now" in reply.text
    reply = await bot.send("/broadcast to=tier:platinum Hi", user=bot.admin)
    assert reply.outcome == "user_error" and "bronze, silver, gold" in reply.text


@pytest.fixture
async def console_kernel(tmp_path: Path) -> AsyncIterator[Path]:
    yield tmp_path


async def _console_session(tmp_path: Path, *lines: str) -> str:
    settings = base_settings(tmp_path)
    settings.update({"plugins.enabled": ["credits"], "admins": []})
    kernel = Kernel.configure(settings, root=config_root(tmp_path), environ=False)
    out = io.StringIO()
    console = ConsoleTransport(kernel, out=out)
    kernel.attach(console)
    await kernel.start()

    async def feed() -> AsyncIterator[str]:
        for line in lines:
            yield line

    try:
        await console.run(feed(), echo=True)
    finally:
        await kernel.stop()
    return out.getvalue()


async def test_console_revoke_after_a_restart_works(tmp_path: Path) -> None:
    first = await _console_session(tmp_path, "/start", "/admin", "/grant 1000 10", "/quit")
    assert "Granted 10 credits" in first
    second = await _console_session(tmp_path, "/admin", "/revoke 1000 4", "/quit")
    assert "Took 4 credits" in second, second
    third = await _console_session(tmp_path, "/balance", "/quit")
    assert "Balance: 6 credits" in third
