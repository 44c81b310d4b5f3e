"""Shared set-up of the dashboard tests: a bot with every plugin behind the offline Telegram
harness, the login link an admin gets from /dashboard, and Debian's Chromium driven by
Playwright (skipped when the browser is missing, failed under CI)."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from core import testing_telegram as tg_testing
from tests.payments_support import settings as payment_settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PLUGINS = ["credits", "shop", "payments", "admin_inbox", "admin", "monitoring", "dashboard"]
LINK = re.compile(r"https?://\S+/login\?t=\S+")


def dashboard_settings(**extra: Any) -> dict[str, Any]:
    values = payment_settings()
    values.update({"dashboard.port": 0, "dashboard.secret": "dashboard-test-secret"})
    values.update(extra)
    return values


@asynccontextmanager
async def telegram_dashboard(tmp_path: Path, **extra: Any
                             ) -> AsyncIterator[tg_testing.TelegramHarness]:
    async with tg_testing.telegram_bot(tmp_path, dashboard_settings(**extra),
                                       plugins=PLUGINS) as tg:
        yield tg


async def login_link(tg: tg_testing.TelegramHarness) -> str:
    """What an admin gets from /dashboard in Telegram: the one-time link."""
    await tg.message(tg.admin, "/dashboard")
    found = LINK.search(tg.sent_texts(tg.admin.id)[-1])
    assert found is not None, tg.sent_texts(tg.admin.id)[-1]
    return found.group(0)


def _require_browser() -> Any:
    missing = None
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        missing = "playwright is not installed (pip install '.[dev]')"
        async_playwright = None
    if missing is None and not CHROMIUM.exists():
        missing = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: CI must run the browser tests")
        pytest.skip(missing)
    return async_playwright


@asynccontextmanager
async def browser_page() -> AsyncIterator[Any]:
    """A fresh page in a fresh headless Chromium (Debian's, through its executable path)."""
    async_playwright = _require_browser()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 860})
            yield await context.new_page()
        finally:
            await browser.close()


async def log_in(page: Any, link: str) -> None:
    await page.goto(link)
    await page.click("#login")
    await page.wait_for_selector("h1:text('Overview')")
