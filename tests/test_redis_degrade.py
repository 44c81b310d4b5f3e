"""Redis goes away mid-run and comes back: a redis-server this test starts on its own free port,
stopped and restarted. The bot keeps answering (cache in memory, local rate limits), readiness
says degraded, the log says so once per outage, and Redis is used again when it returns,
without a stale value left there from before the outage."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from core.testing import running_bot
from tests.monitoring_helpers import recorded_logs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.025)
        raise RuntimeError("redis-server did not answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def keys(self) -> list[bytes]:
        return list(redis.Redis(port=self.port).scan_iter("*"))


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_the_bot_keeps_answering_while_redis_is_down_and_uses_it_again(
        tmp_path: Path) -> None:
    with redis_server(tmp_path) as server:
        url = f"redis://127.0.0.1:{server.port}/0"
        overrides = {"cache.backend": "redis", "cache.url": url, "ratelimit.storage": url,
                     "ratelimit.default": "30/minute"}
        async with running_bot(tmp_path, overrides, plugins=["credits", "monitoring"]) as bot:
            outage = bot.kernel.redis_outage
            outage.retry_after = 0.2  # try Redis again soon (5 s in production)
            credits, monitor = bot.service("credits"), bot.service("monitoring")
            alice = bot.user(42, "Alice")
            await credits.credit(alice.id, 100, "gift", "gift-1")
            assert "100" in (await bot.send("/balance", user=alice)).text
            assert server.keys()  # the cache and the rate limits live in Redis
            ready, report = await monitor.readiness()
            assert ready and report["status"] == "ready"

            server.stop()
            with recorded_logs("INFO") as lines:
                # A debit whose transaction commits does not fail because Redis is gone
                # (the cached account is dropped in memory now, and on Redis when it returns).
                entry = await credits.debit(alice.id, 30, "coffee", "coffee-1")
                assert entry.balance_after == 70
                for _ in range(5):
                    reply = await bot.send("/balance", user=alice)
                    assert reply.outcome == "ok" and "70" in reply.text
                assert await credits.balance(alice.id) == 70
                ready, report = await monitor.readiness()
                assert ready and report["status"] == "degraded"
                assert report["degraded"] == ["redis"] and report["failing"] == []
            down = [line for line in lines if "redis unreachable" in line]
            assert len(down) == 1 and "process memory" in down[0]
            assert url not in "\n".join(lines)

            # Same port, same data (append-only file): the account cached at 100 before the
            # outage is still in Redis, and must not be read back (the debit's invalidation
            # is replayed on Redis when it returns).
            server.start()
            await asyncio.sleep(0.3)
            with recorded_logs("INFO") as lines:
                reply = await bot.send("/balance", user=alice)
                assert reply.outcome == "ok"
            assert await credits.balance(alice.id) == 70  # read through the cache
            assert any("redis is back" in line for line in lines)
            assert not outage.degraded
            assert server.keys()  # used again: the account and the limits are back in Redis
            ready, report = await monitor.readiness()
            assert ready and report["status"] == "ready"
