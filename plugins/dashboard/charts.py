"""Charts drawn on the server as SVG: no JavaScript, no CDN. Labels are escaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 200, 40, 34, 12
COLOURS = ("#2f6fde", "#e0762f", "#2a9d5c", "#b14fc5", "#c9a227", "#d64550")


def bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
         title: str) -> Markup:
    """Grouped bars: one group per label, one bar per series (name, values)."""
    top = max([v for _, values in series for v in values] + [1])
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    group = plot_w / max(1, len(labels))
    bar_w = max(1.0, (group * 0.8) / max(1, len(series)))
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for fraction in (0, 0.5, 1):
        y = PAD_TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" '
                     'class="grid"/>')
        parts.append(f'<text x="{PAD_LEFT - 4}" y="{y + 4:.1f}" class="axis" '
                     f'text-anchor="end">{round(top * fraction)}</text>')
    step = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        x0 = PAD_LEFT + i * group + group * 0.1
        for j, (name, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = plot_h * value / top
            parts.append(f'<rect x="{x0 + j * bar_w:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
                         f'width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[j % len(COLOURS)]}"><title>{escape(name)} '
                         f'{escape(label)}: {value}</title></rect>')
        if i % step == 0:
            parts.append(f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
                         f'class="axis" text-anchor="middle">{escape(label)}</text>')
    for j, (name, _) in enumerate(series):
        x = PAD_LEFT + j * 130
        parts.append(f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" '
                     f'fill="{COLOURS[j % len(COLOURS)]}"/>'
                     f'<text x="{x + 14}" y="{HEIGHT - 3}" class="legend">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
