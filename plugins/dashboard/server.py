"""The dashboard's web server (aiohttp): sessions, CSRF, the admin check and page rendering.

Every request but the login page and the static files needs a live session whose user is
still an admin (checked on every request: an admin removed from settings is logged out at
their next click). Every POST carries the session's CSRF token. Every action is recorded in
the audit log, with its outcome. Bound to 127.0.0.1 unless configured otherwise: put a
reverse proxy with TLS in front to reach it from elsewhere (see the README).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from aiohttp import web
from loguru import logger

from core.errors import UserError, new_reference
from core.i18n import Text
from plugins.dashboard import texts
from plugins.dashboard.activity import Activity
from plugins.dashboard.audit import AuditLog
from plugins.dashboard.auth import Auth, LoginRefused, Session, same_token

if TYPE_CHECKING:
    from core.kernel import Kernel

HERE = Path(__file__).resolve().parent
COOKIE = "dashboard_session"
PUBLIC = ("/login", "/static/")
UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes in one request (a product's file)
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # login links carry their token in the URL
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class Options:
    host: str
    port: int
    public_url: str
    secret: str
    link_ttl: int
    session_ttl: int
    idle_timeout: int
    secure_cookie: str  # "auto" (when the request came over HTTPS), "always", "never"
    trust_proxy: bool
    page_size: int

    @classmethod
    def from_settings(cls, s: Any) -> Options:
        d = s.dashboard
        secret = str(d.get("secret") or "")
        if not secret:
            # Links then stop working at a restart: harmless, they live minutes.
            secret = secrets.token_urlsafe(32)
        return cls(d.host, int(d.port), str(d.public_url).rstrip("/"), secret, int(d.link_ttl),
                   int(d.session_ttl), int(d.idle_timeout), str(d.secure_cookie),
                   bool(d.trust_proxy), int(d.page_size))


DASHBOARD: web.AppKey[Dashboard] = web.AppKey("dashboard")
SESSION: web.RequestKey[Session] = web.RequestKey("session", Session)
Page = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Dashboard:
    """The `dashboard` service: the web server and what pages share."""

    def __init__(self, kernel: Kernel, options: Options) -> None:
        self.kernel = kernel
        self.options = options
        self.auth = Auth(kernel.db, options.secret, options.link_ttl, options.session_ttl,
                         options.idle_timeout)
        self.audit = AuditLog(kernel.db)
        self.activity = Activity(time.time)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True)
        self.templates.globals["texts"] = texts
        self._flash: dict[str, tuple[str, str]] = {}
        self._runner: web.AppRunner | None = None

    # ---- life cycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where the dashboard is reached: `public_url`, or the bound address."""
        if self.options.public_url:
            return self.options.public_url
        if self._runner is None or not self._runner.addresses:
            raise RuntimeError("the dashboard is not running")
        host, port = self._runner.addresses[0][:2]
        return f"http://{host}:{port}"

    @property
    def running(self) -> bool:
        return self._runner is not None

    def app(self) -> web.Application:
        from plugins.dashboard.pages import ROUTES

        app = web.Application(middlewares=[self._headers, self._guard],
                              client_max_size=UPLOAD_LIMIT)
        app[DASHBOARD] = self
        for method, path, handler in ROUTES:
            app.router.add_route(method, path, handler)
        app.router.add_static("/static/", HERE / "static", append_version=True)
        return app

    async def start(self) -> None:
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.options.host, self.options.port).start()
        except OSError as exc:
            # Degrade, don't die: the bot goes on; /dashboard says the dashboard is down.
            await runner.cleanup()
            logger.error("dashboard not started: cannot listen on {}:{} ({})",
                         self.options.host, self.options.port, exc.strerror or exc)
            return
        self._runner = runner
        logger.info("dashboard on {}", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def login_link(self, user_id: int) -> str:
        return f"{self.url}/login?t={await self.auth.issue(user_id)}"

    # ---- every request -------------------------------------------------------------------------

    @web.middleware
    async def _headers(self, request: web.Request, handler: Page) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if isinstance(response, web.HTTPException):
            raise response
        return response

    @web.middleware
    async def _guard(self, request: web.Request, handler: Page) -> web.StreamResponse:
        if request.path == "/login" or request.path.startswith("/static/"):
            return await handler(request)
        session = await self.auth.session(request.cookies.get(COOKIE))
        if session is None:
            return self.refuse(request, 401, texts.NO_SESSION)
        if not self.kernel.is_admin(session.user_id):
            await self.auth.close_sessions_of(session.user_id)
            await self.audit.record(session.user_id, "refused", request.path, texts.NOT_ADMIN,
                                    "refused")
            response = self.refuse(request, 403, texts.NOT_ADMIN)
            response.del_cookie(COOKIE, path="/")
            return response
        request[SESSION] = session
        if request.method == "POST":
            form = await request.post()
            if not same_token(form.get("csrf") if isinstance(form.get("csrf"), str) else None,
                              session.csrf):
                await self.audit.record(session.user_id, "refused", request.path,
                                        texts.BAD_CSRF, "refused")
                return self.refuse(request, 403, texts.BAD_CSRF)
        return await handler(request)

    def refuse(self, request: web.Request, status: int, message: str) -> web.Response:
        return self.page(request, "refused.html", http_status=status, message=message,
                         title="Refused")

    # ---- rendering -----------------------------------------------------------------------------

    def page(self, request: web.Request, template: str, *, http_status: int = 200,
             **values: Any) -> web.Response:
        session: Session | None = request.get(SESSION)
        flash = self._flash.pop(session.token_hash, None) if session else None
        body = self.templates.get_template(template).render(
            nav=texts.NAV if session else (), path=request.path, session=session,
            csrf=session.csrf if session else "", flash=flash, form_key=secrets.token_hex(8),
            **values)
        return web.Response(text=body, status=http_status, content_type="text/html")

    def secure(self, request: web.Request) -> bool:
        mode = self.options.secure_cookie
        if mode in ("always", "never"):
            return mode == "always"
        if request.secure:
            return True
        forwarded = request.headers.get("X-Forwarded-Proto", "")
        return self.options.trust_proxy and forwarded.lower() == "https"

    def set_cookie(self, request: web.Request, response: web.StreamResponse, token: str) -> None:
        response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="Strict",
                            secure=self.secure(request), max_age=self.options.session_ttl)

    # ---- actions -------------------------------------------------------------------------------

    async def act(self, request: web.Request, action: str, target: str,
                  work: Callable[[], Awaitable[str | Text]], back: str | Callable[[], str]
                  ) -> web.StreamResponse:
        """Run one action for the session's admin, record it, and go back to `back` with the
        outcome shown. A `UserError` (bad input) is shown as it is, as in Telegram."""
        session: Session = request[SESSION]
        t = await self.kernel.texts_for(session.user_id)  # the admin's language, as in Telegram
        try:
            message = t.text(await work())
        except UserError as exc:
            refusal = t.text(exc.message)
            await self.audit.record(session.user_id, action, target, refusal, "refused")
            self._flash[session.token_hash] = ("error", refusal)
        except Exception:
            reference = new_reference()
            logger.exception("dashboard action {} on {} failed ({})", action, target, reference)
            await self.audit.record(session.user_id, action, target, reference, "error")
            self._flash[session.token_hash] = ("error", texts.ERROR.format(reference=reference))
        else:
            await self.audit.record(session.user_id, action, target, message)
            self._flash[session.token_hash] = ("ok", message)
        raise web.HTTPSeeOther(back if isinstance(back, str) else back())

    async def log_in(self, request: web.Request, token: str) -> web.StreamResponse:
        try:
            user_id = await self.auth.spend(token)
        except LoginRefused as exc:
            return self.page(request, "refused.html", http_status=403, message=str(exc),
                             title="Refused")
        if not self.kernel.is_admin(user_id):
            await self.audit.record(user_id, "login", "", texts.NOT_ADMIN, "refused")
            return self.page(request, "refused.html", http_status=403, message=texts.NOT_ADMIN,
                             title="Refused")
        cookie, _ = await self.auth.open_session(user_id)
        await self.audit.record(user_id, "login")
        response = web.HTTPSeeOther("/")
        self.set_cookie(request, response, cookie)
        return response

    async def log_out(self, request: web.Request) -> web.StreamResponse:
        session: Session = request[SESSION]
        await self.auth.close_session(session.token_hash)
        await self.audit.record(session.user_id, "logout")
        del request[SESSION]  # the page after logging out shows no menu
        response = self.page(request, "refused.html", message=texts.LOGGED_OUT,
                             title="Logged out")
        response.del_cookie(COOKIE, path="/")
        return response


def dashboard(request: web.Request) -> Dashboard:
    return request.app[DASHBOARD]


def admin_id(request: web.Request) -> int:
    """The admin acting: the session's user (checked to be an admin before any page runs)."""
    return request[SESSION].user_id
