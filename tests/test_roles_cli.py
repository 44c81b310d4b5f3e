"""`python -m core receiver`, `worker --name` and `doctor` with a broker: what an operator
sees when the broker is missing, wrong or fine."""

from __future__ import annotations

import pytest

from core.testing import redis_url
from tests.test_cli import core


@pytest.mark.parametrize("role", [["receiver"], ["worker", "--name", "w1"]])
def test_a_role_without_a_broker_says_what_to_set(tmp_path, role: list[str]) -> None:
    done = core(tmp_path, *role)
    assert done.returncode == 2
    assert 'pipeline.broker = "redis://..."' in done.stderr
    assert "python -m core` alone" in done.stderr


def test_a_worker_needs_a_name(tmp_path) -> None:
    done = core(tmp_path, "worker", BOT_PIPELINE__BROKER=redis_url())
    assert done.returncode == 2 and "--name" in done.stderr


def test_the_broker_setting_is_validated(tmp_path) -> None:
    done = core(tmp_path, "worker", "--name", "w1", BOT_PIPELINE__BROKER="kafka://x")
    assert done.returncode == 2
    assert "pipeline.broker must be empty (the embedded journal) or a redis:// URL" in done.stderr


def test_doctor_checks_the_broker_and_the_shared_flood_budget(tmp_path) -> None:
    done = core(tmp_path, "doctor", BOT_PIPELINE__BROKER=redis_url(),
                BOT_OUTBOUND__STORAGE=redis_url())
    assert done.returncode == 0, done.stdout
    assert "[ok] broker: Redis " in done.stdout
    assert "[ok] outbound flood budget: Redis " in done.stdout


def test_doctor_names_an_unreachable_broker_without_its_password(tmp_path) -> None:
    done = core(tmp_path, "doctor",
                BOT_PIPELINE__BROKER="redis://:hunter2-secret@127.0.0.1:1/0")
    assert done.returncode == 1
    assert "[FAIL] broker: Redis at 127.0.0.1:1/0" in done.stdout
    assert "hunter2" not in done.stdout + done.stderr
