"""Monitoring: HTTP health and Prometheus metrics, slow operations, Sentry, /status.

Hooks feed the `monitoring` service (plugins/monitoring/service.py); the HTTP server
(off by default) and Sentry (when installed and a DSN is set) start with the kernel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator
from loguru import logger

from core.config import secret_values
from core.context import Context
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.types import Command, HealthCheck, Update
from plugins.monitoring import handlers
from plugins.monitoring import sentry as sentry_module
from plugins.monitoring.http import HttpServer
from plugins.monitoring.models import WorkerReport
from plugins.monitoring.service import Monitor

REQUIRES: tuple[str, ...] = ()
SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "monitoring"


@hookimpl
def register_settings() -> list[Validator]:
    return [
        Validator("monitoring.http.enabled", default=False, is_type_of=bool),
        Validator("monitoring.http.host", default="127.0.0.1", is_type_of=str),
        Validator("monitoring.http.port", default=9464, is_type_of=int, gte=0, lte=65535),
        Validator("monitoring.metrics", default=True, is_type_of=bool),
        Validator("monitoring.slow_handler_ms", default=2000, is_type_of=int, gte=0),
        Validator("monitoring.ready_timeout", default=5, is_type_of=(int, float), gt=0),
        Validator("monitoring.lag_interval", default=1.0, is_type_of=(int, float), gt=0),
        Validator("monitoring.lag_warn_ms", default=500, is_type_of=int, gte=0),
        Validator("monitoring.publish_interval", default=30, is_type_of=(int, float), gte=0),
        Validator("monitoring.sentry_dsn", default="", is_type_of=str),
        Validator("monitoring.sentry_sample_rate", default=1.0, is_type_of=(int, float),
                  gte=0, lte=1),
    ]


@hookimpl
def register_models() -> list[type[Any]]:
    return [WorkerReport]


@hookimpl
def register_migrations() -> tuple[str, str]:
    return ("monitoring", str(SCHEMA))


@hookimpl
def register_services(kernel: Kernel) -> dict[str, Any]:
    return {"monitoring": Monitor(kernel)}


@hookimpl
def register_texts() -> str:
    return str(Path(__file__).resolve().parent / "locales")


@hookimpl
def register_commands() -> list[Command]:
    return [Command("status", handlers.status, admin_only=True)]


@hookimpl
async def startup(kernel: Kernel) -> None:
    monitor: Monitor = kernel.service("monitoring")
    settings = kernel.settings.monitoring
    if monitor.metrics is not None:
        kernel.db.observers.append(monitor.metrics.observe_db)
    monitor.lag.start()
    monitor.start_publishing()
    dsn = settings.sentry_dsn
    if dsn and sentry_module.installed():
        monitor.sentry = sentry_module.Sentry(
            dsn, sentry_module.Scrubber(secret_values(kernel.settings)),
            environment=kernel.settings.current_env.lower(), release=handlers.version(),
            sample_rate=float(settings.sentry_sample_rate))
        monitor.sentry.start()
    elif dsn:
        logger.warning("monitoring.sentry_dsn is set but sentry-sdk is not installed "
                       "(pip install '.[sentry]'): errors are not sent")
    if settings.http.enabled:
        server = HttpServer(monitor, settings.http.host, settings.http.port)
        try:
            await server.start()
        except OSError as exc:
            # Another process has the port (often the running bot, when this one is
            # `python -m core health`): the bot itself works without the endpoints.
            logger.error("monitoring HTTP server not started on {}:{}: {}",
                         settings.http.host, settings.http.port, exc.strerror or exc)
            await server.stop()
        else:
            monitor.http = server


@hookimpl
async def shutdown(kernel: Kernel) -> None:
    monitor: Monitor = kernel.service("monitoring")
    if monitor.http is not None:
        await monitor.http.stop()
        monitor.http = None
    await monitor.lag.stop()
    await monitor.stop_publishing()
    if monitor.sentry is not None:
        monitor.sentry.stop()
        monitor.sentry = None
    if monitor.metrics is not None and monitor.metrics.observe_db in kernel.db.observers:
        kernel.db.observers.remove(monitor.metrics.observe_db)


@hookimpl
def update_handled(kernel: Kernel, update: Update, outcome: str, seconds: float) -> None:
    kernel.service("monitoring").update_handled(update, outcome, seconds)


@hookimpl
def handle_error(ctx: Context, error: BaseException, reference: str) -> None:
    ctx.service("monitoring").error_seen(error, reference, ctx.update)


@hookimpl
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    if not kernel.has_service("monitoring"):
        return []  # asked before start-up: nothing measured yet
    monitor: Monitor = kernel.service("monitoring")

    async def process() -> dict[str, Any]:
        return monitor.process()

    async def commands() -> dict[str, Any]:
        return {"slowest": monitor.slowest(), "errors_last_hour": dict(monitor.recent_errors())}

    async def workers() -> dict[str, Any]:
        # What the running bots published: `python -m core health` is a process of its own.
        return {"reports": await monitor.reports()}

    return [HealthCheck("process", process), HealthCheck("commands", commands),
            HealthCheck("workers", workers)]
