"""The database layer, the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import peewee
import pytest

from core import migrate
from core.db import Database, RetryPolicy, is_transient
from core.errors import UserError
from core.testing import running_bot
from core.types import Sender

SAMPLE = "tests.sample_plugin"


async def test_migrations_users_and_runtime_settings(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, {"database.url": database_url}, plugins=[SAMPLE]) as bot:
        kernel = bot.kernel
        assert migrate.pending(kernel.db, kernel.migration_sources) == []
        tables = set(kernel.db.peewee.get_tables())
        assert {"users", "runtime_settings", "runtime_setting_changes", "journal",
                "sample_notes", "schema_history_core", "schema_history_sample"} <= tables
        indexes = {i.name for i in kernel.db.peewee.get_indexes("users")}
        assert {"users_username_lower_idx", "users_banned_idx", "users_last_seen_idx"} <= indexes

        # users: created once, updated on change, found by id or @username (any case)
        users = kernel.users
        first = await users.touch(Sender(42, "Alice", username="Alice_W"))
        assert first.is_new
        again = await users.touch(Sender(42, "Alice", username="Alice_W"))
        assert not again.is_new
        await users.touch(Sender(42, "Alicia", username="alice_w"))
        found = await users.find("@ALICE_W")
        assert found is not None and found.id == 42 and found.first_name == "Alicia"
        assert (await users.find("42")).id == 42  # type: ignore[union-attr]
        assert await users.find("@nobody") is None
        assert await users.find("") is None

        # runtime settings: default, validated write, history, cache invalidated
        runtime = kernel.runtime
        assert await runtime.get("sample_limit") == 5
        assert await runtime.set("sample_limit", "7", by=1) == 7
        assert await runtime.get("sample_limit") == 7
        with pytest.raises(UserError, match="must be between 1 and 100"):
            await runtime.set("sample_limit", "1000", by=1)
        with pytest.raises(UserError, match="setting-invalid"):
            await runtime.set("sample_limit", "seven", by=1)
        with pytest.raises(UserError, match="setting-unknown"):
            await runtime.set("no_such_key", "1", by=1)
        assert await runtime.get("sample_limit") == 7
        history = await kernel.db.run(lambda: kernel.db.peewee.execute_sql(
            "SELECT new_value, changed_by FROM runtime_setting_changes").fetchall())
        assert [tuple(r) for r in history] == [("7", 1)]
        health = await kernel.db.health()
        assert health["ping_ms"] >= 0 and health["pool"]["size"] == 8


async def test_concurrent_writes_through_the_bridge(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, {"database.url": database_url}, plugins=[SAMPLE]) as bot:
        sample = bot.service("sample")
        await asyncio.gather(*(sample.add_note(i % 7, f"n{i}") for i in range(200)))
        counts = [len(await sample.notes(u)) for u in range(7)]
        assert sum(counts) == 200


def _db(tmp_path: Path, attempts: int = 4) -> Database:
    return Database(f"sqlite:///{tmp_path / 'retry.db'}", pool_size=2,
                    retry=RetryPolicy(attempts=attempts, base_delay=0.001, max_delay=0.002))


async def test_transient_errors_are_retried(tmp_path: Path) -> None:
    db = _db(tmp_path)
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise peewee.OperationalError("database is locked")
        return "done"

    assert await db.run(flaky) == "done"
    assert len(calls) == 3 and db.stats.retries == 2
    db.close()


async def test_retries_stop_at_the_limit(tmp_path: Path) -> None:
    db = _db(tmp_path, attempts=3)
    calls = []

    def always_locked() -> None:
        calls.append(1)
        raise peewee.OperationalError("database is locked")

    with pytest.raises(peewee.OperationalError):
        await db.run(always_locked)
    assert len(calls) == 3
    db.close()


async def test_integrity_errors_are_never_retried(tmp_path: Path) -> None:
    db = _db(tmp_path)
    calls = []

    def duplicate() -> None:
        calls.append(1)
        raise peewee.IntegrityError("UNIQUE constraint failed: connection lost")

    with pytest.raises(peewee.IntegrityError):
        await db.transaction(duplicate)
    assert len(calls) == 1 and db.stats.retries == 0
    db.close()


def test_transient_classification() -> None:
    assert is_transient(peewee.OperationalError("server closed the connection unexpectedly"))
    assert is_transient(peewee.InterfaceError("connection already closed"))
    assert not is_transient(peewee.OperationalError("no such table: foo"))
    assert not is_transient(peewee.IntegrityError("database is locked"))
    assert not is_transient(ValueError("connection"))


async def test_a_real_lock_is_waited_out(tmp_path: Path) -> None:
    """Another connection holds SQLite's write lock; our write waits and then succeeds."""
    import sqlite3
    import threading

    db = _db(tmp_path)
    await db.run(lambda: db.peewee.execute_sql("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(str(tmp_path / "retry.db"), check_same_thread=False,
                            isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, other.execute, args=("COMMIT",)).start()
    await db.transaction(lambda: db.peewee.execute_sql("INSERT INTO t VALUES (1)"))
    assert await db.run(lambda: db.peewee.execute_sql("SELECT count(*) FROM t").fetchone()[0]) \
        == 1
    other.close()
    db.close()


async def test_no_query_runs_on_the_event_loop_thread(tmp_path: Path) -> None:
    import threading

    db = _db(tmp_path)
    loop_thread = threading.get_ident()
    ran_on = await db.run(threading.get_ident)
    assert ran_on != loop_thread
    db.close()


def test_migrate_command_plans_and_applies(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update({"BOT_DATABASE__URL": f"sqlite:///{tmp_path}/bot.db",
                "BOT_PLUGINS__ENABLED": f'["{SAMPLE}"]'})

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "core", "migrate", *args], cwd=root,
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    plan = cli("--plan")
    assert "pending  core/0001_initial" in plan and "pending  sample/0001_notes" in plan
    assert "applied  sample/0001_notes" in cli()
    assert "0 pending migration(s)" in cli("--plan")


async def test_start_refuses_pending_migrations_without_auto_migrate(tmp_path: Path) -> None:
    from core.errors import PluginError
    from core.kernel import Kernel
    from core.testing import RecordingTransport, base_settings

    settings = base_settings(tmp_path)
    settings.update({"database.auto_migrate": False, "plugins.enabled": [SAMPLE]})
    kernel = Kernel.configure(settings)
    kernel.attach(RecordingTransport())
    with pytest.raises(PluginError, match="migrations pending"):
        await kernel.start()
    kernel.db.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "bot.db") as con:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    assert "users" not in tables  # nothing was migrated behind the operator's back


async def test_two_kernels_in_one_process_keep_to_their_own_databases(tmp_path: Path,
                                                                       database_url: str) -> None:
    """Models are bound to a routed database: inside db.run they mean that kernel's own."""
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    async with running_bot(tmp_path / "one", {"database.url": database_url},
                           plugins=[SAMPLE]) as one, \
            running_bot(tmp_path / "two", plugins=[SAMPLE]) as two:
        await asyncio.gather(*(bot.send(f"/note from {name} {i}", user=bot.user(42))
                               for i in range(10) for name, bot in (("one", one), ("two", two))))
        notes_one = await one.service("sample").notes(42)
        notes_two = await two.service("sample").notes(42)
    assert sorted(notes_one) == sorted(f"from one {i}" for i in range(10))
    assert sorted(notes_two) == sorted(f"from two {i}" for i in range(10))
