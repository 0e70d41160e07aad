"""The daily history of deadline states in PostgreSQL (the lutsk migration's tables):
idempotent per day, stretches of days per state, counts per body, days late."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.lutsk.model import history
from ckanext.lutsk.model.history import HistoryError, snapshot

D = dt.date


@pytest.fixture
def conn(with_plugins, clean_db):
    connection = model.Session.connection()
    connection.execute(history.INTERVALS.delete())
    connection.execute(history.DAILY.delete())
    yield connection
    model.Session.rollback()


def _intervals(conn) -> list[tuple]:
    rows = conn.execute(
        sa.select(
            history.INTERVALS.c.package_id,
            history.INTERVALS.c.since,
            history.INTERVALS.c.until,
            history.INTERVALS.c.body,
            history.INTERVALS.c.state,
        ).order_by(history.INTERVALS.c.package_id, history.INTERVALS.c.since)
    )
    return [tuple(r) for r in rows]


def test_a_state_change_closes_one_stretch_and_opens_the_next(conn):
    snapshot(conn, D(2026, 3, 2), [("a", "finance-budget", "on_time"), ("b", "legal", "due_soon")])
    snapshot(conn, D(2026, 3, 3), [("a", "finance-budget", "on_time"), ("b", "legal", "due_soon")])
    result = snapshot(
        conn, D(2026, 3, 5), [("a", "finance-budget", "overdue_frequency"), ("b", "legal", "due_soon")]
    )
    assert (result.datasets, result.opened, result.closed) == (2, 1, 1)
    assert _intervals(conn) == [
        ("a", D(2026, 3, 2), D(2026, 3, 5), "finance-budget", "on_time"),
        ("a", D(2026, 3, 5), None, "finance-budget", "overdue_frequency"),
        ("b", D(2026, 3, 2), None, "legal", "due_soon"),
    ]
    # A dataset that is no longer public ends its stretch; a body change starts a new one.
    snapshot(conn, D(2026, 3, 6), [("b", "education", "due_soon")])
    assert _intervals(conn)[1:] == [
        ("a", D(2026, 3, 5), D(2026, 3, 6), "finance-budget", "overdue_frequency"),
        ("b", D(2026, 3, 2), D(2026, 3, 6), "legal", "due_soon"),
        ("b", D(2026, 3, 6), None, "education", "due_soon"),
    ]


def test_same_day_runs_replace_each_other(conn):
    snapshot(conn, D(2026, 3, 2), [("a", "legal", "on_time")])
    snapshot(conn, D(2026, 3, 3), [("a", "legal", "overdue_change")])
    once = _intervals(conn)
    # The state changed again later the same day: the last run of the day wins...
    snapshot(conn, D(2026, 3, 3), [("a", "legal", "on_time")])
    assert _intervals(conn) == [("a", D(2026, 3, 2), None, "legal", "on_time")]
    # ...and running again with the first states restores exactly the first result.
    snapshot(conn, D(2026, 3, 3), [("a", "legal", "overdue_change")])
    snapshot(conn, D(2026, 3, 3), [("a", "legal", "overdue_change")])
    assert _intervals(conn) == once
    counts = history.daily_counts(conn, D(2026, 3, 1), D(2026, 3, 31))
    assert [(c.day, c.counts["overdue_change"], c.counts["on_time"]) for c in counts["legal"]] == [
        (D(2026, 3, 2), 0, 1),
        (D(2026, 3, 3), 1, 0),
    ], "one row per body and day, never doubled"


def test_an_earlier_day_than_the_history_is_refused(conn):
    snapshot(conn, D(2026, 3, 5), [("a", "legal", "on_time")])
    before = _intervals(conn)
    with pytest.raises(HistoryError, match="already has a snapshot of 2026-03-05, later than 2026-03-04"):
        snapshot(conn, D(2026, 3, 4), [("a", "legal", "overdue_change")])
    assert _intervals(conn) == before


def test_counts_per_body_and_days_late(conn):
    day = D(2026, 1, 1)
    states = ["on_time", "overdue_change", "overdue_change", "never_updated", "on_time", "invalid"]
    for i, state in enumerate(states):
        snapshot(conn, day + dt.timedelta(days=i), [("a", "legal", state), ("b", "legal", "discontinued")])
    assert history.bounds(conn) == (day, D(2026, 1, 6))
    series = history.daily_counts(conn, day, D(2026, 1, 6), bodies=["legal"])["legal"]
    assert [c.share for c in series] == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0], "discontinued is left out"
    assert series[-1].counts["invalid"] == 1
    # Late on 2, 3, 4 and 6 January; the open stretch counts up to the last snapshot only.
    assert history.late_days(conn, day, D(2026, 12, 31)) == {"a": ("legal", 4)}
    assert history.late_days(conn, D(2026, 1, 3), D(2026, 1, 3)) == {"a": ("legal", 1)}
    assert history.late_days(conn, D(2026, 2, 1), D(2026, 2, 28)) == {}
