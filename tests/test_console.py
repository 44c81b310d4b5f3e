"""The console chat: a person (or a script) talks to the whole bot in a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from core.kernel import Kernel
from core.testing import base_settings
from core.transports.console import ConsoleTransport

ROOT = Path(__file__).resolve().parent.parent


async def lines(*items: str) -> AsyncIterator[str]:
    for item in items:
        yield item


async def test_console_chat_with_buttons_and_user_switching(tmp_path: Path) -> None:
    settings = base_settings(tmp_path)
    settings["plugins.enabled"] = ["tests.sample_plugin"]
    settings["admins"] = []
    kernel = Kernel.configure(settings)
    out = io.StringIO()
    console = ConsoleTransport(kernel, out=out)
    kernel.attach(console)
    await kernel.start()
    try:
        await console.run(lines("/start", "/note buy milk", "/press 1", "/press 9",
                                "/as 42 Alice", "/secret", "/admin", "/secret", "/as x",
                                "# a comment", "/quit", "/help"), echo=True)
    finally:
        await kernel.stop()
    text = out.getvalue()
    assert "bot> Hello! Send /help to see what I can do." in text
    assert "[1] Show notes" in text
    assert "edits #" in text and "Notes: buy milk" in text
    assert "(no button '9'" in text
    assert "(you are user 42)" in text
    assert "admins only" in text and "bot> The secret." in text
    assert "usage: /as ID" in text
    assert "Commands:" not in text  # nothing after /quit


def test_make_run_style_script_from_the_command_line(tmp_path: Path) -> None:
    script = tmp_path / "chat.txt"
    script.write_text("/start\n/help\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE__URL"] = f"sqlite:///{tmp_path}/bot.db"
    done = subprocess.run([sys.executable, "-m", "core", "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "doctor" in done.stdout
    done = subprocess.run([sys.executable, "-m", "core", "console", "--script", str(script)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "bot> Hello! Send /help to see what I can do." in done.stdout
    assert "/help - What this bot can do" in done.stdout
