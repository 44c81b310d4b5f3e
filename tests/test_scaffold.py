"""The plugin author's path: `new-plugin` writes a plugin whose own tests pass as written, and a
third-party plugin outside the repository's packages, pip-installed, loads from its entry point."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import plugins
from core.__main__ import main
from core.testing import running_bot

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "greeter"


def test_new_plugin_writes_a_plugin_whose_test_passes(tmp_path: Path) -> None:
    assert main(["new-plugin", "weather", "--dir", str(tmp_path)]) == 0
    project = tmp_path / "weather"
    assert (project / "weather" / "migrations" / "0001_initial.py").exists()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_new_plugin_refuses_bad_names_and_existing_folders(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    assert main(["new-plugin", "Bad Name", "--dir", str(tmp_path)]) == 1
    assert main(["new-plugin", "ok_name", "--dir", str(tmp_path)]) == 0
    assert main(["new-plugin", "ok_name", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err


@pytest.fixture(scope="module")
def installed_example() -> Iterator[str]:
    """pip-installs examples/greeter (outside the framework's packages) into this venv."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--no-deps", "--no-build-isolation", str(EXAMPLE)],
                   check=True, timeout=300, cwd=EXAMPLE.parent)
    importlib.invalidate_caches()
    try:
        yield "greeter"
    finally:
        subprocess.run([*pip, "uninstall", "-y", "bot-plugin-greeter"], check=True, timeout=300)
        importlib.invalidate_caches()


async def test_an_installed_third_party_plugin_loads_from_its_entry_point(
        installed_example: str, tmp_path: Path) -> None:
    assert plugins.available()[installed_example] == "greeter.plugin"
    async with running_bot(tmp_path, plugins=[installed_example]) as bot:
        assert installed_example in [p.name for p in bot.kernel.plugins]
        alice = bot.user(42, "Alice")
        assert (await bot.send("/greeter_hello", user=alice)).text == "Hello, Alice! (#1)"
        assert (await bot.send("/greeter_hello", user=alice)).text == "Hello, Alice! (#2)"
    import greeter

    assert not Path(greeter.__file__).resolve().is_relative_to(EXAMPLE)  # the installed copy
