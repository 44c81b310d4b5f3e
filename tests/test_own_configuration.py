"""The tests never read the operator's configuration: with a .secrets.toml enabling payments
(as the README's steps leave it), an edited settings.toml and BOT_... variables set in the
shell, the suite still passes. Checked on a copy of the checkout, running a sample of the
suite (the whole suite takes minutes)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.ops_support import ROOT

OPERATOR_SETTINGS = """
[default]
admins = [777]

[default.plugins]
enabled = ["credits", "shop", "payments", "admin_inbox", "admin", "monitoring"]

[default.credits]
start_bonus = 500
"""
OPERATOR_SECRETS = """
[default.telegram]
api_id = 12345
api_hash = "0123456789abcdef0123456789abcdef"
bot_token = "123456:operator-token-that-would-reach-telegram"

[default.payments]
payload_secrets = ["operator-payload-secret-0001"]
provider_token = "operator-provider-token"
"""
SAMPLE = ["tests/test_cli.py", "tests/test_credits_commands.py::"
          "test_a_new_user_gets_the_start_bonus_once",
          "tests/test_credits_commands.py::test_admin_grants_and_revokes_by_username_or_id",
          "tests/test_console.py::test_make_run_style_script_from_the_command_line"]


def test_the_suite_ignores_the_operators_settings_secrets_and_variables(
        tmp_path: Path) -> None:
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "data", "__pycache__", ".pytest_cache", ".secrets.toml"))
    with (copy / "settings.toml").open("a") as f:  # as an operator's edits would
        f.write(OPERATOR_SETTINGS.replace("[default]", "[production]")
                .replace("[default.", "[production."))
    shipped = (copy / "settings.toml").read_text()
    (copy / "settings.toml").write_text(re.sub(  # payments on, as the README says to
        r'(?m)^enabled = \[', 'enabled = ["payments", ', shipped, count=1))
    (copy / ".secrets.toml").write_text(OPERATOR_SECRETS)
    env = {k: v for k, v in os.environ.items() if k != "TGBOT_ROOT"}
    env.update({"BOT_ADMINS": "[777]", "BOT_ENV": "production",
                "BOT_CREDITS__START_BONUS": "500"})
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *SAMPLE], cwd=copy, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    # The copy is what the operator has: it is really read outside the tests.
    configured = subprocess.run([sys.executable, "-m", "core", "plugins"], cwd=copy,
                                env={k: v for k, v in env.items() if k != "BOT_ENV"},
                                capture_output=True, text=True, timeout=120)
    assert "[enabled ] payments" in configured.stdout, configured.stdout + configured.stderr
