"""Template helpers of the update deadlines (``h.lutsk_deadline_*``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import lang
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


#: The badge of a private or draft dataset (not a deadline state: it has no deadline yet).
UNPUBLISHED = "unpublished"


def lutsk_is_published(pkg: dict[str, Any] | None) -> bool:
    """Public and not a draft: what the deadline badge and the «Publish» button turn on."""
    if not pkg:
        return False
    return not tk.asbool(pkg.get("private")) and not str(pkg.get("state") or "active").startswith("draft")


def lutsk_can_make_public(pkg: dict[str, Any] | None) -> bool:
    """The «Publish» button: a private or draft dataset, for those who may edit it."""
    if not pkg or lutsk_is_published(pkg) or not tk.current_user.is_authenticated:
        return False
    try:
        tk.check_access("package_update", {"user": tk.current_user.name}, {"id": pkg["id"]})
    except tk.NotAuthorized:
        return False
    return True


def lutsk_percent(value: float | int | None) -> str:
    """«81 %», «81,5 %» in the page's language; «—» for none."""
    return lang.percent(value)


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
    if not lutsk_is_published(pkg):
        # The deadlines run from the first publication: none yet to keep.
        detail = tk._("Only the body's editors see it until it is published.")
        return {
            "state": UNPUBLISHED,
            "label": tk._("Not public"),
            "css": "bg-secondary",
            "detail": "",
            "title": detail,
            "next_due": None,
        }
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
