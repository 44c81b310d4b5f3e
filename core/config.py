"""Settings: dynaconf with settings.toml, .secrets.toml and BOT_... environment overrides.

Every validator, the kernel's and each enabled plugin's, runs at start-up; every error is
collected and reported at once, before anything is opened. A message is in plain words and
names the key and where its value came from (`shop.page_size must be a whole number;
settings.toml has "x"`); a key no validator declares is an error with a suggestion (see
core/config_layers.py); a secret's value is never shown, and a URL's password is masked.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dynaconf import Dynaconf, ValidationError, Validator
from dynaconf.validator import validator_conditions

from core.config_layers import Layers
from core.errors import ConfigError
from core.redaction import mask_urls, url_password

ROOT = Path(__file__).resolve().parent.parent
ROOT_VARIABLE = "TGBOT_ROOT"  # not BOT_...: that prefix is for settings


def default_root() -> Path:
    """Where settings.toml and .secrets.toml are: $TGBOT_ROOT, else this checkout. The test
    session points it at an empty folder of its own (see core/testing.py)."""
    value = os.environ.get(ROOT_VARIABLE, "")
    return Path(value).resolve() if value else ROOT


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


def _costs_ok(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1_000_000
        for v in value.values())


# What @BotFather gives: the bot's numeric id, a colon, a 35-character secret.
BOT_TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{20,64}$")

CORE_VALIDATORS: list[Validator] = [
    Validator("bot.name", default="bot", is_type_of=str),
    Validator("bot.button_secret", default="", is_type_of=str),
    Validator("admins", default=[], condition=_is_int_list,
              messages={"condition": "{name} must be a list of Telegram user ids (integers), "
                                     "such as [123456789]"}),
    Validator("plugins.enabled", default=[], is_type_of=list),
    Validator("database.url", default="sqlite:///data/bot.db", condition=_scheme_ok,
              messages={"condition": "{name} must be a sqlite:// or postgresql+pool:// URL"}),
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
              messages={"operations": "{name} must be \"memory\" or \"redis\""}),
    Validator("cache.url", default="redis://127.0.0.1:6379/0", is_type_of=str),
    Validator("cache.namespace", default="bot", is_type_of=str),
    Validator("cache.max_entries", default=50_000, is_type_of=int, gte=1),
    Validator("cache.default_ttl", default=300, is_type_of=int, gte=1),
    Validator("ratelimit.storage", default="memory://", is_type_of=str),
    Validator("ratelimit.default", default="30/minute", condition=_is_rate,
              messages={"condition": "{name} must be a rate such as \"30/minute\""}),
    Validator("ratelimit.callbacks", default="60/minute", condition=_is_rate,
              messages={"condition": "{name} must be a rate such as \"60/minute\""}),
    Validator("outbound.enabled", default=True, is_type_of=bool),
    Validator("outbound.global_per_second", default=30, is_type_of=(int, float), gt=0),
    Validator("outbound.chat_per_second", default=1, is_type_of=(int, float), gt=0),
    Validator("outbound.group_per_minute", default=20, is_type_of=(int, float), gt=0),
    Validator("outbound.chat_burst", default=3, is_type_of=int, gte=1),
    Validator("costs", default={}, condition=_costs_ok,
              messages={"condition": "{name} must be a table of command = credits, such as "
                                     "{{ ask = 2 }}"}),
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
              messages={"operations": "{name} must be a level such as \"INFO\" or \"DEBUG\""}),
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


def load(root: Path | None = None, overrides: Mapping[str, Any] | None = None, *,
         environ: bool = True, layers: Layers | None = None) -> Dynaconf:
    """Read settings without validating them (plugins add their validators first).

    Order of precedence: settings.toml < .secrets.toml < BOT_... environment < `overrides`.
    A value given later replaces the earlier one, lists included (no list appending), while a
    secret such as `telegram.bot_token` is set key by key, leaving the table's other keys be.
    `environ=False` ignores BOT_... variables (the tests' own configuration). Both files are
    parsed first, so a syntax error is one ConfigError line with its position.
    """
    root = root or default_root()
    layers = layers or Layers.read(root, overrides, environ=environ)
    settings = Dynaconf(
        envvar_prefix="BOT",
        settings_files=[str(root / "settings.toml")],
        environments=True,
        env_switcher="BOT_ENV",
        load_dotenv=False,
        merge_enabled=False,
        **({} if environ else {"loaders": False}),
    )
    for key, value in _flatten(layers.table(".secrets.toml")):
        if key.lower() not in layers.variables:
            settings.set(key, value)
    for key, value in (overrides or {}).items():
        settings.set(key, value)
    return settings


def _flatten(node: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Dotted keys and leaf values of a table."""
    found: list[tuple[str, Any]] = []
    for key, value in node.items():
        if isinstance(value, Mapping):
            found += _flatten(value, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", value))
    return found


def validate(settings: Dynaconf, owned: Iterable[tuple[str, Iterable[Validator]]],
             layers: Layers | None = None, known: Iterable[str] = ()) -> None:
    """Run every validator; raise one ConfigError listing every failure with its owner.

    With `layers`, keys that no validator in `owned` nor in `known` (the options of plugins
    that are installed but not enabled) declares are errors too.
    """
    errors: list[str] = []
    names = set(known)
    for owner, validators in owned:
        for validator in validators:
            names.update(validator.names)
            settings.validators.register(validator)
            try:
                validator.validate(settings, only_current_env=True)
            except ValidationError as exc:
                message = plain(validator, settings, layers, exc)
                errors.append(message if owner == "core" else f"plugin '{owner}': {message}")
    if layers is not None:
        errors = layers.unknown(names) + errors
    if errors:
        raise ConfigError(errors)


# ---- messages in plain words -------------------------------------------------------------------

_TYPES = {int: "a whole number", float: "a number", bool: "true or false",
          str: "text in quotes", list: "a list, such as [1, 2]", dict: "a table"}
_WORDS = {"gte": "at least {}", "gt": "greater than {}", "lte": "at most {}",
          "lt": "less than {}", "eq": "{}", "ne": "anything but {}", "len_eq": "{} characters long",
          "len_min": "at least {} characters long", "len_max": "at most {} characters long"}


def _type_words(types: Any) -> str:
    types = types if isinstance(types, tuple) else (types,)
    if set(types) == {int, float}:
        return "a number"
    return " or ".join(_TYPES.get(t, getattr(t, "__name__", str(t))) for t in types)


def _op_words(op: str, op_value: Any) -> str:
    if op == "is_type_of":
        return _type_words(op_value)
    if op == "is_in":
        return "one of " + ", ".join(show(v) for v in op_value)
    if op == "is_not_in":
        return "none of " + ", ".join(show(v) for v in op_value)
    return _WORDS.get(op, op.replace("_", " ") + " {}").format(show(op_value))


def show(value: Any, name: str = "") -> str:
    """A value as the operator would write it in TOML; secrets hidden, URL passwords masked."""
    if name and SECRET_KEY.search(name.rsplit(".", 1)[-1]) and value not in ("", None, 0):
        return "(hidden)"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = mask_urls(text)
    return text if len(text) <= 80 else text[:79] + "…"


def _with_source(text: str, template: str, where: str, shown: str) -> str:
    """A plugin's own message, with where the value came from (and the value, unless the
    message already shows it)."""
    return f"{text} ({where})" if "{value}" in template else f"{text}; {where} has {shown}"


def plain(validator: Validator, settings: Dynaconf, layers: Layers | None,
          exc: ValidationError) -> str:
    """What a failed validator means, in words, with who set the value."""
    for name in validator.names:
        value = settings.get(name)
        where = layers.source(name) if layers else "the settings"
        shown = show(value, name)
        if str(exc.message).startswith("Mismatched type"):
            return f"{name} sits under a key that is not a table; {where} has it"
        ops = sorted(validator.operations.items(), key=lambda item: item[0] != "is_type_of")
        for op, op_value in ops:
            try:
                ok = getattr(validator_conditions, op)(value, op_value)
            except TypeError:
                ok = False
            if ok:
                continue
            custom = validator.messages["operations"]
            if custom != Validator.default_messages["operations"]:
                text = custom.format(name=name, operation=op, op_value=op_value, value=shown,
                                     env=settings.current_env)
                return _with_source(text, custom, where, shown)
            return f"{name} must be {_op_words(op, op_value)}; {where} has {shown}"
        if validator.condition is not None and not validator.condition(value):
            custom = validator.messages["condition"]
            if custom == Validator.default_messages["condition"]:
                custom = "{name} is not valid"
            text = custom.format(name=name, function="", value=shown, env=settings.current_env)
            return _with_source(text, custom, where, shown)
    return mask_urls(str(exc.message))


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
            password = url_password(node)
            if password:
                found.add(password)

    walk(settings.as_dict())
    return sorted(found, key=len, reverse=True)
