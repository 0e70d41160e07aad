"""Keep the indexed deadline states current: ``ckan lutsk deadlines refresh``.

Every save indexes the state of its dataset; time alone then moves datasets from on
time to due soon to overdue. The refresh finds those by reading the index (one paged
query per indexed state, stored fields only), evaluates each document afresh, and
re-indexes only the ones whose state or next-due date is no longer what is indexed
(time passed, or the calendar file changed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import workdays
from ckanext.lutsk.model import ckan_compat

CHECK_FIELDS = ["id", *(f"extras_{f}" for f in status.INPUT_FIELDS), status.NEXT_DUE_FIELD]


@dataclass
class RefreshPlan:
    checked: int = 0
    stale: list[str] = field(default_factory=list)
    #: (indexed state, fresh state) -> number of datasets
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)


def find_stale(today: date | None = None) -> RefreshPlan:
    """Datasets whose indexed deadline differs from a fresh evaluation on ``today``."""
    today = today or workdays.kyiv_today()
    frequencies = config.vocabulary("frequencies")
    calendar = config.calendar()
    due_soon_days = config.due_soon_days()
    context = {"ignore_auth": True}
    plan = RefreshPlan()
    # The state field is indexed but not stored (CKAN's schema): filter by it, one query
    # per state, and a last one for documents indexed before this feature existed.
    buckets: list[tuple[str, str]] = [(s, f"+{status.STATE_FIELD}:{s}") for s in status.ALL_STATES]
    buckets.append(("", f"-{status.STATE_FIELD}:[* TO *]"))
    for indexed_state, fq in buckets:
        docs = deadline_report.search_docs(
            context, f"{fq} +state:(active OR draft)", CHECK_FIELDS, include_private=True
        )
        for doc in docs:
            plan.checked += 1
            fresh = status.evaluate(
                status.stored_getter(doc),
                today,
                frequencies=frequencies,
                calendar=calendar,
                due_soon_days=due_soon_days,
            )
            indexed_due = status.parse_solr_date(doc.get(status.NEXT_DUE_FIELD))
            if fresh.state != indexed_state or fresh.status.next_due != indexed_due:
                plan.stale.append(doc["id"])
                plan.moves[(indexed_state, fresh.state)] += 1
    return plan


def reindex(
    package_ids: Iterable[str], progress: Callable[[], None] | None = None, *, commit: bool = True
) -> int:
    """Re-index datasets through CKAN's indexer (whole documents), one commit at the end."""
    done = 0
    try:
        for package_id in package_ids:
            try:
                ckan_compat.index_package(package_id, defer_commit=True)
            except tk.ObjectNotFound:
                continue  # purged since the query: nothing to index
            done += 1
            if progress:
                progress()
    finally:
        if done and commit:
            # Wait for the new searcher, so the next query sees what was written.
            make_connection().commit(waitSearcher=True)
    return done
