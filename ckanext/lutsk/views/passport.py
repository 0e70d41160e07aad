"""``/dataset/<id>/passport.<csv|json|pdf>``: the passport as a document to download,
as data.gov.ua offers it («Завантажити паспорт»). PDF only where ``passport_pdf`` can make
it (fpdf2 and the DejaVu fonts installed)."""

from __future__ import annotations

import json
import logging

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.lutsk import helpers, passport_pdf
from ckanext.lutsk.domain import tabular
from ckanext.lutsk.lang import current as current_lang
from ckanext.lutsk.logic.context import context

log = logging.getLogger(__name__)

passport_bp = Blueprint("lutsk_passport", __name__)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "pdf": "application/pdf",
}


def download(id: str, fmt: str) -> Response:
    pdf = passport_pdf.available()
    if fmt not in FORMATS or (fmt == "pdf" and not pdf):
        if pdf:
            return tk.abort(404, tk._("The passport is available as CSV, JSON or PDF."))
        return tk.abort(404, tk._("The passport is available as CSV or JSON."))
    try:
        pkg = tk.get_action("package_show")(context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Dataset not found or you have no permission to view it"))
    rows = helpers.lutsk_passport_rows(pkg)
    columns = (tk._("No."), tk._("Passport element"), tk._("Value"))
    if fmt == "pdf":
        lang = current_lang()
        try:
            body = passport_pdf.render(
                heading=tk._("Dataset passport"),
                title=next(
                    (r.text for r in rows if r.key == "title" and r.text), pkg["title"] or pkg["name"]
                ),
                rows=rows,
                columns=columns,
                lang=lang,
            )
        except Exception:
            log.exception("passport PDF of %s failed", pkg["name"])
            return tk.abort(500, tk._("The passport could not be made as PDF; download it as CSV or JSON."))
    elif fmt == "csv":
        # BOM first (Excel reads the Ukrainian text as UTF-8); every cell inert
        cells = ([row.number or "", row.label, row.plain()] for row in rows)
        body = "".join(tabular.csv_lines(columns, cells))
    else:
        body = json.dumps(
            {"dataset": pkg["name"], "id": pkg["id"], "passport": [r.as_dict() for r in rows]},
            ensure_ascii=False,
            indent=2,
        )
    return Response(
        body,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="passport-{pkg["name"]}.{fmt}"'},
    )


passport_bp.add_url_rule("/dataset/<id>/passport.<fmt>", view_func=download)
