"""The update journal: recorded before handling, finished after. Retries, dead letters and
their replay, resuming after a restart, and processes killed with SIGKILL mid-way."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from core.hookspecs import hookimpl
from core.journal import DEAD, DONE, PENDING, decode, encode
from core.models import JournalEntry
from core.testing import running_bot
from core.types import Chat, ChatType, Command, Media, PaymentInfo, Sender, Update, UpdateKind
from plugins.credits.models import CreditLedger
from tests.payments_support import PLUGINS, settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "tests.sample_plugin"


class Flaky:
    """/flaky fails while `failures` is above zero; /always fails until `fixed`."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.fixed = False
        self.runs: list[str] = []

    async def flaky(self, ctx: Any) -> None:
        self.runs.append(ctx.update.key)
        if self.failures > 0:
            self.failures -= 1
            raise OSError("disk I/O error (simulated)")
        await ctx.reply("Done.")

    async def always(self, ctx: Any) -> None:
        self.runs.append(ctx.update.key)
        if not self.fixed:
            raise RuntimeError("always broken")
        await ctx.reply("Fixed and done.")

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("flaky", self.flaky, "fails first"),
                Command("always", self.always, "fails every time")]


def test_the_journal_keeps_every_field_of_an_update_but_raw() -> None:
    update = Update(
        "tg:1:2", UpdateKind.MEDIA, Sender(7, "Ann", "Lee", "ann", "es"),
        Chat(-100, ChatType.SUPERGROUP), text="héllo ✓", command=None, args="a b",
        message_id=3, reply_to_message_id=2, callback_id="cb", callback_data="x:1",
        media=Media("photo", "file-1", "p.png", "image/png", b"\x00\xff"),
        payment=PaymentInfo("XTR", 50, "payload", None, "charge", "provider"),
        sender_chat=Chat(-200, ChatType.CHANNEL), inline_message_id="inline-1",
        album=(Media("photo", "file-1"), Media("document", "file-2", "d.pdf")), raw=object())
    assert decode(update.key, encode(update)) == dataclasses.replace(update, raw=None)
    # Every field of Update is covered: a new field fails here until the codec keeps it.
    names = {f.name for f in dataclasses.fields(Update)} - {"key", "raw"}
    assert all(getattr(update, n) not in (None, "", ()) for n in names - {"command"})


async def test_a_handler_failing_once_is_handled_on_retry(tmp_path: Path) -> None:
    flaky = Flaky(failures=1)
    async with running_bot(tmp_path, extra_plugins=[flaky]) as bot:
        reply = await bot.send("/flaky", user=bot.user(42))
        assert reply.outcome == "ok" and reply.text == "Done."  # no apology for attempt 1
        assert len(flaky.runs) == 2 and len(set(flaky.runs)) == 1
        row = await bot.kernel.db.run(lambda: JournalEntry.get(JournalEntry.key == flaky.runs[0]))
        assert (row.state, row.attempts, row.outcome) == (DONE, 1, "ok")
        assert "disk I/O error" in row.error


async def test_an_always_failing_handler_is_a_dead_letter_that_replay_runs_again(
        tmp_path: Path) -> None:
    flaky = Flaky()
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    async with running_bot(tmp_path, {"pipeline.max_attempts": 3, "database.url": url},
                           extra_plugins=[flaky]) as bot:
        reply = await bot.send("/always", user=bot.user(42))
        assert reply.outcome == "error" and len(flaky.runs) == 3
        assert len(reply.to(42)) == 1 and "went wrong" in reply.to(42)[0].text  # told once
        assert await bot.kernel.journal.counts() == {PENDING: 0, DONE: 0, DEAD: 1}
        health = await bot.kernel.health()
        assert health["checks"]["journal"]["dead_letters"] == 1

        listed = cli(tmp_path, url, "journal", "list")
        assert listed.returncode == 0, listed.stderr
        assert "/always" in listed.stdout and "always broken" in listed.stdout
        [dead] = await bot.kernel.journal.list(DEAD)
        assert cli(tmp_path, url, "journal", "replay", "999999").returncode == 1
        replayed = cli(tmp_path, url, "journal", "replay", str(dead.id))
        assert replayed.returncode == 0, replayed.stderr

        flaky.fixed = True
        mark = len(bot.transport.log)
        assert await bot.kernel.pipeline.resume() == 1  # what the poller does every few s
        await bot.kernel.idle()
        assert [a.text for a, _ in bot.transport.log[mark:]] == ["Fixed and done."]
        assert await bot.kernel.journal.counts() == {PENDING: 0, DONE: 1, DEAD: 0}
        assert await bot.kernel.replay(dead.id)  # once more, in process: runs again
        await bot.kernel.idle()
        assert len(flaky.runs) == 5


def cli(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE__URL"] = url
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=90)


async def test_a_stop_leaves_unfinished_updates_to_the_next_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    release = asyncio.Event()

    async def stuck(ctx: Any) -> None:
        await release.wait()

    class Stuck:
        @hookimpl
        def register_commands(self) -> list[Command]:
            return [Command("stuck", stuck, "never ends")]

    async with running_bot(tmp_path, {"database.url": url, "pipeline.shutdown_timeout": 0.2},
                           extra_plugins=[Stuck()]) as bot:
        update = bot.updates.message("/stuck", bot.user(42).sender)
        assert update is not None
        await bot.kernel.ingest([update])
    counts = await asyncio.to_thread(_counts, url, tmp_path)
    assert counts[PENDING] == 1
    release.set()
    async with running_bot(tmp_path, {"database.url": url}, extra_plugins=[Stuck()]) as bot:
        await bot.kernel.idle()
        assert await bot.kernel.journal.counts() == {PENDING: 0, DONE: 1, DEAD: 0}


def _counts(url: str, tmp_path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        rows = conn.execute("SELECT state, COUNT(*) FROM journal GROUP BY state").fetchall()
    return {PENDING: 0, DONE: 0, DEAD: 0, **dict(rows)}


async def _killed(database_url: str, work: Path, point: str, count: int, ready: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.journal_worker", database_url, str(work), point,
        str(count), stdout=asyncio.subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 90)).decode().strip()
    assert line == ready
    if point == "handling":
        proc.kill()  # SIGKILL: after journaling, before any handling finished
    assert await asyncio.wait_for(proc.wait(), 90) == -9


async def test_killed_between_journaling_and_handling_every_update_is_handled_after_restart(
        tmp_path: Path, database_url: str) -> None:
    await _killed(database_url, tmp_path / "killed", "handling", 12, "journaled")
    async with running_bot(tmp_path, {"database.url": database_url},
                           plugins=[SAMPLE]) as bot:
        await bot.kernel.idle()
        notes = []
        for user in (100, 101, 102):
            notes += await bot.service("sample").notes(user)
        assert sorted(notes) == sorted(f"n{i}" for i in range(12))  # each once
        assert await bot.kernel.journal.counts() == {PENDING: 0, DONE: 12, DEAD: 0}


async def test_killed_between_the_payment_row_and_the_grant_every_charge_is_granted_once(
        tmp_path: Path, database_url: str) -> None:
    await _killed(database_url, tmp_path / "killed", "grant", 3, "paying")
    shared = settings(**{"database.url": database_url})
    async with running_bot(tmp_path, shared, plugins=PLUGINS) as bot:
        await bot.kernel.idle()
        assert await bot.service("credits").balance(42) == 300

        def grants() -> list[str]:
            return sorted(e.idempotency_key for e in CreditLedger.select()
                          .where(CreditLedger.user_id == 42))

        assert await bot.kernel.db.run(grants) == ["charge-k0", "charge-k1", "charge-k2"]
        assert await bot.service("credits").audit() == []
