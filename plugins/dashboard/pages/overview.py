"""Overview: users and activity, revenue by day and currency, updates per minute, errors and
dead letters, as charts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiohttp import web

from plugins.dashboard import charts, deadletters
from plugins.dashboard.server import dashboard

REVENUE_DAYS = 14


async def overview(request: web.Request) -> web.StreamResponse:
    dash = dashboard(request)
    kernel = dash.kernel
    values: dict[str, Any] = {"title": "Overview", "users": None, "revenue": None}
    if kernel.has_service("admin"):
        stats = await kernel.service("admin").stats()
        values["users"] = stats
        days = stats.days[-14:]
        values["users_chart"] = charts.bars(
            [d.strftime("%m-%d") for d, _, _ in days],
            [("new users", [n for _, n, _ in days]), ("active", [a for _, _, a in days])],
            "New and active users per day")
    if kernel.has_service("payments"):
        by_day, overall = await kernel.service("payments").totals(REVENUE_DAYS)
        today = date.today()
        labels = [(today - timedelta(days=i)).isoformat() for i in range(REVENUE_DAYS - 1, -1, -1)]
        currencies = sorted({c for _, c in by_day} | set(overall))
        values["revenue"] = overall
        values["revenue_chart"] = charts.bars(
            [d[5:] for d in labels],
            [(c, [by_day.get((d, c), (0, 0))[1] for d in labels]) for c in currencies],
            "Revenue per day by currency")
    minutes = dash.activity.per_minute(30)
    values["updates_chart"] = charts.bars(
        [label for label, _, _ in minutes],
        [("updates", [u for _, u, _ in minutes]), ("errors", [e for _, _, e in minutes])],
        "Updates and errors per minute")
    values["updates_last_minute"] = minutes[-1][1]
    values["errors"] = sorted(kernel.error_counts.items(), key=lambda kv: -kv[1])[:10]
    values["dead"] = await deadletters.counts(kernel)
    return dash.page(request, "overview.html", **values)


ROUTES = [("GET", "/", overview)]
