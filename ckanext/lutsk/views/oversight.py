"""Pages of the ICT department's oversight and the public timeliness page.

- ``/lutsk/coverage`` (+ ``/export.csv|xlsx``): the resolution-835 coverage matrix
  (ICT department, ``lutsk_reports``).
- ``/lutsk/audit-plan`` (+ ``/export.xlsx|docx``): the year's information audit plan
  (ICT department).
- ``/organization/<id>/quality``: a body's passport completeness and its mandatory
  datasets (its staff and the ICT department).
- ``/lutsk/timeliness``: public, "how current is Lutsk's open data": the on-time share
  over the past year (server-rendered SVG), per body, and the recently updated
  datasets; ``/lutsk/timeliness/updates.atom`` is the Atom feed of those updates for
  the council's website.
- ``/lutsk/register.csv|xlsx``: the public register of datasets (annex row A6).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from babel.dates import format_date
from ckan import model
from ckan.lib.pagination import Page
from flask import Blueprint, Response, stream_with_context
from werkzeug.http import http_date

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import overview as deadline_overview
from ckanext.lutsk.domain import (
    annex835,
    audit_plan,
    charts,
    completeness,
    restrictions,
    tabular,
    timeliness,
    workdays,
)
from ckanext.lutsk.helpers import oversight as oversight_helpers
from ckanext.lutsk.lang import current as current_lang
from ckanext.lutsk.logic.context import context
from ckanext.lutsk.model import catalogue, history
from ckanext.lutsk.oversight import service as oversight
from ckanext.lutsk.oversight import stored as oversight_stored

_ = tk._
log = logging.getLogger(__name__)

__all__ = ["oversight_bp"]

oversight_bp = Blueprint("lutsk_oversight", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX, "docx": DOCX}
FEED_SIZE = 30
#: Datasets a page of a body's quality list shows.
QUALITY_PAGE_ROWS = 100
SPARK: dict[str, Any] = {"width": 180, "height": 36, "left": 2, "right": 2, "top": 3, "bottom": 3}


def _require(action: str, data: dict[str, Any] | None = None) -> None:
    try:
        tk.check_access(action, context(), data or {})
    except tk.NotAuthorized as exc:
        tk.abort(403, str(exc) or _("Not authorized to see this page"))


def _file(data: bytes, fmt: str, name: str) -> Response:
    return Response(
        data,
        mimetype=MEDIA[fmt].split(";")[0],
        headers={"Content-Type": MEDIA[fmt], "Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


# --------------------------------------------------------------------------- coverage


@oversight_bp.route("/lutsk/coverage")
def coverage_page() -> str:
    _require("lutsk_reports")
    stored_cells = _stored(oversight_stored.coverage_cells())
    cells = stored_cells.value if stored_cells else []
    summary = annex835.body_summary(cells)
    body = tk.request.args.get("body") or ""
    wanted = tk.request.args.get("status") or ""
    shown = [c for c in cells if (not body or c.body == body) and (not wanted or c.status == wanted)]
    reg = config.registry()
    lang = current_lang()
    bodies = [
        {"slug": slug, "title": reg.title_of(slug, lang), "counts": counts}
        for slug, counts in sorted(summary.items(), key=lambda kv: (-kv[1][annex835.MISSING], kv[0]))
    ]
    totals = dict.fromkeys(annex835.STATUSES, 0)
    for counts in summary.values():
        for status, n in counts.items():
            totals[status] += n
    return tk.render(
        "lutsk/oversight/coverage.html",
        {
            "cells": shown,
            "bodies": bodies,
            "totals": totals,
            "body": body,
            "status": wanted,
            "statuses": list(annex835.STATUSES),
            "body_title": lambda slug: reg.title_of(slug, lang),
            "lang": lang,
            "annex_error": config.annex_error(),
            "computed": _computed(stored_cells),
        },
    )


@oversight_bp.route("/lutsk/coverage/export.<fmt>")
def coverage_export(fmt: str) -> Response:
    _require("lutsk_reports")
    if fmt not in ("csv", "xlsx"):
        return tk.abort(404, _("Unknown format"))
    stored_cells = _stored(oversight_stored.coverage_cells())
    if stored_cells is None:
        return _not_ready()
    data = oversight.coverage_file(stored_cells.value, fmt, current_lang())
    return _file(data, fmt, f"coverage-835-{workdays.kyiv_today().isoformat()}")


# --------------------------------------------------------------------------- audit plan


def _plan_args() -> dict[str, str]:
    return {k: tk.request.args[k] for k in ("year", "deadline", "start", "per_day") if tk.request.args.get(k)}


def _plan_or_errors(
    args: dict[str, str],
) -> tuple[oversight_stored.Stored | None, list[dict[str, str]]]:
    try:
        params = oversight.audit_params(
            args.get("year"), args.get("deadline"), args.get("start"), args.get("per_day")
        )
        return _stored(oversight_stored.audit_plan_of(params)), []
    except audit_plan.AuditParamError as exc:
        labels = oversight_helpers.field_labels()
        return None, [
            {
                "field": p.field,
                "label": labels.get(p.field, p.field),
                "message": oversight_helpers.param_message(p),
            }
            for p in exc.problems
        ]


@oversight_bp.route("/lutsk/audit-plan")
def audit_plan_page() -> str:
    _require("lutsk_reports")
    args = _plan_args()
    today = workdays.kyiv_today()
    stored_plan, errors = _plan_or_errors(args) if args.get("year") else (None, [])
    return tk.render(
        "lutsk/oversight/audit_plan.html",
        {
            "plan": stored_plan.value if stored_plan else None,
            "computed": _computed(stored_plan),
            "errors": errors,
            "error_fields": {e["field"] for e in errors},
            "args": args,
            "default_year": today.year if today.month == 1 else today.year + 1,
            "default_deadline": config.audit_deadline(),
            "default_per_day": config.audits_per_day(),
            "reason_label": oversight_helpers.lutsk_audit_reason_label,
            "check_label": _lookup(oversight_helpers.check_labels()),
            "lang": current_lang(),
            "kind_label": oversight.kind_label(current_lang()),
        },
    )


@oversight_bp.route("/lutsk/audit-plan/export.<fmt>")
def audit_plan_export(fmt: str) -> Response:
    _require("lutsk_reports")
    if fmt not in ("xlsx", "docx"):
        return tk.abort(404, _("Unknown format"))
    stored_plan, errors = _plan_or_errors(_plan_args())
    if errors or not _plan_args().get("year"):
        return tk.abort(
            400, " ".join(f"{e['label']}: {e['message']}" for e in errors) or _("Choose the year.")
        )
    if stored_plan is None:
        return _not_ready()
    plan = stored_plan.value
    return _file(oversight.audit_plan_file(plan, fmt, current_lang()), fmt, f"audit-plan-{plan.params.year}")


# --------------------------------------------------------------------------- a body's quality


@oversight_bp.route("/organization/<id>/quality")
def body_quality(id: str) -> str:
    try:
        group_dict = tk.get_action("organization_show")(context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Organization not found"))
    _require("lutsk_deadline_report", {"body": group_dict["name"]})
    stored_cells = oversight_stored.coverage_cells()
    stored_quality = oversight_stored.body_quality(group_dict["name"])
    if stored_quality is None and stored_cells is not None:
        # Refreshed since, and the body had no dataset then: nothing to show, nothing to queue.
        empty = oversight_stored.Quality([], completeness.body_score(()))
        stored_quality = oversight_stored.Stored(empty, stored_cells.computed_at, stored_cells.stale)
    stored_quality = _stored(stored_quality)
    records = stored_quality.value.records if stored_quality else []
    page = Page(
        collection=records,
        page=tk.h.get_page_number(tk.request.args),
        items_per_page=QUALITY_PAGE_ROWS,
        url=lambda **kw: tk.h.url_for("lutsk_oversight.body_quality", id=group_dict["name"], **kw),
    )
    cells = [c for c in stored_cells.value if c.body == group_dict["name"]] if stored_cells else []
    return tk.render(
        "lutsk/oversight/body_quality.html",
        {
            "group_dict": group_dict,
            "group_type": group_dict.get("type") or "organization",
            "records": oversight_stored.with_scores(page.items),
            "page": page if len(records) > QUALITY_PAGE_ROWS else None,
            "body_score": stored_quality.value.body_score if stored_quality else completeness.body_score(()),
            "cells": cells,
            # Labels looked up once, not per row (gettext per cell costs more than the rows).
            "check_label": _lookup(oversight_helpers.check_labels()),
            "rating_label": _lookup(oversight_helpers.rating_labels(), "—"),
            "lang": current_lang(),
            "computed": _computed(stored_quality),
        },
    )


# --------------------------------------------------------------------------- public page


def _month_labels() -> list[str]:
    locale = tk.h.lang() or "uk_UA"
    return [format_date(dt.date(2000, m, 1), "LLL", locale=locale) for m in range(1, 13)]


@oversight_bp.route("/lutsk/timeliness")
def timeliness_page() -> str:
    conn = model.Session.connection()
    end = workdays.kyiv_today()
    start = end - dt.timedelta(days=364)
    per_body = history.daily_counts(conn, start, end)
    # Today from the index at once (no need to wait for the daily snapshot), then the
    # history as it grows.
    for slug, counts in deadline_overview.counts_on(end).items():
        series = [p for p in per_body.get(slug, []) if p.day != end]
        per_body[slug] = [*series, timeliness.DayCounts(end, counts)]
    city = timeliness.city_series(per_body)
    months = _month_labels()
    chart = charts.line_chart([(d.day, d.share) for d in city], start, end, month_labels=months)
    reg = config.registry()
    lang = current_lang()
    bodies = []
    for slug, series in per_body.items():
        latest = series[-1] if series and series[-1].day == end else None
        bodies.append(
            {
                "slug": slug,
                "title": reg.title_of(slug, lang),
                "now": latest.share if latest else None,
                "datasets": latest.evaluated if latest else 0,
                "year": timeliness.period_share(series),
                "spark": charts.line_chart([(d.day, d.share) for d in series], start, end, **SPARK),
            }
        )
    bodies.sort(key=lambda b: b["title"])
    return tk.render(
        "lutsk/oversight/timeliness.html",
        {
            "chart": chart,
            "start": start,
            "end": end,
            "has_history": bool(city),
            "history_days": len(city),
            "city_now": city[-1].share if city and city[-1].day == end else None,
            "city_year": timeliness.period_share(city),
            "bodies": bodies,
            "recent": _recent(20),
        },
    )


def _recent(limit: int) -> list[dict[str, Any]]:
    reg = config.registry()
    lang = current_lang()
    out = []
    for row in catalogue.recently_updated(limit):
        out.append({**row, "body_title": reg.title_of(row.get("body") or "", lang)})
    return out


@oversight_bp.route("/lutsk/restricted")
def restricted_page() -> str:
    """Public: what is restricted under martial law, on what basis, until when it is reviewed:
    the public datasets whose passport names a basis and the annex rows restricted for a body."""
    reg = config.registry()
    lang = current_lang()

    def body_title(slug: str | None) -> str:
        return reg.title_of(slug or "", lang)

    datasets = []
    for rec in catalogue.load_records(public_only=True):
        found = restrictions.of_dataset(rec)
        if found is not None:
            datasets.append(
                {"name": rec["name"], "title": rec["title"], "body": body_title(rec.get("body")), "r": found}
            )
    datasets.sort(key=lambda d: (d["body"], d["title"]))
    rows = []
    for row in config.annex():
        for slug in row.restricted_bodies:
            rows.append(
                {"id": row.id, "title": row.title.get(lang), "body": body_title(slug), "r": row.restriction}
            )
    return tk.render("lutsk/oversight/restricted.html", {"datasets": datasets, "rows": rows})


@oversight_bp.route("/lutsk/timeliness/updates.atom")
def updates_feed() -> Response:
    """Atom feed of data updates (passport element 9), newest first."""
    from feedgen.feed import FeedGenerator

    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    self_url = site + tk.h.url_for("lutsk_oversight.updates_feed")
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(_("Updates of Lutsk City Council's open data"))
    fg.subtitle(_("Datasets whose data were updated on the portal, newest first."))
    fg.link(href=self_url, rel="self", type="application/atom+xml")
    fg.link(href=site + tk.h.url_for("lutsk_oversight.timeliness_page"), rel="alternate", type="text/html")
    fg.language("uk" if current_lang() == "uk" else "en")
    fg.author({"name": tk.config.get("ckan.site_title") or "Lutsk"})
    recent = _recent(FEED_SIZE)
    newest = None
    for row in reversed(recent):  # feedgen prepends: add oldest first
        updated = _aware(row["data_updated"])
        if updated is None:
            continue
        newest = max(newest, updated) if newest else updated
        url = f"{site}/dataset/{row['name']}"
        entry = fg.add_entry()
        entry.id(f"{url}#{updated.isoformat()}")
        # What is stored may hold characters XML cannot (a vertical tab from Word): removed.
        entry.title(tabular.clean_text(row["title"] or row["name"]))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(updated)
        entry.author({"name": tabular.clean_text(row["body_title"] or row.get("body") or "")})
        if row.get("notes"):
            entry.summary(tabular.clean_text(row["notes"] or "")[:500])
    fg.updated(newest or dt.datetime.now(dt.timezone.utc))  # noqa: UP017
    return Response(fg.atom_str(pretty=True), mimetype="application/atom+xml")


def _aware(value: str | None) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)  # noqa: UP017


# --------------------------------------------------------------------------- register


@oversight_bp.route("/lutsk/register.<fmt>")
def register_export(fmt: str) -> Response:
    """The public register of datasets in the national portal's columns."""
    if fmt not in ("csv", "xlsx"):
        return tk.abort(404, _("Unknown format"))
    meta = oversight_stored.register_meta(fmt)
    if meta is None:
        return _not_ready()
    if meta.stale:
        _enqueue()
    # Streamed in slices from the stored file: the request never holds the whole register.
    # The CSV is stored gzip-compressed: sent so to a client that accepts gzip (every
    # browser), inflated on the way for any other.
    name = f"register-{workdays.kyiv_today().isoformat()}.{fmt}"
    headers = {
        "Content-Type": MEDIA[fmt],
        "Content-Disposition": f'attachment; filename="{name}"',
        "Last-Modified": http_date(meta.computed_at),
    }
    inflate = False
    if fmt in oversight_stored.GZIPPED:
        headers["Vary"] = "Accept-Encoding"
        if tk.request.accept_encodings["gzip"] > 0:
            headers["Content-Encoding"] = "gzip"
        else:
            inflate = True
    headers["Content-Length"] = str(oversight_stored.register_size(fmt, meta) if inflate else meta.size)
    return Response(
        stream_with_context(oversight_stored.register_stream(fmt, inflate=inflate)),
        mimetype=MEDIA[fmt].split(";")[0],
        headers=headers,
    )


# --------------------------------------------------------------------------- stored computations


def _lookup(labels: dict[str, str], missing: str | None = None):
    return lambda key: labels.get(key or "", missing if missing is not None else key)


def _enqueue() -> None:
    try:
        oversight_stored.enqueue()
    except Exception as e:  # Redis down: the page still shows what is stored
        log.error("oversight: could not queue a refresh: %s", e)


def _stored(value: oversight_stored.Stored | None) -> oversight_stored.Stored | None:
    """A stored value as is; a stale or missing one also queues a refresh."""
    if value is None or value.stale:
        _enqueue()
    return value


def _computed(value: oversight_stored.Stored | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "when": value.computed_at.astimezone(workdays.KYIV).strftime("%d.%m.%Y %H:%M"),
        "stale": value.stale,
    }


def _not_ready() -> Response:
    return Response(
        _("The file is being prepared; try again in a minute."),
        status=503,
        mimetype="text/plain",
        headers={"Retry-After": "60"},
    )
