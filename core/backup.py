"""Backups of the bot's database, taken while the bot runs.

SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy even while the
bot writes. PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean`, when those client
tools are installed (Debian: postgresql-client). The password is handed over in PGPASSWORD,
never on a command line where `ps` would show it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from core import preflight
from core.errors import Fatal
from core.redaction import mask_urls


def _default_target(root: Path, suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = root / "data" / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"bot-{stamp}.{suffix}"


def backup(settings: Any, root: Path, target: Path | None = None) -> Path:
    """Write a backup; return where. Raises Fatal with the fix when it cannot."""
    source = preflight.sqlite_file(settings, root)
    if source is not None:
        if not source.exists():
            raise Fatal(f"there is no database at {source} yet", "start the bot once, or run "
                        "`python -m core migrate`")
        target = target or _default_target(root, "db")
        _sqlite_copy(source, target)
        return target
    target = target or _default_target(root, "dump")
    _postgres("pg_dump", settings.database.url,
              ["--format=custom", "--no-owner", f"--file={target}"])
    return target


def restore(settings: Any, root: Path, source: Path) -> None:
    """Replace the database's contents with a backup. The bot must be stopped."""
    if not source.exists():
        raise Fatal(f"no backup at {source}", "give the file `python -m core backup` wrote")
    target = preflight.sqlite_file(settings, root)
    if target is not None:
        _check_sqlite(source)
        # The bot holds this lock while it runs (memory cache); restoring under it would
        # leave its cache showing the old data.
        with preflight.one_process_per_sqlite_file(settings, root):
            _sqlite_copy(source, target)
        return
    _postgres("pg_restore", settings.database.url,
              ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)])


def _check_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise Fatal(f"{path} is not a SQLite backup ({exc})",
                    "give a file `python -m core backup` wrote") from None
    if ok != "ok":
        raise Fatal(f"{path} is damaged: {ok}", "use an earlier backup")


def _sqlite_copy(source: Path, target: Path) -> None:
    """The online backup API: page by page, consistent, while others read and write."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def _postgres(tool: str, url: str, arguments: list[str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise Fatal(f"{tool} is not installed, and the database is PostgreSQL",
                    "install the PostgreSQL client tools (Debian: apt-get install "
                    "postgresql-client) of the server's major version")
    parts = urlsplit(url.replace("+pool://", "://", 1).replace("psycopg3://", "postgresql://"))
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
    host = parts.hostname or ""
    netloc = (f"{parts.username}@" if parts.username else "") + host + \
        (f":{parts.port}" if parts.port else "")
    dbname = urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))
    done = subprocess.run([program, f"--dbname={dbname}", *arguments], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise Fatal(f"{tool} failed: {mask_urls(reason)}",
                    "check that the server runs, database.url, and that the client tools' "
                    "major version is the server's")
