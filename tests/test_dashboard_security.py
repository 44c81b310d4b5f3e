"""The dashboard's locks, tried over HTTP against the running server: no session, expired,
forged and reused links, missing CSRF tokens, an admin removed from settings, idle and
ended sessions, and users' own text shown escaped."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from markupsafe import escape

from core.models import utcnow
from core.testing import ADMIN_ID, BotDriver
from plugins.dashboard.models import DashboardSession

PLUGINS = ["credits", "shop", "admin_inbox", "admin", "dashboard"]
SETTINGS = {"dashboard.port": 0, "dashboard.secret": "dashboard-test-secret",
            "credits.start_bonus": 10}
PAGES = ["/", "/inbox", "/inbox/1", "/products", "/payments", "/users", "/users/42",
         "/broadcasts", "/settings", "/health", "/audit", "/payments.csv"]
LINK = re.compile(r"http://\S+/login\?t=(\S+)")

pytestmark = [pytest.mark.plugins(*PLUGINS), pytest.mark.bot_settings(SETTINGS)]


class Browser:
    """An HTTP client with a cookie jar, as a browser would be."""

    def __init__(self, bot: BotDriver, http: aiohttp.ClientSession) -> None:
        self.bot = bot
        self.http = http
        self.base = bot.service("dashboard").url

    async def link(self) -> str:
        reply = await self.bot.send("/dashboard", user=self.bot.admin)
        found = LINK.search(reply.text)
        assert found is not None, reply.text
        return found.group(1)

    async def log_in(self, token: str | None = None) -> aiohttp.ClientResponse:
        token = await self.link() if token is None else token
        async with self.http.post(f"{self.base}/login", data={"t": token}) as response:
            await response.read()
            return response

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base + path, allow_redirects=False) as response:
            return response.status, await response.text()

    async def csrf(self, path: str = "/") -> str:
        _, page = await self.get(path)
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found is not None
        return found.group(1)

    async def post(self, path: str, data: dict[str, Any]) -> tuple[int, str]:
        async with self.http.post(self.base + path, data=data) as response:
            return response.status, await response.text()


@pytest.fixture
async def browser(bot: BotDriver) -> AsyncIterator[Browser]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Browser(bot, http)


async def test_pages_without_a_session_are_refused(browser: Browser) -> None:
    await browser.bot.send("/start", user=browser.bot.admin)
    for path in PAGES:
        status, page = await browser.get(path)
        assert status == 401, path
        assert "Send /dashboard to the bot" in page
    status, _ = await browser.post("/users/1/grant", {"amount": "5", "csrf": "x"})
    assert status == 401
    assert await browser.bot.service("credits").balance(ADMIN_ID) == 10  # nothing changed
    # A made-up cookie is no session either.
    browser.http.cookie_jar.update_cookies({"dashboard_session": "guess"})
    assert (await browser.get("/"))[0] == 401


async def test_logged_in_every_page_answers(browser: Browser) -> None:
    await browser.log_in()
    for path in PAGES:
        status, _ = await browser.get(path)
        assert status in (200, 404), path  # /inbox/1 and /users/42 do not exist yet


async def test_a_used_link_is_refused(browser: Browser) -> None:
    token = await browser.link()
    assert (await browser.log_in(token)).status == 200
    browser.http.cookie_jar.clear()
    refused = await browser.log_in(token)
    assert refused.status == 403
    assert (await browser.get("/"))[0] == 401
    async with browser.http.get(f"{browser.base}/login", params={"t": token}) as page:
        assert page.status == 403 and "already used" in await page.text()


async def test_an_expired_link_is_refused(browser: Browser) -> None:
    auth = browser.bot.service("dashboard").auth
    auth.link_ttl = -1  # issued already expired: both its signed time and its row
    token = await browser.link()
    response = await browser.log_in(token)
    assert response.status == 403
    async with browser.http.get(f"{browser.base}/login", params={"t": token}) as page:
        assert "expired" in await page.text()
    assert (await browser.get("/"))[0] == 401


async def test_a_forged_link_is_refused(browser: Browser) -> None:
    token = await browser.link()
    nonce, user, expires, signature = token.split(".")
    for forged in (f"{nonce}.{user}.{int(expires) + 3600}.{signature}",  # longer life
                   f"{nonce}.2.{expires}.{signature}",  # someone else
                   f"{nonce}.{user}.{expires}.{signature[:-2]}AA", "", "a.b.c.d", "x" * 5000):
        assert (await browser.log_in(forged)).status == 403
    assert (await browser.log_in(token)).status == 200  # the real one still works


async def test_a_post_without_the_csrf_token_is_refused(browser: Browser) -> None:
    bot = browser.bot
    await bot.send("/start", user=bot.user(42, "Alice"))
    await browser.log_in()
    credits = bot.service("credits")
    for form in ({"amount": "5"}, {"amount": "5", "csrf": ""},
                 {"amount": "5", "csrf": "not-the-token"}):
        status, page = await browser.post("/users/42/grant", form)
        assert status == 403 and "did not come from the dashboard" in page
    assert await credits.balance(42) == 10
    token = await browser.csrf()
    status, page = await browser.post("/users/42/grant", {"amount": "5", "csrf": token,
                                                          "key": "k1"})
    assert status == 200 and "Granted 5 credits to Alice: balance 15." in page
    _, audit = await browser.get("/audit")
    assert audit.count("refused") >= 3 and "grant" in audit


async def test_a_removed_admins_session_stops_working(browser: Browser) -> None:
    bot = browser.bot
    await browser.log_in()
    assert (await browser.get("/"))[0] == 200
    bot.kernel.admins = frozenset()  # the operator took them out of `admins`
    status, page = await browser.get("/")
    assert status == 403 and escape("no longer one of the bot's admins") in page
    bot.kernel.admins = frozenset({ADMIN_ID})  # even back as an admin: that session is over
    assert (await browser.get("/"))[0] == 401


async def test_sessions_end_on_logout_and_when_idle(browser: Browser) -> None:
    await browser.log_in()
    status, page = await browser.post("/logout", {"csrf": await browser.csrf()})
    assert status == 200 and "logged out" in page
    assert (await browser.get("/"))[0] == 401

    await browser.log_in()
    assert (await browser.get("/"))[0] == 200
    idle = browser.bot.service("dashboard").options.idle_timeout
    await browser.bot.kernel.db.run(lambda: DashboardSession.update(
        last_seen_at=utcnow() - timedelta(seconds=idle + 1)).execute())
    assert (await browser.get("/"))[0] == 401


async def test_the_cookie_is_secure_behind_https(bot: BotDriver, browser: Browser) -> None:
    dash = bot.service("dashboard")
    dash.options = dataclasses.replace(dash.options, trust_proxy=True)
    token = await browser.link()
    async with browser.http.post(f"{browser.base}/login", data={"t": token},
                                 headers={"X-Forwarded-Proto": "https"},
                                 allow_redirects=False) as response:
        cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie


async def test_users_text_is_shown_escaped(browser: Browser) -> None:
    bot = browser.bot
    name, words = "<b>Mallory</b>", "<script>alert('x')</script> & <img src=x onerror=1>"
    mallory = bot.user(66, name, "mallory")
    await bot.send(words, user=mallory)
    await browser.log_in()
    title = '<img src=x onerror="alert(1)">'
    token = await browser.csrf("/products")
    status, page = await browser.post("/products", {
        "csrf": token, "sku": "evil", "title": title, "price": "5", "category": "<i>cat</i>",
        "content": "text:hi", "stock": "3"})
    assert status == 200 and "Added evil." in page
    for path, raw in (("/inbox", name), ("/inbox/1", words), ("/users/66", name),
                      ("/products", title), ("/products/evil", title)):
        _, page = await browser.get(path)
        assert raw not in page, path
        assert escape(raw) in page, path


async def test_bad_input_gets_the_same_message_as_in_telegram(browser: Browser) -> None:
    bot = browser.bot
    await bot.send("/start", user=bot.user(42, "Alice"))
    await browser.log_in()
    for amount in ("-5", "lots", "99999999999999"):
        in_telegram = (await bot.send(f"/grant 42 {amount}", user=bot.admin)).text
        status, page = await browser.post("/users/42/grant", {
            "csrf": await browser.csrf(), "amount": amount, "key": f"bad-{amount}"})
        assert status == 200
        assert escape(in_telegram) in page
    telegram = (await bot.send("/shop_add bad sku | T | 5 | C | text:x | 1", user=bot.admin))
    status, page = await browser.post("/products", {
        "csrf": await browser.csrf(), "sku": "bad sku", "title": "T", "price": "5",
        "category": "C", "content": "text:x", "stock": "1"})
    assert escape(telegram.text) in page
    assert await bot.service("credits").balance(42) == 10
