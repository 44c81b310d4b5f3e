"""Settings: every error at once, exit status 2 before anything is opened; env overrides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.kernel import Kernel
from core.testing import base_settings

ROOT = Path(__file__).resolve().parent.parent


def run_cli(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    full.update({"BOT_DATABASE__URL": f"sqlite:///{tmp_path}/bot.db", **env})
    return subprocess.run([sys.executable, "-m", "core", "run"], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_every_config_error_is_listed_at_once_with_status_2(tmp_path: Path) -> None:
    done = run_cli(
        tmp_path,
        BOT_CACHE__BACKEND="memcached",
        BOT_ADMINS='["alice"]',
        BOT_RATELIMIT__DEFAULT="lots",
        BOT_DATABASE__POOL_SIZE="0",
        BOT_PLUGINS__ENABLED='["tests.bad_plugins.bad_settings"]',
        BOT_BADSETTINGS__PAGE_SIZE="500",
    )
    assert done.returncode == 2
    err = done.stderr
    assert "Configuration errors (5)" in err
    for expected in ('cache.backend must be "memory" or "redis"; environment variable '
                     'BOT_CACHE__BACKEND has "memcached"',
                     "admins must be a list of Telegram user ids",
                     'ratelimit.default must be a rate such as "30/minute"; environment '
                     'variable BOT_RATELIMIT__DEFAULT has "lots"',
                     "database.pool_size",
                     "plugin 'tests.bad_plugins.bad_settings': plugin option "
                     "badsettings.page_size must be at most 50, got 500"):
        assert expected in err, err
    assert not (tmp_path / "bot.db").exists(), "the database must not be opened"


def test_token_without_api_credentials_is_refused(tmp_path: Path) -> None:
    done = run_cli(tmp_path, BOT_TELEGRAM__BOT_TOKEN="123:abc")
    assert done.returncode == 2
    assert "telegram.api_hash" in done.stderr and "telegram.api_id" in done.stderr
    assert "123:abc" not in done.stderr


def test_environment_overrides_settings_toml(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATABASE__POOL_SIZE", "3")
    monkeypatch.setenv("BOT_ADMINS", "[7, 8]")
    settings = base_settings(tmp_path)
    del settings["admins"]
    kernel = Kernel.configure(settings)
    assert kernel.settings.database.pool_size == 3
    assert kernel.admins == frozenset({7, 8})


def test_configure_raises_with_all_errors(tmp_path: Path) -> None:
    settings = base_settings(tmp_path)
    settings.update({"cache.backend": "x", "database.url": "mysql://nope"})
    with pytest.raises(ConfigError) as caught:
        Kernel.configure(settings)
    assert len(caught.value.errors) == 2


def test_secrets_example_lists_every_secret_key() -> None:
    example = (ROOT / ".secrets.toml.example").read_text()
    for key in ("api_id", "api_hash", "bot_token"):
        assert f"{key} =" in example
    assert ".secrets.toml" in (ROOT / ".gitignore").read_text()


def test_secrets_merge_key_by_key_and_lists_are_replaced(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from core import config

    (tmp_path / "settings.toml").write_text(
        '[default.plugins]\nenabled = ["admin"]\n'
        '[default.telegram]\nsession_dir = "sessions"\n'
    )
    (tmp_path / ".secrets.toml").write_text('[default.telegram]\nbot_token = "1:secret"\n')
    settings = config.load(tmp_path)
    assert settings.telegram.session_dir == "sessions"  # not wiped by the secrets table
    assert settings.telegram.bot_token == "1:secret"
    monkeypatch.setenv("BOT_PLUGINS__ENABLED", '["credits"]')
    monkeypatch.setenv("BOT_TELEGRAM__BOT_TOKEN", "2:from-env")
    settings = config.load(tmp_path)
    assert settings.plugins.enabled == ["credits"]  # replaced, not appended
    assert settings.telegram.bot_token == "2:from-env"  # the environment wins over secrets
    settings = config.load(tmp_path, {"plugins.enabled": ["shop"]})
    assert settings.plugins.enabled == ["shop"]
