"""The /stats chart: daily new and active users as a PNG, when the `chart` extra
(matplotlib) is installed. Without it /stats is text only."""

from __future__ import annotations

import importlib.util
import io
from datetime import date

from core.types import Media


def available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def render(days: list[tuple[date, int, int]]) -> Media:
    """A PNG of (day, new, active) rows, ready for `SendMedia`."""
    import matplotlib

    matplotlib.use("Agg")  # no display: draw to memory
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.5), dpi=100)
    axes = figure.subplots()
    labels = [d.strftime("%d %b") for d, _, _ in days]
    axes.bar(labels, [a for _, _, a in days], color="#9ecae1", label="active (last seen)")
    axes.plot(labels, [n for _, n, _ in days], color="#d62728", marker="o", markersize=3,
              label="new")
    axes.set_title("Users per day, last 30 days")
    axes.legend(loc="upper left")
    axes.tick_params(axis="x", labelrotation=60, labelsize=7)
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return Media("photo", "", file_name="stats.png", mime_type="image/png",
                 data=out.getvalue())
