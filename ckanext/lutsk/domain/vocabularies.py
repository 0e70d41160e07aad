"""Controlled vocabularies kept as data files: frequencies, languages, formats, licences.

Plain Python (no CKAN imports). The values follow data.gov.ua's machine values so
that its CKAN-to-CKAN harvester can copy our fields as they are; each term also
carries its EU Publications Office authority URI for DCAT.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode

from ckanext.lutsk.domain.registry import LocalizedText

__all__ = [
    "DATA_DIR",
    "LICENSES_PATH",
    "VOCABULARY_NAMES",
    "Term",
    "Vocabulary",
    "VocabularyError",
    "licenses_group_url",
    "load_licenses",
    "load_vocabulary",
    "load_vocabulary_file",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
LICENSES_PATH = DATA_DIR / "licenses.json"
VOCABULARY_NAMES = ("frequencies", "languages", "formats")

_COMMON_KEYS = ("value", "label", "uri", "aliases")
_URI_RE = re.compile(r"https?://\S+")
_MEDIA_TYPE_RE = re.compile(r"[a-z]+/[A-Za-z0-9.+_-]+")
# relativedelta's relative (plural) arguments that make sense for update cycles.
_PERIOD_UNITS = ("years", "months", "weeks", "days", "hours")


class VocabularyError(ValueError):
    """A vocabulary file is invalid; ``problems`` holds ``(line, entry, message)``."""

    def __init__(self, source: str, problems: list[tuple[int, str | None, str]]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: p[0]))
        text = "\n".join(
            f"  {source}:{line}: " + (f"[{entry}] " if entry else "") + message
            for line, entry, message in self.problems
        )
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {source}:\n{text}")


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary."""

    value: str
    label: LocalizedText
    uri: str | None = None
    #: Other spellings accepted on input (harvested data, CKAN's own names).
    aliases: tuple[str, ...] = ()
    #: Vocabulary-specific fields (period, media_type…), read-only.
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    line: int = field(default=0, compare=False)


class Vocabulary:
    """A loaded vocabulary. Lookups by unknown values raise ``KeyError``,
    except ``label`` (display never fails) and ``get``/``normalize``."""

    def __init__(self, name: str, terms: tuple[Term, ...], source: str) -> None:
        self.name = name
        self.terms = terms
        self.source = source
        self._by_value = {t.value: t for t in terms}
        self._by_uri = {t.uri: t for t in terms if t.uri}
        # Case-insensitive input matching, values first so they win over aliases.
        self._by_folded: dict[str, Term] = {}
        for term in terms:
            for spelling in (term.value, *term.aliases):
                self._by_folded.setdefault(spelling.casefold(), term)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, value: object) -> bool:
        return value in self._by_value

    def values(self) -> list[str]:
        """Machine values in file order."""
        return [t.value for t in self.terms]

    def get(self, value: str) -> Term | None:
        """The term with exactly this machine value, or ``None``."""
        return self._by_value.get(value)

    def normalize(self, value: str | None) -> str | None:
        """Map an input spelling (any case, or an alias) to the machine value."""
        if not isinstance(value, str):
            return None
        if value in self._by_value:
            return value
        term = self._by_folded.get(value.strip().casefold())
        return term.value if term else None

    def by_uri(self, uri: str) -> Term | None:
        """The term with this authority URI (for DCAT import), or ``None``."""
        return self._by_uri.get(uri)

    def label(self, value: str, lang: str | None = "uk") -> str:
        """Label in ``lang``, falling back to uk, then en, then the value itself."""
        term = self._by_value.get(value)
        return term.label.get(lang) if term else value

    def choices(self, lang: str | None = "uk") -> list[dict[str, str]]:
        """``[{"value", "label"}]`` in file order, for select fields."""
        return [{"value": t.value, "label": t.label.get(lang)} for t in self.terms]

    def uri(self, value: str) -> str | None:
        """The EU authority URI of ``value`` (``None`` where there is none)."""
        return self._require(value).uri

    # -- frequencies

    def period(self, value: str) -> relativedelta | None:
        """The update cycle as a ``relativedelta``; ``None`` for event-driven or
        discontinued updates. A new object each call (relativedelta is mutable)."""
        spec = self._require(value).extra.get("period")
        return relativedelta(**spec) if spec else None

    def is_discontinued(self, value: str) -> bool:
        """True for "no longer updated": no deadline applies."""
        return bool(self._require(value).extra.get("discontinued", False))

    # -- formats

    def media_type(self, value: str) -> str | None:
        return self._require(value).extra.get("media_type")

    def is_machine_readable(self, value: str) -> bool:
        return bool(self._require(value).extra.get("machine_readable", False))

    def is_compression(self, value: str) -> bool:
        return bool(self._require(value).extra.get("compression", False))

    def _require(self, value: str) -> Term:
        term = self._by_value.get(value)
        if term is None:
            raise KeyError(f"{value!r} is not in the {self.name} vocabulary")
        return term


# --------------------------------------------------------------------------- schemas

_Check = Callable[[Any], str | None]  # returns an error message or None


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {value!r}"


def _period(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        return "must be a mapping like {months: 3} or null"
    for unit, amount in value.items():
        if unit not in _PERIOD_UNITS:
            return f"unknown unit {unit!r} (use {', '.join(_PERIOD_UNITS)})"
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            return f"{unit} must be a positive whole number, got {amount!r}"
    return None


def _media_type(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and _MEDIA_TYPE_RE.fullmatch(value)):
        return None
    return f"must be a media type like text/csv or null, got {value!r}"


def _iso639_1(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[a-z]{2}", value):
        return None
    return f"must be a two-letter ISO 639-1 code, got {value!r}"


@dataclass(frozen=True)
class _Spec:
    """Extra keys a vocabulary allows: name → (required, check)."""

    extra: dict[str, tuple[bool, _Check]]
    uri_required: bool


_SPECS: dict[str, _Spec] = {
    "frequencies": _Spec(
        extra={"period": (True, _period), "discontinued": (False, _bool)},
        uri_required=True,  # except discontinued terms, see _check_term
    ),
    "languages": _Spec(extra={"iso639_1": (True, _iso639_1)}, uri_required=True),
    "formats": _Spec(
        extra={
            "media_type": (True, _media_type),
            "machine_readable": (True, _bool),
            "compression": (True, _bool),
        },
        uri_required=False,  # e.g. API has no file-type authority code
    ),
}
_GENERIC = _Spec(extra={}, uri_required=False)


# --------------------------------------------------------------------------- loading


@functools.cache
def load_vocabulary(name: str) -> Vocabulary:
    """A packaged vocabulary (``frequencies``, ``languages``, ``formats``), cached.

    ``load_vocabulary.cache_clear()`` forces a reload.
    """
    if name not in VOCABULARY_NAMES:
        raise KeyError(f"unknown vocabulary {name!r} (known: {', '.join(VOCABULARY_NAMES)})")
    return load_vocabulary_file(DATA_DIR / f"{name}.yaml", name)


def load_vocabulary_file(path: str | os.PathLike[str], name: str | None = None) -> Vocabulary:
    """Read and validate a vocabulary file; ``name`` picks its rules (default:
    the file name without extension). Raises ``VocabularyError``."""
    file = Path(path)
    name = name or file.stem
    source = str(file)
    text = file.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise VocabularyError(source, [(line, None, f"not valid YAML: {problem}")]) from exc
    problems: list[tuple[int, str | None, str]] = []
    terms = _parse_terms(root, _SPECS.get(name, _GENERIC), name, problems)
    if problems:
        raise VocabularyError(source, problems)
    return Vocabulary(name, terms, source)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _parse_terms(
    root: Node | None, spec: _Spec, name: str, problems: list[tuple[int, str | None, str]]
) -> tuple[Term, ...]:
    constructor = SafeConstructor()
    if not isinstance(root, MappingNode):
        problems.append((_line(root) if root else 0, None, "must be a mapping with a `values:` list"))
        return ()
    seq: Node | None = None
    for key_node, value_node in root.value:
        if key_node.value == "values":
            seq = value_node
        else:
            problems.append((_line(key_node), None, f"unknown top-level key {key_node.value!r}"))
    if not isinstance(seq, SequenceNode):
        problems.append((_line(seq) if seq else 0, None, "`values:` must be a list"))
        return ()

    terms: list[Term] = []
    spellings: dict[str, tuple[str, int]] = {}  # folded value/alias → (value, line)
    uris: dict[str, tuple[str, int]] = {}
    for node in seq.value:
        term = _check_term(node, constructor, spec, name, problems)
        if term is None:
            continue
        for spelling in (term.value, *term.aliases):
            folded = spelling.casefold()
            if folded in spellings:
                other, line = spellings[folded]
                what = "value" if spelling == term.value else f"alias {spelling!r}"
                problems.append(
                    (term.line, term.value, f"duplicate {what} (clashes with {other!r}, line {line})")
                )
            else:
                spellings[folded] = (term.value, term.line)
        if term.uri:
            if term.uri in uris:
                other, line = uris[term.uri]
                problems.append((term.line, term.value, f"duplicate uri (also {other!r}, line {line})"))
            else:
                uris[term.uri] = (term.value, term.line)
        terms.append(term)
    return tuple(terms)


def _check_term(
    node: Node,
    constructor: SafeConstructor,
    spec: _Spec,
    name: str,
    problems: list[tuple[int, str | None, str]],
) -> Term | None:
    line = _line(node)
    if not isinstance(node, MappingNode):
        problems.append((line, None, "each entry must be a mapping"))
        return None
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        try:
            key = constructor.construct_object(key_node, deep=True)
            item = constructor.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append((_line(value_node), None, f"cannot read value {value_node.value!r}: {exc}"))
            continue
        if not isinstance(key, str):
            problems.append((_line(key_node), None, f"key {key!r} must be text"))
            continue
        if key in data:
            problems.append((_line(key_node), None, f"duplicate key {key!r}"))
            continue
        data[key] = item
        key_lines[key] = _line(key_node)

    value = data.get("value")
    if not isinstance(value, str) or not value.strip():
        problems.append((line, None, f"`value` must be non-empty text, got {value!r}"))
        return None
    start = len(problems)

    def bad(key: str, message: str) -> None:
        problems.append((key_lines.get(key, line), value, f"{key}: {message}"))

    for key in data:
        if key not in _COMMON_KEYS and key not in spec.extra:
            bad(key, "unknown key")

    label = data.get("label")
    uk = label.get("uk") if isinstance(label, dict) else None
    en = label.get("en") if isinstance(label, dict) else None
    if not isinstance(label, dict):
        bad("label", "must be a mapping {uk: ..., en: ...}")
    else:
        for lang, text in (("uk", uk), ("en", en)):
            if not isinstance(text, str) or not text.strip():
                bad("label", f"{lang} label is missing")

    uri = data.get("uri")
    discontinued = data.get("discontinued") is True
    if uri is not None and not (isinstance(uri, str) and _URI_RE.fullmatch(uri)):
        bad("uri", f"must start with http:// or https://, got {uri!r}")
    elif name == "frequencies" and discontinued and uri is not None:
        bad("uri", "a discontinued frequency has no authority URI")
    elif uri is None and spec.uri_required and not discontinued:
        bad("uri", "is required")

    aliases = data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        bad("aliases", "must be a list of texts")
        aliases = []

    extra: dict[str, Any] = {}
    for key, (required, check) in spec.extra.items():
        if key not in data:
            if required:
                bad(key, "is required")
            continue
        message = check(data[key])
        if message:
            bad(key, message)
        extra[key] = data[key]
    if name == "frequencies" and discontinued and extra.get("period"):
        bad("period", "a discontinued frequency has no period")

    if len(problems) > start:
        return None
    return Term(
        value=value,
        label=LocalizedText(uk=uk.strip(), en=en.strip()),  # type: ignore[union-attr]
        uri=uri,
        aliases=tuple(a.strip() for a in aliases),
        extra=MappingProxyType(extra),
        line=line,
    )


# --------------------------------------------------------------------------- licences

_LICENSE_KEYS = {
    "id": str,
    "title": str,
    "url": str,
    "od_conformance": str,
    "osd_conformance": str,
    "status": str,
    "domain_content": bool,
    "domain_data": bool,
    "domain_software": bool,
    "family": str,
    "maintainer": str,
}
_LICENSE_OPTIONAL = {"is_generic": bool, "uri": str, "title_translated": dict}
# The values CKAN's License.isopen() and the licence API understand.
_CONFORMANCE = ("approved", "not reviewed", "rejected")


def licenses_group_url(path: str | os.PathLike[str] | None = None) -> str:
    """The ``licenses_group_url`` setting for the packaged licence file.

    CKAN 2.11 reads local files only through a ``file://`` URL.
    """
    return "file://" + str(Path(path).resolve() if path else LICENSES_PATH)


def load_licenses(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Read and validate a CKAN licence file (a JSON list of licence objects).

    Checks what CKAN 2.11's ``LicenseRegister`` relies on: a list, string
    titles (it calls ``title.split``), the conformance values ``isopen()``
    compares, unique ids. Raises ``VocabularyError`` with line numbers.
    """
    file = Path(path) if path else LICENSES_PATH
    source = str(file)
    text = file.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VocabularyError(source, [(exc.lineno, None, f"not valid JSON: {exc.msg}")]) from exc
    if not isinstance(data, list):
        raise VocabularyError(source, [(1, None, "must be a JSON list of licence objects")])
    # JSON is (nearly) a subset of YAML: compose again only to learn line numbers.
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        lines = [_line(node) for node in root.value] if isinstance(root, SequenceNode) else []
    except yaml.YAMLError:
        lines = []
    if len(lines) != len(data):
        lines = [0] * len(data)

    problems: list[tuple[int, str | None, str]] = []
    seen: dict[str, int] = {}
    for entry, line in zip(data, lines, strict=True):
        if not isinstance(entry, dict):
            problems.append((line, None, "each licence must be an object"))
            continue
        lid = entry.get("id") if isinstance(entry.get("id"), str) else None
        for key, kind in _LICENSE_KEYS.items():
            if key not in entry:
                problems.append((line, lid, f"{key}: is required"))
            elif not isinstance(entry[key], kind):
                problems.append((line, lid, f"{key}: must be {kind.__name__}"))
        for key, value in entry.items():
            kind = _LICENSE_OPTIONAL.get(key)
            if key in _LICENSE_KEYS:
                continue
            if kind is None:
                problems.append((line, lid, f"{key}: unknown key"))
            elif not isinstance(value, kind):
                problems.append((line, lid, f"{key}: must be {kind.__name__}"))
        for key in ("od_conformance", "osd_conformance"):
            if isinstance(entry.get(key), str) and entry[key] not in _CONFORMANCE:
                problems.append((line, lid, f"{key}: must be one of {', '.join(_CONFORMANCE)}"))
        for key in ("url", "uri"):
            value = entry.get(key)
            if isinstance(value, str) and value and not _URI_RE.fullmatch(value):
                problems.append((line, lid, f"{key}: must be an http(s) URL or empty"))
        translated = entry.get("title_translated")
        if isinstance(translated, dict) and not all(
            isinstance(translated.get(lang), str) and translated[lang].strip() for lang in ("uk", "en")
        ):
            problems.append((line, lid, "title_translated: needs uk and en texts"))
        if lid is not None:
            if lid in seen:
                problems.append((line, lid, f"duplicate id (first on line {seen[lid]})"))
            else:
                seen[lid] = line
    if problems:
        raise VocabularyError(source, problems)
    return data
