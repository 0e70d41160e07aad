"""The ICT report of resources whose data have errors, as CSV (UTF-8 with BOM) or XLSX,
through the shared safe writer (``tabular``: no cell becomes a live formula). Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ckanext.lutsk.domain import tabular

__all__ = ["COLUMNS", "failing_file"]

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


def _values(row: Mapping[str, Any], lang: str) -> list[Any]:
    out = []
    for key in COLUMNS:
        value = row.get(key)
        if key == "status":
            value = STATUS_LABELS.get(str(value), {}).get(lang, value)
        elif key == "checked_at" and value is not None:
            value = value.strftime("%Y-%m-%d %H:%M")
        out.append("" if value is None else value)
    return out


def failing_file(rows: Sequence[Mapping[str, Any]], fmt: str, lang: str = "uk") -> bytes:
    headers = [COLUMNS[k][lang] for k in COLUMNS]
    values = [_values(r, lang) for r in rows]
    if fmt == "csv":
        return tabular.csv_bytes(headers, values)
    title = {"uk": "Помилки у даних", "en": "Data errors"}[lang]
    return tabular.xlsx_bytes([tabular.Sheet(title, headers, values)])
