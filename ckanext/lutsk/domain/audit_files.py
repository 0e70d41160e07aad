"""The audit plan as files: an XLSX workbook (openpyxl) for work and a printable DOCX
(python-docx) for signing. Plain Python: both are built in memory and returned as
bytes, so the caller writes a file only once the whole document exists.

Texts are Ukrainian (the official language of the document) or English.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

from ckanext.lutsk.domain import annex835, tabular
from ckanext.lutsk.domain.audit_plan import AuditPlan, BodyPlan

__all__ = ["FORMATS", "LABELS", "plan_to_docx", "plan_to_xlsx", "reason_label"]

FORMATS = ("xlsx", "docx")

LABELS: Mapping[str, Mapping[str, str]] = {
    "title": {
        "uk": "План проведення інформаційного аудиту публічної інформації у виконавчих органах "
        "Луцької міської ради та комунальних підприємствах на {year} рік",
        "en": "Plan of the information audit of public information in the executive bodies of "
        "Lutsk City Council and municipal enterprises for {year}",
    },
    "basis": {
        "uk": "Підстава: розпорядження міського голови «Про відкриті дані Луцької міської ради», п. 4.1. "
        "Складено за даними порталу відкритих даних на {generated}.",
        "en": "Basis: the mayor's order «On the open data of Lutsk City Council», item 4.1. "
        "Compiled from the open data portal on {generated}.",
    },
    "params": {
        "uk": "Аудити: з {start} до {deadline} (робочі дні, не більше {per_day} на день). "
        "Своєчасність за рік: {from_} – {to}.",
        "en": "Audits: from {start} to {deadline} (working days, at most {per_day} a day). "
        "Timeliness over the year: {from_} – {to}.",
    },
    "summary": {
        "uk": "Органів: {bodies}; наборів даних: {datasets} (оприлюднено {public}); обов'язкових наборів "
        "за постановою № 835: {mandatory}, відсутні: {missing}; із запізненням зараз: {late_now}; "
        "повнота паспортів: {completeness}; вчасно зараз: {on_time_now}; вчасно за рік: {on_time_year}.",
        "en": "Bodies: {bodies}; datasets: {datasets} ({public} public); mandatory datasets under "
        "resolution 835: {mandatory}, missing: {missing}; late now: {late_now}; passport completeness: "
        "{completeness}; on time now: {on_time_now}; on time over the year: {on_time_year}.",
    },
    "sheet_plan": {"uk": "План", "en": "Plan"},
    "sheet_bodies": {"uk": "Органи", "en": "Bodies"},
    "sheet_missing": {"uk": "Відсутні набори", "en": "Missing datasets"},
    "sheet_late": {"uk": "Запізнення", "en": "Late datasets"},
    "no": {"uk": "№", "en": "No."},
    "date": {"uk": "Дата аудиту", "en": "Audit date"},
    "body": {"uk": "Виконавчий орган / підприємство", "en": "Executive body / enterprise"},
    "kind": {"uk": "Вид", "en": "Kind"},
    "priority": {"uk": "Пріоритет (0–100)", "en": "Priority (0–100)"},
    "reasons": {"uk": "Чому в цей час", "en": "Why at this time"},
    "datasets": {"uk": "Наборів", "en": "Datasets"},
    "public": {"uk": "Оприлюднено", "en": "Public"},
    "drafts": {"uk": "Чернетки", "en": "Drafts"},
    "completeness": {"uk": "Повнота паспортів, %", "en": "Passport completeness, %"},
    "weakest": {"uk": "Найчастіше бракує", "en": "Most often missing"},
    "on_time_now": {"uk": "Вчасно зараз, %", "en": "On time now, %"},
    "on_time_year": {"uk": "Вчасно за рік, %", "en": "On time over the year, %"},
    "history_days": {"uk": "Днів в історії", "en": "Days of history"},
    "mandatory": {"uk": "Обов'язкових (пост. 835)", "en": "Mandatory (res. 835)"},
    "published": {"uk": "Оприлюднено вчасно", "en": "Published"},
    "late": {"uk": "Із запізненням", "en": "Late"},
    "not_public": {"uk": "Не оприлюднено", "en": "Not public"},
    "missing": {"uk": "Відсутні", "en": "Missing"},
    "row": {"uk": "Рядок переліку", "en": "Annex row"},
    "annex_title": {
        "uk": "Набір даних (додаток до постанови № 835)",
        "en": "Dataset (annex of resolution 835)",
    },
    "status": {"uk": "Стан", "en": "Status"},
    "dataset": {"uk": "Набір даних", "en": "Dataset"},
    "dataset_title": {"uk": "Назва", "en": "Title"},
    "state_now": {"uk": "Стан зараз", "en": "State now"},
    "days_late": {"uk": "Днів із запізненням за рік", "en": "Days late over the year"},
    "missing_heading": {"uk": "Відсутні обов'язкові набори даних", "en": "Missing mandatory datasets"},
    "none": {"uk": "немає", "en": "none"},
    "signature": {
        "uk": "Начальник управління інформаційно-комунікаційних технологій  ____________________",
        "en": "Head of the ICT department  ____________________",
    },
    # reasons
    "missing_mandatory": {"uk": "бракує обов'язкових наборів", "en": "mandatory datasets missing"},
    "late_datasets": {"uk": "є прострочені набори", "en": "datasets overdue now"},
    "late_over_year": {"uk": "менше 80 % вчасно за рік", "en": "under 80 % on time over the year"},
    "incomplete_passports": {"uk": "неповні паспорти", "en": "incomplete passports"},
    "unpublished_drafts": {"uk": "неоприлюднені чернетки", "en": "unpublished drafts"},
    "no_datasets": {"uk": "жодного набору на порталі", "en": "no dataset on the portal"},
    "abolished_holds_datasets": {
        "uk": "ліквідований орган досі має набори",
        "en": "abolished body still holds datasets",
    },
    # deadline states
    "overdue_change": {"uk": "прострочено (зміна даних)", "en": "overdue (data changed)"},
    "overdue_frequency": {"uk": "прострочено (періодичність)", "en": "overdue (frequency)"},
    "never_updated": {"uk": "немає дат оновлення", "en": "no update dates"},
    # completeness checks
    "title_en": {"uk": "назва англійською", "en": "English title"},
    "description_en": {"uk": "опис англійською", "en": "English description"},
    "data_links": {"uk": "посилання на дані", "en": "data links"},
    "formats": {"uk": "формати", "en": "formats"},
    "machine_readable": {"uk": "машиночитаний формат", "en": "machine-readable format"},
    "structure": {"uk": "структура набору", "en": "dataset structure"},
    "licence": {"uk": "ліцензія", "en": "licence"},
    "purpose": {"uk": "підстава збору", "en": "legal basis"},
    "language": {"uk": "мова", "en": "language"},
    "contact": {"uk": "відповідальна особа", "en": "responsible person"},
    "frequency": {"uk": "періодичність", "en": "frequency"},
    "date_published": {"uk": "дата оприлюднення", "en": "publication date"},
    "data_updated": {"uk": "дата оновлення", "en": "update date"},
    "data_current_as_of": {"uk": "дата актуальності", "en": "data current as of"},
    "description": {"uk": "опис", "en": "description"},
    "keywords": {"uk": "ключові слова", "en": "keywords"},
}
# "title" above is the document title; the completeness check of the same key:
_CHECK_TITLE = {"uk": "назва", "en": "title"}


def _t(key: str, lang: str) -> str:
    entry = LABELS.get(key)
    return (entry.get(lang) or entry["uk"]) if entry else key


def reason_label(key: str, lang: str = "uk") -> str:
    return _t(key, lang)


def _check_label(key: str, lang: str) -> str:
    return _CHECK_TITLE.get(lang, _CHECK_TITLE["uk"]) if key == "title" else _t(key, lang)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}"


def _day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _header_texts(plan: AuditPlan, lang: str) -> tuple[str, str, str, str]:
    p = plan.params
    totals = plan.totals
    return (
        _t("title", lang).format(year=p.year),
        _t("basis", lang).format(generated=_day(plan.generated)),
        _t("params", lang).format(
            start=_day(p.start),
            deadline=_day(p.deadline),
            per_day=p.per_day,
            from_=_day(plan.window[0]),
            to=_day(plan.window[1]),
        ),
        _t("summary", lang).format(
            bodies=totals.get("bodies", 0),
            datasets=totals.get("datasets", 0),
            public=totals.get("public", 0),
            mandatory=totals.get("mandatory", 0),
            missing=totals.get("missing", 0),
            late_now=totals.get("late_now", 0),
            completeness=_pct(totals.get("completeness")) + " %",
            on_time_now=_share(totals.get("on_time_now")) + " %",
            on_time_year=_share(totals.get("on_time_year")) + " %",
        ),
    )


def _reasons(bp: BodyPlan, lang: str) -> str:
    return "; ".join(_t(r, lang) for r in bp.reasons)


def plan_to_xlsx(plan: AuditPlan, lang: str = "uk", kind_label=None) -> bytes:
    """The plan as an XLSX workbook: schedule, per-body figures, missing and late datasets
    (every cell through ``tabular``, so no text of a body or dataset becomes a formula)."""
    kind_label = kind_label or (lambda kind: kind)

    def sheet(name: str, headers: list[str], rows, widths: list[int], intro=()) -> tabular.Sheet:
        return tabular.Sheet(
            _t(name, lang), headers, rows, widths=widths, intro=intro, wrap=True, printable=True
        )

    body_keys = (
        "body", "datasets", "public", "drafts", "completeness", "weakest", "on_time_now", "on_time_year",
        "history_days", "mandatory", "published", "late", "not_public", "missing",
    )  # fmt: skip
    return tabular.xlsx_bytes(
        [
            sheet(
                "sheet_plan",
                [_t(k, lang) for k in ("no", "date", "body", "kind", "priority", "reasons")],
                (
                    [
                        i,
                        bp.audit_date,
                        bp.body.title(lang),
                        kind_label(bp.body.kind),
                        bp.priority,
                        _reasons(bp, lang),
                    ]
                    for i, bp in enumerate(plan.bodies, 1)
                ),
                [5, 13, 60, 22, 12, 60],
                intro=_header_texts(plan, lang),
            ),
            sheet(
                "sheet_bodies",
                [_t(k, lang) for k in body_keys],
                (
                    [
                        bp.body.title(lang),
                        bp.datasets,
                        bp.public,
                        bp.drafts,
                        bp.completeness,
                        ", ".join(_check_label(k, lang) for k in bp.weakest),
                        None if bp.on_time_now is None else round(100 * bp.on_time_now, 1),
                        None if bp.on_time_year is None else round(100 * bp.on_time_year, 1),
                        bp.history_days,
                        bp.mandatory,
                        bp.coverage.get(annex835.PUBLISHED, 0),
                        bp.coverage.get(annex835.LATE, 0),
                        bp.coverage.get(annex835.NOT_PUBLIC, 0),
                        bp.coverage.get(annex835.MISSING, 0),
                    ]
                    for bp in plan.bodies
                ),
                [50, 9, 11, 9, 12, 40, 11, 11, 10, 12, 12, 12, 12, 10],
            ),
            sheet(
                "sheet_missing",
                [_t(k, lang) for k in ("body", "row", "annex_title", "status")],
                (
                    [bp.body.title(lang), row.id, row.title.get(lang), _t(status, lang)]
                    for bp in plan.bodies
                    for status, rows in ((annex835.MISSING, bp.missing), (annex835.NOT_PUBLIC, bp.not_public))
                    for row in rows
                ),
                [50, 12, 90, 16],
            ),
            sheet(
                "sheet_late",
                [_t(k, lang) for k in ("body", "dataset", "dataset_title", "state_now", "days_late")],
                _late_rows(plan, lang),
                [50, 30, 60, 26, 14],
            ),
        ]
    )


def _late_rows(plan: AuditPlan, lang: str) -> list[list]:
    rows = []
    for bp in plan.bodies:
        now = {name: (title, state) for name, title, state in bp.late_now}
        year = {name: (title, days) for name, title, days in bp.late_year}
        for name in sorted(set(now) | set(year), key=lambda n: (-year.get(n, ("", 0))[1], n)):
            title = now[name][0] if name in now else year[name][0]
            state = _t(now[name][1], lang) if name in now else ""
            rows.append([bp.body.title(lang), name, title, state, year.get(name, ("", None))[1]])
    return rows


def plan_to_docx(plan: AuditPlan, lang: str = "uk", kind_label=None) -> bytes:
    """The plan as a printable DOCX (A4 landscape): schedule table and missing datasets."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt
    from docx.styles.style import ParagraphStyle

    kind_label = kind_label or (lambda kind: kind)
    title, basis, params, summary = _header_texts(plan, lang)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    if isinstance(style, ParagraphStyle):
        style.font.name = "Times New Roman"
        style.font.size = Pt(11)

    doc.add_heading(title, level=1)
    for text in (basis, params, summary):
        doc.add_paragraph(text)

    headers = [_t(k, lang) for k in ("no", "date", "body", "kind", "priority", "reasons")]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for i, bp in enumerate(plan.bodies, 1):
        values = [
            str(i),
            _day(bp.audit_date),
            bp.body.title(lang),
            kind_label(bp.body.kind),
            f"{bp.priority:.0f}",
            _reasons(bp, lang),
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    widths = [Cm(1.2), Cm(2.6), Cm(9.5), Cm(3.5), Cm(2.2), Cm(7.7)]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width

    doc.add_heading(_t("missing_heading", lang), level=2)
    for bp in plan.bodies:
        rows = [(r, annex835.MISSING) for r in bp.missing] + [(r, annex835.NOT_PUBLIC) for r in bp.not_public]
        if not rows:
            continue
        doc.add_paragraph(bp.body.title(lang), style="Heading 3")
        for row, status in rows:
            doc.add_paragraph(f"{row.id}. {row.title.get(lang)} — {_t(status, lang)}", style="List Bullet")

    doc.add_paragraph()
    doc.add_paragraph(_t("signature", lang))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
