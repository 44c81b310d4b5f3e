"""The operators' HTTP endpoints, through a real HTTP client on a free loopback port."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import psycopg
from prometheus_client.parser import text_string_to_metric_families

from core.testing import RecordingTransport, postgres_database, redis_url
from core.testing_telegram import telegram_bot
from tests.monitoring_helpers import (
    HTTP_ON,
    Sample,
    TcpProxy,
    get,
    get_json,
    monitored_bot,
)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a /metrics answer, parsed by prometheus_client's own parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, frozenset(s.labels.items()))] = s.value
    return found


def value(parsed: dict, name: str, **labels: str) -> float:
    return parsed.get((name, frozenset(labels.items())), 0.0)


async def test_server_is_off_by_default(tmp_path: Path) -> None:
    async with monitored_bot(tmp_path, {"monitoring.http.enabled": False}) as bot:
        assert bot.service("monitoring").http is None


async def test_healthz_answers_while_the_process_runs(tmp_path: Path) -> None:
    async with monitored_bot(tmp_path) as bot:
        status, body = await get_json(bot, "/healthz")
        assert (status, body) == (200, {"status": "ok"})
        url = bot.service("monitoring").http.url
        assert url.startswith("http://127.0.0.1:")


async def test_readyz_names_an_unreachable_sqlite_database_and_recovers(tmp_path: Path
                                                                        ) -> None:
    async with monitored_bot(tmp_path) as bot:
        status, body = await get_json(bot, "/readyz")
        assert status == 200 and body["failing"] == []
        assert body["checks"]["database"]["ok"] is True
        assert body["process"]["rss_mb"] > 0

        # The database file disappears (a volume unmounted); a directory takes its place, so
        # SQLite cannot open it even as root. Pooled connections still hold the old file:
        # close them, as a restart or a stale timeout would.
        db_file = tmp_path / "bot.db"
        moved = []
        bot.kernel.db.peewee.close_all()
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{db_file}{suffix}")
            if path.exists():
                path.rename(f"{path}.away")
                moved.append(path)
        db_file.mkdir()
        status, body = await get_json(bot, "/readyz")
        assert status == 503
        assert body["status"] == "unready" and body["failing"] == ["database"]
        assert "unable to open database file" in body["checks"]["database"]["error"]
        assert body["checks"]["transport"]["ok"] is True

        db_file.rmdir()
        for path in moved:
            Path(f"{path}.away").rename(path)
        status, body = await get_json(bot, "/readyz")
        assert status == 200 and body["failing"] == []


async def test_readyz_names_an_unreachable_postgresql_database_and_recovers(tmp_path: Path
                                                                            ) -> None:
    with postgres_database() as url:
        name = url.rsplit("/", 1)[1]
        admin = os.environ["TEST_POSTGRES_URL"].replace("postgresql+pool://", "postgresql://")
        overrides = {"database.url": url, "database.retry.attempts": 2,
                     "monitoring.ready_timeout": 5}
        async with monitored_bot(tmp_path, overrides) as bot:
            status, _ = await get(bot, "/readyz")
            assert status == 200
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s", (name,))
            status, body = await get_json(bot, "/readyz")
            assert status == 503 and body["failing"] == ["database"]
            assert "not currently accepting connections" in body["checks"]["database"]["error"]
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            status, body = await get_json(bot, "/readyz")
            assert status == 200 and body["failing"] == []


class SwitchableTransport(RecordingTransport):
    """A transport that reports whether it is connected, as the telegram one does."""

    connected = True

    def ready(self) -> bool:
        return self.connected


async def test_readyz_names_a_disconnected_transport(tmp_path: Path) -> None:
    transport = SwitchableTransport()
    async with monitored_bot(tmp_path, transport=transport) as bot:
        transport.connected = False
        status, body = await get_json(bot, "/readyz")
        assert status == 503 and body["failing"] == ["transport"]
        assert "not connected" in body["checks"]["transport"]["error"]
        transport.connected = True
        status, _ = await get(bot, "/readyz")
        assert status == 200


async def test_readyz_follows_the_telegram_client_connection(tmp_path: Path) -> None:
    async with telegram_bot(tmp_path, HTTP_ON, plugins=["monitoring"]) as tg:
        url = tg.kernel.service("monitoring").http.url + "/readyz"
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as response:
                assert response.status == 200
                assert (await response.json())["checks"]["transport"]["name"] == "telegram"
            await tg.client.close()  # the connection to Telegram is gone
            async with session.get(url) as response:
                assert response.status == 503
                assert (await response.json())["failing"] == ["transport"]
            await tg.client.open()
            async with session.get(url) as response:
                assert response.status == 200


async def test_readyz_says_degraded_while_redis_is_unreachable_and_recovers(tmp_path: Path) -> None:
    real = urlsplit(redis_url())
    proxy = TcpProxy(real.hostname or "127.0.0.1", real.port or 6379)
    await proxy.start()
    url = f"redis://127.0.0.1:{proxy.port}{real.path}"
    overrides = {"cache.backend": "redis", "cache.url": url, "monitoring.ready_timeout": 2}
    async with monitored_bot(tmp_path, overrides) as bot:
        status, body = await get_json(bot, "/readyz")
        assert status == 200 and body["checks"]["redis"]["ok"] is True
        await proxy.cut()
        # Without Redis the bot still answers (memory cache, local limits): degraded, not down.
        status, body = await get_json(bot, "/readyz")
        assert status == 200 and body["status"] == "degraded"
        assert body["degraded"] == ["redis"] and body["failing"] == []
        assert body["checks"]["redis"]["ok"] is False
        await proxy.start()  # same port: Redis is back
        status, body = await get_json(bot, "/readyz")
        assert status == 200 and body["status"] == "ready" and body["degraded"] == []
    await proxy.cut()


async def test_metrics_parse_and_counters_move_after_updates(tmp_path: Path) -> None:
    async with monitored_bot(tmp_path, {"ratelimit.default": "3/minute"}) as bot:
        alice, bob = bot.user(42, "Alice"), bot.user(43, "Bob")
        status, text = await get(bot, "/metrics")
        assert status == 200
        before = samples(text)
        assert value(before, "bot_updates_total", kind="command", command="/start",
                     outcome="ok") == 0

        await bot.send("/start", user=alice)
        await bot.send("/start", user=alice)
        await bot.send("/whatever", user=bob)
        await bot.send("/boom", user=bob)
        for _ in range(4):
            await bot.send("/help", user=bob)  # /boom and two /help use bob's 3 a minute

        _, text = await get(bot, "/metrics")
        after = samples(text)
        assert value(after, "bot_updates_total", kind="command", command="/start",
                     outcome="ok") == 2
        assert value(after, "bot_updates_total", kind="command", command="/(unknown)",
                     outcome="unrouted") == 1
        assert value(after, "bot_updates_total", kind="command", command="/help",
                     outcome="limited") == 2
        assert value(after, "bot_rate_limited_updates_total", kind="command") == 2
        assert value(after, "bot_errors_total", type="RuntimeError") == 1
        assert value(after, "bot_update_seconds_count", kind="command") == 8
        assert value(after, "bot_db_call_seconds_count", outcome="ok") > value(
            before, "bot_db_call_seconds_count", outcome="ok")
        assert value(after, "bot_db_calls_total") > value(before, "bot_db_calls_total")
        assert value(after, "bot_cache_misses_total") > value(before, "bot_cache_misses_total")
        assert value(after, "bot_outbox_queue_depth") == 0
        assert value(after, "bot_db_pool_size") == 8
        assert value(after, "bot_resident_memory_bytes") > 0
        # What the sample plugin reports through the stats hook, numbers only.
        assert value(after, "bot_plugin_figure", plugin="sample", figure="credits issued") \
            == 1200
        assert value(after, "bot_plugin_figure", plugin="sample", figure="payments.XTR") == 3
        assert not any(name == "bot_plugin_figure" and ("figure", "label") in labels
                       for name, labels in after)


async def test_two_kernels_in_one_process_keep_their_own_metrics(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    async with monitored_bot(first, extra_plugins=[Sample()]) as one, \
            monitored_bot(second, extra_plugins=[Sample()]) as two:
        await one.send("/start", user=one.user(42))
        _, text = await get(two, "/metrics")
        assert value(samples(text), "bot_updates_total", kind="command", command="/start",
                     outcome="ok") == 0
        _, text = await get(one, "/metrics")
        assert value(samples(text), "bot_updates_total", kind="command", command="/start",
                     outcome="ok") == 1
