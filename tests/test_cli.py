"""`python -m core doctor` and `health`: what an operator runs to see what is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def core(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    full.update({"BOT_DATABASE__URL": f"sqlite:///{tmp_path}/bot.db", **env})
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=90)


def test_doctor_passes_on_the_embedded_default(tmp_path: Path) -> None:
    done = core(tmp_path, "doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[ok] database reachable (sqlite)" in done.stdout
    assert "opens the console chat" in done.stdout


def test_doctor_names_each_problem_with_its_fix(tmp_path: Path) -> None:
    done = core(tmp_path, "doctor", BOT_CACHE__BACKEND="redis",
                BOT_CACHE__URL="redis://127.0.0.1:1/0",
                BOT_DATABASE__AUTO_MIGRATE="false")
    assert done.returncode == 1
    assert "[FAIL] cache: Redis at redis://127.0.0.1:1/0" in done.stdout
    assert "fix: start Redis or fix the URL" in done.stdout
    assert "pending migration(s)" in done.stdout and "python -m core migrate" in done.stdout


def test_doctor_reports_bad_settings(tmp_path: Path) -> None:
    done = core(tmp_path, "doctor", BOT_DATABASE__URL="mysql://nope")
    assert done.returncode == 1 and "[FAIL] settings" in done.stdout


def test_health_prints_the_checks_as_json(tmp_path: Path) -> None:
    done = core(tmp_path, "health")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "ok"
    assert report["checks"]["database"]["ok"] and report["checks"]["database"]["kind"] == "sqlite"
    assert "outbox" in report["checks"] and "cache" in report["checks"]
