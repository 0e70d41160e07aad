"""The ICT report of resources whose data have errors, as CSV (UTF-8 with BOM) or XLSX.
Plain Python. Cells that a spreadsheet would run as a formula (starting with = + - @) are
written as text.

Open: the issue-15 shared writer (domain/tabular.py) should take this over when merged."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["COLUMNS", "failing_file", "safe_cell"]

COLUMNS = {
    "body_title": {"uk": "Розпорядник (орган / підприємство)", "en": "Holder (body / enterprise)"},
    "dataset_title": {"uk": "Набір даних", "en": "Dataset"},
    "dataset": {"uk": "Ідентифікатор набору", "en": "Dataset name"},
    "resource": {"uk": "Ресурс", "en": "Resource"},
    "format": {"uk": "Формат", "en": "Format"},
    "status": {"uk": "Стан перевірки", "en": "Check status"},
    "issue_count": {"uk": "Кількість помилок", "en": "Problems"},
    "first_issue": {"uk": "Перша помилка", "en": "First problem"},
    "first_where": {"uk": "Рядок:стовпець", "en": "Row:column"},
    "checked_at": {"uk": "Перевірено", "en": "Checked"},
}
STATUS_LABELS = {
    "invalid": {"uk": "помилки у даних", "en": "errors in the data"},
    "error": {"uk": "не вдалося перевірити", "en": "could not be checked"},
}


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _values(row: Mapping[str, Any], lang: str) -> list[Any]:
    out = []
    for key in COLUMNS:
        value = row.get(key)
        if key == "status":
            value = STATUS_LABELS.get(value, {}).get(lang, value)
        elif key == "checked_at" and value is not None:
            value = value.strftime("%Y-%m-%d %H:%M")
        out.append(safe_cell("" if value is None else value))
    return out


def failing_file(rows: Sequence[Mapping[str, Any]], fmt: str, lang: str = "uk") -> bytes:
    headers = [COLUMNS[k][lang] for k in COLUMNS]
    values = [_values(r, lang) for r in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(values)
        return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = {"uk": "Помилки у даних", "en": "Data errors"}[lang]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in values:
        ws.append(row)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
