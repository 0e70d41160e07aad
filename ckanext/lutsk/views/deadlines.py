"""Pages of the update-deadline report: the ICT department's overview of all bodies
(``/lutsk/deadlines``), each body's page (``/organization/<id>/deadlines``) and the CSV and
XLSX exports. All of them are the ``lutsk_deadline_report`` action rendered."""

from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from ckan.types import Context
from flask import Blueprint, Response

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import overview as deadline_overview
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines.status import LATE_STATES, REPORT_STATES
from ckanext.lutsk.logic import errors
from ckanext.lutsk.logic.action import deadlines as deadline_action
from ckanext.lutsk.logic.action.deadlines import report_schema
from ckanext.lutsk.logic.context import context

_ = tk._

deadlines_bp = Blueprint("lutsk_deadlines", __name__)
#: Overdue datasets a page of the overview lists.
OVERDUE_PAGE_ROWS = 100
#: Datasets a page of one body's list (``/organization/<id>/deadlines``).
BODY_PAGE_ROWS = 100

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", deadline_report.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", deadline_report.to_xlsx),
}


def _report(data: dict[str, Any]) -> dict[str, Any]:
    try:
        # The pages and exports take every row (the action pages API calls by default).
        ctx = cast(Context, {**context(), deadline_action.ALL_ROWS: True})
        return tk.get_action("lutsk_deadline_report")(ctx, data)
    except tk.NotAuthorized as exc:
        return tk.abort(403, str(exc) or _("Not authorized to see this page"))
    except tk.ValidationError as exc:
        return tk.abort(400, errors.error_text(exc, with_fields=True))


def _params(*names: str) -> dict[str, Any]:
    return {n: tk.request.args[n] for n in names if tk.request.args.get(n)}


def _sort_arg(allowed: tuple[str, ...], name: str, default: str) -> tuple[str, bool]:
    value = tk.request.args.get(name) or default
    reverse = value.startswith("-")
    value = value.lstrip("-")
    return (value if value in allowed else default), reverse


@deadlines_bp.route("/lutsk/deadlines")
def overview() -> str:
    """All bodies: on-time share and counts by state, and the overdue datasets (sortable,
    ``OVERDUE_PAGE_ROWS`` a page; the exports hold them all).

    The rows are the report for ``state=overdue``; the per-body counts are Solr facet
    counts (``deadline_overview``): the full report would read every dataset."""
    body_sort, body_reverse = _sort_arg(deadline_report.SUMMARY_SORTS, "sort", "body")
    list_sort, list_reverse = _sort_arg(deadline_report.SORTS, "list_sort", "days")
    page_number = tk.h.get_page_number(tk.request.args)
    paged = _overdue_page(list_sort, list_reverse, page_number)
    if paged is None:
        # Sorted by body title, or with datasets late only on data.gov.ua: the whole list.
        report = _report({"state": "overdue", **_params("as_of")})
        overdue = [r for r in report["datasets"] if r["state"] in LATE_STATES]
        summary = deadline_overview.summary(report)
        collection, count, presliced = (
            deadline_report.sort_rows(overdue, list_sort, list_reverse),
            None,
            False,
        )
    else:
        report = {**paged, "totals": {"counts": dict.fromkeys(REPORT_STATES, 0)}, "datasets": []}
        summary = deadline_overview.summary(report)
        collection, count, presliced = paged["datasets"], paged["count"], True
        report = {**report, "calendar_error": _calendar_error()}
    sort = ("-" if body_reverse else "") + body_sort
    list_sort_arg = ("-" if list_reverse else "") + list_sort
    params = {"as_of": report["as_of"], "sort": sort, "list_sort": list_sort_arg}
    page = Page(
        collection=collection,
        page=page_number,
        items_per_page=OVERDUE_PAGE_ROWS,
        item_count=count,
        presliced_list=presliced,
        url=lambda **kw: tk.h.url_for("lutsk_deadlines.overview", **{**params, **kw}) + "#lutsk-overdue",
    )
    return tk.render(
        "lutsk/deadlines/overview.html",
        {
            "report": {**report, "totals": deadline_report.totals(summary)},
            "summary": deadline_report.sort_summary(summary, body_sort, body_reverse),
            "overdue": page.items,
            "overdue_count": page.item_count,
            "page": page,
            "sort": sort,
            "list_sort": list_sort_arg,
        },
    )


def _overdue_page(sort: str, reverse: bool, page_number: int) -> dict[str, Any] | None:
    """The page of overdue datasets cut by Solr (``deadline_report.overdue_page``), with the
    action's own parameter checks and permission."""
    ctx = context()
    data, errors = tk.navl_validate({"state": "overdue", **_params("as_of")}, report_schema(), ctx)
    if errors:
        return None  # the action names the error
    try:
        tk.check_access("lutsk_deadline_report", ctx, data)
    except tk.NotAuthorized:
        return None  # the action refuses
    return deadline_report.overdue_page(
        ctx,
        as_of=data.get("as_of"),
        sort=sort,
        reverse=reverse,
        offset=(max(page_number, 1) - 1) * OVERDUE_PAGE_ROWS,
        limit=OVERDUE_PAGE_ROWS,
    )


def _calendar_error() -> str | None:
    error = config.calendar_error()
    return str(error) if error else None


@deadlines_bp.route("/organization/<id>/deadlines")
def body(id: str) -> str:
    """One body: its counts by state and every public dataset with its deadline."""
    try:
        group_dict = tk.get_action("organization_show")(context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Organization not found"))
    # The whole body, so the counts stay complete; ``state`` only narrows the list.
    report = _report({"body": group_dict["name"], **_params("as_of")})
    rows = report["datasets"]
    if tk.request.args.get("state"):
        wanted = deadline_report.expand_states(tk.request.args["state"].split(","))
        rows = [r for r in rows if r["state"] in wanted]
    list_sort, list_reverse = _sort_arg(deadline_report.SORTS, "list_sort", "due")
    list_sort_arg = ("-" if list_reverse else "") + list_sort
    params = {"id": group_dict["name"], "as_of": report["as_of"], **_params("state")}
    # A page of the list: thousands of rows in one page took longer to render than to compute.
    page = Page(
        collection=deadline_report.sort_rows(rows, list_sort, list_reverse),
        page=tk.h.get_page_number(tk.request.args),
        items_per_page=BODY_PAGE_ROWS,
        url=lambda **kw: tk.h.url_for("lutsk_deadlines.body", **{**params, "list_sort": list_sort_arg, **kw}),
    )
    return tk.render(
        "lutsk/deadlines/body.html",
        {
            "group_dict": group_dict,
            "group_type": group_dict.get("type") or "organization",
            "report": report,
            "rows": page.items,
            "page": page if len(rows) > BODY_PAGE_ROWS else None,
            "list_sort": list_sort_arg,
            "params": params,
        },
    )


@deadlines_bp.route("/lutsk/deadlines/export.<fmt>")
def export(fmt: str) -> Response:
    """The report as a file: ``?body=&state=&as_of=`` as for the action."""
    if fmt not in EXPORTS:
        return tk.abort(404, _("Unknown format"))
    report = _report(_params("body", "state", "as_of", "sort"))
    media_type, render = EXPORTS[fmt]
    name = "-".join(p for p in ("deadlines", report["body"], report["as_of"]) if p)
    return Response(
        render(report),
        mimetype=media_type.split(";")[0],
        headers={
            "Content-Type": media_type,
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        },
    )


@deadlines_bp.route("/lutsk/start")
def start() -> Response:
    """Where a user lands after logging in (``ckan.auth.route_after_login``): a body's editor
    on their body's deadlines, the ICT department on the overview, anyone else on CKAN's
    dashboard."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    if tk.h.check_access("lutsk_reports"):
        return tk.redirect_to("lutsk_deadlines.overview")
    orgs = tk.get_action("organization_list_for_user")(context(), {"permission": "read"})
    if orgs:
        return tk.redirect_to("lutsk_deadlines.body", id=orgs[0]["name"])
    return tk.redirect_to("dashboard.datasets")
