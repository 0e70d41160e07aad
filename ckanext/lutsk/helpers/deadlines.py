"""Template helpers of the update deadlines (``h.lutsk_deadline_*``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import deadlines, restrictions

CSS = {
    deadlines.ON_TIME: "bg-success",
    deadlines.DUE_SOON: "bg-warning text-dark",
    deadlines.OVERDUE_CHANGE: "bg-danger",
    deadlines.OVERDUE_FREQUENCY: "bg-danger",
    status.OVERDUE_NATIONAL: "bg-danger",
    deadlines.NEVER_UPDATED: "bg-secondary",
    deadlines.DISCONTINUED: "bg-light text-dark",
    deadlines.RESTRICTED: "bg-info text-dark",
    status.INVALID: "bg-dark",
}


def lutsk_deadline_state_label(state: str) -> str:
    return deadline_report.state_label(state)


def lutsk_deadline_css(state: str) -> str:
    return CSS.get(state, "bg-secondary")


def lutsk_deadline_states() -> list[tuple[str, str]]:
    """Every state a report shows on this portal with its label, most urgent first."""
    ordered = sorted(deadline_report.report_states(), key=deadline_report.SEVERITY.__getitem__)
    return [(s, deadline_report.state_label(s)) for s in ordered]


def lutsk_deadline_badge(pkg: dict[str, Any] | None) -> dict[str, Any] | None:
    """The badge of a dataset: state, label, colour and a short explanation."""
    if not pkg or (pkg.get("type") or "dataset") != "dataset":
        return None
    result = status.package_status(pkg)
    st = result.status
    detail = deadline_report.days_text(st) or deadline_report.problem_text(result)
    restriction = restrictions.of_dataset(pkg) if st.state == deadlines.RESTRICTED else None
    if restriction is not None:
        # Shown publicly: on what basis, and when the restriction is to be reviewed.
        detail = restriction.basis
        if restriction.review:
            detail += " · " + tk._("review on {date}").format(date=f"{restriction.review:%d.%m.%Y}")
    title = ""
    if st.next_due is not None:
        rule = (
            tk._("three working days after the data changed")
            if st.reason == deadlines.REASON_CHANGE
            else tk._("the declared update frequency")
        )
        title = tk._("Next update due {date} ({rule})").format(date=f"{st.next_due:%d.%m.%Y}", rule=rule)
    return {
        "state": st.state,
        "label": deadline_report.state_label(st.state),
        "css": lutsk_deadline_css(st.state),
        "detail": detail,
        "title": title or detail,
        "next_due": st.next_due.isoformat() if st.next_due else None,
    }
