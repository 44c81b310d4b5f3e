"""/status for admins, slow operations, process health and cache warming."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.testing import running_bot
from tests.monitoring_helpers import monitored_bot, recorded_logs


async def test_a_non_admin_cannot_see_status(tmp_path: Path) -> None:
    async with monitored_bot(tmp_path) as bot:
        reply = await bot.send("/status", user=bot.user(42, "Mallory"))
        assert reply.outcome == "denied"
        assert reply.text == "This is for the bot's admins only."
        assert "Version" not in reply.text


async def test_an_admin_sees_version_uptime_plugins_health_and_recent_errors(tmp_path: Path
                                                                            ) -> None:
    async with monitored_bot(tmp_path) as bot:
        alice = bot.user(42, "Alice")
        await bot.send("/boom", user=alice)
        await bot.send("/boom", user=alice)
        reply = await bot.send("/status", user=bot.admin)
        assert reply.outcome == "ok"
        lines = reply.text.splitlines()
        assert lines[0].startswith("Version ") and ", up " in lines[0]
        assert "Plugins: monitoring" in reply.text
        assert "Health: ok" in reply.text
        assert "ok database" in reply.text
        assert "Errors in the last hour:\n  2 x RuntimeError" in reply.text
        assert "MB, event loop lag" in reply.text


async def test_status_reports_a_failing_check(tmp_path: Path) -> None:
    class Broken:
        __name__ = "broken"

        @hookimpl
        def health_checks(self, kernel: Kernel) -> list[Any]:
            from core.types import HealthCheck

            async def payments() -> dict[str, Any]:
                raise ConnectionError("provider unreachable")

            return [HealthCheck("payments", payments)]

    async with monitored_bot(tmp_path, extra_plugins=[Broken()]) as bot:
        reply = await bot.send("/status", user=bot.admin)
        assert "Health: failing" in reply.text
        assert "FAILING payments: provider unreachable" in reply.text


async def test_a_slow_handler_is_logged_and_listed_among_the_slowest(tmp_path: Path) -> None:
    async with monitored_bot(tmp_path, {"monitoring.slow_handler_ms": 100}) as bot:
        with recorded_logs() as lines:
            reply = await bot.send("/slow", user=bot.user(42))
            await bot.send("/start", user=bot.user(42))
        assert reply.text == "done"
        slow = [line for line in lines if "slow update /slow" in line]
        assert len(slow) == 1 and slow[0].startswith("slow update /slow (ok) took ")
        assert slow[0].rstrip().endswith(" ms")
        health = await bot.kernel.health()
        slowest = health["checks"]["commands"]["slowest"]
        assert slowest[0]["name"] == "/slow" and slowest[0]["max_ms"] >= 200
        assert {s["name"] for s in slowest} == {"/slow", "/start"}


async def test_a_slow_database_call_is_logged_with_its_name_and_counted(tmp_path: Path
                                                                       ) -> None:
    async with running_bot(tmp_path, {"database.slow_ms": 10}) as bot:
        db = bot.kernel.db
        before = db.stats.slow

        def sleepy_report() -> int:
            time.sleep(0.03)
            return 1

        with recorded_logs() as lines:
            assert await db.run(sleepy_report) == 1
        assert db.stats.slow == before + 1
        assert any("slow database call" in line and "sleepy_report" in line and " ms" in line
                   for line in lines)


async def test_database_observers_see_every_call(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        seen: list[tuple[str, bool]] = []
        bot.kernel.db.observers.append(lambda name, seconds, ok: seen.append((name, ok)))

        def failing() -> None:
            raise ValueError("not transient")

        await bot.kernel.db.run(lambda: 1)
        with pytest.raises(ValueError):
            await bot.kernel.db.run(failing)
        assert [ok for _, ok in seen] == [True, False]
        assert seen[1][0].endswith("failing")


async def test_health_shows_process_figures(tmp_path: Path) -> None:
    async with monitored_bot(tmp_path) as bot:
        health = await bot.kernel.health()
        process = health["checks"]["process"]
        assert process["ok"] and process["rss_mb"] > 1
        assert process["uptime_s"] >= 0 and process["loop_lag_ms"] >= 0


async def test_plugins_warm_their_caches_at_start(tmp_path: Path) -> None:
    class Catalogue:
        __name__ = "catalogue"

        @hookimpl
        async def warm_cache(self, kernel: Kernel) -> None:
            await kernel.cache.set("catalogue:items", ["tea", "cake"], 60)

    class Broken:
        __name__ = "broken"

        @hookimpl
        def warm_cache(self, kernel: Kernel) -> None:
            raise RuntimeError("the catalogue service is down")

    async with running_bot(tmp_path, extra_plugins=[Catalogue(), Broken()]) as bot:
        # A failing warmer is logged; start-up goes on and the others still warm.
        assert await bot.kernel.cache.get("catalogue:items") == ["tea", "cake"]
        reply = await bot.send("/start", user=bot.user(42))
        assert reply.outcome == "ok"


async def test_event_listeners_are_given_the_kernel(tmp_path: Path) -> None:
    seen: list[tuple[Kernel, int]] = []

    class Welcome:
        __name__ = "welcome"

        @hookimpl
        def user_created(self, kernel: Kernel, user_id: int) -> None:
            seen.append((kernel, user_id))

    async with running_bot(tmp_path, extra_plugins=[Welcome()]) as bot:
        await bot.send("/start", user=bot.user(42))
        assert seen == [(bot.kernel, 42)]


async def test_a_blocked_event_loop_shows_as_lag(tmp_path: Path) -> None:
    overrides = {"monitoring.lag_interval": 0.02, "monitoring.lag_warn_ms": 100}
    async with monitored_bot(tmp_path, overrides) as bot:
        monitor = bot.service("monitoring")
        await asyncio.sleep(0.05)  # the sampler is waiting on its timer
        with recorded_logs() as lines:
            time.sleep(0.3)  # a blocking call in a handler would do this
            await asyncio.sleep(0.05)
        # The timer was due 20 ms after it was set and fired only after the 300 ms block.
        assert monitor.lag.worst >= 0.2
        assert any("event loop lagged" in line for line in lines)
        health = await bot.kernel.health()
        assert health["checks"]["process"]["loop_lag_max_ms"] >= 200
