"""Screenshots of every dashboard page, into docs/ (the README shows the overview).

    .venv/bin/python docs/screenshots.py

A bot with every plugin runs on a temporary database with some demo users, conversations,
products, payments and a broadcast; Playwright drives Debian's Chromium
(`apt-get install chromium`) through the pages, logged in with a link from /dashboard.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.testing import running_bot  # noqa: E402
from core.types import SendInvoice  # noqa: E402
from tests.dashboard_support import CHROMIUM, CHROMIUM_ARGS, PLUGINS, dashboard_settings  # noqa: E402

OUT = ROOT / "docs"
NAMES = ["Ada", "Boris", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ivan", "Jun"]


async def seed(bot: object) -> None:
    b = bot  # the BotDriver
    users = [b.user(1000 + i, name, name.lower()) for i, name in enumerate(NAMES)]
    for user in users:
        await b.send("/start", user=user)
    await b.send("/start", user=b.admin)
    for line in ("guide | City guide | 30 | Books | link:https://example.org/guide | 20 | "
                 "A walking guide", "stickers | Sticker pack | 10 | Fun | text:STICKERS-2026 | "
                 "unlimited", "course | Video course | 120 | Courses | link:https://example.org/c"
                 " | 5"):
        await b.send(f"/shop_add {line}", user=b.admin)
    credits = b.service("credits")
    for i, user in enumerate(users[:6]):
        reply = await b.send("/buy small" if i % 2 else "/buy large", user=user)
        [invoice] = reply.of(SendInvoice)
        await b.pre_checkout(user, invoice.payload, invoice.currency, invoice.amount)
        await b.paid(user, invoice.payload, invoice.currency, invoice.amount,
                     charge_id=f"stx{1000 + i}")
    await credits.credit(users[7].id, 50, "welcome gift", "demo-gift")
    shop = b.service("shop")
    for user in users[:4]:
        product = await shop.by_sku("guide")
        offer = await shop.offer(user.id, product.id)
        purchase, item = await shop.buy(user.id, offer.request_id)
        await shop.deliver(purchase, item, user.id)
    await b.send("Hello! My payment went through but I see no credits.", user=users[2])
    await b.send("Can I get a refund for the course?", user=users[4])
    await b.send("Thanks, all good now", user=users[5])
    await b.send("How do I use the city guide offline?", user=users[8])
    inbox = b.service("inbox")
    await inbox.set_priority(1, 2)
    await inbox.answer(3, b.admin.id, "Admin", "demo-answer", "Glad to hear it!", None)
    await b.send("/broadcast to=all Spring sale: every guide 20% off this week!", user=b.admin)


async def main() -> None:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        settings = dashboard_settings(**{"admins": [1], "credits.start_bonus": 5})
        async with running_bot(Path(tmp), settings, plugins=PLUGINS) as bot:
            await seed(bot)
            reply = await bot.send("/dashboard", user=bot.admin)
            link = re.search(r"http\S+", reply.text).group(0)  # type: ignore[union-attr]
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=str(CHROMIUM),
                                                  args=CHROMIUM_ARGS)
                page = await browser.new_page(viewport={"width": 1280, "height": 860})
                await page.goto(link)
                await page.click("#login")
                pages = [("overview", "/"), ("inbox", "/inbox"), ("conversation", "/inbox/1"),
                         ("products", "/products"), ("payments", "/payments"),
                         ("payment", "/payments/stx1000"), ("users", "/users"),
                         ("user", "/users/1002"), ("broadcasts", "/broadcasts"),
                         ("broadcast", "/broadcasts/1"), ("settings", "/settings"),
                         ("health", "/health"), ("audit", "/audit")]
                base = bot.service("dashboard").url
                for name, path in pages:
                    await page.goto(base + path)
                    target = OUT / f"dashboard-{name}.png"
                    await page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT))
                await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
