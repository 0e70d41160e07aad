"""Registry of Lutsk City Council's executive bodies and municipal enterprises.

Loads and validates ``data/executive_bodies.yaml``. Plain Python on purpose: no
CKAN imports, so the rules are unit-tested in milliseconds and the council can
check its edits with ``python -m ckanext.lutsk.domain.registry [path]``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import Node, ScalarNode, SequenceNode

from ckanext.lutsk.domain import yaml_checks
from ckanext.lutsk.domain.yaml_checks import line as _line

__all__ = [
    "COUNCIL_KIND",
    "DEFAULT_PATH",
    "Body",
    "Kind",
    "LocalizedText",
    "Problem",
    "Registry",
    "RegistryError",
    "edrpou_check_digit",
    "edrpou_is_valid",
    "get_registry",
    "load_registry",
    "parse_registry",
]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "executive_bodies.yaml"

#: The ``kind`` reserved for the council entry itself.
COUNCIL_KIND = "council"

# CKAN organization names allow ``_`` too; the registry is stricter so slugs stay
# readable in URLs.
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_MAX = 100
_KIND_RE = re.compile(r"[a-z][a-z0-9_]*")
_CKAN_NAME_RE = re.compile(r"[a-z0-9_-]{2,100}")
# Deliberately loose: catches typos (missing @, spaces, no domain dot), not RFC 5322.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_URL_RE = re.compile(r"https?://\S+")
# ASCII only: ``\d`` would accept other scripts' digits.
_EDRPOU_RE = re.compile(r"[0-9]{8}")

_BODY_FIELDS = (
    "slug",
    "name",
    "short_name",
    "kind",
    "parent",
    "edrpou",
    "email",
    "datagovua_org",
    "website",
    "active",
    "abolished",
    "successor",
    "sources",
)
_TOP_LEVEL_KEYS = ("kinds", "council", "bodies")
_LANGS = ("uk", "en")


# --------------------------------------------------------------------------- ЄДРПОУ


# Weights of the official algorithm: codes below 30 000 000 or above 60 000 000
# use 1..7, the band in between uses 7,1..6.
_WEIGHTS_OUTER = (1, 2, 3, 4, 5, 6, 7)
_WEIGHTS_MIDDLE = (7, 1, 2, 3, 4, 5, 6)


def edrpou_check_digit(code: str) -> int:
    """Return the check digit an 8-digit ЄДРПОУ code must end with.

    Only the first seven digits and the magnitude of the whole number matter
    (the magnitude picks the weights). Raises ``ValueError`` when ``code`` is not
    eight ASCII digits.
    """
    if not isinstance(code, str) or not _EDRPOU_RE.fullmatch(code):
        raise ValueError(f"ЄДРПОУ code must be 8 digits, got {code!r}")
    number = int(code)
    weights = _WEIGHTS_OUTER if number < 30_000_000 or number > 60_000_000 else _WEIGHTS_MIDDLE
    digits = [int(ch) for ch in code[:7]]
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 10:
        # Second pass with every weight raised by 2; a second 10 means digit 0.
        remainder = sum(d * (w + 2) for d, w in zip(digits, weights, strict=True)) % 11
        if remainder == 10:
            remainder = 0
    return remainder


def edrpou_is_valid(code: str) -> bool:
    """True when ``code`` is 8 ASCII digits whose last digit is the check digit."""
    if not isinstance(code, str) or not _EDRPOU_RE.fullmatch(code):
        return False
    return edrpou_check_digit(code) == int(code[7])


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class LocalizedText:
    """A text in Ukrainian (required) and English (optional)."""

    uk: str
    en: str | None = None

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang`` (``uk``, ``uk_UA``, ``en``, ``en-GB``…).

        Falls back to Ukrainian, then English, so a missing translation never
        shows an empty label.
        """
        base = (lang or "uk").replace("-", "_").split("_")[0].lower()
        if base == "en" and self.en:
            return self.en
        return self.uk or self.en or ""

    def as_dict(self) -> dict[str, str]:
        """``{"uk": ..., "en": ...}`` without missing languages (scheming style)."""
        out = {"uk": self.uk}
        if self.en:
            out["en"] = self.en
        return out


@dataclass(frozen=True)
class Kind:
    """A kind of body (``department``, ``directorate``…) with its labels."""

    value: str
    label: LocalizedText


@dataclass(frozen=True)
class Body:
    """One executive body, municipal enterprise, or the council itself."""

    slug: str
    name: LocalizedText
    kind: str
    short_name: LocalizedText | None = None
    parent: str | None = None
    edrpou: str | None = None
    email: str | None = None
    datagovua_org: str | None = None
    website: str | None = None
    active: bool = True
    abolished: dt.date | None = None
    successor: str | None = None
    sources: tuple[str, ...] = ()
    #: 1-based line of the entry in its file; for messages only.
    line: int = field(default=0, compare=False)

    @property
    def is_council(self) -> bool:
        return self.kind == COUNCIL_KIND

    def title(self, lang: str | None = None) -> str:
        """Full name in ``lang`` with the uk → en fallback."""
        return self.name.get(lang)

    def short_title(self, lang: str | None = None) -> str:
        """Short name in ``lang``; the full name when no short name is given."""
        return (self.short_name or self.name).get(lang)


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what is wrong."""

    line: int
    slug: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        who = f" [{self.slug}]" if self.slug else ""
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{who}{what} {self.message}"


class RegistryError(ValueError):
    """The registry file is invalid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: p.line))
        count = len(self.problems)
        lines = "\n".join(f"  {source}: {p}" for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {source}:\n{lines}")


class Registry:
    """The validated registry. ``bodies`` keeps file order with the council first."""

    def __init__(
        self,
        council: Body,
        bodies: Iterable[Body],
        kinds: Iterable[Kind],
        source: str | None = None,
    ) -> None:
        self.council = council
        self.bodies: tuple[Body, ...] = (council, *bodies)
        self.kinds: dict[str, Kind] = {k.value: k for k in kinds}
        self.source = source
        self._by_slug = {b.slug: b for b in self.bodies}
        self._by_edrpou = {b.edrpou: b for b in self.bodies if b.edrpou}
        self._by_dgu = {b.datagovua_org: b for b in self.bodies if b.datagovua_org}

    def __iter__(self) -> Iterator[Body]:
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def get(self, slug: str) -> Body | None:
        """The body with this slug, or ``None``."""
        return self._by_slug.get(slug)

    def title_of(self, slug: str, lang: str | None = None) -> str:
        """The body's title, or the slug itself when the registry does not know it."""
        body = self._by_slug.get(slug)
        return body.title(lang) if body else slug

    def active(self) -> list[Body]:
        """Active bodies (council included), in file order."""
        return [b for b in self.bodies if b.active]

    def by_edrpou(self, code: str) -> Body | None:
        """The body with this ЄДРПОУ code, or ``None``."""
        return self._by_edrpou.get(code.strip()) if isinstance(code, str) else None

    def by_datagovua_org(self, name: str) -> Body | None:
        """The body whose data.gov.ua organization is ``name``, or ``None``."""
        return self._by_dgu.get(name)

    def datagovua_org_for(self, slug: str) -> str | None:
        """The data.gov.ua organization a body publishes under.

        Its own, else the nearest ancestor's: data.gov.ua's CKAN harvester puts
        every harvested dataset into one organization unless told otherwise, so
        often only the council has one.
        """
        for body in self.ancestors(slug, include_self=True):
            if body.datagovua_org:
                return body.datagovua_org
        return None

    def successor_chain(self, slug: str) -> list[Body]:
        """``slug``'s body followed by its successors, ending at the current one.

        An active body gives a one-element list. Raises ``KeyError`` for an
        unknown slug. Validation guarantees the chain ends at an active body or
        at an abolished body without a successor, and has no cycles.
        """
        body = self._require(slug)
        chain = [body]
        seen = {body.slug}
        while body.successor and body.successor not in seen:
            body = self._require(body.successor)
            chain.append(body)
            seen.add(body.slug)
        return chain

    def current(self, slug: str) -> Body:
        """The body that carries on ``slug`` today (last of its successor chain)."""
        return self.successor_chain(slug)[-1]

    def children(self, slug: str, *, active_only: bool = False) -> list[Body]:
        """Bodies whose parent is ``slug``, in file order."""
        self._require(slug)
        return [b for b in self.bodies if b.parent == slug and (b.active or not active_only)]

    def ancestors(self, slug: str, *, include_self: bool = False) -> list[Body]:
        """Parent, grandparent… up to the top (the council, usually)."""
        body = self._require(slug)
        out = [body] if include_self else []
        seen = {body.slug}
        while body.parent and body.parent not in seen:
            body = self._require(body.parent)
            out.append(body)
            seen.add(body.slug)
        return out

    def kind_label(self, kind: str, lang: str | None = None) -> str:
        """Label of a kind in ``lang``; the machine value if unknown."""
        found = self.kinds.get(kind)
        return found.label.get(lang) if found else kind

    def choices(self, lang: str | None = None, *, include_inactive: bool = False) -> list[dict[str, str]]:
        """``[{"value": slug, "label": name}]`` for select fields."""
        return [
            {"value": b.slug, "label": b.title(lang)} for b in self.bodies if b.active or include_inactive
        ]

    def _require(self, slug: str) -> Body:
        try:
            return self._by_slug[slug]
        except KeyError:
            raise KeyError(f"unknown body {slug!r}") from None


# --------------------------------------------------------------------------- loading


def load_registry(path: str | os.PathLike[str] | None = None) -> Registry:
    """Read and validate a registry file (default: the packaged one).

    Raises ``RegistryError`` listing every problem with its line number.
    """
    file = Path(path) if path is not None else DEFAULT_PATH
    return parse_registry(file.read_text(encoding="utf-8"), source=str(file))


@functools.cache
def get_registry() -> Registry:
    """The packaged registry, loaded once per process.

    ``get_registry.cache_clear()`` forces a reload (tests, after edits).
    """
    return load_registry()


def parse_registry(text: str, source: str = "<string>") -> Registry:
    """Validate registry YAML given as text; ``source`` names it in messages."""
    try:
        root = yaml_checks.compose(text)
    except yaml_checks.SyntaxProblem as exc:
        raise RegistryError(source, [Problem(exc.line, None, None, exc.message)]) from exc
    checker = _Checker()
    registry = checker.check(root, source)
    if checker.problems or registry is None:
        raise RegistryError(source, checker.problems)
    return registry


@dataclass
class _Raw:
    """A body's parsed fields plus the line of each, before cross-checks."""

    body: Body
    lines: dict[str, int]

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.body.line)


class _Checker(yaml_checks.NodeChecker):
    """Walks the composed YAML tree, collecting problems instead of stopping."""

    def add(self, line: int, slug: str | None, name: str | None, message: str) -> None:
        self.problems.append(Problem(line, slug, name, message))

    def text(self, fields: dict[str, tuple[Node, Node]], name: str, slug: str | None) -> str | None:
        """Optional non-empty string field; ``None`` when absent or null."""
        if name not in fields:
            return None
        value = self.value(fields[name][1])
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(_line(fields[name][1]), slug, name, f"must be non-empty text, got {value!r}")
            return None
        return value.strip()

    def localized(
        self,
        fields: dict[str, tuple[Node, Node]],
        name: str,
        slug: str | None,
        *,
        required: bool,
        owner_line: int = 0,
    ) -> LocalizedText | None:
        if name not in fields or self.value(fields[name][1]) is None:
            if required:
                line = _line(fields[name][0]) if name in fields else owner_line
                self.add(line, slug, name, "is required (with a uk text)")
            return None
        node = fields[name][1]
        langs = self.mapping(node, slug, name)
        if langs is None:
            return None
        for lang in langs:
            if lang not in _LANGS:
                self.add(_line(langs[lang][0]), slug, f"{name}.{lang}", "unknown language (use uk, en)")
        uk = self.text(langs, "uk", slug)
        en = self.text(langs, "en", slug)
        if uk is None:
            self.add(_line(node), slug, f"{name}.uk", "Ukrainian text is missing")
            return None
        return LocalizedText(uk=uk, en=en)

    # -- document

    def check(self, root: Node | None, source: str) -> Registry | None:
        if root is None:
            self.add(0, None, None, "file is empty")
            return None
        top = self.mapping(root, None, "document")
        if top is None:
            return None
        for key, (key_node, _) in top.items():
            if key not in _TOP_LEVEL_KEYS:
                allowed = ", ".join(_TOP_LEVEL_KEYS)
                self.add(_line(key_node), None, key, f"unknown top-level key (allowed: {allowed})")

        kinds = self.check_kinds(top)
        council_raw = None
        if "council" in top:
            council_raw = self.check_body(top["council"][1], kinds, is_council=True)
        else:
            self.add(0, None, "council", "top-level `council` entry is missing")

        raws: list[_Raw] = []
        if "bodies" in top:
            seq = top["bodies"][1]
            if isinstance(seq, SequenceNode):
                for item in seq.value:
                    raw = self.check_body(item, kinds, is_council=False)
                    if raw is not None:
                        raws.append(raw)
            else:
                self.add(_line(seq), None, "bodies", "must be a list")
        else:
            self.add(0, None, "bodies", "top-level `bodies` list is missing")

        everyone = ([council_raw] if council_raw else []) + raws
        self.cross_check(everyone)
        if council_raw is None:
            return None
        return Registry(
            council_raw.body,
            (r.body for r in raws),
            kinds.values(),
            source=source,
        )

    def check_kinds(self, top: dict[str, tuple[Node, Node]]) -> dict[str, Kind]:
        if "kinds" not in top:
            self.add(0, None, "kinds", "top-level `kinds` section is missing")
            return {}
        fields = self.mapping(top["kinds"][1], None, "kinds")
        if fields is None:
            return {}
        kinds: dict[str, Kind] = {}
        for value, (key_node, _) in fields.items():
            line = _line(key_node)
            if not _KIND_RE.fullmatch(value):
                self.add(line, None, f"kinds.{value}", "machine value must be latin a-z, 0-9 and _")
            label = self.localized(fields, value, None, required=True)
            if label is None:
                continue
            if not label.en:
                self.add(line, None, f"kinds.{value}.en", "English label is missing")
            kinds[value] = Kind(value=value, label=label)
        if COUNCIL_KIND not in fields:
            self.add(_line(top["kinds"][0]), None, "kinds", f"kind `{COUNCIL_KIND}` must be defined")
        return kinds

    def check_body(self, node: Node, kinds: dict[str, Kind], *, is_council: bool) -> _Raw | None:
        fields = self.mapping(node, None, "council" if is_council else "body")
        if fields is None:
            return None
        lines = {name: _line(key_node) for name, (key_node, _) in fields.items()}

        slug = self.text(fields, "slug", None)
        if slug is None:
            if "slug" not in fields:
                self.add(_line(node), None, "slug", "is required")
        elif len(slug) > _SLUG_MAX or len(slug) < 2 or not _SLUG_RE.fullmatch(slug):
            self.add(
                lines["slug"],
                slug,
                "slug",
                f"must be 2-{_SLUG_MAX} chars of lowercase latin a-z, 0-9 and single hyphens",
            )
        who = slug

        for name in fields:
            if name not in _BODY_FIELDS:
                self.add(lines[name], who, name, "unknown field")

        name_text = self.localized(fields, "name", who, required=True, owner_line=_line(node))
        short = self.localized(fields, "short_name", who, required=False)

        kind = self.text(fields, "kind", who)
        if kind is None:
            if "kind" not in fields:
                self.add(_line(node), who, "kind", "is required")
        elif kinds and kind not in kinds:
            self.add(lines["kind"], who, "kind", f"unknown kind {kind!r} (known: {', '.join(kinds)})")
        elif is_council and kind != COUNCIL_KIND:
            self.add(lines["kind"], who, "kind", f"the council's kind must be `{COUNCIL_KIND}`")
        elif not is_council and kind == COUNCIL_KIND:
            self.add(lines["kind"], who, "kind", f"only the council entry may be `{COUNCIL_KIND}`")

        parent = self.text(fields, "parent", who)
        if is_council and parent is not None:
            self.add(lines["parent"], who, "parent", "the council has no parent")

        edrpou = self.check_edrpou(fields, who)

        email = self.text(fields, "email", who)
        if email is not None and not _EMAIL_RE.fullmatch(email):
            self.add(lines["email"], who, "email", f"not an e-mail address: {email!r}")

        dgu = self.text(fields, "datagovua_org", who)
        if dgu is not None and not _CKAN_NAME_RE.fullmatch(dgu):
            self.add(lines["datagovua_org"], who, "datagovua_org", f"not a CKAN organization name: {dgu!r}")

        website = self.text(fields, "website", who)
        if website is not None and not _URL_RE.fullmatch(website):
            self.add(lines["website"], who, "website", f"must be an http(s) URL: {website!r}")

        active = True
        if "active" in fields:
            value = self.value(fields["active"][1])
            if isinstance(value, bool):
                active = value
            else:
                self.add(lines["active"], who, "active", f"must be true or false, got {value!r}")

        abolished = self.check_date(fields, "abolished", who)
        successor = self.text(fields, "successor", who)
        if active:
            if "abolished" in fields and self.value(fields["abolished"][1]) is not None:
                self.add(lines["abolished"], who, "abolished", "an active body cannot have `abolished`")
            if successor is not None:
                self.add(lines["successor"], who, "successor", "an active body cannot have a successor")
        elif "abolished" not in fields or self.value(fields["abolished"][1]) is None:
            self.add(
                lines.get("active", _line(node)),
                who,
                "abolished",
                "an inactive body needs `abolished: YYYY-MM-DD`",
            )
        if is_council and not active:
            self.add(lines["active"], who, "active", "the council must be active")

        sources: tuple[str, ...] = ()
        if "sources" in fields and self.value(fields["sources"][1]) is not None:
            value = self.value(fields["sources"][1])
            if isinstance(value, list) and all(isinstance(s, str) and s.strip() for s in value):
                sources = tuple(s.strip() for s in value)
            else:
                self.add(lines["sources"], who, "sources", "must be a list of texts")

        if slug is None or name_text is None or kind is None:
            return None
        body = Body(
            slug=slug,
            name=name_text,
            kind=kind,
            short_name=short,
            parent=parent,
            edrpou=edrpou,
            email=email,
            datagovua_org=dgu,
            website=website,
            active=active,
            abolished=abolished,
            successor=successor,
            sources=sources,
            line=_line(node),
        )
        return _Raw(body=body, lines=lines)

    def check_edrpou(self, fields: dict[str, tuple[Node, Node]], who: str | None) -> str | None:
        if "edrpou" not in fields:
            return None
        node = fields["edrpou"][1]
        value = self.value(node)
        if value is None:
            return None
        line = _line(node)
        if isinstance(node, ScalarNode) and not isinstance(value, str):
            # Unquoted digits become an int and lose leading zeros (or turn octal).
            self.add(line, who, "edrpou", f'must be quoted text, e.g. "{node.value}"')
            return None
        if not isinstance(value, str) or not _EDRPOU_RE.fullmatch(value):
            self.add(line, who, "edrpou", f"must be exactly 8 digits, got {value!r}")
            return None
        if not edrpou_is_valid(value):
            expected = edrpou_check_digit(value)
            self.add(line, who, "edrpou", f"wrong check digit in {value} (expected {expected} at the end)")
            return None
        return value

    def check_date(self, fields: dict[str, tuple[Node, Node]], name: str, who: str | None) -> dt.date | None:
        if name not in fields:
            return None
        value = self.value(fields[name][1])
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(_line(fields[name][1]), who, name, f"must be a date YYYY-MM-DD, got {value!r}")
        return None

    # -- relations between entries

    def cross_check(self, raws: list[_Raw]) -> None:
        by_slug: dict[str, _Raw] = {}
        for raw in raws:
            slug = raw.body.slug
            if slug in by_slug:
                first = by_slug[slug].body.line
                self.add(raw.line_of("slug"), slug, "slug", f"duplicate slug (first on line {first})")
            else:
                by_slug[slug] = raw

        self.check_unique(raws, "edrpou", "ЄДРПОУ code")
        self.check_unique(raws, "datagovua_org", "data.gov.ua organization")

        for raw in raws:
            body = raw.body
            if body.parent is not None:
                parent = by_slug.get(body.parent)
                if parent is None:
                    self.add(raw.line_of("parent"), body.slug, "parent", f"unknown body {body.parent!r}")
                elif body.active and not parent.body.active:
                    self.add(
                        raw.line_of("parent"),
                        body.slug,
                        "parent",
                        f"active body under abolished {body.parent!r}",
                    )
            if body.successor is not None and body.successor not in by_slug:
                self.add(raw.line_of("successor"), body.slug, "successor", f"unknown body {body.successor!r}")

        self.check_parent_cycles(raws, by_slug)
        self.check_successor_chains(raws, by_slug)

    def check_unique(self, raws: list[_Raw], attr: str, label: str) -> None:
        seen: dict[str, _Raw] = {}
        for raw in raws:
            value = getattr(raw.body, attr)
            if not value:
                continue
            if value in seen:
                other = seen[value].body
                self.add(
                    raw.line_of(attr),
                    raw.body.slug,
                    attr,
                    f"duplicate {label} {value} (also {other.slug!r}, line {other.line})",
                )
            else:
                seen[value] = raw

    def check_parent_cycles(self, raws: list[_Raw], by_slug: dict[str, _Raw]) -> None:
        reported: set[str] = set()
        for raw in raws:
            path: list[str] = []
            slug: str | None = raw.body.slug
            while slug is not None and slug in by_slug and slug not in path:
                path.append(slug)
                slug = by_slug[slug].body.parent
            if slug is None or slug not in path:
                continue
            cycle = path[path.index(slug) :]
            if reported.isdisjoint(cycle):
                reported.update(cycle)
                first = by_slug[cycle[0]]
                loop = " → ".join([*cycle, cycle[0]])
                self.add(first.line_of("parent"), first.body.slug, "parent", f"parent cycle: {loop}")

    def check_successor_chains(self, raws: list[_Raw], by_slug: dict[str, _Raw]) -> None:
        """Rule: following `successor` from an abolished body must reach an
        active body. A chain may stop early only at the body itself (abolished
        with no successor at all); a successor that is itself abolished must
        name its own successor, and chains may not loop."""
        for raw in raws:
            body = raw.body
            if body.active or body.successor is None or body.successor not in by_slug:
                continue
            seen = [body.slug]
            current = by_slug[body.successor].body
            while True:
                if current.slug in seen:
                    loop = " → ".join([*seen, current.slug])
                    self.add(raw.line_of("successor"), body.slug, "successor", f"successor cycle: {loop}")
                    break
                if current.active:
                    break
                if current.successor is None:
                    self.add(
                        raw.line_of("successor"),
                        body.slug,
                        "successor",
                        f"{current.slug!r} is abolished and has no successor of its own; "
                        "point to the body that carries on today",
                    )
                    break
                if current.successor not in by_slug:
                    break  # reported as an unknown successor on that body
                seen.append(current.slug)
                current = by_slug[current.successor].body


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ckanext.lutsk.domain.registry [path]``: validate and summarise."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        registry = load_registry(args[0] if args else None)
    except RegistryError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot read the registry: {exc}", file=sys.stderr)
        return 2
    active = len(registry.active())
    print(f"OK: {len(registry)} entries ({active} active) in {registry.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
