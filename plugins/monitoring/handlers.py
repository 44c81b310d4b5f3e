"""/status: the bot's health in the chat, for admins (the kernel refuses everyone else)."""

from __future__ import annotations

from importlib import metadata

from core.context import Context
from core.i18n import Translator

DISTRIBUTION = "tgbot-framework"


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _duration(t: Translator, seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return t("monitoring-uptime-days", d=days, h=hours, m=minutes)
    if hours:
        return t("monitoring-uptime-hours", h=hours, m=minutes)
    return t("monitoring-uptime-minutes", m=minutes, s=seconds)


async def status(ctx: Context) -> None:
    """The bot's health: version, uptime, plugins, checks, recent errors"""
    kernel, t = ctx.kernel, ctx.t
    monitor = ctx.service("monitoring")
    health = await kernel.health()
    process = monitor.process()
    names = ", ".join(p.name for p in kernel.plugins if p.name not in ("core.defaults",))
    lines = [
        t("monitoring-version", version=version(), uptime=_duration(t, process["uptime_s"])),
        t("monitoring-plugins", plugins=names or t("monitoring-none")),
        t("monitoring-process", memory=process["rss_mb"], lag=process["loop_lag_ms"],
          worst=process["loop_lag_max_ms"]),
        t("monitoring-health", status=t("monitoring-health-" + health["status"])),
    ]
    for name, check in health["checks"].items():
        lines.append("  " + (t("monitoring-check-ok", name=name) if check["ok"] else
                             t("monitoring-check-failing", name=name,
                               error=check["error"][:120])))
    journal = health["checks"].get("journal", {})
    if journal.get("dead_letters"):
        lines.append(t("monitoring-dead-letters", count=journal["dead_letters"]))
    if kernel.broker is not None:  # a receiver or a worker: what the others are doing
        from core.workers import report, report_lines

        try:
            lines.extend(report_lines(await report(kernel.broker)))
        except Exception as exc:
            lines.append(f"Broker: unreachable ({type(exc).__name__})")
    errors = monitor.recent_errors()
    if errors:
        lines.append(t("monitoring-errors"))
        lines.extend(f"  {count} x {name}" for name, count in errors)
    else:
        lines.append(t("monitoring-no-errors"))
    slowest = monitor.slowest(3)
    if slowest:
        lines.append(t("monitoring-slowest", list=", ".join(
            t("monitoring-slow-item", name=s["name"], ms=s["max_ms"]) for s in slowest)))
    await ctx.reply("\n".join(lines))
