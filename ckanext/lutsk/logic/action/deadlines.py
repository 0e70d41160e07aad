"""``lutsk_deadline_report``: the update-deadline report through the action API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines.status import REPORT_STATES

_ = tk._


def _states(value: Any) -> list[str]:
    values = value if isinstance(value, list) else str(value).split(",")
    values = [v.strip() for v in values if v and v.strip()]
    known = [*REPORT_STATES, *deadline_report.STATE_ALIASES]
    for v in values:
        if v not in known:
            raise tk.Invalid(
                _("Unknown state “{value}”. Choose one of: {allowed}.").format(
                    value=v, allowed=", ".join(known)
                )
            )
    return values


#: The days a report may be asked for: the deadline arithmetic stays in range.
AS_OF_YEARS = (1991, 2100)


def _as_of(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            shown = str(value)[:80]
            raise tk.Invalid(_("Enter a date as YYYY-MM-DD, not “{value}”.").format(value=shown)) from None
    lo, hi = AS_OF_YEARS
    if not lo <= value.year <= hi:
        raise tk.Invalid(
            _("Enter a date between {start} and {end}.").format(start=f"{lo}-01-01", end=f"{hi}-12-31")
        )
    return value


def _body(value: Any) -> str:
    slug = str(value).strip()
    group = model.Group.get(slug)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(_("There is no body “{value}”.").format(value=slug))
    return group.name


def _sort(value: Any) -> str:
    if value not in deadline_report.SORTS:
        raise tk.Invalid(
            _("Unknown value “{value}”. Choose one of: {allowed}.").format(
                value=value, allowed=", ".join(deadline_report.SORTS)
            )
        )
    return value


def _count(limit: int | None):
    def validator(value: Any) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = -1
        if limit is not None and not 0 <= number <= limit:
            raise tk.Invalid(
                _("Enter a whole number from 0 to {limit}, not “{value}”.").format(limit=limit, value=value)
            )
        if number < 0:
            raise tk.Invalid(_("Enter a whole number, 0 or more, not “{value}”.").format(value=value))
        return number

    return validator


def report_schema() -> dict[str, list]:
    ignore_missing = tk.get_validator("ignore_missing")
    return {
        "body": [ignore_missing, _body],
        "state": [ignore_missing, _states],
        "as_of": [ignore_missing, _as_of],
        "sort": [ignore_missing, _sort],
        "start": [ignore_missing, _count(None)],
        "rows": [ignore_missing, _count(deadline_report.PAGE_ROWS)],
    }


#: Datasets an API call gets when it names no ``rows``: a page, as ``package_search`` gives
#: one, so no client makes one request read every overdue dataset of the city (14,000 rows
#: at 100,000 datasets: 0.7 s). The portal's own pages and exports ask for all of them
#: (:data:`ALL_ROWS` in the context, which an API client cannot set).
DEFAULT_ROWS = deadline_report.PAGE_ROWS
ALL_ROWS = "lutsk_all_rows"


@tk.side_effect_free
def lutsk_deadline_report(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The update-deadline report of public datasets on a day.

    :param body: a body's organization name (optional; default all bodies). Body staff
        (members of its organization) may ask for their own body; the ICT department
        and sysadmins for any or all.
    :param state: a state or a list of them (``on_time``, ``due_soon``, ``overdue_change``,
        ``overdue_frequency``, ``never_updated``, ``discontinued``, ``invalid``; ``overdue``
        = both overdue states); default all.
    :param as_of: the day (YYYY-MM-DD, default today in Kyiv).
    :param sort: ``due`` (default), ``days``, ``body``, ``title`` or ``state``.
    :param rows: return this many datasets (at most 1,000; default 1,000), from ``start``
        (default 0): the page is cut by the search index, and ``count``, ``summary`` and
        ``totals`` still cover every matching dataset (from facet counts). Page on with
        ``start`` while ``start + rows < count``.

    :returns: ``as_of``, ``count``, ``datasets`` (one row each: state, next due date,
        working days, responsible person…), ``summary`` (per body: counts by state and
        on-time share) and ``totals``.
    """
    data, errors = tk.navl_validate(data_dict, report_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("lutsk_deadline_report", context, data)
    return deadline_report.build_report(
        context,
        body=data.get("body"),
        states=data.get("state"),
        as_of=data.get("as_of"),
        sort=data.get("sort") or "due",
        start=data.get("start") or 0,
        rows=data.get("rows", None if context.get(ALL_ROWS) else DEFAULT_ROWS),
    )
