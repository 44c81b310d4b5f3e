"""The Kernel: reads settings, loads plugins, builds the services, owns start and stop.

    kernel = Kernel.configure()          # settings + plugins + validation; nothing opened yet
    kernel.attach(transport)             # where actions go
    await kernel.start()                 # database, migrations, cache, routes, workers
    await kernel.ingest(updates)         # what a transport calls: journaled on return
    await kernel.idle()                  # every journaled update finished, the outbox empty
    await kernel.stop()                  # drain within pipeline.shutdown_timeout, close

No feature logic lives here: features are plugins, and the kernel only wires what they declare.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pluggy
from dynaconf import Dynaconf
from loguru import logger

from core import cache as cache_module
from core import config, i18n, migrate, plugins
from core.clock import Clock, RealClock
from core.db import Database
from core.dispatch import Dispatcher, Routes
from core.errors import ConfigError, PluginError, UserError
from core.flood import SharedPacer
from core.journal import Journal, SqlJournal
from core.models import MODELS
from core.outage import Outage
from core.outbox import Outbox
from core.pipeline import Pipeline, PipelineSettings
from core.ratelimit import InboundLimiter, Pacer, Pacing
from core.redaction import Redactor
from core.runtime import RuntimeSettings
from core.types import Action, Command, HealthCheck, Sent, Update
from core.users import Users

if TYPE_CHECKING:
    from core.broker import RedisJournal
    from core.workers import Receiver


class Transport(Protocol):
    """What the kernel needs of a transport; see core/transports/."""

    name: str

    async def execute(self, action: Action) -> Sent: ...


class Kernel:
    def __init__(self, settings: Dynaconf, pm: pluggy.PluginManager,
                 plugin_infos: list[plugins.PluginInfo], *, root: Path = config.ROOT,
                 clock: Clock | None = None) -> None:
        self.settings = settings
        self.pm = pm
        self.plugins = plugin_infos
        self.root = root
        self.clock: Clock = clock or RealClock()
        # Set from validated settings by `configure`: `admins = 123` must be a message, not a
        # TypeError raised before validation.
        self.admins: frozenset[int] = frozenset()
        self.transport: Transport | None = None
        self.started_at = time.time()
        self.error_counts: Counter[str] = Counter()
        self._services: dict[str, Any] = {}
        self._listening: dict[str, bool] = {}
        self._warned_no_charge = False
        self.redact = Redactor(())  # replaced once settings are validated
        # The receiver role (core/roles.py): updates go onto the broker, handled elsewhere.
        self.receiver: Receiver | None = None
        self.broker: RedisJournal | None = None  # receiver and workers: the shared journal
        self.texts: i18n.Texts  # set by configure(), with the settings

    # ---- configuration (nothing opened yet) ---------------------------------------------------

    @classmethod
    def configure(
        cls,
        overrides: dict[str, Any] | None = None,
        *,
        root: Path | None = None,
        extra_plugins: Iterable[Any] = (),
        clock: Clock | None = None,
        environ: bool = True,
    ) -> Kernel:
        """Load settings and plugins and validate everything; raise ConfigError or PluginError.

        `root` holds settings.toml and .secrets.toml; `environ=False` ignores BOT_... variables
        (tests use both: their own root, and no operator's overrides).
        """
        root = root or config.default_root()
        layers = config.Layers.read(root, overrides, environ=environ)
        settings = config.load(root, overrides, environ=environ, layers=layers)
        enabled = settings.get("plugins.enabled", []) or []
        if not isinstance(enabled, list) or not all(isinstance(n, str) for n in enabled):
            raise config.ConfigError([f"plugins.enabled must be a list of plugin names, such "
                                      f"as [\"credits\", \"shop\"]; "
                                      f"{layers.source('plugins.enabled')} has "
                                      f"{config.show(enabled)}"])
        pm, infos = plugins.load(list(enabled), list(extra_plugins))
        kernel = cls(settings, pm, infos, root=root, clock=clock)
        owned = [("core", config.CORE_VALIDATORS)]
        owned += [(name, validators or []) for name, validators in
                  kernel.collect("register_settings")]
        config.validate(settings, owned, layers, plugins.declared_settings())
        kernel.admins = frozenset(settings.admins)
        kernel.redact = Redactor(config.secret_values(settings))
        kernel.texts = kernel.load_texts()
        return kernel

    def text_sources(self) -> list[i18n.Source]:
        """The kernel's catalogue, then each plugin's (`register_texts`)."""
        sources = [i18n.Source("core", i18n.CORE_LOCALES)]
        sources += [i18n.Source(owner, Path(directory))
                    for owner, directory in self.collect("register_texts")]
        return sources

    def load_texts(self) -> i18n.Texts:
        """Every catalogue and the operators' overrides; ConfigError naming file and line."""
        s = self.settings.i18n
        texts, errors = i18n.Texts.load(self.text_sources(), s.languages, s.default_language,
                                        self.root / s.overrides_dir)
        if texts.default not in texts.languages:
            errors.insert(0, f"settings: i18n.default_language '{s.default_language}' is not "
                             f"in i18n.languages ({', '.join(texts.languages)})")
        if errors:
            raise ConfigError(errors)
        return texts

    async def texts_for(self, user_id: int) -> i18n.Translator:
        """Texts in a user's language, for messages sent outside a handler's `ctx`."""
        user = await self.users.get(user_id)
        if user is None:
            return self.texts()
        return self.texts(user.locale, user.language)

    def collect(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation of a declaration hook, keeping who returned what."""
        results = []
        # Registration order, the kernel's (trylast) defaults first: later declarations win.
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            args = {name: kwargs[name] for name in impl.argnames}
            result = impl.function(**args)
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def attach(self, transport: Transport) -> None:
        self.transport = transport

    # ---- life cycle ---------------------------------------------------------------------------

    async def start(self, serve: bool = True) -> None:
        """Open everything and run the startup hooks; with `serve`, start the workers (which
        resume unfinished updates). Tools that only read (`health`) pass serve=False."""
        if self.transport is None:
            raise RuntimeError("attach a transport before starting the kernel")
        s = self.settings
        self.db = Database.from_settings(s, self.root)
        self.migration_sources = [migrate.Source("core", migrate.CORE_SCHEMA)]
        self.migration_sources += [migrate.Source(owner, Path(directory))
                                   for _, (owner, directory) in self.collect("register_migrations")]
        if s.database.auto_migrate:
            # Off the event loop's thread, like every query.
            applied = await asyncio.to_thread(migrate.apply, self.db, self.migration_sources)
            for owner, name in applied:
                logger.info("applied migration {}/{}", owner, name)
        else:
            waiting = await asyncio.to_thread(migrate.pending, self.db, self.migration_sources)
            if waiting:
                raise PluginError(f"{len(waiting)} migrations pending: run `python -m core "
                                  "migrate` or set database.auto_migrate = true")
        models = list(MODELS)
        for _, declared in self.collect("register_models"):
            models.extend(declared)
        self.db.bind(models)
        # A virtual clock (tests, benchmarks) stands still while the database works.
        busy = getattr(self.clock, "busy", None)
        if isinstance(busy, list):
            busy.append(lambda: self.db.in_flight > 0)
        pipeline_settings = PipelineSettings.from_settings(s)
        self.journal: Journal = SqlJournal(self.db, lease=s.pipeline.lease)
        # Finished entries are remembered for a while so that a redelivery is recognised.
        await self.journal.prune(s.pipeline.keep_done)
        # Redis, when used, may go away: the cache and the rate limits then fall back to the
        # process's memory (degraded, said once) and use Redis again when it answers.
        self.redis_outage = Outage("redis", "process memory")
        self.cache = cache_module.from_settings(s, self.redis_outage)
        self.limiter = InboundLimiter(s.ratelimit.storage, self.redis_outage)
        pacer = self._pacer() if s.outbound.enabled else None
        self.outbox = Outbox(self.transport.execute, self.clock, pacer, self._unreachable,
                             getattr(self.transport, "expand", None))
        self.users = Users(self.db, self.cache, self.admins)
        declared_runtime = [d for _, ds in self.collect("register_runtime_settings",
                                                                         settings=s) for d in ds]
        self.runtime = RuntimeSettings(self.db, self.cache, declared_runtime)
        self._services = {"users": self.users, "runtime": self.runtime}
        for owner, services in self.collect("register_services", kernel=self):
            for name, service in services.items():
                if name in self._services:
                    raise PluginError(f"plugin '{owner}': service '{name}' is already provided")
                self._services[name] = service
        self.routes = self._build_routes()
        self.dispatcher = Dispatcher(self, self.routes)
        self.pipeline = Pipeline(self.journal, self.dispatcher.handle, self.clock,
                                 pipeline_settings)
        self.started_at = time.time()
        await self.emit("startup", kernel=self)
        if self.listens("warm_cache"):
            warming = time.perf_counter()
            await self.emit("warm_cache", kernel=self)
            logger.info("caches warmed in {:.0f} ms", (time.perf_counter() - warming) * 1000)
        if serve:
            await self.pipeline.start()  # resumes what an earlier run left unfinished
        logger.info("kernel started: plugins {}, {} commands, database {}",
                    ", ".join(p.name for p in self.plugins), len(self.routes.commands),
                    self.db.kind)

    def _pacer(self) -> Pacing:
        local = Pacer.from_settings(self.settings, self.clock)
        if self.settings.outbound.storage.startswith("redis"):
            # Several processes send with one token: Telegram counts them together.
            return SharedPacer.from_settings(self.settings, local)
        return local

    async def stop(self) -> None:
        """Take no more updates; let those in flight and the outbox finish within
        `pipeline.shutdown_timeout` seconds (what is left stays in the journal); close."""
        timeout = float(self.settings.pipeline.shutdown_timeout)
        started = time.monotonic()
        await self.pipeline.stop(timeout)
        left = max(0.0, timeout - (time.monotonic() - started))
        try:
            await asyncio.wait_for(self.outbox.drained(), left)
        except TimeoutError:
            logger.warning("outbox: {} actions not sent at stop", self.outbox.depth())
        await self.emit("shutdown", kernel=self)
        await self.outbox.close()
        await self.cache.close()
        self.db.close()

    def _build_routes(self) -> Routes:
        routes = Routes()
        owners: dict[str, str] = {}
        # The cost charged is the cost shown: `[default.costs]` overrides go into the route.
        costs: dict[str, int] = dict(self.settings.get("costs", {}) or {})
        # Declarations are collected in registration order, so the kernel's defaults come
        # first and a plugin declaring the same command replaces them.
        for owner, commands in self.collect("register_commands"):
            for command in commands:
                previous = owners.get(command.name)
                if previous is not None and previous not in plugins.ESSENTIAL:
                    raise PluginError(f"plugin '{owner}': command /{command.name} is already "
                                      f"declared by plugin '{previous}'")
                owners[command.name] = owner
                if command.name in costs:
                    command = dataclasses.replace(command, cost=int(costs[command.name]))
                routes.commands[command.name] = command
        for owner, callbacks in self.collect("register_callbacks"):
            for route in callbacks:
                if route.prefix in routes.callbacks:
                    raise PluginError(f"plugin '{owner}': callback prefix '{route.prefix}' "
                                      "is already taken")
                routes.callbacks[route.prefix] = route
        for _, handlers in self.collect("register_message_handlers"):
            routes.messages.extend(handlers)
        routes.messages.sort(key=lambda h: -h.priority)
        return routes

    # ---- per update ---------------------------------------------------------------------------

    async def ingest(self, updates: Sequence[Update]) -> None:
        """Journal `updates` durably and return; the kernel's workers handle them afterwards.
        A key already journaled is skipped. Transports call only this to hand updates in."""
        await self.pipeline.ingest(updates)

    async def replay(self, entry_id: int) -> bool:
        """Run a dead letter (or a finished entry) again; False if there is no such entry."""
        entry = await self.journal.replay(entry_id)
        if entry is None:
            return False
        self.pipeline.enqueue(entry)
        return True

    async def idle(self) -> None:
        """Return when every journaled update is finished (done or dead-lettered) and the
        outbox is empty."""
        while True:
            await self.pipeline.idle()
            await self.outbox.drained()
            if self.pipeline.unfinished == 0 and not self.outbox.depth():
                return

    async def handle(self, update: Update) -> str:
        """Handle one update now, bypassing the journal (benchmarks and tools only: a
        transport calls `ingest`)."""
        return await self.dispatcher.handle(update)

    async def send(self, action: Action) -> Sent:
        """Any action, through the outbox."""
        return await self.outbox.submit(action)

    def service(self, name: str) -> Any:
        try:
            return self._services[name]
        except KeyError:
            raise LookupError(f"no service '{name}': is its plugin enabled?") from None

    def has_service(self, name: str) -> bool:
        return name in self._services

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admins

    def commands_for(self, admin: bool) -> list[Command]:
        return sorted((c for c in self.routes.commands.values()
                       if not c.hidden and (admin or not c.admin_only)), key=lambda c: c.name)

    def describe(self, command: Command, t: i18n.Translator) -> str:
        """A command's line for /help and the menu, in `t`'s language: the text
        `command-<name>` when a catalogue has it, else the command's own help; with the
        cost it charges (routes carry the cost actually charged, `[default.costs]` applied)."""
        key = "command-" + command.name
        description = t(key) if t.has(key) else command.description
        if command.cost:
            return t("command-label-cost", description=description, cost=command.cost)
        return description

    # ---- hooks --------------------------------------------------------------------------------

    def listens(self, hook: str) -> bool:
        known = self._listening.get(hook)
        if known is None:
            known = self._listening[hook] = bool(getattr(self.pm.hook, hook).get_hookimpls())
        return known

    async def emit(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a hook and await what its implementations return. A failing listener is logged
        and does not stop the others (the event has already happened). `kernel` is supplied.
        A UserError is a plugin's answer to bad input (`tier:platinum` when no such tier
        exists): it reaches the user."""
        kwargs.setdefault("kernel", self)
        results = []
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            try:
                result = impl.function(**{name: kwargs[name] for name in impl.argnames})
                if inspect.isawaitable(result):
                    result = await result
            except UserError:
                raise
            except Exception:
                logger.exception("plugin '{}' failed in hook {}", impl.plugin_name, hook)
                continue
            if result is not None:
                results.append(result)
        return results

    async def charge(self, user_id: int, command: str, cost: int, key: str) -> Any:
        """Charge a command's cost through whichever plugin implements `charge_command`."""
        for impl in reversed(self.pm.hook.charge_command.get_hookimpls()):
            args = {"kernel": self, "user_id": user_id, "command": command, "cost": cost,
                    "key": key}
            result = impl.function(**{n: args[n] for n in impl.argnames})
            if inspect.isawaitable(result):
                result = await result
            if result is not None:
                return result
        if not self._warned_no_charge:
            self._warned_no_charge = True
            logger.warning("/{} costs {} credits but no plugin charges costs (enable 'credits')",
                           command, cost)
        return None

    async def _unreachable(self, user_id: int) -> None:
        if user_id > 0:
            await self.users.mark_unreachable(user_id)
            await self.emit("user_unreachable", kernel=self, user_id=user_id)

    # ---- health -------------------------------------------------------------------------------

    def health_checks(self) -> list[HealthCheck]:
        return [c for _, checks in self.collect("health_checks", kernel=self) for c in checks]

    async def health(self) -> dict[str, Any]:
        report: dict[str, Any] = {"status": "ok", "uptime_s": round(time.time() - self.started_at),
                                  "checks": {}}
        for check in self.health_checks():
            try:
                report["checks"][check.name] = {"ok": True, **await check.check()}
            except Exception as exc:
                report["status"] = "failing"
                report["checks"][check.name] = {"ok": False, "error": str(exc)[:300]}
        return report

