"""Coverage of the annex of CMU resolution No. 835: which mandatory datasets each body
publishes, publishes late, keeps unpublished, or lacks.

Plain Python, no CKAN: loads and validates ``data/annex835.yaml`` (every problem at
once, with its line) and computes the coverage matrix from plain dataset records.
Check an edited file with ``ckan lutsk coverage check [path]``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import Node, ScalarNode, SequenceNode

from ckanext.lutsk.domain import deadlines, yaml_checks
from ckanext.lutsk.domain.registry import LocalizedText, Registry
from ckanext.lutsk.domain.restrictions import Restriction
from ckanext.lutsk.domain.yaml_checks import line as _line

__all__ = [
    "DEFAULT_PATH",
    "LATE",
    "MISSING",
    "NOT_PUBLIC",
    "PUBLISHED",
    "RESTRICTED",
    "STATUSES",
    "Annex",
    "AnnexError",
    "AnnexRow",
    "Cell",
    "body_summary",
    "coverage_matrix",
    "load_annex",
    "parse_annex",
]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "annex835.yaml"

#: A public dataset of the body fulfils the row and is not late.
PUBLISHED = "published"
#: Every public dataset of the body for the row is past its update deadline.
LATE = "late"
#: The body has a dataset for the row, but only as a draft (private).
NOT_PUBLIC = "not_public"
#: No dataset of the body fulfils the row.
MISSING = "missing"
#: Restricted under martial law: the row for the body (``restricted:`` in the file), or
#: the body's datasets for it (their passport names the basis). Not missing, not late.
RESTRICTED = "restricted"
#: Published and current, but the data of every such dataset fail the data check (issue 19):
#: not "properly published" in the sense of the national ranking (structure, machine-readable).
DATA_ERRORS = "data_errors"
STATUSES: tuple[str, ...] = (PUBLISHED, DATA_ERRORS, LATE, NOT_PUBLIC, MISSING, RESTRICTED)
#: The ``data_state`` of a record whose data fail the check.
DATA_STATE_ERRORS = "errors"

#: Deadline states that make a published mandatory dataset count as late ("invalid" is
#: ``status.INVALID``: a passport whose dates the deadline rules cannot read).
LATE_STATES = frozenset(
    {deadlines.OVERDUE_CHANGE, deadlines.OVERDUE_FREQUENCY, deadlines.NEVER_UPDATED, "invalid"}
)

_ID_RE = re.compile(r"[A-Z][0-9]{1,3}")
_TOP_KEYS = ("sections", "rows")
_ROW_KEYS = ("id", "section", "title", "bodies", "not_applicable", "restricted")
_RESTRICTED_KEYS = ("basis", "since", "review", "bodies")
_LANGS = ("uk", "en")


@dataclass(frozen=True)
class AnnexRow:
    """One row of the annex: a mandatory dataset and the bodies that must publish it."""

    id: str
    section: str
    title: LocalizedText
    bodies: tuple[str, ...] = ()
    #: Why the row does not concern the city council (then ``bodies`` is empty).
    not_applicable: str | None = None
    line: int = field(default=0, compare=False)
    #: Restricted under martial law (basis, since, review), for ``restricted_bodies``.
    restriction: Restriction | None = None
    restricted_bodies: tuple[str, ...] = ()

    @property
    def applies(self) -> bool:
        return self.not_applicable is None

    def restricted_for(self, body: str) -> Restriction | None:
        return self.restriction if body in self.restricted_bodies else None

    def label(self, lang: str | None = "uk") -> str:
        """``A6. Реєстр наборів даних…`` for select fields and reports."""
        return f"{self.id}. {self.title.get(lang)}"


class AnnexError(ValueError):
    """The annex file is invalid; ``problems`` holds ``(line, row id, field, message)``."""

    def __init__(self, source: str, problems: Sequence[tuple[int, str | None, str | None, str]]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: p[0]))
        lines = []
        for line, row, name, message in self.problems:
            where = f"line {line}" if line else "file"
            who = f" [{row}]" if row else ""
            what = f" {name}:" if name else ""
            lines.append(f"  {source}: {where}:{who}{what} {message}")
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {source}:\n" + "\n".join(lines))


class Annex:
    """The validated annex, rows in file order."""

    def __init__(self, sections: Mapping[str, LocalizedText], rows: Iterable[AnnexRow], source: str) -> None:
        self.sections = dict(sections)
        self.rows: tuple[AnnexRow, ...] = tuple(rows)
        self.source = source
        self._by_id = {r.id: r for r in self.rows}

    def __iter__(self) -> Iterator[AnnexRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, row_id: object) -> bool:
        return row_id in self._by_id

    def get(self, row_id: str | None) -> AnnexRow | None:
        return self._by_id.get(row_id) if row_id else None

    def applicable(self) -> list[AnnexRow]:
        return [r for r in self.rows if r.applies]

    def for_body(self, slug: str) -> list[AnnexRow]:
        """Rows the body must publish, in file order."""
        return [r for r in self.rows if slug in r.bodies]

    def section_label(self, section: str, lang: str | None = "uk") -> str:
        found = self.sections.get(section)
        return found.get(lang) if found else section

    def choices(self, lang: str | None = "uk") -> list[dict[str, str]]:
        """``[{"value": "L45", "label": "L45. Перелік…"}]``: the rows a dataset can fulfil."""
        return [{"value": r.id, "label": r.label(lang)} for r in self.rows if r.applies]


# --------------------------------------------------------------------------- loading


def load_annex(path: str | os.PathLike[str] | None = None, registry: Registry | None = None) -> Annex:
    """Read and validate an annex file (default: the packaged one).

    With ``registry``, every body slug must be an active body of it. Raises
    ``AnnexError`` listing every problem with its line number.
    """
    file = Path(path) if path else DEFAULT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnnexError(str(file), [(0, None, None, f"cannot read the file: {exc}")]) from exc
    return parse_annex(text, source=str(file), registry=registry)


def parse_annex(text: str, source: str = "<string>", registry: Registry | None = None) -> Annex:
    """Validate annex YAML given as text; ``source`` names it in messages."""
    try:
        root = yaml_checks.compose(text)
    except yaml_checks.SyntaxProblem as exc:
        raise AnnexError(source, [(exc.line, None, None, exc.message)]) from exc
    checker = _Checker(registry)
    annex = checker.check(root, source)
    if checker.problems or annex is None:
        raise AnnexError(source, checker.problems or [(0, None, None, "no rows")])
    return annex


class _Checker(yaml_checks.NodeChecker):
    def __init__(self, registry: Registry | None) -> None:
        super().__init__()
        self.registry = registry

    def localized(self, node: Node, row: str | None, what: str) -> LocalizedText | None:
        langs = self.mapping(node, row, what)
        if langs is None:
            return None
        texts: dict[str, str] = {}
        for lang, (key_node, value_node) in langs.items():
            if lang not in _LANGS:
                self.add(_line(key_node), row, f"{what}.{lang}", "unknown language (use uk, en)")
                continue
            value = self.value(value_node)
            if not isinstance(value, str) or not value.strip():
                self.add(_line(value_node), row, f"{what}.{lang}", "must be non-empty text")
                continue
            texts[lang] = " ".join(value.split())
        if "uk" not in texts:
            if "uk" not in langs:
                self.add(_line(node), row, f"{what}.uk", "Ukrainian text is missing")
            return None
        return LocalizedText(uk=texts["uk"], en=texts.get("en"))

    def check(self, root: Node | None, source: str) -> Annex | None:
        if root is None:
            self.add(0, None, None, "file is empty")
            return None
        top = self.mapping(root, None, "document")
        if top is None:
            return None
        for key, (key_node, _v) in top.items():
            if key not in _TOP_KEYS:
                self.add(
                    _line(key_node), None, key, f"unknown top-level key (allowed: {', '.join(_TOP_KEYS)})"
                )
        sections: dict[str, LocalizedText] = {}
        if "sections" in top:
            fields = self.mapping(top["sections"][1], None, "sections") or {}
            for name, (_k, value_node) in fields.items():
                label = self.localized(value_node, None, f"sections.{name}")
                if label is not None:
                    sections[name] = label
        else:
            self.add(0, None, "sections", "top-level `sections` is missing")
        rows: list[AnnexRow] = []
        if "rows" not in top:
            self.add(0, None, "rows", "top-level `rows` list is missing")
        elif not isinstance(top["rows"][1], SequenceNode):
            self.add(_line(top["rows"][1]), None, "rows", "must be a list")
        else:
            seen: dict[str, int] = {}
            for item in top["rows"][1].value:
                row = self.check_row(item, sections)
                if row is None:
                    continue
                if row.id in seen:
                    self.add(row.line, row.id, "id", f"duplicate id (first on line {seen[row.id]})")
                    continue
                seen[row.id] = row.line
                rows.append(row)
        return Annex(sections, rows, source)

    def check_row(self, node: Node, sections: Mapping[str, LocalizedText]) -> AnnexRow | None:
        fields = self.mapping(node, None, "row")
        if fields is None:
            return None
        line = _line(node)
        row_id = None
        if "id" not in fields:
            self.add(line, None, "id", "is required")
        else:
            value = self.value(fields["id"][1])
            if isinstance(value, str) and _ID_RE.fullmatch(value):
                row_id = value
            else:
                self.add(_line(fields["id"][1]), None, "id", f"must look like A1 or L45, got {value!r}")
        for name, (key_node, _v) in fields.items():
            if name not in _ROW_KEYS:
                self.add(_line(key_node), row_id, name, f"unknown field (allowed: {', '.join(_ROW_KEYS)})")

        section = None
        if "section" not in fields:
            self.add(line, row_id, "section", "is required")
        else:
            value = self.value(fields["section"][1])
            if isinstance(value, str) and value in sections:
                section = value
            elif sections:
                known = ", ".join(sections)
                self.add(
                    _line(fields["section"][1]), row_id, "section", f"unknown section {value!r} ({known})"
                )

        title = None
        if "title" not in fields:
            self.add(line, row_id, "title", "is required (uk and en)")
        else:
            title = self.localized(fields["title"][1], row_id, "title")

        not_applicable = None
        if "not_applicable" in fields:
            value = self.value(fields["not_applicable"][1])
            if isinstance(value, str) and value.strip():
                not_applicable = value.strip()
            else:
                self.add(
                    _line(fields["not_applicable"][1]),
                    row_id,
                    "not_applicable",
                    "must be the reason, as text",
                )

        bodies = self.check_bodies(fields, row_id)
        if bodies and not_applicable:
            self.add(line, row_id, "bodies", "a row that is not_applicable has no bodies")
        elif not bodies and not_applicable is None and "not_applicable" not in fields:
            self.add(
                _line(fields["bodies"][1]) if "bodies" in fields else line,
                row_id,
                "bodies",
                "name at least one body, or give the reason in `not_applicable`",
            )
        restriction, restricted_bodies = None, ()
        if "restricted" in fields:
            restriction, restricted_bodies = self.check_restricted(fields["restricted"][1], row_id, bodies)
        if row_id is None or section is None or title is None:
            return None
        return AnnexRow(row_id, section, title, bodies, not_applicable, line, restriction, restricted_bodies)

    def check_restricted(
        self, node: Node, row_id: str | None, bodies: tuple[str, ...]
    ) -> tuple[Restriction | None, tuple[str, ...]]:
        """``restricted: {basis: <the act, as text>, since: YYYY-MM-DD, review: YYYY-MM-DD,
        bodies: [...]}`` (bodies: default every body of the row)."""
        fields = self.mapping(node, row_id, "restricted")
        if fields is None:
            return None, ()
        for name, (key_node, _v) in fields.items():
            if name not in _RESTRICTED_KEYS:
                self.add(
                    _line(key_node),
                    row_id,
                    f"restricted.{name}",
                    f"unknown field (allowed: {', '.join(_RESTRICTED_KEYS)})",
                )
        basis = self.value(fields["basis"][1]) if "basis" in fields else None
        if not isinstance(basis, str) or not basis.strip():
            self.add(_line(node), row_id, "restricted.basis", "name the legal act, as text")
            basis = None
        days: dict[str, dt.date | None] = {}
        for key in ("since", "review"):
            value = self.value(fields[key][1]) if key in fields else None
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                where = _line(fields[key][1]) if key in fields else _line(node)
                self.add(where, row_id, f"restricted.{key}", "must be a date YYYY-MM-DD")
                days[key] = None
            else:
                days[key] = value
        if days["since"] and days["review"] and days["review"] < days["since"]:
            self.add(_line(fields["review"][1]), row_id, "restricted.review", "is before `since`")
        restricted_bodies = bodies
        if "bodies" in fields:
            listed = self.value(fields["bodies"][1])
            if not isinstance(listed, list) or not all(isinstance(b, str) for b in listed):
                self.add(
                    _line(fields["bodies"][1]), row_id, "restricted.bodies", "must be a list of body slugs"
                )
                listed = []
            for slug in listed:
                if slug not in bodies:
                    self.add(
                        _line(fields["bodies"][1]),
                        row_id,
                        "restricted.bodies",
                        f"{slug!r} is not a body of the row",
                    )
            restricted_bodies = tuple(b for b in listed if b in bodies)
        if basis is None or days["since"] is None or days["review"] is None:
            return None, ()
        return Restriction(basis.strip(), days["since"], days["review"]), restricted_bodies

    def check_bodies(self, fields: dict[str, tuple[Node, Node]], row_id: str | None) -> tuple[str, ...]:
        if "bodies" not in fields:
            return ()
        node = fields["bodies"][1]
        if isinstance(node, ScalarNode) and self.value(node) is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.add(_line(node), row_id, "bodies", "must be a list of body slugs, e.g. [economic-policy]")
            return ()
        out: list[str] = []
        for item in node.value:
            slug = self.value(item)
            if not isinstance(slug, str) or not slug:
                self.add(_line(item), row_id, "bodies", f"must be a body slug, got {slug!r}")
                continue
            if slug in out:
                self.add(_line(item), row_id, "bodies", f"{slug!r} is listed twice")
                continue
            if self.registry is not None:
                body = self.registry.get(slug)
                if body is None:
                    self.add(_line(item), row_id, "bodies", f"unknown body {slug!r} (not in the registry)")
                    continue
                if not body.active:
                    current = self.registry.current(slug)
                    hint = f"; its successor is {current.slug!r}" if current.slug != slug else ""
                    self.add(_line(item), row_id, "bodies", f"body {slug!r} is abolished{hint}")
                    continue
            out.append(slug)
        return tuple(out)


# --------------------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class Cell:
    """Where one body stands on one annex row."""

    row: AnnexRow
    body: str
    status: str
    #: The body's datasets linked to the row: dicts with name, title, private, state.
    datasets: tuple[Mapping[str, Any], ...] = ()
    #: The row is not assigned to the body, but it publishes a dataset for it.
    extra: bool = False


def coverage_matrix(annex: Annex, records: Iterable[Mapping[str, Any]]) -> list[Cell]:
    """One cell per (row, assigned body), in annex order, plus cells for datasets that
    fulfil a row for a body it is not assigned to (``extra``).

    ``records``: plain dataset records with ``body`` (organization name),
    ``annex835_row``, ``private`` and ``state`` (deadline state), plus ``name`` and
    ``title`` for display.
    """
    linked: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for rec in records:
        row_id = rec.get("annex835_row")
        if row_id and rec.get("body") and row_id in annex:
            linked.setdefault((row_id, rec["body"]), []).append(rec)
    cells: list[Cell] = []
    for row in annex.applicable():
        assigned = set(row.bodies)
        for body in row.bodies:
            found = linked.get((row.id, body), [])
            status = _status(found, restricted=row.restricted_for(body) is not None)
            cells.append(Cell(row, body, status, tuple(_brief(r) for r in found)))
        for (row_id, body), found in sorted(linked.items()):
            if row_id == row.id and body not in assigned:
                cells.append(Cell(row, body, _status(found), tuple(_brief(r) for r in found), extra=True))
    return cells


def _status(found: Sequence[Mapping[str, Any]], restricted: bool = False) -> str:
    open_ = [r for r in found if r.get("state") != deadlines.RESTRICTED]
    public = [r for r in open_ if not r.get("private")]
    if not public and (restricted or len(open_) < len(found)):
        return RESTRICTED
    if not found:
        return MISSING
    if not public:
        return NOT_PUBLIC
    current = [r for r in public if r.get("state") not in LATE_STATES]
    if not current:
        return LATE
    if all(r.get("data_state") == DATA_STATE_ERRORS for r in current):
        return DATA_ERRORS
    return PUBLISHED


def _brief(rec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": rec.get("name"),
        "title": rec.get("title"),
        "private": bool(rec.get("private")),
        "state": rec.get("state"),
        "data_state": rec.get("data_state"),
    }


def body_summary(cells: Iterable[Cell]) -> dict[str, dict[str, int]]:
    """Per body: how many assigned rows are in each status (extra cells not counted)."""
    out: dict[str, dict[str, int]] = {}
    for cell in cells:
        if cell.extra:
            continue
        counts = out.setdefault(cell.body, dict.fromkeys(STATUSES, 0))
        counts[cell.status] += 1
    return out
