"""`python -m core [--root DIR] [run|console|receiver|worker|migrate|plugins|doctor|health|
journal|texts|demo|export|backup|restore]`. `run` is the default: the embedded bot,
receiving and handling in one process. `receiver` and `worker --name NAME` spread one bot
over processes through `pipeline.broker` (Redis).

Exit status 2 means the configuration is wrong; nothing was opened. Status 1 is a failure an
operator can fix, printed as one line with the fix (core/failures.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from core import (
    config,
    failures,
    lifecycle,
    logs,
    migrate,
    operations,
    plugins,
    preflight,
    roles,
)
from core.db import Database
from core.errors import ConfigError, Fatal, PluginError
from core.kernel import Kernel
from core.redaction import mask_urls
from core.types import Action, Sent


def configure(args: argparse.Namespace | None = None) -> Kernel:
    try:
        kernel = Kernel.configure(root=_root(args))
    except ConfigError as exc:
        print(f"Configuration errors ({len(exc.errors)}):", file=sys.stderr)
        for line in exc.errors:
            print(f"  - {line}", file=sys.stderr)
        raise SystemExit(2) from None
    except PluginError as exc:
        print(f"Plugin error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    logs.setup(kernel.settings, kernel.redact.secrets)
    return kernel


def _root(args: argparse.Namespace | None) -> Path:
    root = getattr(args, "root", None)
    return Path(root).resolve() if root else config.default_root()


# ---- run / console -----------------------------------------------------------------------------


async def _serve(kernel: Kernel, transport: Any, script: str | None = None) -> None:
    if script is None:
        await lifecycle.serve(kernel, transport)
        return
    from core.transports.console import lines_of

    await lifecycle.serve(kernel, transport, lambda: transport.run(lines_of(script), echo=True))


def cmd_run(args: argparse.Namespace, console: bool = False) -> int:
    kernel = configure(args)
    preflight.check(kernel.settings)
    if kernel.settings.telegram.bot_token and not console and args.script is None:
        try:
            from core.transports.telegram import TelegramTransport
        except ImportError as exc:
            print(f"The telegram transport cannot load: {exc}", file=sys.stderr)
            return 1
        transport: Any = TelegramTransport(kernel)
    else:
        from core.transports.console import ConsoleTransport

        transport = ConsoleTransport(kernel)
    # A scripted console plays its lines and stops: it serves nobody for long, so it never
    # takes the lock (several may start at once, as tests and demos do).
    lock = (contextlib.nullcontext() if args.script is not None
            else preflight.one_process_per_sqlite_file(kernel.settings, kernel.root))
    with lock, contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(kernel, transport, args.script))
    return 0


# ---- receiver / worker ---------------------------------------------------------------------------


def _needs_broker(kernel: Kernel, role: str) -> bool:
    if kernel.settings.pipeline.broker:
        return True
    print(f"The {role} role needs a broker: set pipeline.broker = \"redis://...\" in "
          "settings.toml (or BOT_PIPELINE__BROKER); `python -m core` alone runs everything "
          "in one process.", file=sys.stderr)
    return False


def cmd_receiver(args: argparse.Namespace) -> int:
    kernel = configure()
    if not _needs_broker(kernel, "receiver"):
        return 2
    if not kernel.settings.telegram.bot_token:
        print("The receiver needs telegram.bot_token (and api_id, api_hash) in .secrets.toml.",
              file=sys.stderr)
        return 2
    from core.transports.telegram import TelegramTransport

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(roles.serve_receiver(kernel, TelegramTransport(kernel)))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    kernel = configure()
    if not _needs_broker(kernel, "worker"):
        return 2
    if kernel.settings.telegram.bot_token:
        from core.transports.telegram import TelegramTransport

        transport: Any = TelegramTransport(kernel, roles.sending_client(kernel, args.name))
    else:
        from core.transports.console import ConsoleTransport

        transport = ConsoleTransport(kernel)  # no token: replies printed, for trying it out
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(roles.serve_worker(kernel, transport, args.name))
    return 0


# ---- journal (the broker's dead letters) --------------------------------------------------------


def _broker_journal(kernel: Kernel, args: argparse.Namespace) -> int:
    """`journal` when the journal is the broker (pipeline.broker): its dead letters."""
    from core.broker import RedisJournal

    async def run() -> int:
        broker = RedisJournal.from_settings(kernel.settings)
        try:
            if args.action == "counts":
                print(json.dumps(await broker.counts()))
            elif args.action == "list":
                for entry in await broker.list(limit=args.limit):
                    print(f"{entry.id}  {entry.key}  chat {entry.update.chat.id}  "
                          f"{entry.attempts} attempts  {kernel.redact(entry.error or '')[:200]}")
            else:
                replayed = await broker.replay(args.id or "")
                if replayed is None:
                    print(f"No dead letter {args.id}.", file=sys.stderr)
                    return 1
                print(f"replayed {replayed.key} as {replayed.id}")
            return 0
        finally:
            await broker.close()

    return asyncio.run(run())


# ---- migrate -----------------------------------------------------------------------------------


def _sources(kernel: Kernel) -> list[migrate.Source]:
    return [migrate.Source("core", migrate.CORE_SCHEMA)] + [
        migrate.Source(owner, Path(directory))
        for _, (owner, directory) in kernel.collect("register_migrations")
    ]


def cmd_migrate(args: argparse.Namespace) -> int:
    kernel = configure(args)
    db = Database.from_settings(kernel.settings, kernel.root)
    try:
        sources = _sources(kernel)
        if args.plan:
            waiting = migrate.pending(db, sources)
            for owner, name in waiting:
                print(f"pending  {owner}/{name}")
            print(f"{len(waiting)} pending migration(s)")
            return 0
        done = migrate.apply(db, sources)
        for owner, name in done:
            print(f"applied  {owner}/{name}")
        print(f"{len(done)} migration(s) applied")
        return 0
    finally:
        db.close()


# ---- plugins -----------------------------------------------------------------------------------


def cmd_plugins(args: argparse.Namespace) -> int:
    kernel = configure(args)
    enabled = {p.name for p in kernel.plugins}
    for name, module_path in sorted(plugins.available().items()):
        module = importlib.import_module(module_path)
        info = plugins.info(name, module)
        mark = "enabled " if name in enabled else "disabled"
        requires = f" (requires {', '.join(info.requires)})" if info.requires else ""
        print(f"[{mark}] {name}: {info.description}{requires}")
        declare = getattr(module, "register_commands", None)
        for command in (declare() if declare else []) or []:
            admin = " [admin]" if command.admin_only else ""
            print(f"      /{command.name} - {command.description}{admin}")
    extra = sorted(enabled - set(plugins.available()) - set(plugins.ESSENTIAL))
    for name in extra:
        print(f"[enabled ] {name} (by module path)")
    return 0


# ---- doctor ------------------------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace) -> int:
    problems = 0

    def report(ok: bool, what: str, fix: str = "") -> None:
        nonlocal problems
        problems += not ok
        print(f"[{'ok' if ok else 'FAIL'}] {what}" + ("" if ok else f"\n       fix: {fix}"))

    try:
        kernel = Kernel.configure(root=_root(args))
    except ConfigError as exc:
        listed = "".join(f"\n       - {line}" for line in exc.errors)
        report(False, f"settings: {len(exc.errors)} problem(s){listed}",
               "edit settings.toml, .secrets.toml or the BOT_... variable named above")
        return 1
    except PluginError as exc:
        report(False, f"plugins: {exc}", "edit [default.plugins] enabled in settings.toml")
        return 1
    s = kernel.settings
    report(True, f"settings valid (env {s.current_env}), plugins: "
                 f"{', '.join(p.name for p in kernel.plugins)}")
    db = Database.from_settings(s, kernel.root)
    try:
        db.call(lambda: db.peewee.execute_sql("SELECT 1").fetchone())
        report(True, f"database reachable ({db.kind})")
        waiting = migrate.pending(db, _sources(kernel))
        fix = ("it happens at start (auto_migrate = true)" if s.database.auto_migrate
               else "run `python -m core migrate`")
        report(not waiting or s.database.auto_migrate,
               f"{len(waiting)} pending migration(s)", fix)
    except Exception as exc:
        report(False, f"database {mask_urls(s.database.url)}: {failures.describe(exc)}",
               "check database.url, that the server runs and the database exists")
    finally:
        db.close()
    for what, url in preflight.redis_urls(s):
        try:
            preflight.ping_redis(what, url)
            report(True, f"{what}: Redis reachable")
        except Fatal as exc:
            report(False, exc.what, exc.fix)
    extra: list[tuple[str, str | None]] = [
        ("broker", s.pipeline.broker or None),
        ("outbound flood budget",
         s.outbound.storage if s.outbound.storage.startswith("redis") else None)]
    for what, maybe_url in extra:
        if maybe_url is None:
            continue
        url = maybe_url
        try:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=2)
            version = str(client.info("server")["redis_version"])
            where = url.rsplit("@", 1)[-1]  # never the password
            if what == "broker" and roles.version_tuple(version) < roles.BROKER_REDIS:
                report(False, f"broker: Redis {version} at {where} lacks XAUTOCLAIM",
                       "use Redis 6.2 or newer")
            else:
                report(True, f"{what}: Redis {version} reachable")
        except Exception as exc:
            report(False, f"{what}: Redis at {url.rsplit('@', 1)[-1]}: {type(exc).__name__}",
                   "start Redis or fix the URL")
    if s.telegram.bot_token:
        from core.config import BOT_TOKEN

        report(bool(BOT_TOKEN.match(s.telegram.bot_token)), "telegram: bot token well-formed",
               "copy the token again from @BotFather into .secrets.toml")
        try:
            importlib.import_module("pyrogram")
            importlib.import_module("tgcrypto")
            report(True, "telegram: kurigram and tgcrypto installed")
        except ImportError as exc:
            report(False, f"telegram: {exc.name} missing", "make run (installs dependencies)")
    else:
        report(True, "telegram: no bot token, `python -m core` opens the console chat "
                     "(put api_id, api_hash, bot_token in .secrets.toml for Telegram)")
    return 1 if problems else 0


# ---- health ------------------------------------------------------------------------------------


class _Silent:
    """A transport that sends nothing: `health` only looks."""

    name = "none"

    async def execute(self, action: Action) -> Sent:
        return Sent()


def cmd_health(args: argparse.Namespace) -> int:
    kernel = configure(args)

    async def check() -> dict[str, Any]:
        kernel.attach(_Silent())
        await kernel.start(serve=False)  # looks only: handles no journaled update
        try:
            return await kernel.health()
        finally:
            await kernel.stop()

    report = asyncio.run(check())
    print(json.dumps(report, indent=2, default=str))
    return 0 if report["status"] == "ok" else 1


# ---- journal -----------------------------------------------------------------------------------


def cmd_journal(args: argparse.Namespace) -> int:
    """List journal entries (dead letters by default), or make one pending again: the running
    bot picks it up within `pipeline.poll_interval` seconds."""
    from core.journal import SqlJournal
    from core.models import JournalEntry

    kernel = configure()
    if kernel.settings.pipeline.broker:
        return _broker_journal(kernel, args)
    if args.id is not None and not str(args.id).isdigit():
        print(f"no finished journal entry {args.id}", file=sys.stderr)
        return 1
    db = Database.from_settings(kernel.settings, kernel.root)
    db.bind([JournalEntry])
    journal = SqlJournal(db)
    redact = kernel.redact

    async def work() -> int:
        if args.action == "replay":
            if args.id is None:
                print("usage: python -m core journal replay ID", file=sys.stderr)
                return 2
            entry = await journal.replay(int(args.id))
            if entry is None:
                print(f"no finished journal entry {args.id}", file=sys.stderr)
                return 1
            print(f"entry {entry.id} ({entry.key}) is pending again: the running bot handles "
                  "it shortly")
            return 0
        if args.action == "counts":
            print(json.dumps(await journal.counts()))
            return 0
        entries = await journal.list(args.state, args.limit)
        for e in entries:
            u = e.update
            what = f"/{u.command}" if u.command else u.kind.value
            print(f"{e.id:>8}  {e.created_at:%Y-%m-%d %H:%M:%S}  {u.key}  user {u.user.id}  "
                  f"{what}  attempts {e.attempts}  {redact(e.error or '')[:200]}")
        counts = await journal.counts()
        print(f"{len(entries)} {args.state} entr{'y' if len(entries) == 1 else 'ies'} shown; "
              f"journal: {counts['pending']} pending, {counts['dead']} dead, "
              f"{counts['done']} done")
        return 0

    try:
        return asyncio.run(work())
    finally:
        db.close()


# ---- texts -------------------------------------------------------------------------------------


def cmd_texts(args: argparse.Namespace) -> int:
    from core import texts_tool

    project = texts_tool.discover()
    if args.action == "extract":
        for line in texts_tool.extract(project):
            print(line)
        return 0
    problems = texts_tool.check(project)
    for line in problems:
        print(line)
    languages = ", ".join(project.languages)
    if problems:
        print(f"{len(problems)} problem(s) in the texts ({languages})", file=sys.stderr)
        return 1
    print(f"texts complete in {languages}: {len(project.sources)} catalogues")
    return 0


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.scaffold import new_plugin

    try:
        root = new_plugin(args.name, Path(args.dir))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"created {root}: run its tests with `python -m pytest {root / 'tests'}`, "
          f"install it with `pip install -e {root}` and enable '{args.name}' in settings.toml")
    return 0


def _operation(run: Callable[[Kernel, argparse.Namespace], int],
               args: argparse.Namespace) -> int:
    return run(configure(args), args)


def main(argv: Sequence[str] | None = None) -> int:
    logs.quiet()  # from the first line on: no locals in a traceback, URL passwords masked
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    parser.add_argument("--root", help="the folder holding settings.toml and .secrets.toml "
                                       "(default: $TGBOT_ROOT, else this checkout)")
    sub = parser.add_subparsers(dest="command")
    for name, helptext in (("run", "run the bot: Telegram with a token, else the console"),
                           ("console", "chat with the bot in this terminal")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--script", help="play a file of chat lines, then stop")
    sub.add_parser("receiver", help="receive Telegram updates onto pipeline.broker; handle none")
    p = sub.add_parser("worker", help="handle updates from pipeline.broker, send replies")
    p.add_argument("--name", required=True, help="this worker's name, unique among workers")
    p = sub.add_parser("migrate", help="apply pending migrations")
    p.add_argument("--plan", action="store_true", help="only list pending migrations")
    sub.add_parser("plugins", help="list available and enabled plugins with their commands")
    sub.add_parser("doctor", help="check settings, database, migrations, Redis")
    sub.add_parser("health", help="print the health checks as JSON")
    p = sub.add_parser("journal", help="list dead letters (or other entries), replay one, "
                                       "counts; the broker's when pipeline.broker is set")
    p.add_argument("action", choices=("list", "replay", "counts"))
    p.add_argument("id", nargs="?", help="the entry to replay")
    p.add_argument("--state", choices=("dead", "pending", "done"), default="dead")
    p.add_argument("--limit", type=int, default=50)
    p = sub.add_parser("texts", help="check the catalogues against the code, or extract keys")
    p.add_argument("action", choices=("check", "extract"))
    operations.add_parsers(sub)
    p = sub.add_parser("new-plugin", help="write a working plugin project to start from")
    p.add_argument("name", help="the plugin's name, such as weather")
    p.add_argument("--dir", default=".", help="where to create it (default: here)")
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command == "run" and not hasattr(args, "script"):
        args.script = None
    handlers: dict[str, Callable[[], int]] = {
        "run": lambda: cmd_run(args),
        "console": lambda: cmd_run(args, console=True),
        "receiver": lambda: cmd_receiver(args),
        "worker": lambda: cmd_worker(args),
        "migrate": lambda: cmd_migrate(args),
        "plugins": lambda: cmd_plugins(args),
        "doctor": lambda: cmd_doctor(args),
        "health": lambda: cmd_health(args),
        "journal": lambda: cmd_journal(args),
        "texts": lambda: cmd_texts(args),
        **{name: functools.partial(_operation, run, args)
           for name, run in operations.COMMANDS.items()},
        "new-plugin": lambda: cmd_new_plugin(args),
    }
    try:
        return handlers[command]()
    except SystemExit:
        raise
    except Exception as exc:
        return failures.report(exc, command)


if __name__ == "__main__":
    sys.exit(main())
