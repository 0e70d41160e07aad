"""The per-body summary of the ICT department's overview (``/lutsk/deadlines``) from Solr
facet counts.

The overview shows every body's counts by state and its on-time share, and the overdue
datasets. Building the counts from the full ``lutsk_deadline_report`` would read and
evaluate every public dataset (0.6 s at 10,000 datasets, more than the page may take);
instead one ``package_search`` per state, ``rows=0`` and faceted by organization, counts
them from the indexed reason and next-due date (``status.state_query``: the selection the
report itself makes on any day). The overdue datasets come from the report asked for
``state=overdue``, which stays the one source of the rows.

Report-only states (those not in the index, e.g. a national copy late on data.gov.ua) are
taken from those overdue rows: each such dataset is moved from the state of its passport
(``passport_state``, where the index counted it) to its report state, as the report does.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.lang import current as current_lang

BODY_FIELD = "organization"


def _search_counts(fq: str) -> dict[str, int]:
    """Public datasets matching ``fq``, counted per body.

    Public datasets are the same for every user, so no permission labels are needed (they
    would cost more than the count); the caller has checked the user may see the report."""
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {
            "q": "*:*",
            "fq": fq,
            "rows": 0,
            "facet.field": [BODY_FIELD],
            "facet.limit": -1,
            "include_private": False,
        },
    )
    return dict(result["facets"].get(BODY_FIELD, {}))


def summary(overdue_report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per body, in the shape of the report's ``summary``: ``body``, ``body_title``,
    ``total``, ``counts`` (every state the report shows), ``overdue`` and
    ``on_time_percent``. ``overdue_report`` is ``lutsk_deadline_report`` for
    ``state=overdue`` (its day, horizon and state set are used)."""
    as_of = date.fromisoformat(overdue_report["as_of"])
    due_soon_days = overdue_report["due_soon_days"]
    calendar = config.calendar()
    states = list(overdue_report["totals"]["counts"])
    counts: dict[str, dict[str, int]] = {}

    def body(slug: str) -> dict[str, int]:
        return counts.setdefault(slug, dict.fromkeys(states, 0))

    for state in status.ALL_STATES:
        query = status.state_query([state], as_of, due_soon_days=due_soon_days, calendar=calendar)
        for slug, n in _search_counts("+" + query).items():
            body(slug)[state] += n

    # Report-only states: the index counted these datasets in the state of their passport.
    for row in overdue_report["datasets"]:
        if row["state"] not in status.ALL_STATES:
            slug = row["body"] or ""
            body(slug)[row["passport_state"]] -= 1
            body(slug)[row["state"]] += 1

    registry, lang = config.registry(), current_lang()
    out = []
    for slug, by_state in counts.items():
        out.append(
            _with_shares(
                {
                    "body": slug,
                    "body_title": registry.title_of(slug, lang),
                    "total": sum(by_state.values()),
                    "counts": by_state,
                }
            )
        )
    out.sort(key=lambda e: e["body_title"].casefold())
    return out


def _with_shares(entry: dict[str, Any]) -> dict[str, Any]:
    # The report's own arithmetic: the totals of a one-body summary are that body's figures.
    shares = deadline_report.totals([entry])
    entry["overdue"] = shares["overdue"]
    entry["on_time_percent"] = shares["on_time_percent"]
    return entry


def counts_on(as_of: date) -> dict[str, dict[str, int]]:
    """Per body, how many public datasets are in each indexed state on ``as_of``, from the
    Solr index at once (one faceted count per state): the public timeliness page's "today"
    before, or beside, the daily history."""
    calendar = config.calendar()
    due_soon_days = config.due_soon_days()
    out: dict[str, dict[str, int]] = {}
    for state in status.ALL_STATES:
        fq = status.state_query([state], as_of, due_soon_days=due_soon_days, calendar=calendar)
        for body, n in _search_counts(fq).items():
            if n:
                out.setdefault(body, {})[state] = n
    return out
