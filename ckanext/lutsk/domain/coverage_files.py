"""The coverage matrix of resolution 835 as CSV or XLSX (plain Python): one line per
annex row and body, with its status and the datasets that fulfil it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from ckanext.lutsk.domain import annex835

__all__ = ["COLUMNS", "STATUS_LABELS", "coverage_file"]

COLUMNS = {
    "row": {"uk": "Рядок переліку", "en": "Annex row"},
    "section": {"uk": "Розділ", "en": "Section"},
    "title": {"uk": "Набір даних (додаток до постанови № 835)", "en": "Dataset (annex of resolution 835)"},
    "body": {"uk": "Розпорядник (орган / підприємство)", "en": "Holder (body / enterprise)"},
    "slug": {"uk": "Код органу", "en": "Body code"},
    "status": {"uk": "Стан", "en": "Status"},
    "assigned": {"uk": "Закріплено за органом", "en": "Assigned to the body"},
    "datasets": {"uk": "Набори даних на порталі", "en": "Datasets on the portal"},
}
STATUS_LABELS = {
    annex835.PUBLISHED: {"uk": "оприлюднено", "en": "published"},
    annex835.DATA_ERRORS: {"uk": "помилки у даних", "en": "errors in the data"},
    annex835.LATE: {"uk": "із запізненням", "en": "late"},
    annex835.NOT_PUBLIC: {"uk": "не оприлюднено (чернетка)", "en": "not public (draft)"},
    annex835.MISSING: {"uk": "відсутній", "en": "missing"},
}
_YES_NO = {True: {"uk": "так", "en": "yes"}, False: {"uk": "ні", "en": "no"}}


def _rows(
    cells: Sequence[annex835.Cell], annex: annex835.Annex | None, lang: str, body_title: Callable[[str], str]
) -> list[list[str]]:
    out = []
    for cell in cells:
        out.append(
            [
                cell.row.id,
                annex.section_label(cell.row.section, lang) if annex else cell.row.section,
                cell.row.title.get(lang),
                body_title(cell.body),
                cell.body,
                STATUS_LABELS[cell.status][lang],
                _YES_NO[not cell.extra][lang],
                ", ".join(d["name"] for d in cell.datasets),
            ]
        )
    return out


def coverage_file(
    cells: Sequence[annex835.Cell],
    fmt: str,
    lang: str = "uk",
    *,
    annex: annex835.Annex | None = None,
    body_title: Callable[[str], str] = lambda slug: slug,
) -> bytes:
    """CSV (UTF-8) or XLSX bytes of the matrix."""
    headers = [COLUMNS[k][lang] for k in COLUMNS]
    rows = _rows(cells, annex, lang, body_title)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = {"uk": "Покриття", "en": "Coverage"}[lang]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for col, width in enumerate((10, 30, 80, 50, 24, 22, 12, 50), 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
