"""Running `python -m core` as an operator would, on a configuration root of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A secret holding every character that escaping may change: \ " ' % { } &
AWKWARD = "Aw\\k\"wa'rd%s{0}&-7f3Q9zX"
AWKWARD_TOML = AWKWARD.replace("\\", "\\\\").replace('"', '\\"')


def operator_root(tmp_path: Path, settings: str = "", secrets: str = "") -> Path:
    """A folder with the given settings.toml and .secrets.toml (empty: absent)."""
    root = tmp_path / "operator"
    root.mkdir(exist_ok=True)
    if settings:
        (root / "settings.toml").write_text(settings)
    if secrets:
        (root / ".secrets.toml").write_text(secrets)
    return root


def run_core(root: Path, *args: str, stdin: str = "", timeout: float = 90,
             **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m core --root <root> <args>`, with no BOT_... variable but those given."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    full.setdefault("BOT_DATABASE__URL", f"sqlite:///{root / 'bot.db'}")
    full.update(env)
    return subprocess.run([sys.executable, "-m", "core", "--root", str(root), *args],
                          cwd=ROOT, env=full, input=stdin, capture_output=True, text=True,
                          timeout=timeout)
