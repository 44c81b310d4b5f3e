"""The plugin manager: finds plugins, checks the enable list and requirements, loads hooks.

Built-in plugins (under `plugins/`) and third-party ones are found the same way, through the
`core.plugins` entry-point group; the built-in table below only covers a checkout that was
never pip-installed. A dotted module path in `enabled` loads that module directly (tests, and
plugins still being written). The kernel's own plugin (`core.defaults`) is always loaded and
cannot be disabled; its hook implementations are `trylast`, so any plugin can override them.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy

from core import hookspecs
from core.errors import PluginError

GROUP = "core.plugins"
ESSENTIAL = ("core.defaults",)
BUILTIN: dict[str, str] = {
    "credits": "plugins.credits",
    "shop": "plugins.shop",
    "payments": "plugins.payments",
    "admin_inbox": "plugins.admin_inbox",
    "admin": "plugins.admin",
    "monitoring": "plugins.monitoring",
}


@dataclass(frozen=True, slots=True)
class PluginInfo:
    name: str
    module: str
    requires: tuple[str, ...] = ()
    description: str = ""


def available() -> dict[str, str]:
    """Plugin name -> module path, from the entry-point group and the built-in table."""
    found = {ep.name: ep.value for ep in entry_points(group=GROUP)}
    for name, module in BUILTIN.items():
        if importlib.util.find_spec(module.split(".")[0]) is not None:
            found.setdefault(name, module)
    return {name: module for name, module in found.items() if _exists(module)}


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _import(name: str, module_path: str) -> ModuleType:
    try:
        return importlib.import_module(module_path.split(":")[0])
    except ImportError as exc:
        raise PluginError(f"plugin '{name}': cannot import {module_path}: {exc}") from exc


def info(name: str, module: ModuleType) -> PluginInfo:
    doc = (module.__doc__ or "").strip().splitlines()
    return PluginInfo(name, module.__name__, tuple(getattr(module, "REQUIRES", ())),
                      doc[0] if doc else "")


def new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def load(enabled: list[str], extra: list[Any] | None = None) -> tuple[
    pluggy.PluginManager, list[PluginInfo]
]:
    """Build the plugin manager for the enabled plugins, or raise one clear PluginError."""
    pm = new_manager()
    known = available()
    modules: list[tuple[str, ModuleType]] = []
    for name in ESSENTIAL:
        modules.append((name, _import(name, name)))
    # A plugin named twice in the enable list is loaded once.
    for name in dict.fromkeys(enabled):
        if "." in name:
            modules.append((name, _import(name, name)))
        elif name in known:
            modules.append((name, _import(name, known[name])))
        else:
            choices = ", ".join(sorted(known)) or "none"
            raise PluginError(f"plugin '{name}' is enabled but not installed "
                              f"(available: {choices})")
    names = {name for name, _ in modules}
    infos = [info(name, module) for name, module in modules]
    for plugin in infos:
        missing = [r for r in plugin.requires if r not in names]
        if missing:
            raise PluginError(
                f"plugin '{plugin.name}' requires {', '.join(repr(m) for m in missing)}: "
                f"add it to [default.plugins] enabled in settings.toml"
            )
    for _, module in modules:
        specs = getattr(module, "hookspecs", None)
        if specs is not None:
            pm.add_hookspecs(specs)
    for name, module in modules:
        pm.register(module, name=name)
    for obj in extra or []:
        pm.register(obj)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin '{pm.get_name(exc.plugin)}': {exc}") from exc
    return pm, infos


def declared_settings() -> list[str]:
    """The option names every installed plugin declares, enabled or not: a table for a
    plugin that is switched off is still checked for typos."""
    names: list[str] = []
    for module_path in available().values():
        try:
            module = importlib.import_module(module_path.split(":")[0])
            declare = getattr(module, "register_settings", None)
            for validator in (declare() if declare else None) or []:
                names.extend(validator.names)
        except Exception:  # a broken third-party plugin is reported when it is enabled
            continue
    return names
