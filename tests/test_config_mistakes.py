"""Settings that catch an operator's mistakes, in plain words naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.kernel import Kernel
from tests.ops_support import AWKWARD, AWKWARD_TOML, ROOT, operator_root, run_core

PLUGINS = '[default.plugins]\nenabled = ["credits", "shop"]\n'


def errors(root: Path, **overrides: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        Kernel.configure({"database.url": f"sqlite:///{root}/bot.db", **overrides}, root=root,
                         environ=False)
    return caught.value.errors


def test_a_typo_in_a_plugin_table_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    root = operator_root(tmp_path, PLUGINS + "[default.shop]\npag_size = 8\n")
    assert errors(root) == ["settings.toml: unknown key shop.pag_size in [default.shop]; "
                            "did you mean shop.page_size?"]


def test_a_typo_in_a_section_name_is_an_error(tmp_path: Path) -> None:
    root = operator_root(tmp_path, '[default.cahce]\nbackend = "memory"\n')
    assert errors(root) == ["settings.toml: unknown section [default.cahce]; "
                            "did you mean [default.cache]?"]


def test_a_disabled_plugins_table_is_checked_too(tmp_path: Path) -> None:
    root = operator_root(tmp_path, "[default.payments]\nrefund_pol = 5.0\n")
    (message,) = errors(root)
    assert "unknown key payments.refund_pol" in message and "payments.refund_poll" in message


def test_unknown_environment_and_secrets_keys(tmp_path: Path) -> None:
    root = operator_root(tmp_path, "[defualt.cache]\nbackend = \"memory\"\n",
                         '[default.telegram]\nbot_tokn = "1:abc"\n')
    found = errors(root)
    assert "settings.toml: unknown environment [defualt]; did you mean [default]?" in found
    assert (".secrets.toml: unknown key telegram.bot_tokn in [default.telegram]; "
            "did you mean telegram.bot_token?") in found


def test_an_unknown_bot_variable_is_an_error(tmp_path: Path) -> None:
    done = run_core(operator_root(tmp_path), "doctor", BOT_SHOP__PAG_SIZE="8",
                    BOT_DATABSE__URL="sqlite:///x.db")
    assert done.returncode == 1
    assert ("environment variable BOT_SHOP__PAG_SIZE: no setting shop.pag_size; did you mean "
            "BOT_SHOP__PAGE_SIZE?") in done.stdout
    assert "BOT_DATABSE__URL: no setting databse.url; did you mean BOT_DATABASE__URL?" in \
        done.stdout


def test_messages_are_plain_words_naming_the_source(tmp_path: Path) -> None:
    root = operator_root(tmp_path, PLUGINS + '[default.shop]\npage_size = "x"\n'
                                             "[default.database]\npool_size = 0\n")
    found = errors(root)
    assert "plugin 'shop': shop.page_size must be a whole number; settings.toml has \"x\"" \
        in found
    assert "database.pool_size must be at least 1; settings.toml has 0" in found
    assert not any("is_type_of" in e or "gte" in e or "in env" in e for e in found)


@pytest.mark.parametrize("source", ["settings.toml", "environment"])
def test_admins_given_as_one_number_is_a_message_not_a_type_error(tmp_path: Path,
                                                                  source: str) -> None:
    if source == "settings.toml":
        root = operator_root(tmp_path, "[default]\nadmins = 123\n")
        done = run_core(root, "run", stdin="/quit\n")
    else:
        done = run_core(operator_root(tmp_path), "run", stdin="/quit\n", BOT_ADMINS="123")
    assert done.returncode == 2, done.stderr
    assert "TypeError" not in done.stderr and "Traceback" not in done.stderr
    assert "admins must be a list of Telegram user ids" in done.stderr
    assert "has 123" in done.stderr


def test_a_syntax_error_in_the_secrets_names_file_line_and_column(tmp_path: Path) -> None:
    token = "123456:" + AWKWARD
    secrets = f'[default.telegram]\nbot_token = "{AWKWARD_TOML}\napi_hash = "{token}"\n'
    done = run_core(operator_root(tmp_path, secrets=secrets), "run", stdin="/quit\n")
    assert done.returncode == 2
    assert ".secrets.toml: syntax error at line 2, column" in done.stderr
    assert "Traceback" not in done.stderr
    assert AWKWARD not in done.stderr and "7f3Q9zX" not in done.stderr


def test_a_syntax_error_in_settings_names_the_file(tmp_path: Path) -> None:
    root = operator_root(tmp_path, "[default.shop]\npage_size = = 3\n")
    assert errors(root) == ["settings.toml: syntax error at line 2, column 13: "
                            "Invalid value"]


def test_a_bad_database_url_is_shown_with_its_password_masked(tmp_path: Path) -> None:
    root = operator_root(tmp_path)
    (message,) = errors(root, **{"database.url": "mysql://bot:Hunter2-secret@db/bot"})
    assert "Hunter2-secret" not in message and "mysql://bot:***@db/bot" in message


def test_doctor_lists_settings_problems_one_per_line(tmp_path: Path) -> None:
    done = run_core(operator_root(tmp_path), "doctor", BOT_DATABASE__POOL_SIZE="0",
                    BOT_CACHE__BACKEND="memcached")
    assert done.returncode == 1
    assert "settings: settings:" not in done.stdout
    assert "[FAIL] settings: 2 problem(s)" in done.stdout
    assert "       - database.pool_size must be at least 1" in done.stdout


def test_the_shipped_settings_and_secrets_example_pass_every_check(tmp_path: Path) -> None:
    """Every key in settings.toml and .secrets.toml.example is declared by a validator."""
    root = operator_root(tmp_path)
    shutil.copy(ROOT / "settings.toml", root / "settings.toml")
    shutil.copy(ROOT / ".secrets.toml.example", root / ".secrets.toml")
    kernel = Kernel.configure({"database.url": f"sqlite:///{root}/bot.db"}, root=root,
                              environ=False)
    assert kernel.settings.shop.page_size == 8
