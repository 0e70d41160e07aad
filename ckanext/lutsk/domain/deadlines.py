"""Update deadlines of datasets (plain Python, no CKAN).

The mayor's order «Про відкриті дані Луцької міської ради», item 3: a dataset
is updated "не пізніше трьох робочих днів з дня внесення змін".  A dataset's
declared update frequency gives a second, periodic deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import overload

from dateutil.relativedelta import relativedelta

from ckanext.lutsk.domain.workdays import WorkCalendar, default_calendar, to_kyiv_date

__all__ = [
    "DISCONTINUED",
    "DUE_SOON",
    "NEVER_UPDATED",
    "ON_TIME",
    "OVERDUE_CHANGE",
    "OVERDUE_FREQUENCY",
    "REASONS",
    "REASON_CHANGE",
    "REASON_DISCONTINUED",
    "REASON_NOTHING_DUE",
    "REASON_NO_DATA",
    "REASON_PERIOD",
    "REASON_RESTRICTED",
    "RESTRICTED",
    "STATES",
    "UPDATE_WORKING_DAYS",
    "DeadlineStatus",
    "dataset_status",
    "publication_deadline",
]

UPDATE_WORKING_DAYS = 3

ON_TIME = "on_time"
DUE_SOON = "due_soon"
OVERDUE_CHANGE = "overdue_change"
OVERDUE_FREQUENCY = "overdue_frequency"
NEVER_UPDATED = "never_updated"
DISCONTINUED = "discontinued"
#: Restricted for the time of martial law (``domain.restrictions``): not late, not due.
RESTRICTED = "restricted"
STATES = (
    ON_TIME,
    DUE_SOON,
    OVERDUE_CHANGE,
    OVERDUE_FREQUENCY,
    NEVER_UPDATED,
    DISCONTINUED,
    RESTRICTED,
)

# Which rule decided the status; stable codes for the UI to translate.
REASON_CHANGE = "change"  # next_due comes from a change not yet on the portal
REASON_PERIOD = "period"  # next_due comes from the declared frequency
REASON_NOTHING_DUE = "nothing_due"  # no pending change and no period
REASON_NO_DATA = "no_data"  # no changed, updated or published date at all
REASON_DISCONTINUED = "discontinued"  # "no longer updated", nothing pending
REASON_RESTRICTED = "restricted"  # restricted under martial law
REASONS = (
    REASON_CHANGE,
    REASON_PERIOD,
    REASON_NOTHING_DUE,
    REASON_NO_DATA,
    REASON_DISCONTINUED,
    REASON_RESTRICTED,
)


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    """Where a dataset stands against its update deadlines.

    ``working_days``: for overdue states, working days in (next_due, today]
    (0 on a day off right after the deadline: late, but no working day lost
    yet); for on_time/due_soon, working days in (today, next_due] (0 = due
    today); None when there is no next_due.
    """

    state: str
    next_due: date | None
    working_days: int | None
    reason: str


def publication_deadline(changed: date, calendar: WorkCalendar | None = None) -> date:
    """Last day on which the update of a change made on ``changed`` is on time.

    Day one is the day after the change (Civil Code art. 253); the deadline is
    the end of the third working day.
    """
    cal = calendar if calendar is not None else default_calendar()
    return cal.add_working_days(_as_date(changed), UPDATE_WORKING_DAYS)


def dataset_status(
    *,
    changed: date | None,
    updated: date | None,
    published: date | None,
    period: relativedelta | None,
    discontinued: bool,
    today: date,
    due_soon_days: int = 3,
    calendar: WorkCalendar | None = None,
    restricted: bool = False,
) -> DeadlineStatus:
    """The deadline state of one dataset on ``today``.

    ``changed``: when the data last changed (entered by the body);
    ``updated``: when the portal copy last got new data; ``published``: first
    publication; ``period``: the declared frequency (None for "immediately
    after making changes" and "no longer updated"); ``discontinued``: the
    frequency is "no longer updated"; ``restricted``: restricted under martial law
    (then nothing is due).  Datetimes are converted to Kyiv dates.
    """
    if restricted:
        return DeadlineStatus(RESTRICTED, None, None, REASON_RESTRICTED)
    cal = calendar if calendar is not None else default_calendar()
    changed, updated, published = map(_as_date, (changed, updated, published))
    today = _as_date(today)

    # The first publication carries data too, so it is the baseline when no
    # later update is recorded; if both exist, the later one is the latest data.
    baseline = max((d for d in (updated, published) if d is not None), default=None)

    # A change counts as pending until an update on or after its day: an
    # update on the day of the change is taken to include it.
    change_due = None
    if changed is not None and (baseline is None or changed > baseline):
        change_due = publication_deadline(changed, cal)

    if discontinued:
        # "No longer updated" stops the periodic rule only: a change that was
        # made and not yet published is still owed under the order, item 3.
        if change_due is None:
            return DeadlineStatus(DISCONTINUED, None, None, REASON_DISCONTINUED)
        return _against(change_due, REASON_CHANGE, today, due_soon_days, cal)

    # A zero relativedelta is falsy: treated as "no period", not "due daily".
    period_due = None
    if period and baseline is not None:
        period_due = publication_deadline(baseline + period, cal)

    if change_due is None and period_due is None:
        if baseline is None:
            # Nothing says the dataset ever had data or when it changed, so no
            # deadline can be computed: flag it rather than call it on time.
            return DeadlineStatus(NEVER_UPDATED, None, None, REASON_NO_DATA)
        # "Immediately after making changes" with no pending change.
        return DeadlineStatus(ON_TIME, None, None, REASON_NOTHING_DUE)

    # The earlier deadline wins; on a tie the change rule (the order's own
    # rule) is named.
    dues = [(d, r) for d, r in ((change_due, REASON_CHANGE), (period_due, REASON_PERIOD)) if d is not None]
    due, reason = min(dues, key=lambda pair: pair[0])  # min keeps the first of equals
    return _against(due, reason, today, due_soon_days, cal)


def _against(due: date, reason: str, today: date, due_soon_days: int, cal: WorkCalendar) -> DeadlineStatus:
    """Compare ``today`` with the deadline ``due`` set by rule ``reason``."""
    if today > due:
        state = OVERDUE_CHANGE if reason == REASON_CHANGE else OVERDUE_FREQUENCY
        return DeadlineStatus(state, due, cal.working_days_between(due, today), reason)
    left = cal.working_days_between(today, due)
    state = DUE_SOON if left <= due_soon_days else ON_TIME
    return DeadlineStatus(state, due, left, reason)


@overload
def _as_date(value: date) -> date: ...
@overload
def _as_date(value: date | None) -> date | None: ...
def _as_date(value: date | None) -> date | None:
    # CKAN hands over UTC datetimes; their UTC date can be a day off from the
    # Kyiv date near midnight, so convert instead of truncating.
    return to_kyiv_date(value) if isinstance(value, datetime) else value
