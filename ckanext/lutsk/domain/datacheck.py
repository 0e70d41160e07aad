"""Checks of a tabular file's data (CSV, XLSX) with Frictionless: encoding, delimiter and
header, blank or duplicate headers, types per column and, when a Table Schema is given,
the columns and types against it.

Plain Python, no CKAN: takes a local file and returns a :class:`Report` of issue codes with
row and column; the UI translates the codes (helpers/datacheck.py). The caller fetches the
file (with a size limit) and stores the report.
"""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ERROR",
    "INVALID",
    "TABULAR_FORMATS",
    "VALID",
    "Issue",
    "Report",
    "Summary",
    "check_file",
    "failure",
    "is_tabular",
]

#: The file was read and has no issue.
VALID = "valid"
#: The file was read and has issues.
INVALID = "invalid"
#: The file could not be checked (not reachable, too large, refused address); the issue says why.
ERROR = "error"

TABULAR_FORMATS = frozenset({"CSV", "XLSX"})

#: The most issues a report keeps (the count says how many there were).
MAX_ISSUES = 200
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = ",;\t|"
#: Leading bytes of files that are not text: ZIP (XLSX, DOCX), OLE (XLS, DOC), PDF, PNG, JPEG, GZIP.
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b")

# Issue codes of our own (Frictionless's error types are kept as they are: blank-label,
# duplicate-label, missing-label, extra-label, incorrect-label, blank-row, extra-cell,
# missing-cell, type-error, constraint-error, unique-error, ...).
EMPTY_FILE = "empty-file"
BINARY_FILE = "binary-file"
ENCODING_CP1251 = "encoding-cp1251"
ENCODING_UNKNOWN = "encoding-unknown"
DELIMITER_UNCLEAR = "delimiter-unclear"
MERGED_HEADER = "merged-header"
NOT_A_WORKBOOK = "not-a-workbook"
NO_HEADER = "no-header"
#: A column the Table Schema (declared or recommended) names is not in the header.
MISSING_COLUMN = "missing-column"
TOO_LARGE = "too-large"
FETCH_FAILED = "fetch-failed"
REFUSED_ADDRESS = "refused-address"
CHANGED_DURING_CHECK = "changed-during-check"
CHECK_FAILED = "check-failed"


def is_tabular(fmt: str | None) -> bool:
    return (fmt or "").strip().upper() in TABULAR_FORMATS


@dataclass(frozen=True)
class Issue:
    """One finding. ``row`` and ``column`` are 1-based as a spreadsheet shows them (the
    header is row 1); ``label`` is the column's header; ``note`` the offending value or a
    detail (expected type, limit), never a whole row."""

    code: str
    row: int | None = None
    column: int | None = None
    label: str | None = None
    note: str | None = None


@dataclass
class Report:
    status: str
    issues: list[Issue] = field(default_factory=list)
    #: How many issues there were (``issues`` keeps the first MAX_ISSUES).
    issue_count: int = 0
    rows: int | None = None
    header: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    #: Where the Table Schema came from: "declared" (the dataset's structure resource),
    #: "recommended" (Mintsyfra's for the annex row) or None (types inferred).
    schema_source: str | None = None
    #: The inferred or given fields ({"name", "type"}), for the data package.
    fields: list[dict[str, str]] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        data = dict(data)
        issues = [Issue(**i) for i in data.pop("issues", ())]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(issues=issues, **known)

    @property
    def matches_recommended(self) -> bool:
        return self.status == VALID and self.schema_source == "recommended"


@dataclass
class Summary:
    """The counts over many tabular resources (``ckan lutsk datacheck --summary``, the
    measure of issue 19 on the demo data)."""

    resources: int = 0
    valid: int = 0
    invalid: int = 0
    #: Could not be checked (download failed, refused address, too large, ...).
    error: int = 0
    #: Not checked yet, or last checked as another version of the file or structure.
    unchecked: int = 0
    #: Its dataset's annex row has a recommended structure.
    with_recommended: int = 0
    #: Valid against that recommended structure («Структура відповідає рекомендованій»).
    matching_recommended: int = 0

    def add(self, status: str | None, has_recommended: bool, schema_source: str | None = None) -> None:
        """One resource: ``status`` of its current check (None when it has none)."""
        self.resources += 1
        if status == VALID:
            self.valid += 1
        elif status == INVALID:
            self.invalid += 1
        elif status == ERROR:
            self.error += 1
        else:
            self.unchecked += 1
        if has_recommended:
            self.with_recommended += 1
            if status == VALID and schema_source == "recommended":
                self.matching_recommended += 1

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"tabular resources: {self.resources}; valid: {self.valid}, invalid: {self.invalid}, "
            f"could not be checked: {self.error}, not checked yet: {self.unchecked}; "
            f"with a recommended structure: {self.with_recommended} "
            f"(valid against it: {self.matching_recommended})"
        )


def failure(code: str, note: str | None = None) -> Report:
    """A report for a file that could not be checked at all."""
    report = Report(status=ERROR)
    report.add(Issue(code, note=note))
    return report


# --------------------------------------------------------------------------- the check


def check_file(
    path: str | os.PathLike[str],
    fmt: str,
    schema: Mapping[str, Any] | None = None,
    schema_source: str | None = None,
) -> Report:
    """Check the file at ``path`` as ``fmt`` (CSV or XLSX), against ``schema`` (a Table
    Schema descriptor) when given. Never raises for a bad file: the report says what is wrong."""
    path = Path(path)
    fmt = fmt.strip().upper()
    head = _head(path)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        report = Report(status=INVALID)
        report.add(Issue(EMPTY_FILE))
        return report
    if fmt == "XLSX":
        return _check_xlsx(path, head, schema, schema_source)
    return _check_csv(path, head, schema, schema_source)


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(_SNIFF_BYTES)


def _looks_binary(head: bytes) -> bool:
    return head.startswith(_BINARY_MAGIC) or b"\x00" in head


def _check_csv(
    path: Path, head: bytes, schema: Mapping[str, Any] | None, schema_source: str | None
) -> Report:
    report = Report(status=VALID, schema_source=schema_source if schema else None)
    if _looks_binary(head):
        report.add(Issue(BINARY_FILE))
        report.status = INVALID
        return report
    encoding = _encoding(path)
    report.encoding = encoding
    if encoding == "cp1251":
        report.add(Issue(ENCODING_CP1251))
    elif encoding is None:
        report.add(Issue(ENCODING_UNKNOWN))
        report.status = INVALID
        return report
    text_head = head.decode(encoding if encoding != "utf-8" else "utf-8-sig", errors="ignore")
    delimiter = _delimiter(text_head)
    if delimiter is None:
        lines = [ln for ln in text_head.splitlines() if ln.strip()]
        if len(lines) > 1 and any(d in text_head for d in _DELIMITERS):
            report.add(Issue(DELIMITER_UNCLEAR))
        delimiter = ","
    report.delimiter = delimiter
    source = path
    tmp: str | None = None
    try:
        if encoding == "cp1251":
            # Frictionless reads the text as UTF-8: recode a copy so the rest is still checked.
            fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="lutsk-check-")
            with (
                os.fdopen(fd, "w", encoding="utf-8", newline="") as out,
                path.open(encoding="cp1251", newline="") as src,
            ):
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            source = Path(tmp)
        _frictionless(report, source, "csv", schema, delimiter=delimiter)
    finally:
        if tmp:
            os.unlink(tmp)
    if report.issue_count:
        report.status = INVALID
    return report


def _encoding(path: Path) -> str | None:
    """utf-8 (with or without BOM) when the whole file decodes; else cp1251 when it decodes
    as that and reads as Cyrillic text; else None."""
    if _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "cp1251") and _cyrillic_share(path) > 0.2:
        return "cp1251"
    return None


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _cyrillic_share(path: Path) -> float:
    """The share of Cyrillic among the letters of the file's head read as cp1251."""
    text = _head(path).decode("cp1251", errors="ignore")
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0400" <= c <= "\u04ff") / len(letters)


def _delimiter(text: str) -> str | None:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return None


def _check_xlsx(
    path: Path, head: bytes, schema: Mapping[str, Any] | None, schema_source: str | None
) -> Report:
    report = Report(status=VALID, schema_source=schema_source if schema else None)
    if not head.startswith(b"PK\x03\x04"):
        report.add(Issue(NOT_A_WORKBOOK))
        report.status = INVALID
        return report
    import openpyxl

    try:
        # Not read-only: merged cells are known only to a fully loaded sheet.
        book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as e:  # a damaged or foreign ZIP: say so, never fail the job
        report.add(Issue(NOT_A_WORKBOOK, note=type(e).__name__))
        report.status = INVALID
        return report
    try:
        sheet = book.worksheets[0]
        for merged in sheet.merged_cells.ranges:
            if merged.min_row <= 1:
                report.add(
                    Issue(MERGED_HEADER, row=merged.min_row, column=merged.min_col, note=str(merged.coord))
                )
    finally:
        book.close()
    if report.issue_count:
        # The header cannot be read as one row of names; the rest would only repeat it.
        report.status = INVALID
        return report
    report.encoding = "utf-8"
    _frictionless(report, path, "xlsx", schema)
    if report.issue_count:
        report.status = INVALID
    return report


def _frictionless(
    report: Report, path: Path, fmt: str, schema: Mapping[str, Any] | None, delimiter: str | None = None
) -> None:
    import frictionless
    from frictionless import formats

    control: Any = None
    if fmt == "csv":
        control = formats.CsvControl(delimiter=delimiter or ",")
    elif fmt == "xlsx":
        control = formats.ExcelControl(sheet=1)
    options: dict[str, Any] = {"format": fmt, "encoding": "utf-8" if fmt == "csv" else None}
    if control is not None:
        options["control"] = control
    if schema:
        options["schema"] = frictionless.Schema.from_descriptor(dict(schema))
        # Columns are matched by their names, in any order; the missing ones are reported
        # below; columns the structure does not name are allowed.
        options["detector"] = frictionless.Detector(schema_sync=True)
    options = {k: v for k, v in options.items() if v is not None}
    try:
        resource = frictionless.Resource(path.name, basepath=str(path.parent), **options)
        fr_report = frictionless.validate(resource, limit_errors=MAX_ISSUES)
    except Exception as e:  # Frictionless refusing the source is a finding, not a crash
        report.add(Issue(CHECK_FAILED, note=f"{type(e).__name__}: {str(e)[:200]}"))
        return
    task = fr_report.tasks[0] if fr_report.tasks else None
    for error in fr_report.errors:
        report.add(Issue(_code(error), note=_note(error)))
    if task is None:
        return
    stats = task.stats or {}
    report.rows = stats.get("rows")
    labels = getattr(task, "labels", None) or []
    report.header = [str(x) for x in labels]
    resource_schema = getattr(resource, "schema", None)
    if resource_schema is not None:
        report.fields = [{"name": f.name, "type": f.type} for f in resource_schema.fields]
    for error in task.errors:
        is_label = hasattr(error, "label") and not hasattr(error, "row_number")
        report.add(
            Issue(
                _code(error),
                # Header problems are in row 1 as a spreadsheet shows it.
                row=1 if is_label else getattr(error, "row_number", None),
                column=getattr(error, "field_number", None),
                label=(getattr(error, "label", None) or None)
                if is_label
                else getattr(error, "field_name", None),
                note=None if is_label else _note(error),
            )
        )
    if not report.header and not report.issue_count:
        report.add(Issue(NO_HEADER))
    if schema and report.header:
        present = {h.strip() for h in report.header}
        for f in schema.get("fields") or ():
            if f.get("name") and f["name"] not in present:
                report.add(Issue(MISSING_COLUMN, row=1, label=f["name"], note=f.get("type")))


def _code(error: Any) -> str:
    return str(getattr(error, "type", "check-failed"))


def _note(error: Any) -> str | None:
    cell = getattr(error, "cell", None)
    if cell not in (None, ""):
        return str(cell)[:100]
    note = getattr(error, "note", None)
    return str(note)[:200] if note else None
