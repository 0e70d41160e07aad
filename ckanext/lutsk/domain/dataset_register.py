"""The register of datasets («Реєстр наборів даних, що перебувають у володінні
розпорядника інформації», annex row A6 of resolution 835) in the column layout that
data holders publish on the national portal, and its difference from last year's.

Plain Python, no CKAN: rows come from plain dataset records; files are built in
memory (CSV, XLSX) and a previous register is read back with every problem named
by its line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.lutsk.domain import tabular

__all__ = [
    "COLUMNS",
    "RegisterDiff",
    "RegisterError",
    "diff_registers",
    "diff_to_csv",
    "read_register",
    "register_rows",
    "to_csv",
    "to_xlsx",
    "write_csv",
]

#: The national portal's register columns, in its order (DCAT-derived names).
COLUMNS = (
    "identifier",
    "title",
    "description",
    "accrualPeriodicity",
    "keyword",
    "purpose",
    "landingPage",
    "distributionFormat",
    "publisherName",
    "publisherIdentifier",
    "contactPointFn",
    "contactPointHasEmail",
)
#: Some holders publish ``publisherPrefLabel`` for ``publisherName``; read both.
_ALIASES = {"publisherPrefLabel": "publisherName"}

SHEETS = {
    "register": {"uk": "Реєстр", "en": "Register"},
    "added": {"uk": "Додано", "en": "Added"},
    "removed": {"uk": "Вилучено", "en": "Removed"},
    "changed": {"uk": "Змінено", "en": "Changed"},
    "field": {"uk": "Поле", "en": "Field"},
    "before": {"uk": "Було", "en": "Before"},
    "after": {"uk": "Стало", "en": "After"},
}


class RegisterError(ValueError):
    """A previous register cannot be read; ``problems`` holds ``(line, message)``."""

    def __init__(self, source: str, problems: Sequence[tuple[int, str]]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  {source}: line {line}: {message}" for line, message in self.problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {source}:\n{lines}")


def register_rows(
    records: Iterable[Mapping[str, Any]],
    *,
    site_url: str,
    frequency_label: Callable[[str], str],
    publisher: Callable[[str | None], tuple[str, str]],
    is_structure: Callable[[Mapping[str, Any]], bool] = lambda r: str(r.get("structure")).lower() == "true",
) -> list[dict[str, str]]:
    """One row per public dataset, ordered by identifier.

    ``frequency_label(value)``: the Ukrainian label of an update frequency (the
    register uses the portal's labels, e.g. «Щомісяця»); ``publisher(body)``:
    (name, ЄДРПОУ) of the holder body.
    """
    rows = []
    base = site_url.rstrip("/")
    for rec in records:
        if rec.get("private"):
            continue
        tags = [t["name"] if isinstance(t, Mapping) else str(t) for t in rec.get("tags") or ()]
        formats = dict.fromkeys(
            (r.get("format") or "").upper()
            for r in rec.get("resources") or ()
            if r.get("format") and not is_structure(r)
        )
        name, code = publisher(rec.get("body"))
        rows.append(
            {
                "identifier": rec["name"],
                "title": rec.get("title") or "",
                "description": rec.get("notes") or "",
                "accrualPeriodicity": frequency_label(rec["update_frequency"])
                if rec.get("update_frequency")
                else "",
                "keyword": ", ".join(tags),
                "purpose": rec.get("purpose_of_collecting_information") or "",
                "landingPage": f"{base}/dataset/{rec['name']}",
                "distributionFormat": ", ".join(f for f in formats if f),
                "publisherName": name,
                "publisherIdentifier": code,
                "contactPointFn": rec.get("maintainer") or "",
                "contactPointHasEmail": rec.get("maintainer_email") or "",
            }
        )
    rows.sort(key=lambda r: r["identifier"])
    return rows


def to_csv(rows: Iterable[Mapping[str, str]]) -> bytes:
    """UTF-8 CSV (with BOM) with the national column names as the header; cells safe."""
    return tabular.csv_bytes(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in rows))


def write_csv(rows: Iterable[Mapping[str, str]], out: tabular.BytesSink) -> None:
    """:func:`to_csv` written to the binary stream ``out`` row by row."""
    tabular.write_csv(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in rows), out)


@dataclass(frozen=True)
class RegisterDiff:
    added: tuple[Mapping[str, str], ...] = ()
    removed: tuple[Mapping[str, str], ...] = ()
    #: (identifier, {column: (before, after)})
    changed: tuple[tuple[str, Mapping[str, tuple[str, str]]], ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diff_registers(
    previous: Sequence[Mapping[str, str]], current: Sequence[Mapping[str, str]]
) -> RegisterDiff:
    """What changed between two registers, matched by ``identifier``."""
    before = {r["identifier"]: r for r in previous}
    after = {r["identifier"]: r for r in current}
    changed = []
    for ident in sorted(set(before) & set(after)):
        fields = {
            c: (_norm(before[ident].get(c)), _norm(after[ident].get(c)))
            for c in COLUMNS
            if c != "identifier" and _norm(before[ident].get(c)) != _norm(after[ident].get(c))
        }
        if fields:
            changed.append((ident, fields))
    return RegisterDiff(
        added=tuple(after[i] for i in sorted(set(after) - set(before))),
        removed=tuple(before[i] for i in sorted(set(before) - set(after))),
        changed=tuple(changed),
    )


def _norm(value: Any) -> str:
    return " ".join(_unescape(str(value or "")).split())


def _unescape(text: str) -> str:
    """A cell as written before ``tabular.safe_cell`` put an apostrophe before a formula start."""
    if text.startswith("'") and text[1:].startswith(tabular.FORMULA_STARTS):
        return text[1:]
    return text


def read_register(data: bytes, source: str) -> list[dict[str, str]]:
    """A register file (CSV or XLSX, told apart by content) as rows; raises
    ``RegisterError`` naming every bad line."""
    if data[:2] == b"PK":
        table = list(enumerate(_xlsx_table(data, source), 1))
    else:
        try:
            text = data.decode("utf-8-sig").lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise RegisterError(source, [(0, f"not UTF-8 text: {exc}")]) from exc
        reader = csv.reader(io.StringIO(text))
        table = []
        try:
            for values in reader:
                # The line a record starts on: a quoted cell may span lines.
                table.append((reader.line_num - sum(v.count("\n") for v in values), values))
        except csv.Error as exc:
            raise RegisterError(source, [(reader.line_num, f"not valid CSV: {exc}")]) from exc
    if not table:
        raise RegisterError(source, [(1, "the file is empty")])
    header = [_ALIASES.get(str(h or "").strip(), str(h or "").strip()) for h in table[0][1]]
    problems: list[tuple[int, str]] = []
    if "identifier" not in header:
        problems.append((1, f"no `identifier` column (expected the columns {', '.join(COLUMNS)})"))
        raise RegisterError(source, problems)
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        problems.append((1, f"unknown columns: {', '.join(unknown)} (expected {', '.join(COLUMNS)})"))
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for line, values in table[1:]:
        if not any(str(v or "").strip() for v in values):
            continue
        if len(values) > len(header):
            problems.append((line, f"{len(values)} cells, but the header has {len(header)}"))
            continue
        row = {
            h: _unescape(str(v if v is not None else "").strip())
            for h, v in zip(header, values, strict=False)
            if h
        }
        ident = row.get("identifier", "")
        if not ident:
            problems.append((line, "identifier is empty"))
        elif ident in seen:
            problems.append((line, f"identifier {ident!r} repeats line {seen[ident]}"))
        else:
            seen[ident] = line
            rows.append(row)
    if problems:
        raise RegisterError(source, problems)
    return rows


def _xlsx_table(data: bytes, source: str) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise RegisterError(source, [(0, f"not a readable XLSX workbook: {exc}")]) from exc
    ws = wb.worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def to_xlsx(rows: Iterable[Mapping[str, str]], diff: RegisterDiff | None = None, lang: str = "uk") -> bytes:
    """The register as XLSX; with ``diff``, three more sheets: added, removed, changed."""

    def t(key: str) -> str:
        return SHEETS[key].get(lang) or SHEETS[key]["uk"]

    def values(records: Iterable[Mapping[str, str]]) -> Iterable[list[Any]]:
        return ([r.get(c, "") for c in COLUMNS] for r in records)

    sheets = [tabular.Sheet(t("register"), COLUMNS, values(rows), autofilter=False)]
    if diff is not None:
        sheets += [
            tabular.Sheet(t("added"), COLUMNS, values(diff.added), autofilter=False),
            tabular.Sheet(t("removed"), COLUMNS, values(diff.removed), autofilter=False),
            tabular.Sheet(
                t("changed"),
                ("identifier", t("field"), t("before"), t("after")),
                (
                    (ident, col, old, new)
                    for ident, fields in diff.changed
                    for col, (old, new) in fields.items()
                ),
                autofilter=False,
            ),
        ]
    return tabular.xlsx_bytes(sheets)


def diff_to_csv(diff: RegisterDiff) -> bytes:
    """The difference as CSV: change, identifier, field, before, after."""

    def rows() -> Iterable[tuple[str, ...]]:
        for row in diff.added:
            yield ("added", row["identifier"], "", "", row.get("title", ""))
        for row in diff.removed:
            yield ("removed", row["identifier"], "", row.get("title", ""), "")
        for ident, fields in diff.changed:
            for col, (old, new) in fields.items():
                yield ("changed", ident, col, old, new)

    return tabular.csv_bytes(("change", "identifier", "field", "before", "after"), rows())
