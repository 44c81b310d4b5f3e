"""Texts in the user's language: Fluent catalogues, one per owner (the kernel, each plugin),
operators' override files, and a `Translator` per language that handlers reach as `ctx.t`.

    ctx.t("credits-balance", balance=12)          # "Balance: 12 credits" / "Баланс: 12 кредитов"
    raise UserError(Text("shop-sold-out", title=product.title))   # translated when shown

Catalogues are `<lang>.ftl` files in an owner's `locales/` folder (the kernel's is
`core/locales/`, a plugin's is declared with the `register_texts` hook). Keys are global, so
each owner prefixes its own (`credits-...`). A key missing in one language falls back to the
default language. Operators override any text in `<bot root>/locales/<lang>/*.ftl`; overrides
are checked at start (syntax, unknown keys, unknown placeholders) and stop it with file:line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast, visitor
from loguru import logger

from core import formats

CORE_LOCALES = Path(__file__).resolve().parent / "locales"
MEMO_SIZE = 4096  # formatted texts remembered per language


class Text:
    """A text to translate later, once the reader's language is known (`UserError(Text(...))`,
    a message built by a service that has no `ctx`)."""

    __slots__ = ("args", "key")

    def __init__(self, key: str, /, **args: Any) -> None:
        self.key = key
        self.args = args

    def __repr__(self) -> str:
        return f"Text({self.key!r}, **{self.args!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.key, self.args) == (other.key, other.args)

    def __hash__(self) -> int:
        return hash(self.key)


@dataclass(frozen=True, slots=True)
class Source:
    """Where one owner keeps its catalogues: `<directory>/<lang>.ftl`."""

    owner: str
    directory: Path


@dataclass(slots=True)
class Entry:
    """One message of one catalogue file, with what checks need."""

    key: str
    file: Path
    line: int
    variables: frozenset[str]
    source: str  # the entry as written, for `texts extract` and error messages


@dataclass(slots=True)
class Catalogue:
    """Every entry of one language, in load order (later files replace earlier keys)."""

    language: str
    entries: dict[str, Entry] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # key -> owner


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.found.add(node.id.name)
        self.generic_visit(node)


def variables_of(node: ast.BaseNode) -> frozenset[str]:
    seen = _Variables()
    seen.visit(node)
    return frozenset(seen.found)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def parse_file(path: Path) -> tuple[list[tuple[ast.Message | ast.Term, int]], list[str]]:
    """Messages and terms of one .ftl file with their line numbers, and its syntax errors
    as 'file:line: message'."""
    text = path.read_text(encoding="utf-8")
    resource = FluentParser(with_spans=True).parse(text)
    found: list[tuple[ast.Message | ast.Term, int]] = []
    errors: list[str] = []
    for item in resource.body:
        if isinstance(item, ast.Junk):
            # The line where the broken entry starts: the parser's own position is often
            # the end of the file, past the mistake.
            line = _line_of(text, item.span.start)
            for note in item.annotations:
                errors.append(f"{path}:{line}: syntax error: {note.message}")
        elif isinstance(item, (ast.Message, ast.Term)):
            found.append((item, _line_of(text, item.span.start)))
    return found, errors


def normalize(code: str | None) -> str:
    """'pt_BR' -> 'pt-br'; '' for nothing."""
    return (code or "").strip().replace("_", "-").lower()[:16]


class Translator:
    """Texts of one language. `t(key, **args)`, plus the locale's number, money and date
    formats. Values that are `Money`, `date` or `datetime` are formatted for the locale."""

    __slots__ = ("_bundle", "_done", "_fallback", "_warned", "language", "locale")

    def __init__(self, language: str, bundle: FluentBundle,
                 fallback: FluentBundle | None) -> None:
        self.language = language
        self.locale = formats.locale(language)
        self._bundle = bundle
        self._fallback = fallback
        self._warned: set[str] = set()
        self._done: dict[Any, str] = {}

    def __call__(self, key: str, /, **args: Any) -> str:
        # A text is a pure function of its key and arguments, and fluent.runtime spends most
        # of its time on plural rules and Babel's number formats: remember recent results.
        try:
            memo: Any = (key, *args.items())
            return self._done[memo]
        except TypeError:  # an unhashable argument: format every time
            return self._format(key, args)
        except KeyError:
            pass
        text = self._format(key, args)
        if len(self._done) >= MEMO_SIZE:
            self._done.clear()
        self._done[memo] = text
        return text

    def _format(self, key: str, args: dict[str, Any]) -> str:
        bundle = self._bundle
        if not bundle.has_message(key):
            bundle = self._fallback if self._fallback is not None else bundle
            if not bundle.has_message(key):
                self._warn(key, "no such text")
                return key
        if args:
            args = {name: self._value(v) for name, v in args.items()}
        text, errors = bundle.format_pattern(bundle.get_message(key).value, args)
        if errors:
            self._warn(key, "; ".join(str(e) for e in errors))
        return text

    def text(self, value: str | Text) -> str:
        """A plain string as it is, a `Text` translated."""
        return self(value.key, **value.args) if isinstance(value, Text) else value

    def has(self, key: str) -> bool:
        return self._bundle.has_message(key) or (
            self._fallback is not None and self._fallback.has_message(key))

    def _value(self, value: Any) -> Any:
        if isinstance(value, Text):
            return self(value.key, **value.args)
        if isinstance(value, formats.Money):
            return formats.money(value, self.locale)
        if isinstance(value, datetime):
            return formats.when(value, self.locale)
        if isinstance(value, date):
            return formats.day(value, self.locale)
        if isinstance(value, bool):
            return str(value)
        return value

    def number(self, value: int | float) -> str:
        return formats.number(value, self.locale)

    def money(self, amount: int, currency: str) -> str:
        return formats.money(formats.Money(amount, currency), self.locale)

    def when(self, value: datetime) -> str:
        return formats.when(value, self.locale)

    def _warn(self, key: str, problem: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            logger.warning("text {} ({}): {}", key, self.language, problem)


class Texts:
    """Every catalogue and override, loaded and checked once at configuration."""

    def __init__(self, languages: Iterable[str], default: str) -> None:
        self.languages = tuple(dict.fromkeys(normalize(lang) for lang in languages))
        self.default = normalize(default)
        self.catalogues: dict[str, Catalogue] = {lang: Catalogue(lang) for lang in self.languages}
        self.overrides: dict[str, Catalogue] = {lang: Catalogue(lang) for lang in self.languages}
        self.sources: list[Source] = []
        self._translators: dict[str, Translator] = {}
        self._by_codes: dict[tuple[str | None, ...], Translator] = {}
        self._resources: dict[str, list[str]] = {lang: [] for lang in self.languages}

    # ---- loading ------------------------------------------------------------------------------

    @classmethod
    def load(cls, sources: Iterable[Source], languages: Iterable[str], default: str,
             overrides: Path | None = None) -> tuple[Texts, list[str]]:
        """Read every catalogue, then the operators' overrides; return the texts and every
        problem found (one line each, naming file and line)."""
        texts = cls(languages, default)
        errors: list[str] = []
        for source in sources:
            texts.sources.append(source)
            for lang in texts.languages:
                path = source.directory / f"{lang}.ftl"
                if path.exists():
                    errors += texts._read(path, source.owner, texts.catalogues[lang])
        if overrides is not None:
            errors += texts._read_overrides(overrides)
        return texts, errors

    def _read(self, path: Path, owner: str, catalogue: Catalogue) -> list[str]:
        found, errors = parse_file(path)
        text = path.read_text(encoding="utf-8")
        for node, line in found:
            key = node.id.name if isinstance(node, ast.Message) else "-" + node.id.name
            source = text[node.span.start:node.span.end]
            catalogue.entries[key] = Entry(key, path, line, variables_of(node), source)
            catalogue.owners[key] = owner
        self._resources[catalogue.language].append(text)
        return errors

    def _read_overrides(self, root: Path) -> list[str]:
        if not root.is_dir():
            return []
        errors: list[str] = []
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            lang = normalize(folder.name)
            files = sorted(folder.glob("*.ftl"))
            if lang not in self.overrides:
                if files:
                    errors.append(f"{files[0]}:1: language '{folder.name}' is not in "
                                  f"i18n.languages ({', '.join(self.languages)})")
                continue
            for path in files:
                found, syntax = parse_file(path)
                errors += syntax
                if syntax:
                    continue
                errors += self._check_override(path, found, lang)
                if not any(e.startswith(f"{path}:") for e in errors):
                    self._read(path, "overrides", self.overrides[lang])
        return errors

    def _check_override(self, path: Path, found: list[tuple[ast.Message | ast.Term, int]],
                        lang: str) -> list[str]:
        errors = []
        for node, line in found:
            key = node.id.name if isinstance(node, ast.Message) else "-" + node.id.name
            original = (self.catalogues[lang].entries.get(key)
                        or self.catalogues[self.default].entries.get(key))
            if original is None:
                errors.append(f"{path}:{line}: unknown text '{key}'")
                continue
            extra = sorted(variables_of(node) - original.variables)
            if extra:
                known = ", ".join("$" + v for v in sorted(original.variables)) or "none"
                errors.append(f"{path}:{line}: text '{key}' has no placeholder "
                              f"{', '.join('$' + v for v in extra)} (it has: {known})")
        return errors

    # ---- use ----------------------------------------------------------------------------------

    def pick(self, *codes: str | None) -> str:
        """The first supported language among `codes` ('es-AR' counts as 'es'), else the
        default language."""
        for code in codes:
            code = normalize(code)
            if not code:
                continue
            if code in self._translators or code in self.catalogues:
                return code
            primary = code.split("-", 1)[0]
            if primary in self.catalogues:
                return primary
        return self.default

    def __call__(self, *codes: str | None) -> Translator:
        """The translator for the first supported language among `codes`."""
        known = self._by_codes.get(codes)
        if known is not None:
            return known
        translator = self._translator(self.pick(*codes))
        if len(self._by_codes) < 4096:  # language codes are few; a flood of odd ones is not
            self._by_codes[codes] = translator
        return translator

    def _translator(self, language: str) -> Translator:
        translator = self._translators.get(language)
        if translator is None:
            translator = self._translators[language] = self._build(language)
        return translator

    def _build(self, language: str) -> Translator:
        fallback = self._translator(self.default)._bundle if language != self.default else None
        bundle = FluentBundle([formats.locale_name(language)], use_isolating=False)
        for text in self._resources[language]:
            bundle.add_resource(FluentResource(text), allow_overrides=True)
        return Translator(language, bundle, fallback)

    def keys(self, language: str) -> dict[str, Entry]:
        """Every key of a language, overrides applied."""
        return {**self.catalogues[language].entries, **self.overrides[language].entries}

    def name(self, language: str) -> str:
        """A language's own name for itself ('Español')."""
        return formats.language_name(language)

