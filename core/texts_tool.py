"""`python -m core texts check|extract`: keep every catalogue in step with the code.

check    for each language, the keys missing (in code or in the default language but not in
         this one), unused (in a catalogue, never named in code) and whose placeholders differ
         from the default language's; exit status 1 when there is any.
extract  add to each owner's default-language catalogue the keys its code names but the
         catalogue lacks (a draft text listing the placeholders the code passes), and report
         what the other languages still need.

Every available plugin is inspected, enabled or not, so a disabled plugin's catalogue is kept
too. A key counts as used when the code holds it as a string (`ctx.t("shop-card")`,
`Text("shop-sold-out")`), when an f-string starts with a prefix of it (`f"shop-status-{s}"`),
or, for `command-<name>`, when a command of that name is declared.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core import config, plugins
from core.i18n import CORE_LOCALES, Source, Texts

CALLS = frozenset({"t", "Text"})


@dataclass(slots=True)
class Usage:
    """What the code of one owner says about texts."""

    strings: set[str] = field(default_factory=set)  # every string constant
    prefixes: set[str] = field(default_factory=set)  # leading parts of f-strings
    calls: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    # key -> ("file:line", argument names) for t("key", ...) and Text("key", ...)


def scan(folder: Path) -> Usage:
    usage = Usage()
    for path in sorted(folder.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                usage.strings.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    usage.prefixes.add(first.value)
            elif isinstance(node, ast.Call) and _is_text_call(node):
                key = node.args[0].value  # type: ignore[attr-defined]
                names = frozenset(k.arg for k in node.keywords if k.arg)
                usage.calls.setdefault(key, (f"{path}:{node.lineno}", names))
    return usage


def _is_text_call(node: ast.Call) -> bool:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    return (name in CALLS and bool(node.args) and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str))


@dataclass(slots=True)
class Project:
    """Every owner's catalogue folder and code, and every declared command."""

    sources: list[Source]
    commands: set[str]
    languages: list[str]
    default: str
    overrides: Path | None = None

    def code_of(self, source: Source) -> Path:
        return source.directory.parent


def discover(root: Path = config.ROOT) -> Project:
    """The kernel and every available plugin, with the languages from the settings."""
    pm, _ = plugins.load(sorted(plugins.available()))
    sources = [Source("core", CORE_LOCALES)]
    for impl in pm.hook.register_texts.get_hookimpls():
        folder = impl.function()
        if folder:
            sources.append(Source(impl.plugin_name, Path(folder)))
    commands = {c.name for declared in pm.hook.register_commands() for c in declared or []}
    settings = config.load(root)
    languages = list(settings.get("i18n.languages", None) or ["en", "es", "ru"])
    default = str(settings.get("i18n.default_language", None) or "en")
    overrides = root / str(settings.get("i18n.overrides_dir", None) or "locales")
    return Project(sources, commands, languages, default, overrides)


def check(project: Project) -> list[str]:
    """Every problem, one line each; empty when the catalogues are complete."""
    texts, problems = Texts.load(project.sources, project.languages, project.default,
                                 project.overrides)
    usages = {s.owner: scan(project.code_of(s)) for s in project.sources}
    strings = set().union(*(u.strings for u in usages.values()))
    prefixes = set().union(*(u.prefixes for u in usages.values()))
    prefixes |= {s for s in strings if len(s) > 3 and s.endswith("-") and " " not in s}
    default = texts.catalogues[texts.default].entries

    def used(key: str) -> bool:
        if key.startswith("-") or key in strings:
            return True  # terms (-brand) are used by other texts
        if key.startswith("command-"):
            return key.removeprefix("command-") in project.commands
        return any(p and key.startswith(p) for p in prefixes)

    for key, entry in default.items():
        if not used(key):
            problems.append(f"{texts.default}: unused {key} ({entry.file}:{entry.line})")
    for owner, usage in usages.items():
        for key, (where, _) in sorted(usage.calls.items()):
            if key not in default:
                problems.append(f"{texts.default}: missing {key} (used at {where}, owner "
                                f"{owner})")
    for lang in texts.languages:
        if lang == texts.default:
            continue
        entries = texts.catalogues[lang].entries
        for key, entry in default.items():
            other = entries.get(key)
            if other is None:
                problems.append(f"{lang}: missing {key} ({entry.file}:{entry.line})")
            elif other.variables != entry.variables:
                problems.append(
                    f"{lang}: placeholders of {key} differ ({other.file}:{other.line}): "
                    f"{_vars(other.variables)} where {texts.default} has "
                    f"{_vars(entry.variables)}")
        for key, entry in entries.items():
            if key not in default:
                problems.append(f"{lang}: unused {key} ({entry.file}:{entry.line}), not in "
                                f"{texts.default}")
    return problems


def _vars(names: Iterable[str]) -> str:
    return ", ".join("$" + n for n in sorted(names)) or "none"


def extract(project: Project) -> list[str]:
    """Add draft texts for keys the code names but its owner's catalogue lacks; return what
    was added and what other languages still miss."""
    texts, _ = Texts.load(project.sources, project.languages, project.default)
    known = texts.catalogues[texts.default].entries
    report: list[str] = []
    for source in project.sources:
        usage = scan(project.code_of(source))
        new = {k: v for k, v in sorted(usage.calls.items()) if k not in known}
        if not new:
            continue
        path = source.directory / f"{texts.default}.ftl"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = []
        for key, (where, names) in new.items():
            draft = " ".join("{ $" + n + " }" for n in sorted(names)) or key
            lines.append(f"# TODO: write this text (used at {where})\n{key} = {draft}\n")
            known[key] = None  # type: ignore[assignment]  # once, even if two owners use it
            report.append(f"{texts.default}: added {key} to {path}")
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        separator = "" if not existing or existing.endswith("\n\n") else (
            "\n" if existing.endswith("\n") else "\n\n")
        path.write_text(existing + separator + "\n".join(lines), encoding="utf-8")
    report += [line for line in check(project) if ": missing " in line
               and not line.startswith(f"{texts.default}:")]
    return report
