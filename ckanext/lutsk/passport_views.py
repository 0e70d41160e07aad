"""``/dataset/<id>/passport.<csv|json>``: the passport as a document to download,
as data.gov.ua offers it («Завантажити паспорт»)."""

from __future__ import annotations

import csv
import io
import json

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.lutsk import helpers

passport = Blueprint("lutsk_passport", __name__)

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def download(id: str, fmt: str) -> Response:
    if fmt not in FORMATS:
        return tk.abort(404, tk._("The passport is available as CSV or JSON."))
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else None}
    try:
        pkg = tk.get_action("package_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Dataset not found or you have no permission to view it"))
    rows = helpers.lutsk_passport_rows(pkg)
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # so that spreadsheet programs read the Ukrainian text as UTF-8
        writer = csv.writer(out)
        writer.writerow([tk._("No."), tk._("Passport element"), tk._("Value")])
        for row in rows:
            writer.writerow([row.number or "", row.label, row.plain()])
        body = out.getvalue()
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


passport.add_url_rule("/dataset/<id>/passport.<fmt>", view_func=download)
