"""The plugin contract: declarations, toggles, requirements, misspelt hooks, every hook called."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import hookspecs
from core.errors import PluginError
from core.kernel import Kernel
from core.testing import base_settings, running_bot
from core.types import SendMessage

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "tests.sample_plugin"


def test_every_hook_is_documented() -> None:
    specs = [f for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
             if hasattr(f, "core_spec")]
    assert len(specs) >= 20
    for spec in specs:
        assert spec.__doc__ and len(spec.__doc__.strip()) > 20, spec.__name__


def test_sample_plugin_implements_every_hook() -> None:
    import tests.sample_plugin as sample

    specs = {name for name, f in inspect.getmembers(hookspecs, inspect.isfunction)
             if hasattr(f, "core_spec")}
    implemented = {name for name, f in inspect.getmembers(sample) if hasattr(f, "core_impl")}
    assert specs == implemented


async def test_enabled_plugin_commands_are_routed_and_listed(bot_with_sample) -> None:
    bot = bot_with_sample
    reply = await bot.send("/help", user=bot.user(42))
    assert "/note - Save a note" in reply.text
    assert "/paid - A command that costs 2 (2 credits)" in reply.text
    assert "/secret" not in reply.text  # admin-only, hidden from users
    admin_help = await bot.send("/help", user=bot.admin)
    assert "For admins:\n/secret - Admins only" in admin_help.text


async def test_disabled_plugin_commands_are_absent(bot) -> None:
    reply = await bot.send("/note hello", user=bot.user(42))
    assert reply.outcome == "unrouted"
    help_ = await bot.send("/help", user=bot.user(42))
    assert "/note" not in help_.text


def test_missing_requirement_stops_startup(tmp_path: Path) -> None:
    settings = base_settings(tmp_path)
    settings["plugins.enabled"] = ["tests.bad_plugins.needs_credits"]
    with pytest.raises(PluginError, match=r"requires 'credits'"):
        Kernel.configure(settings)


def test_misspelt_hook_stops_startup(tmp_path: Path) -> None:
    settings = base_settings(tmp_path)
    settings["plugins.enabled"] = ["tests.bad_plugins.misspelt"]
    with pytest.raises(PluginError, match="register_comands"):
        Kernel.configure(settings)


def test_unknown_plugin_name_stops_startup(tmp_path: Path) -> None:
    settings = base_settings(tmp_path)
    settings["plugins.enabled"] = ["no_such_plugin"]
    with pytest.raises(PluginError, match="'no_such_plugin' is enabled but not installed"):
        Kernel.configure(settings)


@pytest.mark.parametrize("plugin,expected", [
    ("tests.bad_plugins.needs_credits", "requires 'credits'"),
    ("tests.bad_plugins.misspelt", "register_comands"),
])
def test_cli_reports_plugin_problems_in_one_line(tmp_path: Path, plugin: str,
                                                 expected: str) -> None:
    env = {**os.environ, "BOT_PLUGINS__ENABLED": f'["{plugin}"]',
           "BOT_DATABASE__URL": f"sqlite:///{tmp_path}/bot.db"}
    done = subprocess.run([sys.executable, "-m", "core", "run"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], done.stderr
    assert not (tmp_path / "bot.db").exists()


async def test_every_hook_is_called(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=[SAMPLE]) as bot:
        kernel = bot.kernel
        sample = kernel.service("sample")
        assert sample.events["startup"] == 1
        assert sample.events["warm_cache"] == 1  # after startup, before updates
        alice = bot.user(42, "Alice")
        await bot.send("hello", user=alice)
        assert sample.created == [42]
        assert sample.events["outcome:ok"] == 1
        await bot.send("/boom", user=alice)
        assert sample.errors and sample.errors[0][0] == "RuntimeError"
        health = await kernel.health()
        assert health["checks"]["sample"] == {"ok": True, "notes": 0}
        assert await kernel.emit("user_summary", kernel=kernel, user_id=42) == [["notes: 0"]]
        assert await kernel.emit("stats", kernel=kernel)
        assert await kernel.emit("segment_users", kernel=kernel, segment="sample",
                                 value="") == [[42]]
        for event, args in [
            ("credits_changed", {"delta": 1, "balance": 1, "reason": "x"}),
            ("balance_low", {"balance": 1, "threshold": 5, "amount": 10}),
            ("tier_changed", {"old": None, "new": "gold"}),
            ("payment_succeeded", {"payment": object()}),
            ("purchase_completed", {"purchase": object()}),
        ]:
            await kernel.emit(event, kernel=kernel, user_id=42, **args)
            assert sample.events[event] == 1, event
        assert await kernel.runtime.get("sample_limit") == 5
    assert sample.events["shutdown"] == 1


def _unreachable(action: object) -> None:
    from core.errors import Unreachable

    raise Unreachable("blocked")


async def test_unreachable_user_is_marked_and_announced(tmp_path: Path) -> None:
    from core.errors import Unreachable

    async with running_bot(tmp_path, plugins=[SAMPLE]) as bot:
        await bot.send("/start", user=bot.user(42))
        bot.transport.fail = _unreachable
        with pytest.raises(Unreachable):
            await bot.kernel.send(SendMessage(42, "hi"))
        row = await bot.kernel.users.row(42)
        assert row is not None and row["is_unreachable"] is True
        assert bot.kernel.service("sample").events["unreachable"] == 1


def test_plugins_command_lists_enabled_plugins() -> None:
    env = {**os.environ, "BOT_PLUGINS__ENABLED": f'["{SAMPLE}"]'}
    done = subprocess.run([sys.executable, "-m", "core", "plugins"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"[enabled ] {SAMPLE}" in done.stdout
