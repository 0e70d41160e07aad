"""Pages of the data check (issue 19).

- ``/lutsk/structures/<row>/template.csv``: the template CSV of a recommended structure
  (header + one example row, UTF-8 with BOM), public.
- ``/dataset/<id>/datapackage.json``: a Frictionless data package of the dataset, the
  passport mapped onto it and each tabular resource's Table Schema, as data.gov.ua offers.
- ``/lutsk/data-checks`` (+ ``/export.csv|xlsx``): every resource whose data have errors,
  per body (ICT department, ``lutsk_reports``).
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.lutsk import config
from ckanext.lutsk.datacheck import datapackage, report
from ckanext.lutsk.domain import datacheck_files, structures
from ckanext.lutsk.helpers import datacheck as datacheck_helpers
from ckanext.lutsk.lang import current as current_lang
from ckanext.lutsk.logic.context import context

_ = tk._

__all__ = ["datacheck_bp"]

datacheck_bp = Blueprint("lutsk_datacheck", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def structures_page() -> str:
    annex_rows = config.annex().rows
    rows = {r.id: r for r in annex_rows}
    order = {r.id: i for i, r in enumerate(annex_rows)}
    lang = current_lang()
    items = [
        {
            "row": s.row,
            "title": rows[s.row].title.get(lang) if s.row in rows else s.row,
            "source": s.source,
            "complete": s.complete,
            "fields": s.schema["fields"],
        }
        # In the annex's order (A6 before A10), not the files' names.
        for s in sorted(config.structures().values(), key=lambda s: (order.get(s.row, len(order)), s.row))
    ]
    return tk.render("lutsk/datacheck/structures.html", {"items": items})


def template(row: str) -> Response:
    structure = config.structures().get(row)
    if structure is None:
        return tk.abort(404, _("There is no recommended structure for this annex row."))
    return Response(
        structures.template_csv(structure),
        content_type=MEDIA["csv"],
        headers={"Content-Disposition": f'attachment; filename="structure-{structure.row}.csv"'},
    )


def package(id: str) -> Response:
    try:
        pkg = tk.get_action("package_show")(context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Dataset not found or you have no permission to view it"))
    body = datapackage.build(pkg)
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="datapackage-{pkg["name"]}.json"'},
    )


def _require_ict() -> None:
    try:
        tk.check_access("lutsk_reports", context(), {})
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc) or _("Not authorized to see this page"))


def failing() -> str:
    _require_ict()
    rows = report.failing_rows(describe=_describe)
    bodies: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        bodies.setdefault(r["body_title"], []).append(r)
    return tk.render(
        "lutsk/datacheck/report.html",
        {"bodies": sorted(bodies.items()), "count": len(rows)},
    )


def export(fmt: str) -> Response:
    _require_ict()
    if fmt not in MEDIA:
        return tk.abort(404, _("The report is available as CSV or XLSX."))
    rows = report.failing_rows(describe=_describe)
    data = datacheck_files.failing_file(rows, fmt, current_lang())
    return Response(
        data,
        mimetype=MEDIA[fmt].split(";")[0],
        headers={
            "Content-Type": MEDIA[fmt],
            "Content-Disposition": f'attachment; filename="data-checks.{fmt}"',
        },
    )


def _describe(code: str) -> str:
    return datacheck_helpers.issue_text(code)[0]


datacheck_bp.add_url_rule("/lutsk/structures", view_func=structures_page)
datacheck_bp.add_url_rule("/lutsk/structures/<row>/template.csv", view_func=template)
datacheck_bp.add_url_rule("/dataset/<id>/datapackage.json", view_func=package)
datacheck_bp.add_url_rule("/lutsk/data-checks", view_func=failing)
datacheck_bp.add_url_rule("/lutsk/data-checks/export.<fmt>", view_func=export)
