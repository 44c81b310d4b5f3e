"""`python -m core receiver`, `worker --name` and `doctor` with a broker: what an operator
sees when the broker is missing, wrong or fine."""

from __future__ import annotations

import json

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


def test_dead_letters_are_listed_and_replayed_from_the_command_line(tmp_path) -> None:
    import asyncio
    import uuid

    from redis.asyncio import Redis

    from core.broker import RedisJournal
    from core.types import Chat, Sender, Update, UpdateKind

    namespace = f"cli{uuid.uuid4().hex[:8]}"
    poison = Update("t:5:1", UpdateKind.COMMAND, Sender(5), Chat(5), text="/boom",
                    command="boom")

    async def bury() -> None:
        broker = RedisJournal(Redis.from_url(redis_url()), namespace=namespace)
        [entry] = await broker.append([poison])
        [taken] = await broker.read(int(str(entry.id).split("/")[0]), "w1", 1, None)
        await broker.dead(taken, "RuntimeError: boom")
        await broker.close()

    async def cleanup() -> None:
        redis = Redis.from_url(redis_url())
        async for key in redis.scan_iter(f"{namespace}:*"):
            await redis.delete(key)
        await redis.aclose()

    asyncio.run(bury())
    env = {"BOT_PIPELINE__BROKER": redis_url(), "BOT_CACHE__NAMESPACE": namespace}
    try:
        listed = core(tmp_path, "journal", "list", **env)
        assert listed.returncode == 0, listed.stderr
        dead_id, key = listed.stdout.split()[:2]
        assert key == "t:5:1" and "RuntimeError: boom" in listed.stdout
        replayed = core(tmp_path, "journal", "replay", dead_id, **env)
        assert replayed.returncode == 0 and "replayed t:5:1" in replayed.stdout
        counts = core(tmp_path, "journal", "counts", **env)
        assert json.loads(counts.stdout) == {"pending": 1, "done": 0, "dead": 0}
        again = core(tmp_path, "journal", "replay", dead_id, **env)
        assert again.returncode == 1 and "No dead letter" in again.stderr
    finally:
        asyncio.run(cleanup())
