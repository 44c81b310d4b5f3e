"""Several processes started at once on a fresh database: one migrates, the others wait for
it, and every one of them comes up and answers."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 6


async def test_six_processes_starting_at_once_on_a_fresh_database_all_serve(
        tmp_path: Path, database_url: str) -> None:
    script = tmp_path / "chat.txt"
    script.write_text("/start\n/help\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update({"BOT_DATABASE__URL": database_url, "BOT_DASHBOARD__PORT": "0"})
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "core", "console", "--script", str(script), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for _ in range(PROCESSES)]
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), 240)
    for proc, (out, err) in zip(procs, results, strict=True):
        text = out.decode()
        assert proc.returncode == 0, err.decode()[-3000:]
        assert "already exists" not in err.decode()
        answers = [line for line in text.splitlines() if line.startswith("bot> ")]
        assert len(answers) >= 2 and "/start" in text, text[-2000:]  # /start and /help
