"""/status: the bot's health in the chat, for admins (the kernel refuses everyone else)."""

from __future__ import annotations

from importlib import metadata

from core.context import Context

DISTRIBUTION = "tgbot-framework"


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {seconds}s"


async def status(ctx: Context) -> None:
    """The bot's health: version, uptime, plugins, checks, recent errors"""
    kernel = ctx.kernel
    monitor = ctx.service("monitoring")
    health = await kernel.health()
    process = monitor.process()
    lines = [
        f"Version {version()}, up {_duration(process['uptime_s'])}",
        "Plugins: " + (", ".join(p.name for p in kernel.plugins
                                 if p.name not in ("core.defaults",)) or "none"),
        f"Memory {process['rss_mb']} MB, event loop lag {process['loop_lag_ms']} ms "
        f"(worst {process['loop_lag_max_ms']} ms)",
        f"Health: {health['status']}",
    ]
    for name, check in health["checks"].items():
        lines.append(f"  {'ok' if check['ok'] else 'FAILING'} {name}"
                     + ("" if check["ok"] else f": {check['error'][:120]}"))
    journal = health["checks"].get("journal", {})
    if journal.get("dead_letters"):
        lines.append(f"Dead letters: {journal['dead_letters']} updates failed every attempt "
                     "(python -m core journal list, then replay ID)")
    if kernel.broker is not None:  # a receiver or a worker: what the others are doing
        from core.workers import report, report_lines

        try:
            lines.extend(report_lines(await report(kernel.broker)))
        except Exception as exc:
            lines.append(f"Broker: unreachable ({type(exc).__name__})")
    errors = monitor.recent_errors()
    if errors:
        lines.append("Errors in the last hour:")
        lines.extend(f"  {count} x {name}" for name, count in errors)
    else:
        lines.append("No errors in the last hour.")
    slowest = monitor.slowest(3)
    if slowest:
        lines.append("Slowest: " + ", ".join(f"{s['name']} {s['max_ms']} ms" for s in slowest))
    await ctx.reply("\n".join(lines))
