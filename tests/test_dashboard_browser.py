"""The dashboard in a real browser (Playwright driving Debian's Chromium) on a bot whose
Telegram side is a real kurigram Client with the network replaced: what the admin does on
the page reaches users through the Telegram transport."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from pyrogram import raw

from core import testing_telegram as tg_testing
from tests.dashboard_support import browser_page, log_in, login_link, telegram_dashboard

f = raw.functions


async def until(condition: object, seconds: float = 10.0) -> None:
    """Wait on a wall-clock deadline for `condition()` (a callable, maybe async)."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()  # type: ignore[operator]
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_log_in_with_the_link_from_dashboard_command(tmp_path: Path) -> None:
    async with telegram_dashboard(tmp_path) as tg, browser_page() as page:
        link = await login_link(tg)
        assert "one use" in tg.sent_texts(tg.admin.id)[-1]
        await log_in(page, link)
        cookie = next(c for c in await page.context.cookies() if c["name"] == "dashboard_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert not cookie["secure"]  # plain HTTP on 127.0.0.1; behind HTTPS it is Secure
        await page.click("nav >> text=Audit log")
        assert "login" in await page.inner_text("#audit")
        # The same link a second time: refused.
        await page.goto(link)
        assert "already used" in await page.inner_text("main")


async def test_answer_an_inbox_conversation(tmp_path: Path) -> None:
    async with telegram_dashboard(tmp_path) as tg, browser_page() as page:
        alice = tg.user(42, "Alice", "alice")
        await tg.message(alice, "My order never arrived")
        await log_in(page, await login_link(tg))
        await page.click("nav >> text=Inbox")
        await page.click("text=Alice")
        assert "My order never arrived" in await page.inner_text("#history")
        await page.fill("#answer", "Sorry! It is on its way now.")
        await page.click("#send-answer")
        assert "Sent to #1." in await page.inner_text(".flash")
        await tg.settle()
        # Through the Telegram transport, to Alice's chat.
        assert tg.sent_texts(alice.id)[-1] == "Sorry! It is on its way now."
        assert "Sorry! It is on its way now." in await page.inner_text("#history")


async def test_add_a_product_that_a_user_buys_in_telegram(tmp_path: Path) -> None:
    async with telegram_dashboard(tmp_path) as tg, browser_page() as page:
        await log_in(page, await login_link(tg))
        await page.click("nav >> text=Products")
        form = "#add-product"
        for name, value in (("sku", "guide"), ("title", "City guide"), ("price", "30"),
                            ("category", "Books"), ("content", "link:https://example.org/g"),
                            ("stock", "5")):
            await page.fill(f"{form} [name={name}]", value)
        await page.click("#add")
        assert "Added guide." in await page.inner_text(".flash")
        assert "City guide" in await page.inner_text("table.list")

        alice = tg.user(42, "Alice")
        await tg.message(alice, "/start")
        await tg.kernel.service("credits").credit(alice.id, 100, "test", "dash-test-alice")
        await tg.message(alice, "/shop")
        message_id = tg.last_message().id
        data = tg_testing.button_data(tg.last_message().reply_markup)
        for _ in range(4):  # category, product, Buy, Confirm
            await tg.press(alice, data[0], message_id)
            data = tg_testing.button_data(tg.last_message().reply_markup)
        shown = [m.message for m in tg.server.messages.values() if m.out]
        assert any(t.startswith("You bought City guide for 30 credits") for t in shown)
        assert "https://example.org/g" in tg.sent_texts(alice.id)[-1]  # delivered
        assert await tg.kernel.service("credits").balance(alice.id) == 70
        await page.reload()
        row = await page.inner_text("tr:has-text('City guide')")
        assert "4" in row.split() and "1" in row.split()  # stock 4, sold 1


async def test_refund_a_payment(tmp_path: Path) -> None:
    async with telegram_dashboard(tmp_path) as tg, browser_page() as page:
        alice = tg.user(42, "Alice")
        await tg.message(alice, "/buy small")
        [media] = tg.requests_of(f.messages.SendMedia)
        payload = media.media.payload.decode()
        await tg.pre_checkout(alice, payload, "XTR", 50)
        await tg.paid(alice, payload, "XTR", 50, charge_id="stxDASH1")
        credits = tg.kernel.service("credits")
        assert await credits.balance(42) == 100

        await log_in(page, await login_link(tg))
        await page.click("nav >> text=Payments")
        await page.click("text=stxDASH1")
        assert await page.inner_text("#payment-status") == "paid"
        await page.click("#refund")
        assert "Refund of stxDASH1 queued: 100 credits taken back" in await page.inner_text(
            ".flash")
        assert await page.inner_text("#payment-status") == "refunding"
        await tg.kernel.service("payments").process_refunds()
        [refund] = tg.requests_of(f.payments.RefundStarsCharge)
        assert refund.charge_id == "stxDASH1"
        assert await credits.balance(42) == 0
        await page.reload()
        assert await page.inner_text("#payment-status") == "refunded"
        assert "#refund" not in await page.content()


async def test_start_and_pause_a_broadcast_with_live_progress(tmp_path: Path) -> None:
    # Five messages a second: thirty users take six seconds, long enough to watch and pause.
    async with telegram_dashboard(tmp_path, **{"outbound.enabled": True,
                                               "outbound.global_per_second": 5,
                                               "admin.broadcast_batch": 2,
                                               "admin.broadcast_concurrency": 2}) as tg, \
            browser_page() as page:
        users = [tg.user(100 + i, f"User {i}") for i in range(30)]
        for user in users:
            await tg.message(user, "/start")
        await log_in(page, await login_link(tg))
        await page.click("nav >> text=Broadcasts")
        await page.fill("#compose [name=text]", "Big news <b>today</b>!")
        await page.click("#preview")
        assert "Big news <b>today</b>!" in await page.inner_text(".preview")
        await page.click("#bc-start")
        assert "started" in await page.inner_text(".flash")

        async def sent_on_page() -> int:
            return int(await page.inner_text("#p-sent"))

        first = await sent_on_page()
        # The numbers move without a reload (the page polls the progress view).
        await until(lambda: _more(page, first), 15)
        await page.click("#bc-pause")
        assert "pausing" in await page.inner_text(".flash")
        await until(lambda: _text(page, "#p-status", "paused"), 10)
        broadcasts = tg.kernel.service("broadcasts")
        await broadcasts.wait(1)
        counts = await broadcasts.store.counts(1)
        assert 0 < counts.sent < counts.total == 31 and counts.pending > 0  # 30 users, 1 admin
        texts = [t for u in [*users, tg.admin] for t in tg.sent_texts(u.id)
                 if t.startswith("Big news")]
        assert len(texts) == counts.sent
        await page.wait_for_selector("#bc-resume")


async def _more(page: object, than: int) -> bool:
    return int(await page.inner_text("#p-sent")) > than  # type: ignore[attr-defined]


async def _text(page: object, selector: str, text: str) -> bool:
    return await page.inner_text(selector) == text  # type: ignore[attr-defined]


async def test_upload_a_file_for_a_file_product(tmp_path: Path) -> None:
    async with telegram_dashboard(tmp_path) as tg, browser_page() as page:
        await log_in(page, await login_link(tg))
        await page.click("nav >> text=Products")
        form = "#add-product"
        for name, value in (("sku", "manual"), ("title", "Owner's manual"), ("price", "5"),
                            ("category", "Docs"), ("stock", "unlimited")):
            await page.fill(f"{form} [name={name}]", value)
        await page.set_input_files(f"{form} [name=upload]", files=[{
            "name": "manual.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 demo"}])
        await page.click("#add")
        assert "Added manual." in await page.inner_text(".flash")
        # Uploaded once, through the bot, to the admin's own chat; Telegram's file id is kept.
        assert tg.client.uploads == [("manual.pdf", b"%PDF-1.4 demo")]
        product = await tg.kernel.service("shop").by_sku("manual")
        assert product.content_kind == "file" and product.content
