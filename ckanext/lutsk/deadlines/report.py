"""The update-deadline report: which datasets of which body are on time or late on a day.

One ``package_search`` (paged by 1,000, CKAN's row limit) filtered by body and by the
state on the report day (``status.state_query`` over the indexed reason and next-due
date) returns only small stored fields; the rows, the per-body summary and the exports
are built from those. Nothing reads the database per dataset.

The report covers what is on the portal: public, active datasets. "As of" evaluates the
current passport data on that day (for planning: "what will be late by Friday"); it does
not replay history.

When publishing to data.gov.ua is configured, the national copy has the same deadline: a
dataset on time here whose copy there has been behind for more than three working days
(since the first change not pushed) is late, ``overdue_national``. That comes from one
query on the sync table (``sync_state.behind``), not from the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search.query import solr_literal
from ckan.types import Context

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.deadlines.status import (
    ALL_STATES,
    GOOD_STATES,
    INVALID,
    LATE_STATES,
    OVERDUE_NATIONAL,
    REPORT_STATES,
)
from ckanext.lutsk.domain import deadlines, tabular, workdays
from ckanext.lutsk.domain.workdays import iso
from ckanext.lutsk.lang import current as current_lang
from ckanext.lutsk.model import sync_state

_ = tk._

PAGE_ROWS = 1000  # CKAN's default ckan.search.rows_max
#: Stored fields the report reads: CKAN stores passport extras as ``extras_<key>``.
REPORT_FIELDS = [
    "id",
    "name",
    "title",
    "organization",
    "maintainer",
    "maintainer_email",
    *(f"extras_{f}" for f in status.INPUT_FIELDS),
    status.NEXT_DUE_FIELD,
]
#: Filter aliases accepted for ``state``.
STATE_ALIASES = {"overdue": LATE_STATES}
SORTS = ("due", "days", "body", "title", "state")
SUMMARY_SORTS = ("body", "on_time", "overdue", "total")

#: Most urgent first; used to order the report and the badges' colours.
SEVERITY = {
    status.OVERDUE_CHANGE: 0,
    status.OVERDUE_FREQUENCY: 1,
    OVERDUE_NATIONAL: 2,
    INVALID: 3,
    deadlines.NEVER_UPDATED: 4,
    deadlines.DUE_SOON: 5,
    deadlines.ON_TIME: 6,
    deadlines.DISCONTINUED: 7,
    deadlines.RESTRICTED: 8,
}
REASON_NATIONAL = "national"
#: Datasets behind nationally looked up by id in the report's query (Solr's clause limit).
NATIONAL_IDS_MAX = 900


def counts_national() -> bool:
    """Whether national staleness counts: only where the portal publishes to data.gov.ua."""
    return config.publishing_configured()


def report_states() -> tuple[str, ...]:
    """The states a report can show on this portal."""
    return REPORT_STATES if counts_national() else ALL_STATES


def expand_states(values: Iterable[str]) -> list[str]:
    """States named by ``values`` (each a state or an alias), in canonical order."""
    wanted: set[str] = set()
    for value in values:
        wanted.update(STATE_ALIASES.get(value, (value,)))
    return [s for s in REPORT_STATES if s in wanted]


def state_label(state: str) -> str:
    labels = {
        deadlines.ON_TIME: _("On time"),
        deadlines.DUE_SOON: _("Due soon"),
        deadlines.OVERDUE_CHANGE: _("Overdue: change not published"),
        deadlines.OVERDUE_FREQUENCY: _("Overdue: not updated as declared"),
        OVERDUE_NATIONAL: _("Overdue on data.gov.ua"),
        deadlines.NEVER_UPDATED: _("No update date"),
        deadlines.DISCONTINUED: _("No longer updated"),
        deadlines.RESTRICTED: _("Restricted under martial law"),
        INVALID: _("Passport error"),
    }
    return labels.get(state, state)


def field_label(field: str) -> str:
    labels = {
        status.CHANGED: _("Date the data changed"),
        status.UPDATED: _("Last updated on the portal"),
        status.PUBLISHED: _("First published"),
        status.FREQUENCY: _("Update frequency"),
    }
    return labels.get(field, field)


def problem_text(result: status.Evaluated) -> str:
    """What is wrong with the passport, naming the field (empty when nothing is)."""
    error = result.error
    if error is not None:
        field = field_label(error.field)
        if error.problem == "missing_frequency":
            return _("“{field}” is empty.").format(field=field)
        if error.problem == "unknown_frequency":
            return _("“{field}”: “{value}” is not in the list of frequencies.").format(
                field=field, value=error.value
            )
        return _("“{field}”: “{value}” is not a date.").format(field=field, value=error.value)
    if result.state == deadlines.NEVER_UPDATED:
        return _("No date is known: fill in “{field}”.").format(field=field_label(status.CHANGED))
    return ""


def days_text(st: deadlines.DeadlineStatus) -> str:
    """The working days of a status in words ("overdue by 3 working days", "due today")."""
    n = st.working_days
    if n is None:
        return ""
    if st.state in LATE_STATES:
        if n == 0 and st.next_due is not None:
            # Late since a day off: no working day has passed yet.
            return _("the deadline was {date}").format(date=f"{st.next_due:%d.%m.%Y}")
        return tk.ungettext("overdue by {n} working day", "overdue by {n} working days", n).format(n=n)
    if n == 0:
        return _("due today")
    return tk.ungettext("{n} working day left", "{n} working days left", n).format(n=n)


# -- querying ------------------------------------------------------------------------


def search_docs(
    context: Mapping[str, Any], fq: str, fl: list[str], *, include_private: bool = False, sort: str = "id asc"
) -> Iterator[dict[str, Any]]:
    """Every Solr document matching ``fq`` (stored fields ``fl`` only), paged."""
    start = 0
    while True:
        page = tk.get_action("package_search")(
            cast(Context, dict(context)),
            {
                "q": "*:*",
                "fq": fq,
                "fl": fl,
                "rows": PAGE_ROWS,
                "start": start,
                "sort": sort,
                "include_private": include_private,
                "facet": "false",
            },
        )
        yield from page["results"]
        start += PAGE_ROWS
        if start >= page["count"] or not page["results"]:
            return


def _body_title(slug: str | None) -> str:
    body = config.registry().get(slug) if slug else None
    return body.title(current_lang()) if body else (slug or "")


def dataset_url(name: str) -> str:
    # CKAN's dataset route, built by hand: url_for per row costs more than the report itself.
    return f"{tk.config.get('ckan.site_url', '').rstrip('/')}/dataset/{name}"


class _Texts:
    """Labels looked up once per report: gettext per row would cost more than the query."""

    def __init__(self, frequencies) -> None:
        self.lang = current_lang()
        self.frequencies = frequencies
        self.states = {s: state_label(s) for s in REPORT_STATES}
        self._bodies: dict[str | None, str] = {}
        self._frequencies: dict[str, str] = {}
        self._days: dict[tuple[bool, int | None], str] = {}

    def body(self, slug: str | None) -> str:
        if slug not in self._bodies:
            self._bodies[slug] = _body_title(slug)
        return self._bodies[slug]

    def frequency(self, value: str) -> str:
        if value not in self._frequencies:
            self._frequencies[value] = self.frequencies.label(value, self.lang) if value else ""
        return self._frequencies[value]

    def days(self, st: deadlines.DeadlineStatus) -> str:
        key = (st.state in LATE_STATES, st.working_days)
        if key not in self._days:
            self._days[key] = days_text(st)
        return self._days[key]


def make_row(
    doc: Mapping[str, Any],
    as_of: date,
    *,
    frequencies,
    calendar,
    due_soon_days: int,
    texts: _Texts | None = None,
) -> dict[str, Any]:
    """One report row from a Solr document, evaluated on ``as_of``."""
    texts = texts or _Texts(frequencies)
    result = status.evaluate(
        status.stored_getter(doc),
        as_of,
        frequencies=frequencies,
        calendar=calendar,
        due_soon_days=due_soon_days,
    )
    st, inputs = result.status, result.inputs
    frequency = inputs.frequency if inputs else (doc.get("extras_update_frequency") or "")
    return {
        "id": doc["id"],
        "name": doc.get("name"),
        "title": doc.get("title"),
        "url": dataset_url(doc.get("name") or doc["id"]),
        "body": doc.get("organization"),
        "body_title": texts.body(doc.get("organization")),
        "maintainer": doc.get("maintainer") or "",
        "maintainer_email": doc.get("maintainer_email") or "",
        "update_frequency": frequency,
        "update_frequency_label": texts.frequency(frequency),
        "data_changed": iso(inputs.changed if inputs else None),
        "last_update": iso(inputs.last_update if inputs else None),
        "next_due": iso(st.next_due),
        "state": st.state,
        "state_label": texts.states[st.state],
        "reason": st.reason,
        "working_days": st.working_days,
        "days_text": texts.days(st),
        "problem": problem_text(result) if result.error or st.state == deadlines.NEVER_UPDATED else "",
    }



def summarise(rows: Iterable[Mapping[str, Any]], bodies: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Per-body counts by state and the on-time share.

    On-time share: on time or due soon, out of the datasets a deadline applies to (all but
    "no longer updated"); datasets without dates or with passport errors count as not on time.
    """
    per_body: dict[str, dict[str, Any]] = {}

    def entry(slug: str) -> dict[str, Any]:
        if slug not in per_body:
            per_body[slug] = {
                "body": slug,
                "body_title": _body_title(slug),
                "total": 0,
                "counts": dict.fromkeys(REPORT_STATES, 0),
            }
        return per_body[slug]

    for slug in bodies:
        entry(slug)
    for row in rows:
        e = entry(row["body"] or "")
        e["total"] += 1
        e["counts"][row["state"]] += 1
    result = [_with_shares(e) for e in per_body.values()]
    result.sort(key=lambda e: e["body_title"].casefold())
    return result


def _with_shares(e: dict[str, Any]) -> dict[str, Any]:
    counts = e["counts"]
    applicable = e["total"] - counts[deadlines.DISCONTINUED] - counts[deadlines.RESTRICTED]
    good = sum(counts[s] for s in GOOD_STATES)
    e["overdue"] = sum(counts[s] for s in LATE_STATES)
    e["on_time_percent"] = round(100 * good / applicable, 1) if applicable else None
    return e


def totals(summary: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    e: dict[str, Any] = {
        "body": "",
        "body_title": _("All bodies"),
        "total": 0,
        "counts": dict.fromkeys(REPORT_STATES, 0),
    }
    for s in summary:
        e["total"] += s["total"]
        for state, n in s["counts"].items():
            e["counts"][state] += n
    return _with_shares(e)


def sort_rows(rows: list[dict[str, Any]], sort: str = "due", reverse: bool = False) -> list[dict[str, Any]]:
    far = "9999-12-31"
    keys = {
        "due": lambda r: (r["next_due"] or far, SEVERITY[r["state"]], r["title"] or ""),
        "days": lambda r: (
            -(r["working_days"] or 0) if r["state"] in LATE_STATES else (r["working_days"] or 0) + 10**6,
            r["title"] or "",
        ),
        "body": lambda r: (r["body_title"].casefold(), SEVERITY[r["state"]], r["next_due"] or far),
        "title": lambda r: (r["title"] or "").casefold(),
        "state": lambda r: (SEVERITY[r["state"]], r["next_due"] or far),
    }
    return sorted(rows, key=keys[sort], reverse=reverse)


def sort_summary(
    summary: list[dict[str, Any]], sort: str = "body", reverse: bool = False
) -> list[dict[str, Any]]:
    keys = {
        "body": lambda e: e["body_title"].casefold(),
        "on_time": lambda e: (-1 if e["on_time_percent"] is None else e["on_time_percent"], e["body_title"]),
        "overdue": lambda e: (e["overdue"], e["body_title"]),
        "total": lambda e: (e["total"], e["body_title"]),
    }
    return sorted(summary, key=keys[sort], reverse=reverse)


def _rows_of(
    docs: Iterable[Mapping[str, Any]],
    as_of: date,
    frequencies: Any,
    calendar: Any,
    due_soon_days: int,
    national: Mapping[str, tuple[date, date]],
) -> list[dict[str, Any]]:
    """Report rows of Solr documents, evaluated on ``as_of``; a national copy behind is applied."""
    texts = _Texts(frequencies)
    rows = [
        make_row(
            doc, as_of, frequencies=frequencies, calendar=calendar, due_soon_days=due_soon_days, texts=texts
        )
        for doc in docs
    ]
    for row in rows:
        if row["id"] in national:
            apply_national(row, *national[row["id"]], as_of=as_of, calendar=calendar, texts=texts)
    return rows


def build_report(
    context: Mapping[str, Any],
    *,
    body: str | None = None,
    states: Iterable[str] | None = None,
    as_of: date | None = None,
    sort: str = "due",
    due_soon_days: int | None = None,
    start: int = 0,
    rows: int | None = None,
) -> dict[str, Any]:
    """The report as plain data: ``datasets`` (rows), ``summary`` (per body) and ``totals``.

    ``due_soon_days`` overrides the portal's setting (the reminders' own horizon). With
    ``rows``, ``datasets`` holds that many from ``start``, cut by Solr where it can order
    them (see ``_paged``); otherwise the page is cut from the full list.
    """
    as_of = as_of or workdays.kyiv_today()
    wanted: list[str] = expand_states(states) if states else list(REPORT_STATES)
    calendar = config.calendar()
    if due_soon_days is None:
        due_soon_days = config.due_soon_days()
    frequencies = config.vocabulary("frequencies")

    page_rows = rows  # ``rows`` names the report's rows below
    national = national_deadlines(body, calendar) if counts_national() else {}
    if page_rows is not None:
        paged = _paged(
            context,
            body=body,
            wanted=wanted,
            as_of=as_of,
            sort=sort,
            due_soon_days=due_soon_days,
            national=national,
            start=start,
            rows=page_rows,
        )
        if paged is not None:
            return paged
    # The index knows the passport's state only: a copy late nationally is one of the datasets
    # behind that are on time here. Those are read by id (Solr takes ~1,000 clauses a query);
    # beyond that, every dataset on time here is read.
    indexed = [s for s in wanted if s in ALL_STATES]
    good = [s for s in GOOD_STATES if s not in indexed]
    late = sorted(pid for pid, (_since, due) in national.items() if due < as_of)
    by_id = ""
    if OVERDUE_NATIONAL in wanted and late and good:
        if len(late) <= NATIONAL_IDS_MAX:
            ids = " OR ".join(solr_literal(i) for i in late)
            good_query = status.state_query(good, as_of, due_soon_days=due_soon_days, calendar=calendar)
            by_id = f"(+id:({ids}) +{good_query})"
        else:
            indexed = [s for s in ALL_STATES if s in indexed or s in GOOD_STATES]

    fq = []
    if body:
        fq.append(f"+organization:{solr_literal(body)}")
    if set(indexed) != set(ALL_STATES):
        clauses = (
            [status.state_query(indexed, as_of, due_soon_days=due_soon_days, calendar=calendar)]
            if indexed
            else []
        )
        fq.append("+(" + " OR ".join([*clauses, *([by_id] if by_id else [])]) + ")")
    docs = search_docs(context, " ".join(fq), REPORT_FIELDS) if indexed or by_id else ()
    found = _rows_of(docs, as_of, frequencies, calendar, due_soon_days, national)
    # The query selected on the indexed deadline; the rows are evaluated afresh. They differ
    # only if the calendar changed since indexing (until the next refresh): trust the fresh one.
    found = [r for r in found if r["state"] in wanted]
    summary = summarise(found, [body] if body else ())
    calendar_error = config.calendar_error()
    return {
        "as_of": as_of.isoformat(),
        "body": body,
        "states": wanted,
        "due_soon_days": due_soon_days,
        "count": len(found),
        "datasets": sort_rows(found, sort)[start : start + page_rows if page_rows is not None else None],
        "summary": summary,
        "totals": totals(summary),
        "calendar_error": str(calendar_error) if calendar_error else None,
        "counts_national": counts_national(),
    }


#: Solr orders of the overdue list that match ``sort_rows`` (the reason sorts as severity:
#: "change" before "period"); a sort by body title is not in the index.
SOLR_SORTS = {
    "due": (status.NEXT_DUE_FIELD, status.REASON_FIELD, "title_string"),
    "days": (status.NEXT_DUE_FIELD, "title_string"),
    "title": ("title_string",),
    "state": (status.REASON_FIELD, status.NEXT_DUE_FIELD),
}


def overdue_page(
    context: Mapping[str, Any],
    *,
    as_of: date | None = None,
    sort: str = "days",
    reverse: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any] | None:
    """One page of the overdue public datasets, cut by Solr (``start``/``rows`` with the
    sort in the index): ``count`` (all overdue), ``datasets`` (the page's rows, evaluated
    afresh), ``as_of``, ``due_soon_days``. None when the page cannot be cut at the source:
    datasets late only on data.gov.ua (report-only rows that the index cannot order); the
    caller then takes the full overdue report. A sort by body title (not in the index) is
    cut per body: the bodies' counts (one facet query) place the page on one or a few bodies,
    and each gives its slice sorted as ``sort_rows`` sorts within a body."""
    if sort not in (*SOLR_SORTS, "body"):
        return None
    as_of = as_of or workdays.kyiv_today()
    calendar = config.calendar()
    due_soon_days = config.due_soon_days()
    national = national_deadlines(None, calendar) if counts_national() else {}
    if any(due < as_of for _since, due in national.values()):
        return None
    frequencies = config.vocabulary("frequencies")
    query = status.state_query(status.OVERDUE_STATES, as_of, due_soon_days=due_soon_days, calendar=calendar)
    direction = "desc" if reverse else "asc"
    search = tk.get_action("package_search")

    def cut(fq: str, order: Iterable[str], start: int, rows: int) -> dict[str, Any]:
        return search(
            cast(Context, dict(context)),
            {
                "q": "*:*",
                "fq": fq,
                "fl": REPORT_FIELDS,
                "rows": rows,
                "start": start,
                "sort": ", ".join(f"{f} {direction}" for f in (*order, "id")),
                "include_private": False,
                "facet": "false",
            },
        )

    if sort == "body":
        docs, count = _by_body_title(context, query, reverse, offset, limit, cut)
    else:
        result = cut("+" + query, SOLR_SORTS[sort], offset, limit)
        docs, count = result["results"], result["count"]
    rows = _rows_of(docs, as_of, frequencies, calendar, due_soon_days, national)
    return {
        "as_of": as_of.isoformat(),
        "due_soon_days": due_soon_days,
        "count": count,
        "datasets": rows,
    }


def _by_body_title(
    context: Mapping[str, Any],
    query: str,
    reverse: bool,
    offset: int,
    limit: int,
    cut: Callable[[str, Iterable[str], int, int], dict[str, Any]],
) -> tuple[list[dict[str, Any]], int]:
    """The documents ``offset``..``offset + limit`` of the overdue list in body-title order
    and the list's length: the bodies' counts from one facet query, then a slice of each
    body the page covers (severity, then next due date within a body, as ``sort_rows``)."""
    counts = tk.get_action("package_search")(
        cast(Context, dict(context)),
        {
            "q": "*:*",
            "fq": "+" + query,
            "rows": 0,
            "facet.field": ["organization"],
            "facet.limit": -1,
            "facet.mincount": 1,
            "include_private": False,
        },
    )["facets"].get("organization", {})
    bodies = sorted(counts, key=lambda slug: _body_title(slug).casefold(), reverse=reverse)
    docs: list[dict[str, Any]] = []
    first = 0  # where the body starts in the whole list
    for slug in bodies:
        if len(docs) >= limit:
            break
        n = counts[slug]
        if first + n > offset:
            start = max(0, offset - first)
            wanted = min(limit - len(docs), n - start)
            fq = f"+organization:{solr_literal(slug)} +{query}"
            docs += cut(fq, SOLR_SORTS["state"], start, wanted)["results"]
        first += n
    return docs, sum(counts.values())


def _paged(
    context: Mapping[str, Any],
    *,
    body: str | None,
    wanted: list[str],
    as_of: date,
    sort: str,
    due_soon_days: int,
    national: Mapping[str, tuple[date, date]],
    start: int,
    rows: int,
) -> dict[str, Any] | None:
    """The report with one page of ``rows`` datasets cut by Solr, and its counts per body
    and state from facet counts (one query per state): nothing reads every dataset.
    None when Solr cannot give the page: a sort by body title, or a copy late on
    data.gov.ua that would move a dataset between states (report-only rows), or states other
    than the overdue ones (their order in ``sort_rows`` is not the index's: no next-due date,
    severity apart from the reason)."""
    if sort not in SOLR_SORTS or any(due < as_of for _since, due in national.values()):
        return None
    if not wanted or not set(wanted) <= set(LATE_STATES):  # no copy late nationally: see above
        return None
    calendar = config.calendar()
    frequencies = config.vocabulary("frequencies")
    indexed = [s for s in wanted if s in ALL_STATES]
    scope = f"+organization:{solr_literal(body)} " if body else ""
    search = tk.get_action("package_search")
    per_body: dict[str, dict[str, int]] = {}
    for state in indexed:
        query = status.state_query([state], as_of, due_soon_days=due_soon_days, calendar=calendar)
        result = search(
            cast(Context, dict(context)),
            {
                "q": "*:*",
                "fq": f"{scope}+{query}",
                "rows": 0,
                "facet.field": ["organization"],
                "facet.limit": -1,
                "include_private": False,
            },
        )
        for slug, n in result["facets"].get("organization", {}).items():
            per_body.setdefault(slug, dict.fromkeys(REPORT_STATES, 0))[state] += n
    docs: list[dict[str, Any]] = []
    count = 0
    if indexed:
        query = status.state_query(indexed, as_of, due_soon_days=due_soon_days, calendar=calendar)
        result = search(
            cast(Context, dict(context)),
            {
                "q": "*:*",
                "fq": f"{scope}+{query}",
                "fl": REPORT_FIELDS,
                "rows": rows,
                "start": start,
                "sort": ", ".join(f"{f} asc" for f in (*SOLR_SORTS[sort], "id")),
                "include_private": False,
                "facet": "false",
            },
        )
        docs, count = result["results"], result["count"]
    page = _rows_of(docs, as_of, frequencies, calendar, due_soon_days, national)
    if body:
        per_body.setdefault(body, dict.fromkeys(REPORT_STATES, 0))
    summary = [
        _with_shares(
            {"body": slug, "body_title": _body_title(slug), "total": sum(counts.values()), "counts": counts}
        )
        for slug, counts in per_body.items()
    ]
    summary.sort(key=lambda e: e["body_title"].casefold())
    calendar_error = config.calendar_error()
    return {
        "as_of": as_of.isoformat(),
        "body": body,
        "states": wanted,
        "due_soon_days": due_soon_days,
        "count": count,
        "start": start,
        "rows": rows,
        "datasets": page,
        "summary": summary,
        "totals": totals(summary),
        "calendar_error": str(calendar_error) if calendar_error else None,
        "counts_national": counts_national(),
    }


def national_deadlines(body: str | None, calendar: workdays.WorkCalendar) -> dict[str, tuple[date, date]]:
    """Dataset id → (day its national copy fell behind, last day to bring it in step), for
    every public dataset whose copy on data.gov.ua is behind (of one body, if given)."""
    org_ids = None
    if body:
        org = model.Group.get(body)
        org_ids = [org.id] if org is not None else []
    out = {}
    for s in sync_state.behind(org_ids):
        if s.behind_since is not None:
            since = workdays.to_kyiv_date(s.behind_since)
            out[s.package_id] = (since, deadlines.publication_deadline(since, calendar))
    return out


def apply_national(
    row: dict[str, Any],
    since: date,
    due: date,
    *,
    as_of: date,
    calendar: workdays.WorkCalendar,
    texts: _Texts,
) -> None:
    """Note on ``row`` that its national copy is behind; late (``overdue_national``) when the
    passport is on time here and the copy's deadline has passed (``passport_state`` keeps the
    state the passport alone gives)."""
    row["national_behind_since"] = since.isoformat()
    row["national_due"] = due.isoformat()
    if row["state"] not in GOOD_STATES or due >= as_of:
        return
    st = deadlines.DeadlineStatus(
        OVERDUE_NATIONAL, due, calendar.working_days_between(due, as_of), REASON_NATIONAL
    )
    row.update(
        passport_state=row["state"],
        state=OVERDUE_NATIONAL,
        state_label=texts.states[OVERDUE_NATIONAL],
        reason=REASON_NATIONAL,
        next_due=due.isoformat(),
        working_days=st.working_days,
        days_text=texts.days(st),
        problem=_("The copy on data.gov.ua has been behind since {date}.").format(date=f"{since:%d.%m.%Y}"),
    )


# -- exports -------------------------------------------------------------------------


def _columns() -> list[tuple[str, str]]:
    return [
        ("body_title", _("Body")),
        ("title", _("Dataset")),
        ("state_label", _("State")),
        ("days_text", _("Working days")),
        ("next_due", _("Next update due")),
        ("data_changed", _("Date the data changed")),
        ("last_update", _("Last update")),
        ("update_frequency_label", _("Update frequency")),
        ("maintainer", _("Responsible person")),
        ("maintainer_email", _("E-mail")),
        ("problem", _("Problem")),
        ("url", _("Link")),
    ]


def _summary_columns() -> list[tuple[str, str]]:
    return [
        ("body_title", _("Body")),
        ("total", _("Datasets")),
        ("on_time_percent", _("On time, %")),
        ("overdue", _("Overdue")),
        *((f"counts.{s}", state_label(s)) for s in report_states()),
    ]


def _cell(row: Mapping[str, Any], key: str) -> Any:
    if key.startswith("counts."):
        return row["counts"][key.split(".", 1)[1]]
    return row.get(key)


def to_csv(report: Mapping[str, Any]) -> bytes:
    """The datasets of the report as CSV (UTF-8 with BOM, so that Excel reads the Cyrillic)."""
    columns = _columns()
    return tabular.csv_bytes(
        [title for _key, title in columns],
        ([row.get(k) for k, _title in columns] for row in report["datasets"]),
    )


_DATE_KEYS = ("next_due", "data_changed", "last_update")


def to_xlsx(report: Mapping[str, Any]) -> bytes:
    """The report as a workbook: the per-body summary and the datasets, dates as dates."""

    def values(columns, rows) -> Iterator[list[Any]]:
        for row in rows:
            out = []
            for key, _title in columns:
                value = _cell(row, key)
                if key in _DATE_KEYS and value:
                    value = date.fromisoformat(value)
                out.append(value)
            yield out

    def widths(columns, given: Mapping[str, int]) -> list[int]:
        return [given.get(key, 14) for key, _title in columns]

    summary_columns = _summary_columns()
    summary = [
        *values(summary_columns, [*report["summary"], report["totals"]]),
        [],
        [_("As of"), date.fromisoformat(report["as_of"])],
    ]
    return tabular.xlsx_bytes(
        [
            tabular.Sheet(
                _("Summary"),
                [title for _key, title in summary_columns],
                summary,
                widths=widths(summary_columns, {"body_title": 50}),
            ),
            tabular.Sheet(
                _("Datasets"),
                [title for _key, title in _columns()],
                values(_columns(), report["datasets"]),
                widths=widths(
                    _columns(),
                    {
                        "body_title": 40,
                        "title": 60,
                        "state_label": 30,
                        "days_text": 24,
                        "problem": 40,
                        "url": 50,
                    },
                ),
            ),
        ]
    )


def to_table(report: Mapping[str, Any]) -> str:
    """A plain-text table for the terminal."""
    columns = [
        ("body", _("Body")),
        ("name", _("Dataset")),
        ("state", _("State")),
        ("next_due", _("Next update due")),
        ("days_text", _("Working days")),
    ]
    lines = [[title for _k, title in columns]]
    lines += [["" if r.get(k) is None else str(r.get(k)) for k, _t in columns] for r in report["datasets"]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )
