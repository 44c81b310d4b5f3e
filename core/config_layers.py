"""Where each setting came from, and the keys nobody declared.

The layers are the files and variables dynaconf merges: settings.toml, .secrets.toml, BOT_...
environment variables and the caller's overrides. They are read here with `tomllib` first, so a
syntax error is reported with its file, line and column (never as a traceback that might quote
a secret), and every key is checked against the declared ones ("did you mean ...?").
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

ENVIRONMENTS = ("default", "development", "production", "testing", "global")
PREFIX = "BOT_"
NOT_SETTINGS = ("BOT_ENV",)  # the environment switcher, not a key
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse(path: Path) -> dict[str, Any]:
    """A TOML file's tables; a syntax error becomes one ConfigError line with its position."""
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        # The message names the problem and the position only, never the text around it.
        reason = _POSITION.sub("", str(exc)).strip()
        found = _POSITION.search(str(exc))
        where = f"line {found.group(1)}, column {found.group(2)}" if found else "somewhere"
        raise ConfigError([f"{path.name}: syntax error at {where}: {reason}"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path.name}: cannot be read ({type(exc).__name__})"]) from None


def environment_keys(environ: Mapping[str, str]) -> dict[str, str]:
    """Dotted key -> the BOT_... variable that sets it."""
    found: dict[str, str] = {}
    for var in environ:
        if not var.upper().startswith(PREFIX) or var.upper() in NOT_SETTINGS:
            continue
        if var.upper().endswith("_FOR_DYNACONF"):
            continue
        found[var[len(PREFIX):].lower().replace("__", ".")] = var
    return found


@dataclass
class Layers:
    env: str
    files: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    overrides: frozenset[str] = frozenset()

    @classmethod
    def read(cls, root: Path, overrides: Mapping[str, Any] | None = None, *,
             environ: bool = True) -> Layers:
        env = (os.environ.get("BOT_ENV", "development") if environ else "development").lower()
        files = [(name, parse(root / name)) for name in ("settings.toml", ".secrets.toml")]
        variables = environment_keys(os.environ) if environ else {}
        return cls(env, files, variables, frozenset(k.lower() for k in overrides or {}))

    def table(self, name: str) -> dict[str, Any]:
        """`.secrets.toml`'s [default] and current-env tables, merged."""
        data = dict(self.files)[name]
        merged: dict[str, Any] = {}
        for section in ("default", self.env):
            if isinstance(data.get(section), Mapping):
                merged.update(data[section])
        return merged

    def source(self, name: str) -> str:
        """Who set `name`, for a message: 'settings.toml', 'environment variable BOT_X', ..."""
        name = name.lower()
        if name in self.overrides:
            return "the overrides"
        if name in self.variables:
            return f"environment variable {self.variables[name]}"
        for label, data in reversed(self.files):
            for section in (self.env, "default"):
                if _has(data.get(section), name.split(".")):
                    return label
        return "the default"

    def unknown(self, known: Iterable[str]) -> list[str]:
        """One line for each key or section no validator declares, with a suggestion."""
        names = {n.lower() for n in known}
        tables = {n.rsplit(".", i)[0] for n in names for i in range(1, n.count(".") + 1)}
        errors: list[str] = []
        envs = sorted({*ENVIRONMENTS, self.env})
        for label, data in self.files:
            for section, table in data.items():
                if section.lower() not in envs:
                    errors.append(_unknown_environment(label, section, envs, names | tables))
                elif not isinstance(table, Mapping):
                    errors.append(f"{label}: {section} must be a section ([{section}])")
                else:
                    errors += _walk(label, section, table, "", names, tables)
        for key, var in sorted(self.variables.items()):
            if key in names or _inside(key, names):
                continue
            guess = _guess(key, names, tables)
            hint = f"; did you mean {PREFIX}{guess.upper().replace('.', '__')}?" if guess else ""
            errors.append(f"environment variable {var}: no setting {key}{hint}")
        return errors


def _has(node: Any, parts: list[str]) -> bool:
    for part in parts:
        if not isinstance(node, Mapping):
            return False
        lowered = {str(k).lower(): v for k, v in node.items()}
        if part not in lowered:
            return False
        node = lowered[part]
    return True


def _inside(path: str, names: set[str]) -> bool:
    """Under an option whose value is itself a table (costs, tier_priority, ...)."""
    return any(path.startswith(n + ".") for n in names)


def _walk(label: str, section: str, table: Mapping[str, Any], path: str, names: set[str],
          tables: set[str]) -> list[str]:
    errors: list[str] = []
    for key, value in table.items():
        dotted = f"{path}{key}".lower()
        if dotted in names or _inside(dotted, names):
            continue
        if dotted in tables and isinstance(value, Mapping):
            errors += _walk(label, section, value, dotted + ".", names, tables)
            continue
        if dotted in tables:
            errors.append(f"{label}: {dotted} is a section ([{section}.{dotted}]), not a value")
            continue
        guess = _guess(dotted, names, tables)
        if isinstance(value, Mapping):
            hint = f"; did you mean [{section}.{guess}]?" if guess else ""
            errors.append(f"{label}: unknown section [{section}.{dotted}]{hint}")
        else:
            where = f" in [{section}.{path[:-1]}]" if path else f" in [{section}]"
            hint = f"; did you mean {guess}?" if guess else ""
            errors.append(f"{label}: unknown key {dotted}{where}{hint}")
    return errors


def _guess(dotted: str, names: set[str], tables: set[str]) -> str | None:
    parent, _, last = dotted.rpartition(".")
    siblings = {n for n in names | tables if n.rpartition(".")[0] == parent}
    close = difflib.get_close_matches(dotted, sorted(siblings), n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(dotted, sorted(names | tables), n=1, cutoff=0.75)
    if not close and last:
        # The right key under the wrong table: `[default.shop] cache_url` -> cache.url.
        by_last = sorted(n for n in names if n.rpartition(".")[2] == last)
        close = by_last[:1]
    return close[0] if close else None


def _unknown_environment(label: str, section: str, envs: list[str], keys: set[str]) -> str:
    if section.lower() in keys:
        return (f"{label}: [{section}] must sit inside an environment, such as "
                f"[default.{section}]")
    close = difflib.get_close_matches(section.lower(), envs, n=1, cutoff=0.6)
    hint = f"; did you mean [{close[0]}]?" if close else " (use [default], [development] or " \
                                                       "[production])"
    return f"{label}: unknown environment [{section}]{hint}"
