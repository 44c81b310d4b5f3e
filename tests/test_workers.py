"""One receiver and several workers over Redis Streams, as separate processes, on a real
PostgreSQL and a real Redis: each update handled, each chat in order, through a worker killed
with SIGKILL and a receiver killed and restarted; and one flood budget for all workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

from core.testing import postgres_database, redis_url
from core.testing_flood import SharedFloodServer
from tests.broker_probe import trace_key

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL")
                                or not os.environ.get("TEST_REDIS_URL"),
                                reason="needs TEST_POSTGRES_URL and TEST_REDIS_URL")

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 120.0  # seconds any one wait may take before the test fails


@pytest.fixture
def namespace() -> Iterator[str]:
    """Keys of one test under their own prefix, deleted afterwards."""
    ns = f"wk{uuid.uuid4().hex[:8]}"
    yield ns
    client = redis.Redis.from_url(redis_url())
    for key in client.scan_iter(f"{ns}:*", count=1000):
        client.delete(key)


@pytest.fixture
def database() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def settings(database: str, namespace: str, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    values = {
        "database.url": database,
        "cache.backend": "redis", "cache.url": redis_url(), "cache.namespace": namespace,
        "ratelimit.storage": "memory://",
        "outbound.enabled": False,
        "pipeline.broker": redis_url(), "pipeline.shards": 8, "pipeline.claim_after": 3,
        "plugins.enabled": ["credits", "tests.broker_probe"],
        "telegram.bot_token": "", "telegram.session_dir": str(tmp_path),
        "admins": [1], "logging.level": "WARNING",
    }
    values.update(extra)
    return values


class Processes:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.running: list[subprocess.Popen[str]] = []

    def start(self, module: str, *args: str, env: dict[str, str] | None = None,
              name: str = "proc") -> subprocess.Popen[str]:
        log = open(self.tmp_path / f"{name}.log", "a")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=log,
                                env={**os.environ, **(env or {})})
        self.running.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.running:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def processes(tmp_path: Path, database: str, namespace: str) -> Iterator[Processes]:
    """Stopped before the database and the Redis keys they use go away."""
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()


def wait_for(what: str, ready: Callable[[], bool], timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def read_until(proc: subprocess.Popen[str], done: Callable[[str], bool]) -> str:
    """Lines of a process's stdout until one satisfies `done`; that line."""
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"process ended (status {proc.wait()}) before the line")
        if done(line.strip()):
            return line.strip()


def migrate(procs: Processes, config: dict[str, Any]) -> None:
    proc = procs.start("tests.broker_worker", "--migrate", json.dumps(config), name="migrate")
    assert proc.wait(60) == 0


def workers(procs: Processes, config: dict[str, Any], names: list[str],
            flood: str | None = None, cpu_ms: int = 0, chats: int = 200
            ) -> dict[str, subprocess.Popen[str]]:
    extra = [flood] if flood else []
    env = {"PROBE_CPU_MS": str(cpu_ms), "PROBE_CHATS": str(chats)}
    return {name: procs.start("tests.broker_worker", name, json.dumps(config), *extra,
                              env=env, name=name)
            for name in names}


def traces(namespace: str, chats: int) -> dict[int, list[tuple[int, str]]]:
    client = redis.Redis.from_url(redis_url())
    pipe = client.pipeline(transaction=False)
    for chat in range(1, chats + 1):
        pipe.lrange(trace_key(namespace, chat), 0, -1)
    found = {}
    for chat, rows in zip(range(1, chats + 1), pipe.execute(), strict=True):
        found[chat] = [(int(n), worker) for n, worker in
                       (row.decode().split(":", 1) for row in rows)]
    return found


def handled(namespace: str, chats: int) -> int:
    return sum(len(rows) for rows in traces(namespace, chats).values())


def backlog(namespace: str) -> int:
    return int(redis.Redis.from_url(redis_url()).get(f"{namespace}:journal:backlog") or 0)


def distinct_handled(namespace: str, chats: int) -> int:
    return sum(len({n for n, _ in rows}) for rows in traces(namespace, chats).values())


def ledger(database: str) -> tuple[dict[int, int], dict[int, int], int]:
    """(balance per user, ledger sum per user, ledger rows)."""
    with psycopg.connect(database.replace("+pool", "")) as conn:
        balances = dict(conn.execute("SELECT user_id, balance FROM credit_accounts").fetchall())
        sums = dict(conn.execute("SELECT user_id, SUM(amount) FROM credit_ledger "
                                 "GROUP BY user_id").fetchall())
        rows = conn.execute("SELECT COUNT(*) FROM credit_ledger").fetchone()
    return balances, {k: int(v) for k, v in sums.items()}, int(rows[0]) if rows else 0


def assert_in_order(rows: list[tuple[int, str]]) -> None:
    numbers = [n for n, _ in rows]
    assert numbers == sorted(numbers), numbers


CHATS, PER_CHAT = 200, 10  # 2,000 updates


def test_three_workers_handle_each_update_once_in_order(
        tmp_path: Path, processes: Processes, database: str, namespace: str) -> None:
    config = settings(database, namespace, tmp_path)
    migrate(processes, config)
    pool = workers(processes, config, ["w1", "w2", "w3"])
    receiver = processes.start("tests.broker_receiver", json.dumps(config), str(CHATS),
                               str(PER_CHAT), "0", name="receiver")
    read_until(receiver, lambda line: line == "done")
    wait_for("2,000 handlings", lambda: handled(namespace, CHATS) >= CHATS * PER_CHAT)
    wait_for("an empty backlog", lambda: backlog(namespace) == 0)
    found = traces(namespace, CHATS)
    for chat, rows in found.items():
        assert [n for n, _ in rows] == list(range(PER_CHAT)), (chat, rows)  # once, in order
    by_worker = {name: sum(1 for rows in found.values() for _, w in rows if w == name)
                 for name in pool}
    assert sum(by_worker.values()) == CHATS * PER_CHAT
    assert all(count > 0 for count in by_worker.values()), by_worker  # spread over workers
    balances, sums, rows = ledger(database)
    assert rows == CHATS * PER_CHAT
    assert balances == sums == {chat: PER_CHAT for chat in range(1, CHATS + 1)}


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_no_effect(
        tmp_path: Path, processes: Processes, database: str, namespace: str) -> None:
    config = settings(database, namespace, tmp_path)
    migrate(processes, config)
    pool = workers(processes, config, ["w1", "w2", "w3"], cpu_ms=2)
    receiver = processes.start("tests.broker_receiver", json.dumps(config), str(CHATS),
                               str(PER_CHAT), "0", name="receiver")
    wait_for("w2 at work", lambda: any(w == "w2" for rows in traces(namespace, CHATS).values()
                                        for _, w in rows))
    wait_for("a third handled", lambda: handled(namespace, CHATS) >= CHATS * PER_CHAT // 3)
    pool["w2"].send_signal(signal.SIGKILL)
    pool["w2"].wait()
    killed_at = handled(namespace, CHATS)
    assert killed_at < CHATS * PER_CHAT  # it died mid-run
    read_until(receiver, lambda line: line == "done")
    wait_for("every update handled", lambda: distinct_handled(namespace, CHATS)
             == CHATS * PER_CHAT)
    wait_for("an empty backlog", lambda: backlog(namespace) == 0)
    found = traces(namespace, CHATS)
    for chat, rows in found.items():
        assert {n for n, _ in rows} == set(range(PER_CHAT)), (chat, rows)  # nothing lost
        # At least once: an update w2 had begun may run again, but never out of order.
        assert_in_order(rows)
    balances, sums, rows = ledger(database)
    assert rows == CHATS * PER_CHAT  # no credit applied twice
    assert balances == sums == {chat: PER_CHAT for chat in range(1, CHATS + 1)}


def test_the_receiver_killed_and_restarted_loses_and_doubles_nothing(
        tmp_path: Path, processes: Processes, database: str, namespace: str) -> None:
    config = settings(database, namespace, tmp_path)
    migrate(processes, config)
    workers(processes, config, ["w1", "w2", "w3"])
    receiver = processes.start("tests.broker_receiver", json.dumps(config), str(CHATS),
                               str(PER_CHAT), "0", name="receiver")
    line = read_until(receiver, lambda line: int(line.split()[1]) >= 800
                      if line.startswith("journaled") else False)
    receiver.send_signal(signal.SIGKILL)
    receiver.wait()
    acknowledged = int(line.split()[1])
    # Telegram sends again what was not acknowledged, and a little before (the state it kept
    # may be older than what the receiver had journaled).
    again = processes.start("tests.broker_receiver", json.dumps(config), str(CHATS),
                            str(PER_CHAT), str(max(0, acknowledged - 50)), name="receiver2")
    read_until(again, lambda line: line == "done")
    wait_for("2,000 handlings", lambda: handled(namespace, CHATS) >= CHATS * PER_CHAT)
    wait_for("an empty backlog", lambda: backlog(namespace) == 0)
    for chat, rows in traces(namespace, CHATS).items():
        assert [n for n, _ in rows] == list(range(PER_CHAT)), (chat, rows)
    balances, sums, rows = ledger(database)
    assert rows == CHATS * PER_CHAT
    assert balances == sums == {chat: PER_CHAT for chat in range(1, CHATS + 1)}


def test_three_workers_share_one_flood_budget(
        tmp_path: Path, processes: Processes, database: str, namespace: str) -> None:
    chats, per_chat = 60, 6  # 360 replies: about 12 s at Telegram's 30/s
    config = settings(database, namespace, tmp_path, **{
        "outbound.enabled": True, "outbound.storage": redis_url(),
        "plugins.enabled": ["tests.broker_probe"]})
    migrate(processes, config)
    with SharedFloodServer() as flood:
        workers(processes, config, ["w1", "w2", "w3"], flood=flood.address, chats=chats)
        receiver = processes.start("tests.broker_receiver", json.dumps(config), str(chats),
                                   str(per_chat), "0", "echo", name="receiver")
        read_until(receiver, lambda line: line == "done")
        wait_for("360 replies", lambda: len(flood.server.delivered) >= chats * per_chat)
        wait_for("an empty backlog", lambda: backlog(namespace) == 0)
    server = flood.server
    assert server.flood_waits == 0
    assert server.max_per_second() <= 30
    by_chat: dict[int, list[str]] = {}
    for d in server.delivered:
        by_chat.setdefault(d.chat_id, []).append(d.text)
    assert by_chat == {c: [f"echo {n}" for n in range(per_chat)] for c in range(1, chats + 1)}
