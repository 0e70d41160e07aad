"""Update deadlines and dataset states: plain unit tests, no CKAN."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from dateutil.relativedelta import relativedelta

from ckanext.lutsk.domain import deadlines
from ckanext.lutsk.domain.deadlines import (
    DISCONTINUED,
    DUE_SOON,
    NEVER_UPDATED,
    ON_TIME,
    OVERDUE_CHANGE,
    OVERDUE_FREQUENCY,
    REASON_CHANGE,
    REASON_DISCONTINUED,
    REASON_NO_DATA,
    REASON_NOTHING_DUE,
    REASON_PERIOD,
    REASONS,
    STATES,
    DeadlineStatus,
    dataset_status,
    publication_deadline,
)
from ckanext.lutsk.domain.workdays import WorkCalendar

D = date
DAILY = relativedelta(days=1)
WEEKLY = relativedelta(weeks=1)
MONTHLY = relativedelta(months=1)
YEARLY = relativedelta(years=1)

WAR = WorkCalendar()  # martial law in force, no overrides
PEACE = WorkCalendar(martial_law_until=D(2026, 6, 30))


def status(
    today: date,
    *,
    changed=None,
    updated=None,
    published=None,
    period=None,
    discontinued=False,
    calendar=WAR,
    **kwargs,
) -> DeadlineStatus:
    return dataset_status(
        changed=changed,
        updated=updated,
        published=published,
        period=period,
        discontinued=discontinued,
        today=today,
        calendar=calendar,
        **kwargs,
    )


def check(result: DeadlineStatus, state, next_due, working_days, reason) -> None:
    assert result == DeadlineStatus(state, next_due, working_days, reason)


# -- publication_deadline ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changed", "deadline"),
    [
        (D(2026, 12, 24), D(2026, 12, 29)),  # 25 Dec works under martial law
        (D(2026, 4, 30), D(2026, 5, 5)),  # so does 1 May
        (D(2025, 12, 31), D(2026, 1, 5)),  # and 1 Jan
        (D(2021, 12, 23), D(2021, 12, 29)),  # pre-war: 27 Dec was off
        (D(2026, 3, 21), D(2026, 3, 25)),  # a Saturday change: day one is Sunday
        (D(2026, 3, 23), D(2026, 3, 26)),
    ],
)
def test_publication_deadline(changed, deadline):
    assert publication_deadline(changed, WAR) == deadline


def test_publication_deadline_after_martial_law():
    assert publication_deadline(D(2026, 12, 24), PEACE) == D(2026, 12, 30)


def test_publication_deadline_uses_the_default_calendar(monkeypatch):
    custom = WorkCalendar(days_off=[D(2026, 12, 28)])
    monkeypatch.setattr(deadlines, "default_calendar", lambda: custom)
    assert publication_deadline(D(2026, 12, 24)) == D(2026, 12, 30)
    result = dataset_status(
        changed=D(2026, 12, 24),
        updated=None,
        published=None,
        period=None,
        discontinued=False,
        today=D(2026, 12, 30),
    )
    check(result, DUE_SOON, D(2026, 12, 30), 0, REASON_CHANGE)


def test_publication_deadline_takes_the_kyiv_date_of_a_datetime():
    # 22:30 UTC on the 23rd is already the 24th in Kyiv.
    assert publication_deadline(datetime(2026, 12, 23, 22, 30), WAR) == D(2026, 12, 29)
    assert publication_deadline(datetime(2026, 12, 23, 21, 30), WAR) == D(2026, 12, 28)


# -- pending change (the three-working-day rule) ---------------------------------------


def test_overdue_change_counts_working_days_late():
    result = status(D(2026, 12, 31), changed=D(2026, 12, 24), updated=D(2026, 12, 1))
    check(result, OVERDUE_CHANGE, D(2026, 12, 29), 2, REASON_CHANGE)


def test_overdue_on_the_weekend_after_a_friday_deadline():
    changed, updated = D(2026, 12, 22), D(2026, 12, 1)
    check(
        status(D(2026, 12, 25), changed=changed, updated=updated), DUE_SOON, D(2026, 12, 25), 0, REASON_CHANGE
    )
    check(
        status(D(2026, 12, 26), changed=changed, updated=updated),
        OVERDUE_CHANGE,
        D(2026, 12, 25),
        0,
        REASON_CHANGE,
    )
    check(
        status(D(2026, 12, 28), changed=changed, updated=updated),
        OVERDUE_CHANGE,
        D(2026, 12, 25),
        1,
        REASON_CHANGE,
    )


def test_pending_change_is_due_soon_with_days_left():
    changed, updated = D(2026, 12, 24), D(2026, 12, 1)
    check(
        status(D(2026, 12, 24), changed=changed, updated=updated), DUE_SOON, D(2026, 12, 29), 3, REASON_CHANGE
    )
    check(
        status(D(2026, 12, 29), changed=changed, updated=updated), DUE_SOON, D(2026, 12, 29), 0, REASON_CHANGE
    )


def test_due_soon_days_sets_the_threshold():
    changed, updated = D(2026, 12, 24), D(2026, 12, 1)
    check(
        status(D(2026, 12, 28), changed=changed, updated=updated, due_soon_days=0),
        ON_TIME,
        D(2026, 12, 29),
        1,
        REASON_CHANGE,
    )
    check(
        status(D(2026, 12, 29), changed=changed, updated=updated, due_soon_days=0),
        DUE_SOON,
        D(2026, 12, 29),
        0,
        REASON_CHANGE,
    )


def test_change_without_any_update_is_pending():
    # 1 Jan 2027 is a working day under martial law.
    result = status(D(2027, 1, 4), changed=D(2026, 12, 24))
    check(result, OVERDUE_CHANGE, D(2026, 12, 29), 4, REASON_CHANGE)


@pytest.mark.parametrize("updated", [D(2026, 3, 2), D(2026, 3, 3)])
def test_change_already_on_the_portal_is_not_pending(updated):
    result = status(D(2026, 6, 1), changed=D(2026, 3, 2), updated=updated)
    check(result, ON_TIME, None, None, REASON_NOTHING_DUE)


def test_first_publication_includes_an_earlier_change():
    result = status(D(2026, 6, 1), changed=D(2026, 3, 1), published=D(2026, 3, 2))
    check(result, ON_TIME, None, None, REASON_NOTHING_DUE)


def test_change_in_the_future_does_not_crash():
    result = status(D(2026, 3, 2), changed=D(2026, 4, 1), updated=D(2026, 3, 1))
    check(result, ON_TIME, D(2026, 4, 6), 25, REASON_CHANGE)
    far = status(D(2026, 3, 2), changed=D(2100, 1, 1), updated=D(2026, 3, 1))
    assert far.state == ON_TIME
    assert far.next_due == D(2100, 1, 6)


def test_end_of_martial_law_changes_the_status():
    kwargs = {"changed": D(2026, 12, 24), "updated": D(2026, 12, 1)}
    check(status(D(2026, 12, 30), **kwargs), OVERDUE_CHANGE, D(2026, 12, 29), 1, REASON_CHANGE)
    check(status(D(2026, 12, 30), calendar=PEACE, **kwargs), DUE_SOON, D(2026, 12, 30), 0, REASON_CHANGE)


# -- declared frequency -------------------------------------------------------------


def test_on_time_by_frequency():
    result = status(D(2026, 3, 10), updated=D(2026, 3, 2), period=MONTHLY)
    check(result, ON_TIME, D(2026, 4, 7), 20, REASON_PERIOD)


def test_overdue_frequency_after_period_and_three_working_days():
    # 15 Feb 2026 is a Sunday: the three days are 16, 17 and 18 Feb.
    result = status(D(2026, 3, 2), updated=D(2026, 1, 15), period=MONTHLY)
    check(result, OVERDUE_FREQUENCY, D(2026, 2, 18), 8, REASON_PERIOD)


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (D(2026, 2, 12), ON_TIME, 4),
        (D(2026, 2, 13), DUE_SOON, 3),
        (D(2026, 2, 16), DUE_SOON, 2),
        (D(2026, 2, 18), DUE_SOON, 0),
    ],
)
def test_due_soon_by_frequency(today, state, left):
    result = status(today, updated=D(2026, 1, 15), period=MONTHLY)
    check(result, state, D(2026, 2, 18), left, REASON_PERIOD)


def test_first_overdue_day_by_frequency():
    result = status(D(2026, 2, 19), updated=D(2026, 1, 15), period=MONTHLY)
    check(result, OVERDUE_FREQUENCY, D(2026, 2, 18), 1, REASON_PERIOD)


def test_published_is_the_baseline_without_updates():
    result = status(D(2026, 3, 13), published=D(2026, 3, 2), period=WEEKLY)
    check(result, OVERDUE_FREQUENCY, D(2026, 3, 12), 1, REASON_PERIOD)


def test_latest_of_updated_and_published_is_the_baseline():
    result = status(D(2026, 3, 5), updated=D(2026, 1, 1), published=D(2026, 3, 2), period=WEEKLY)
    check(result, ON_TIME, D(2026, 3, 12), 5, REASON_PERIOD)


def test_daily_period():
    result = status(D(2026, 12, 24), updated=D(2026, 12, 24), period=DAILY)
    check(result, ON_TIME, D(2026, 12, 30), 4, REASON_PERIOD)


def test_zero_period_means_no_period():
    result = status(D(2026, 12, 24), updated=D(2026, 1, 1), period=relativedelta())
    check(result, ON_TIME, None, None, REASON_NOTHING_DUE)


def test_yearly_from_29_february():
    updated = D(2024, 2, 29)  # + 1 year = Fri 28 Feb 2025
    check(status(D(2025, 3, 5), updated=updated, period=YEARLY), DUE_SOON, D(2025, 3, 5), 0, REASON_PERIOD)
    check(
        status(D(2025, 3, 6), updated=updated, period=YEARLY),
        OVERDUE_FREQUENCY,
        D(2025, 3, 5),
        1,
        REASON_PERIOD,
    )


def test_monthly_from_the_31st():
    # 31 Jan + 1 month = Sat 28 Feb 2026, so the three days start on Monday.
    result = status(D(2026, 3, 4), updated=D(2026, 1, 31), period=MONTHLY)
    check(result, DUE_SOON, D(2026, 3, 4), 0, REASON_PERIOD)


def test_leap_day_in_the_count():
    # 2028 is a leap year: Tue 29 Feb is a working day between the two.
    result = status(D(2028, 2, 28), updated=D(2028, 1, 25), period=MONTHLY)
    check(result, DUE_SOON, D(2028, 3, 1), 2, REASON_PERIOD)


# -- both rules ---------------------------------------------------------------------


def test_earlier_frequency_deadline_wins_over_a_later_change():
    result = status(D(2026, 3, 2), changed=D(2026, 2, 27), updated=D(2026, 1, 15), period=MONTHLY)
    check(result, OVERDUE_FREQUENCY, D(2026, 2, 18), 8, REASON_PERIOD)


def test_earlier_change_deadline_wins_over_the_frequency():
    kwargs = {"changed": D(2026, 3, 5), "updated": D(2026, 3, 2), "period": MONTHLY}
    check(status(D(2026, 3, 9), **kwargs), DUE_SOON, D(2026, 3, 10), 1, REASON_CHANGE)
    check(status(D(2026, 3, 11), **kwargs), OVERDUE_CHANGE, D(2026, 3, 10), 1, REASON_CHANGE)


def test_tie_is_reported_as_the_change_rule():
    result = status(D(2026, 2, 19), changed=D(2026, 2, 13), updated=D(2026, 1, 15), period=MONTHLY)
    check(result, OVERDUE_CHANGE, D(2026, 2, 18), 1, REASON_CHANGE)


# -- no data, no period, discontinued ------------------------------------------------


@pytest.mark.parametrize("period", [None, MONTHLY])
def test_never_updated_without_any_date(period):
    check(status(D(2026, 3, 2), period=period), NEVER_UPDATED, None, None, REASON_NO_DATA)


def test_immediately_after_changes_without_a_change_is_on_time():
    result = status(D(2026, 3, 2), published=D(2020, 1, 1))
    check(result, ON_TIME, None, None, REASON_NOTHING_DUE)


@pytest.mark.parametrize(
    "dates",
    [
        {},
        {"updated": D(2025, 1, 1)},
        {"changed": D(2024, 5, 1), "updated": D(2025, 1, 1)},
    ],
)
def test_discontinued(dates):
    result = status(D(2026, 3, 2), period=MONTHLY, discontinued=True, **dates)
    check(result, DISCONTINUED, None, None, REASON_DISCONTINUED)


def test_discontinued_still_owes_a_pending_change():
    result = status(D(2026, 3, 2), changed=D(2026, 2, 20), updated=D(2025, 1, 1), discontinued=True)
    check(result, OVERDUE_CHANGE, D(2026, 2, 25), 3, REASON_CHANGE)


# -- inputs and the result type --------------------------------------------------------


def test_datetimes_are_taken_as_kyiv_dates():
    result = status(
        datetime(2026, 12, 28, 22, 30),  # the 29th in Kyiv
        changed=datetime(2026, 12, 23, 22, 30),  # the 24th in Kyiv
        updated=D(2026, 12, 1),
    )
    check(result, DUE_SOON, D(2026, 12, 29), 0, REASON_CHANGE)


def test_states_and_reasons_are_exported():
    assert set(STATES) == {
        ON_TIME,
        DUE_SOON,
        OVERDUE_CHANGE,
        OVERDUE_FREQUENCY,
        NEVER_UPDATED,
        DISCONTINUED,
        "restricted",
    }
    assert len(STATES) == 7
    assert len(set(REASONS)) == 6
    assert all(isinstance(s, str) for s in STATES + REASONS)


def test_status_is_frozen():
    result = status(D(2026, 3, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.state = ON_TIME  # type: ignore[misc]
