"""The operators' HTTP endpoints (aiohttp), off by default:

    /healthz   200 while the process answers
    /readyz    200 when the database, Redis (if configured) and the transport are usable;
               503 naming the failing parts otherwise; JSON with the process figures
    /metrics   Prometheus text format

Bound to 127.0.0.1 unless configured otherwise: the figures are for the operators, and a
reverse proxy or the scraper's network decides who else sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from loguru import logger
from prometheus_client import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from plugins.monitoring.service import Monitor


class HttpServer:
    def __init__(self, monitor: Monitor, host: str, port: int) -> None:
        self.monitor = monitor
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The bound address (with the real port when 0 was asked for)."""
        if self._runner is None or not self._runner.addresses:
            raise RuntimeError("the monitoring HTTP server is not running")
        host, port = self._runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        logger.info("monitoring HTTP server on {}", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(self, request: web.Request) -> web.Response:
        ready, report = await self.monitor.readiness()
        return web.json_response(report, status=200 if ready else 503)

    async def metrics(self, request: web.Request) -> web.Response:
        if self.monitor.metrics is None:
            raise web.HTTPNotFound(text="metrics are off (monitoring.metrics = false)")
        await self.monitor.refresh_plugin_figures()
        body = self.monitor.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
