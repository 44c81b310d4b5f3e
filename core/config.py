"""Settings: dynaconf with settings.toml, .secrets.toml and BOT_... environment overrides.

Every validator, the kernel's and each enabled plugin's, runs at start-up; every error is
collected and reported at once, naming the key and its owner, before anything is opened.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dynaconf import Dynaconf, ValidationError, Validator

from core.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DB_SCHEMES = ("sqlite", "sqlite+pool", "postgresql", "postgresql+pool", "psycopg3", "psycopg3+pool",
              "postgres", "postgres+pool")
RATE = re.compile(r"^\s*\d+\s*(/|per)\s*\d*\s*(second|minute|hour|day)s?\s*$")


def _is_rate(value: Any) -> bool:
    return isinstance(value, str) and bool(RATE.match(value))


def _is_int_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                           for v in value)


def _memory_or_redis(value: Any) -> bool:
    return isinstance(value, str) and (value == "memory" or value.startswith(("redis://",
                                                                           "rediss://")))


def _empty_or_redis(value: Any) -> bool:
    return value == "" or (_memory_or_redis(value) and value != "memory")


def _is_language_list(value: Any) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?", v)
                    for v in value))


def _scheme_ok(url: Any) -> bool:
    return isinstance(url, str) and url.split("://", 1)[0] in DB_SCHEMES and "://" in url


# What @BotFather gives: the bot's numeric id, a colon, a 35-character secret.
BOT_TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{20,64}$")

CORE_VALIDATORS: list[Validator] = [
    Validator("bot.name", default="bot", is_type_of=str),
    Validator("bot.button_secret", default="", is_type_of=str),
    Validator("admins", default=[], condition=_is_int_list,
              messages={"condition": "{name} must be a list of Telegram user ids (integers)"}),
    Validator("plugins.enabled", default=[], is_type_of=list),
    Validator("database.url", default="sqlite:///data/bot.db", condition=_scheme_ok,
              messages={"condition": "{name} must be a sqlite:// or postgresql+pool:// URL, "
                                     "got {value}"}),
    Validator("database.pool_size", default=8, is_type_of=int, gte=1, lte=200),
    Validator("database.stale_timeout", default=300, is_type_of=int, gte=0),
    Validator("database.wait_timeout", default=10, is_type_of=int, gte=0),
    Validator("database.busy_timeout_ms", default=5000, is_type_of=int, gte=0),
    Validator("database.slow_ms", default=500, is_type_of=int, gte=0),
    Validator("database.auto_migrate", default=True, is_type_of=bool),
    Validator("database.retry.attempts", default=5, is_type_of=int, gte=1, lte=50),
    Validator("database.retry.base_delay", default=0.02, is_type_of=(int, float), gt=0),
    Validator("database.retry.max_delay", default=1.0, is_type_of=(int, float), gt=0),
    Validator("cache.backend", default="memory", is_in=["memory", "redis"],
              messages={"operations": "{name} must be 'memory' or 'redis', got {value}"}),
    Validator("cache.url", default="redis://127.0.0.1:6379/0", is_type_of=str),
    Validator("cache.namespace", default="bot", is_type_of=str),
    Validator("cache.max_entries", default=50_000, is_type_of=int, gte=1),
    Validator("cache.default_ttl", default=300, is_type_of=int, gte=1),
    Validator("ratelimit.storage", default="memory://", is_type_of=str),
    Validator("ratelimit.default", default="30/minute", condition=_is_rate,
              messages={"condition": "{name} must be a rate such as '30/minute', got {value}"}),
    Validator("ratelimit.callbacks", default="60/minute", condition=_is_rate,
              messages={"condition": "{name} must be a rate such as '60/minute', got {value}"}),
    Validator("outbound.enabled", default=True, is_type_of=bool),
    Validator("outbound.global_per_second", default=30, is_type_of=(int, float), gt=0),
    Validator("outbound.chat_per_second", default=1, is_type_of=(int, float), gt=0),
    Validator("outbound.group_per_minute", default=20, is_type_of=(int, float), gt=0),
    Validator("outbound.chat_burst", default=3, is_type_of=int, gte=1),
    Validator("pipeline.workers", default=16, is_type_of=int, gte=1, lte=1000),
    Validator("pipeline.priority_workers", default=4, is_type_of=int, gte=1, lte=100),
    Validator("pipeline.max_attempts", default=5, is_type_of=int, gte=1, lte=100),
    Validator("pipeline.retry_base_delay", default=1.0, is_type_of=(int, float), gte=0),
    Validator("pipeline.retry_max_delay", default=300.0, is_type_of=(int, float), gte=0),
    Validator("pipeline.shutdown_timeout", default=10.0, is_type_of=(int, float), gte=0),
    Validator("pipeline.lease", default=300.0, is_type_of=(int, float), gt=0),
    Validator("pipeline.poll_interval", default=5.0, is_type_of=(int, float), gte=0),
    Validator("pipeline.keep_done", default=86_400, is_type_of=int, gte=60),
    Validator("outbound.storage", default="memory", condition=_memory_or_redis,
              messages={"condition": "outbound.storage must be \"memory\" or a redis:// URL"}),
    Validator("outbound.shared_margin", default=0.05, is_type_of=(int, float), gte=0, lte=1),
    Validator("pipeline.broker", default="", condition=_empty_or_redis,
              messages={"condition": "pipeline.broker must be empty (the embedded journal) or "
                                     "a redis:// URL"}),
    Validator("pipeline.shards", default=16, is_type_of=int, gte=1, lte=1024),
    Validator("pipeline.claim_after", default=30, is_type_of=(int, float), gte=1, lte=3600),
    Validator("pipeline.max_backlog", default=10_000, is_type_of=int, gte=1),
    Validator("pipeline.worker_concurrency", default=64, is_type_of=int, gte=1, lte=10_000),
    Validator("logging.level", default="INFO",
              is_in=["TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"],
              messages={"operations": "{name} must be a loguru level such as INFO, got {value}"}),
    Validator("logging.json_file", default="", is_type_of=str),
    Validator("logging.max_bytes", default=20_000_000, is_type_of=int, gte=1024),
    Validator("logging.backups", default=5, is_type_of=int, gte=0),
    Validator("errors.alert_admins", default=True, is_type_of=bool),
    Validator("errors.alert_cooldown", default=600, is_type_of=int, gte=0),
    Validator("texts.start", default="", is_type_of=str),
    Validator("i18n.languages", default=["en", "es", "ru"], condition=_is_language_list,
              messages={"condition": "{name} must be a non-empty list of language codes "
                                     "such as \"en\", got {value}"}),
    Validator("i18n.default_language", default="en", is_type_of=str, len_min=2),
    Validator("i18n.overrides_dir", default="locales", is_type_of=str),
    Validator("telegram.api_id", default=0, is_type_of=int),
    Validator("telegram.api_hash", default="", is_type_of=str),
    Validator("telegram.bot_token", default="", is_type_of=str),
    Validator("telegram.session_dir", default="data", is_type_of=str),
    Validator("telegram.api_hash", len_eq=32, when=Validator("telegram.bot_token", len_min=1),
              messages={"operations": "{name} must be the 32-character hash from "
                                      "my.telegram.org when a bot token is set"}),
    Validator("telegram.bot_token", condition=lambda v: not v or bool(BOT_TOKEN.match(v)),
              messages={"condition": "{name} is not a bot token as @BotFather gives it (the "
                                     "bot's number, a colon, then 35 letters, digits, - or _): "
                                     "copy it again into .secrets.toml, or leave it empty for "
                                     "the console"}),
    Validator("telegram.api_id", gt=0, when=Validator("telegram.bot_token", len_min=1),
              messages={"operations": "{name} must be set (my.telegram.org) when a bot token "
                                      "is set"}),
]

SECRET_KEY = re.compile(r"(token|secrets?|password|api_hash|dsn|private|keys?)$", re.I)


def load(root: Path = ROOT, overrides: Mapping[str, Any] | None = None) -> Dynaconf:
    """Read settings without validating them (plugins add their validators first).

    Order of precedence: settings.toml < .secrets.toml < BOT_... environment < `overrides`.
    A value given later replaces the earlier one, lists included (no list appending), while a
    secret such as `telegram.bot_token` is set key by key, leaving the table's other keys be.
    """
    settings = Dynaconf(
        envvar_prefix="BOT",
        settings_files=[str(root / "settings.toml")],
        environments=True,
        env_switcher="BOT_ENV",
        load_dotenv=False,
        merge_enabled=False,
    )
    for key, value in _secrets(root / ".secrets.toml", settings.current_env):
        if f"BOT_{key.replace('.', '__').upper()}" not in os.environ:
            settings.set(key, value)
    for key, value in (overrides or {}).items():
        settings.set(key, value)
    return settings


def _secrets(path: Path, env: str) -> list[tuple[str, Any]]:
    """Dotted keys and values from .secrets.toml's [default] and current-env tables."""
    if not path.exists():
        return []
    with path.open("rb") as f:
        data = tomllib.load(f)
    found: list[tuple[str, Any]] = []

    def flatten(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, Mapping):
                flatten(value, f"{prefix}{key}.")
            else:
                found.append((f"{prefix}{key}", value))

    for section in ("default", env.lower()):
        table = data.get(section)
        if isinstance(table, Mapping):
            flatten(table, "")
    return found


def validate(settings: Dynaconf, owned: Iterable[tuple[str, Iterable[Validator]]]) -> None:
    """Run every validator; raise one ConfigError listing every failure with its owner."""
    errors: list[str] = []
    for owner, validators in owned:
        for validator in validators:
            settings.validators.register(validator)
            try:
                validator.validate(settings, only_current_env=True)
            except ValidationError as exc:
                where = "settings" if owner == "core" else f"plugin '{owner}'"
                errors.append(f"{where}: {exc.message}")
    if errors:
        raise ConfigError(errors)


def secret_values(settings: Any) -> list[str]:
    """Every configured secret, for the log redactor (longest first)."""
    found: set[str] = set()

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, Mapping):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and len(node) >= 6 and SECRET_KEY.search(key):
            found.add(node)
        elif isinstance(node, str) and "://" in node and "@" in node:
            password = re.search(r"://[^:/@]*:([^@]+)@", node)
            if password:
                found.add(password.group(1))

    walk(settings.as_dict())
    return sorted(found, key=len, reverse=True)
