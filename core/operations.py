"""The operators' one-shot commands: `demo`, `export`, `backup`, `restore`.

    python -m core demo                      sample catalogue and credits; what to type next
    python -m core export ledger [-o FILE]   a table as CSV (users, ledger, purchases, ...)
    python -m core backup [FILE]             SQLite online backup, or pg_dump for PostgreSQL
    python -m core restore FILE              the reverse; the bot must be stopped

Each one configures the kernel like `run` does and exits with one line on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from core import backup, exports
from core.kernel import Kernel
from core.types import Action, Sent


class Silent:
    """A transport that sends nothing: one-shot commands only look and write."""

    name = "none"

    async def execute(self, action: Action) -> Sent:
        return Sent()


def with_kernel(kernel: Kernel, work: Callable[[Kernel], Awaitable[Any]]) -> Any:
    """Start the kernel (database, migrations, plugins) on a silent transport, run `work`."""

    async def main() -> Any:
        kernel.attach(Silent())
        await kernel.start()
        try:
            return await work(kernel)
        finally:
            await kernel.stop()

    return asyncio.run(main())


def add_parsers(sub: Any) -> None:
    sub.add_parser("demo", help="add a sample catalogue and credits, and say what to try")
    p = sub.add_parser("export", help="write a table as CSV: users, ledger, purchases, ...")
    p.add_argument("table", nargs="?", help="the table; none: list them")
    p.add_argument("-o", "--output", help="a file (default: standard output)")
    p = sub.add_parser("backup", help="back up the database (SQLite online backup, pg_dump)")
    p.add_argument("file", nargs="?", help="where (default: data/backups/<time>.<ext>)")
    p = sub.add_parser("restore", help="restore a backup; stop the bot first")
    p.add_argument("file", help="a file written by `backup`")
    p.add_argument("--yes", action="store_true", help="replace the database without asking")


def cmd_demo(kernel: Kernel, args: argparse.Namespace) -> int:
    async def seed(k: Kernel) -> list[str]:
        lines: list[str] = []
        for answer in await k.emit("seed_demo"):
            lines.extend(str(line) for line in answer)
        return lines

    lines = with_kernel(kernel, seed)
    print("Demo data is in place (running this again adds nothing twice):")
    for line in lines or ["no enabled plugin has demo data (enable credits and shop)"]:
        print(f"  - {line}")
    print("Now start the console chat: `make run` (or `python -m core console`), then type "
          "/start and /help.")
    return 0


def cmd_export(kernel: Kernel, args: argparse.Namespace) -> int:
    names = sorted(exports.available(kernel))
    if not args.table:
        print("Tables: " + ", ".join(names))
        return 0
    if args.table not in names:
        print(f"error: no table '{args.table[:40]}' to export (tables: {', '.join(names)})",
              file=sys.stderr)
        return 2
    data = with_kernel(kernel, lambda k: exports.export(k, args.table))
    if args.output:
        Path(args.output).write_bytes(data)
        rows = data.count(b"\n") - 1
        print(f"wrote {args.output} ({rows} rows)", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def cmd_backup(kernel: Kernel, args: argparse.Namespace) -> int:
    written = backup.backup(kernel.settings, kernel.root, Path(args.file) if args.file else None)
    print(f"backup written: {written}")
    return 0


def cmd_restore(kernel: Kernel, args: argparse.Namespace) -> int:
    if not args.yes:
        answer = input("This replaces the bot's database with the backup. Stop the bot first. "
                       "Type yes to go on: ")
        if answer.strip().lower() != "yes":
            print("nothing restored")
            return 1
    backup.restore(kernel.settings, kernel.root, Path(args.file))
    print(f"restored from {args.file}")
    return 0


COMMANDS = {"demo": cmd_demo, "export": cmd_export, "backup": cmd_backup,
            "restore": cmd_restore}
