"""/stats with its chart: the bot's event-loop lag and memory, chart drawn in a worker process
(as shipped) against the baseline of drawing it in the bot's own process (as before).

    .venv/bin/python bench/stats_chart.py [--calls N]

Each variant runs in a fresh process of its own (so one's matplotlib import cannot count in the
other's memory): a kernel with the admin plugin on SQLite, 300 users, then N /stats calls while
a sampler measures how late a 5 ms timer fires (the event loop's lag). Memory is the process's
resident set (VmRSS) just before the first /stats and after the last. Goal: lag under 100 ms,
RSS within 5 MB. The noise floor (the same bot idling as long) shows what a loaded machine
adds to any lag by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.testing import running_bot
from core.types import SendMedia
from plugins.admin import chart
from tests.admin_helpers import add_users


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def measure(variant: str, calls: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        overrides = {"admin.chart": True, "logging.level": "WARNING",
                     "ratelimit.default": "100000/minute"}
        async with running_bot(Path(folder), overrides, plugins=["admin"]) as bot:
            await add_users(bot, list(range(100, 400)))
            if variant == "inline":
                async def draw(days: chart.Days) -> chart.Media:
                    return chart.render(days)  # the old way: in the bot's process

                bot.service("admin").charts.draw = draw
            await bot.send("/start", user=bot.admin)
            before = rss_mb()
            worst = 0.0
            stop = asyncio.Event()

            async def sampler() -> None:
                nonlocal worst
                while not stop.is_set():
                    started = time.perf_counter()
                    await asyncio.sleep(0.005)
                    worst = max(worst, time.perf_counter() - started - 0.005)

            task = asyncio.create_task(sampler())
            began = time.perf_counter()
            for _ in range(calls):
                if variant == "idle":  # the machine's own noise: no /stats at all
                    await asyncio.sleep(2.5)
                    continue
                reply = await bot.send("/stats", user=bot.admin)
                assert "Users:" in reply.text and reply.of(SendMedia)
            took = time.perf_counter() - began
            stop.set()
            await task
            after = rss_mb()
            bot.service("admin").charts.close()
    return {"lag_ms": worst * 1000, "rss_before": before, "rss_after": after,
            "seconds_per_stats": took / calls}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--variant", choices=["worker", "inline", "idle"])
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(asyncio.run(measure(args.variant, args.calls))))
        return
    if not chart.available():
        print("matplotlib is not installed (pip install '.[chart]'): nothing to measure")
        return
    results = {}
    for variant in ("idle", "inline", "worker"):
        done = subprocess.run([sys.executable, __file__, "--variant", variant, "--calls",
                               str(args.calls)], capture_output=True, text=True, check=True)
        results[variant] = json.loads(done.stdout.strip().splitlines()[-1])
    for variant, label in (("idle", "noise floor: the same bot, no /stats"),
                           ("inline", "baseline: chart drawn in the bot's process"),
                           ("worker", "chart drawn in a worker process (shipped)")):
        r = results[variant]
        print(f"{label:45} max loop lag {r['lag_ms']:7.1f} ms   RSS {r['rss_before']:6.1f} -> "
              f"{r['rss_after']:6.1f} MB ({r['rss_after'] - r['rss_before']:+5.1f} MB)   "
              f"{r['seconds_per_stats']:.2f} s per /stats")
    w = results["worker"]
    ok = w["lag_ms"] < 100 and abs(w["rss_after"] - w["rss_before"]) <= 5
    print(f"goal (lag < 100 ms, RSS within 5 MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
