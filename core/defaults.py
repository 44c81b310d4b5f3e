"""The kernel's own plugin, always loaded: /start, /help, the default error handler and the
core health checks. Its hooks are `trylast`, so any plugin can add to or override them."""

from __future__ import annotations

import html
import traceback
from typing import Any

from loguru import logger

from core import language
from core.context import Context
from core.hookspecs import hookimpl
from core.i18n import Text
from core.kernel import Kernel
from core.types import CallbackRoute, Command, HealthCheck, RuntimeSetting, SendMessage


async def start(ctx: Context) -> None:
    """Start the bot"""
    payload = ctx.update.args.strip()
    if payload and any(await ctx.kernel.emit("deep_link", ctx=ctx, payload=payload[:64])):
        return
    # An operator's /set start_text speaks for every language; unset, the catalogue's text.
    text = await ctx.service("runtime").get("start_text")
    await ctx.reply(text or ctx.t("start"))


async def help_(ctx: Context) -> None:
    """What this bot can do"""
    kernel, t = ctx.kernel, ctx.t
    lines = [t("help-title")]
    admin_lines: list[str] = []
    for command in kernel.commands_for(ctx.user.is_admin):
        line = t("help-line", command=command.name, description=kernel.describe(command, t))
        (admin_lines if command.admin_only else lines).append(line)
    if admin_lines:
        lines += ["", t("help-admin-title"), *admin_lines]
    await ctx.reply("\n".join(lines))


def _start_text(value: str) -> str:
    value = value.strip()
    if value.lower() in ("-", "default"):
        return ""  # back to the catalogue's text, in each user's language
    if not value or len(value) > 2000:
        raise ValueError(Text("setting-text-length"))
    return value


async def cancel(ctx: Context) -> None:
    """Stop what you are doing (a question the bot asked)"""
    if not await ctx.kernel.dispatcher.conversations.cancel(ctx):
        await ctx.reply(ctx.t("conversation-nothing-to-cancel"))


async def back(ctx: Context) -> None:
    """Go back to the previous question"""
    if not await ctx.kernel.dispatcher.conversations.back(ctx):
        await ctx.reply(ctx.t("conversation-nothing-to-go-back-to"))


@hookimpl(trylast=True)
def register_commands() -> list[Command]:
    # /cancel and /back matter only inside a conversation: kept out of /help and the menu.
    return [Command("start", start), Command("help", help_),
            Command("language", language.language),
            Command("cancel", cancel, hidden=True), Command("back", back, hidden=True)]


@hookimpl(trylast=True)
def register_callbacks() -> list[CallbackRoute]:
    return [CallbackRoute.of(language.LanguageButton, language.language_pressed)]


@hookimpl(trylast=True)
def register_runtime_settings(settings: Any) -> list[RuntimeSetting]:
    return [RuntimeSetting("start_text", settings.texts.start,
                           Text("setting-start-text-help"), _start_text)]


@hookimpl(trylast=True)
def handle_error(ctx: Context, error: BaseException, reference: str) -> Any:
    return _handle_error(ctx, error, reference)


async def _handle_error(ctx: Context, error: BaseException, reference: str) -> None:
    kernel = ctx.kernel
    kernel.error_counts[type(error).__name__] += 1
    logger.opt(exception=error).error("error {} handling update {} from user {}", reference,
                                      ctx.update.key, ctx.update.user.id)
    try:
        await ctx.reply(ctx.t("error-unexpected", reference=reference))
    except Exception:
        logger.exception("could not tell user {} about error {}", ctx.update.user.id, reference)
    if kernel.settings.errors.alert_admins and kernel.admins:
        await _alert_admins(kernel, error, reference)


def fingerprint(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__}@{where}"


async def _alert_admins(kernel: Kernel, error: BaseException, reference: str) -> None:
    # One alert per kind of error per cool-down, however often it happens.
    key = "core:alert:" + fingerprint(error)
    if not await kernel.cache.add(key, 1, max(1, kernel.settings.errors.alert_cooldown)):
        return
    detail = (f"<code>{html.escape(type(error).__name__)}: "
              f"{html.escape(kernel.redact(str(error))[:500])}</code>")
    cooldown = kernel.settings.errors.alert_cooldown
    for admin in sorted(kernel.admins):
        try:
            t = await kernel.texts_for(admin)
            text = (f"<b>{html.escape(t('error-alert-title', reference=reference))}</b>\n"
                    f"{detail}\n{html.escape(t('error-alert-repeat', seconds=cooldown))}")
            await kernel.send(SendMessage(admin, text, html=True))
        except Exception:
            logger.warning("could not alert admin {} about {}", admin, reference)


@hookimpl(trylast=True)
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    async def database() -> dict[str, Any]:
        return await kernel.db.health()

    async def cache() -> dict[str, Any]:
        details = await kernel.cache.stats_dict()
        ping = getattr(kernel.cache, "ping", None)
        if ping is not None:
            details["ping_ms"] = round(await ping(), 3)
        return details

    async def outbox() -> dict[str, Any]:
        s = kernel.outbox.stats
        return {"queued": kernel.outbox.depth(), "sent": s.sent, "failed": s.failed,
                "flood_waits": s.flood_waits, "unreachable": s.unreachable}

    async def updates() -> dict[str, Any]:
        return {"outcomes": dict(kernel.dispatcher.counts),
                "errors": dict(kernel.error_counts)}

    async def journal() -> dict[str, Any]:
        counts = await kernel.journal.counts()
        details: dict[str, Any] = {"pending": counts["pending"], "dead_letters": counts["dead"],
                                   "done": counts["done"]}
        if counts["dead"]:
            details["hint"] = "python -m core journal list; python -m core journal replay ID"
        return details

    return [HealthCheck("database", database), HealthCheck("cache", cache),
            HealthCheck("outbox", outbox), HealthCheck("updates", updates),
            HealthCheck("journal", journal)]


@hookimpl(trylast=True)
def stats(kernel: Kernel) -> Any:
    if kernel.broker is None:
        return None
    from core.workers import report

    async def figures() -> dict[str, Any]:
        found = await report(kernel.broker)  # type: ignore[arg-type]
        for worker in found["workers"].values():
            worker.pop("shard_list")  # numbers only: they become Prometheus gauges
        return {"broker": found}

    return figures()
