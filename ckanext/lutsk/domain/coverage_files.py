"""The coverage matrix of resolution 835 as CSV or XLSX (plain Python): one line per
annex row and body, with its status and the datasets that fulfil it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ckanext.lutsk.domain import annex835, tabular

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
    annex835.RESTRICTED: {"uk": "обмежено на час воєнного стану", "en": "restricted under martial law"},
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
    """CSV (UTF-8 with BOM) or XLSX bytes of the matrix; every cell through ``tabular``."""
    headers = [COLUMNS[k][lang] for k in COLUMNS]
    rows = _rows(cells, annex, lang, body_title)
    if fmt == "csv":
        return tabular.csv_bytes(headers, rows)
    return tabular.xlsx_bytes(
        [
            tabular.Sheet(
                {"uk": "Покриття", "en": "Coverage"}[lang],
                headers,
                rows,
                widths=(10, 30, 80, 50, 24, 22, 12, 50),
            )
        ]
    )
