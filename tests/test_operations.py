"""The operators' side: CSV exports, the demo, backups and restores, one process per SQLite
file with the memory cache, and /stats drawing its chart in a worker process."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from core.testing import BotDriver, postgres_database
from core.types import SendMedia
from plugins.admin import chart
from tests.ops_support import ROOT, operator_root, run_core

PLUGINS = '[default.plugins]\nenabled = ["credits", "shop", "admin"]\n'


def table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


# ---- exports -----------------------------------------------------------------------------------


@pytest.mark.plugins("credits", "shop", "admin")
async def test_admins_export_users_and_the_ledger_as_csv(bot: BotDriver) -> None:
    await bot.send("/start", user=bot.user(42, "=HYPERLINK(\"http://x\")"))
    await bot.send("/grant 42 25 welcome", user=bot.admin)
    reply = await bot.send("/export ledger", user=bot.admin)
    [document] = reply.of(SendMedia)
    assert document.media.kind == "document" and document.media.file_name == "ledger.csv"
    rows = table(document.media.data)
    assert rows[0][:4] == ["id", "created_at", "user_id", "amount"]
    assert [r[2:4] for r in rows[1:]] == [["42", "25"]]
    users = table((await bot.send("/export users", user=bot.admin)).of(SendMedia)[0].media.data)
    alice = next(r for r in users if r[0] == "42")
    assert alice[2] == "'=HYPERLINK(\"http://x\")"  # data, never a formula
    reply = await bot.send("/export secrets", user=bot.admin)
    assert reply.outcome == "user_error" and "ledger, purchases, users" in reply.text
    reply = await bot.send("/export ledger", user=bot.user(42))
    assert not reply.of(SendMedia)


def test_the_command_line_exports_and_seeds_the_demo(tmp_path: Path) -> None:
    root = operator_root(tmp_path, PLUGINS)
    first = run_core(root, "demo")
    assert first.returncode == 0, first.stderr
    assert "/shop" in first.stdout and "3 added now" in first.stdout
    assert "make run" in first.stdout
    again = run_core(root, "demo")
    assert "0 added now" in again.stdout and "have 120 credits" in again.stdout
    done = run_core(root, "export", "ledger", "-o", str(tmp_path / "ledger.csv"))
    assert done.returncode == 0, done.stderr
    rows = table((tmp_path / "ledger.csv").read_bytes())
    assert [r[3] for r in rows[1:]] == ["120"]
    listing = run_core(root, "export")
    assert "ledger" in listing.stdout and "purchases" in listing.stdout
    unknown = run_core(root, "export", "nope")
    assert unknown.returncode == 2 and "no table 'nope'" in unknown.stderr


# ---- backups -----------------------------------------------------------------------------------


def _products(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT sku FROM shop_products ORDER BY sku")]


def test_sqlite_backup_and_restore(tmp_path: Path) -> None:
    root = operator_root(tmp_path, PLUGINS)
    assert run_core(root, "demo").returncode == 0
    done = run_core(root, "backup", str(tmp_path / "copy.db"))
    assert done.returncode == 0, done.stderr
    assert _products(tmp_path / "copy.db") == ["demo-ebook", "demo-guide", "demo-wallpaper"]
    with sqlite3.connect(root / "bot.db") as conn:
        conn.execute("DELETE FROM shop_products")
    refused = run_core(root, "restore", str(tmp_path / "copy.db"), stdin="no\n")
    assert refused.returncode == 1 and _products(root / "bot.db") == []
    done = run_core(root, "restore", "--yes", str(tmp_path / "copy.db"))
    assert done.returncode == 0, done.stderr
    assert _products(root / "bot.db") == ["demo-ebook", "demo-guide", "demo-wallpaper"]
    (tmp_path / "junk.db").write_text("not a database")
    junk = run_core(root, "restore", "--yes", str(tmp_path / "junk.db"))
    assert junk.returncode == 1 and "is not a SQLite backup" in junk.stderr
    assert "Traceback" not in junk.stderr


def test_postgresql_backup_and_restore_with_pg_dump(tmp_path: Path) -> None:
    root = operator_root(tmp_path, PLUGINS)
    with postgres_database() as url:
        env = {"BOT_DATABASE__URL": url.replace("postgresql://", "postgresql+pool://")}
        assert run_core(root, "demo", **env).returncode == 0
        dump = tmp_path / "bot.dump"
        done = run_core(root, "backup", str(dump), **env)
        assert done.returncode == 0, done.stderr
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DELETE FROM shop_products")
        done = run_core(root, "restore", "--yes", str(dump), **env)
        assert done.returncode == 0, done.stderr
        with psycopg.connect(url) as conn:
            skus = [r[0] for r in conn.execute("SELECT sku FROM shop_products ORDER BY sku")]
        assert skus == ["demo-ebook", "demo-guide", "demo-wallpaper"]


# ---- several processes on one SQLite file --------------------------------------------------------


def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    root = operator_root(tmp_path, PLUGINS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE__URL"] = f"sqlite:///{root / 'bot.db'}"
    first = subprocess.Popen([sys.executable, "-m", "core", "--root", str(root), "run"],
                             cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None
        deadline = time.monotonic() + 60
        while "Console chat" not in first.stdout.readline():
            assert time.monotonic() < deadline and first.poll() is None
        second = run_core(root, "run", stdin="/quit\n")
        assert second.returncode == 1
        assert "another bot process is already running on" in second.stderr
        assert "cache.backend" in second.stderr and "Traceback" not in second.stderr
        # One-shot commands do not serve users: they run beside the bot.
        assert run_core(root, "export", "users").returncode == 0
    finally:
        first.communicate("/quit\n", timeout=60)
    assert first.returncode == 0
    after = run_core(root, "run", stdin="/quit\n")  # the lock went with the process
    assert after.returncode == 0, after.stderr


# ---- /stats --------------------------------------------------------------------------------------


@pytest.mark.skipif(not chart.available(), reason="the chart extra (matplotlib) is not installed")
@pytest.mark.plugins("admin")
async def test_stats_draws_its_chart_in_another_process(bot: BotDriver) -> None:
    loaded = "matplotlib" in sys.modules
    reply = await bot.send("/stats", user=bot.admin)
    assert "The chart is being drawn and follows in a moment." in reply.text
    [media] = reply.of(SendMedia)
    assert media.media.data.startswith(b"\x89PNG")
    assert loaded or "matplotlib" not in sys.modules  # drawn elsewhere


@pytest.mark.plugins("admin")
async def test_a_chart_that_takes_too_long_is_left_out(bot: BotDriver) -> None:
    bot.service("admin").charts.timeout = 0.001
    reply = await bot.send("/stats", user=bot.admin)
    assert reply.outcome == "ok" and "Users:" in reply.text
    if chart.available():
        assert "could not be drawn this time" in reply.text and not reply.of(SendMedia)
