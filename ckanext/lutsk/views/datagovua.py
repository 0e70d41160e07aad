"""Pages of the sync with data.gov.ua: "publish now" on a dataset (POST, editors of its
body) and the ICT department's list of datasets whose national copy is behind."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from flask import Blueprint, Response

from ckanext.lutsk import config
from ckanext.lutsk.domain import tabular
from ckanext.lutsk.lang import current as current_lang
from ckanext.lutsk.logic import errors
from ckanext.lutsk.logic.context import context

datagovua_bp = Blueprint("lutsk_datagovua", __name__)


def publish_now(id: str):
    """Queue a push of the dataset now; CKAN's CSRF protection covers this POST."""
    try:
        tk.get_action("lutsk_publish_now")(context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the dataset's body can publish it."))
    except tk.ValidationError as e:
        tk.h.flash_error(errors.error_text(e))
    else:
        tk.h.flash_success(tk._("The dataset is queued for publishing to data.gov.ua."))
    return tk.redirect_to("dataset.read", id=id)


BEHIND_PAGE_ROWS = 50


def behind():
    """Every public dataset whose national copy is behind (the ICT department): the bodies
    by title, 50 rows a page; nothing is "missing there" while publishing is not set up."""
    try:
        tk.check_access("lutsk_reports", context())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the ICT department can see reports on all bodies."))
    if not config.publishing_configured():
        return tk.render("lutsk/datagovua/behind.html", {"configured": False, "rows": [], "page": None})
    rows = _behind_rows()
    page = Page(
        collection=rows,
        page=tk.h.get_page_number(tk.request.args),
        items_per_page=BEHIND_PAGE_ROWS,
        url=lambda **kw: tk.h.url_for("lutsk_datagovua.behind", **kw),
    )
    return tk.render("lutsk/datagovua/behind.html", {"configured": True, "rows": rows, "page": page})


def _behind_rows() -> list[dict[str, Any]]:
    rows = tk.get_action("lutsk_sync_behind")(context(), {})
    reg, lang = config.registry(), current_lang()
    for row in rows:
        row["body_title"] = reg.title_of(row.get("organization") or "", lang)
    return rows


def behind_export():
    """The list as CSV (UTF-8 with BOM, through the shared safe writer), for a spreadsheet."""
    try:
        tk.check_access("lutsk_reports", context())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the ICT department can see reports on all bodies."))
    rows = _behind_rows() if config.publishing_configured() else []
    header = [tk._("Dataset"), tk._("Identifier"), tk._("Body")]
    header += [tk._("State"), tk._("Behind since"), tk._("Reason")]
    keys = ("name", "body_title", "state_label", "behind_since", "error")
    values = ([r.get("title") or r["name"], *(r.get(k) or "" for k in keys)] for r in rows)
    data = tabular.csv_bytes(header, values)
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="datagovua-behind.csv"',
        },
    )


def behind_moved():
    """The list's old address (before it moved under /lutsk/)."""
    return tk.redirect_to("lutsk_datagovua.behind", **tk.request.args)


datagovua_bp.add_url_rule("/dataset/<id>/datagovua/publish", view_func=publish_now, methods=["POST"])
datagovua_bp.add_url_rule("/lutsk/datagovua/behind", view_func=behind)
datagovua_bp.add_url_rule("/lutsk/datagovua/behind/export.csv", view_func=behind_export)
datagovua_bp.add_url_rule("/datagovua/behind", view_func=behind_moved)
