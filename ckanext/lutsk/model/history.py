"""Timeliness history: a daily snapshot of every public dataset's deadline state.

Two tables (created by the lutsk migration ``7d3e9b1c4a20``):

* ``lutsk_status_history``: per dataset, stretches of days in one state for one body
  (``since`` inclusive, ``until`` exclusive, NULL while current). A dataset's state
  changes a few times a month, so this keeps a year of daily states in a fraction of
  the rows that one row per dataset per day would take.
* ``lutsk_timeliness_daily``: per day and body, how many public datasets were in each
  state: what the public page and the audit plan read.

``snapshot`` is idempotent per day: a second run on the same day first undoes what
the first wrote for that day, then records the day's states again, so the last run
of a day wins and nothing is counted twice. Run it from cron once a day
(``ckan lutsk history snapshot``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ckanext.lutsk.domain import annex835, deadlines
from ckanext.lutsk.domain.timeliness import DayCounts

__all__ = [
    "DAILY",
    "INTERVALS",
    "HistoryError",
    "SnapshotResult",
    "bounds",
    "daily_counts",
    "late_days",
    "snapshot",
]

metadata = sa.MetaData()

INTERVALS = sa.Table(
    "lutsk_status_history",
    metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("since", sa.Date, primary_key=True),
    sa.Column("until", sa.Date),
    sa.Column("body", sa.UnicodeText, nullable=False),
    sa.Column("state", sa.UnicodeText, nullable=False),
)

#: The states the daily table counts: those of ``deadlines`` plus ``status.INVALID``.
STATES = (*deadlines.STATES, "invalid")

DAILY = sa.Table(
    "lutsk_timeliness_daily",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("body", sa.UnicodeText, primary_key=True),
    *(sa.Column(state, sa.Integer, nullable=False, default=0) for state in STATES),
)

#: States in which a dataset is past its deadline, has no data at all, or cannot be read.
LATE_STATES = tuple(sorted(annex835.LATE_STATES))

# One snapshot at a time: two cron runs racing would otherwise both close and open.
_LOCK_KEY = 0x6C75_7473  # "luts"


class HistoryError(ValueError):
    """The snapshot cannot be taken (e.g. the history already goes past that day)."""


@dataclass(frozen=True)
class SnapshotResult:
    day: dt.date
    datasets: int
    opened: int
    closed: int


def snapshot(
    conn: sa.engine.Connection,
    day: dt.date,
    current: Iterable[tuple[str, str, str]],
) -> SnapshotResult:
    """Record ``current`` — ``(package_id, body, state)`` of every public dataset — as
    the states of ``day``, in the caller's transaction.

    Raises ``HistoryError`` when the history already holds a later day: states cannot
    be inserted into the past without rewriting it.
    """
    states = {pid: (body, state) for pid, body, state in current if body}
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    latest = conn.execute(sa.select(sa.func.max(INTERVALS.c.since))).scalar()
    latest_day = conn.execute(sa.select(sa.func.max(DAILY.c.day))).scalar()
    ahead = max((d for d in (latest, latest_day) if d is not None), default=None)
    if ahead is not None and ahead > day:
        raise HistoryError(
            f"the history already has a snapshot of {ahead.isoformat()}, later than {day.isoformat()}"
        )
    # Undo an earlier run of the same day, so this run replaces it.
    conn.execute(INTERVALS.delete().where(INTERVALS.c.since == day))
    conn.execute(INTERVALS.update().where(INTERVALS.c.until == day).values(until=None))

    open_rows = {
        r.package_id: (r.body, r.state)
        for r in conn.execute(
            sa.select(INTERVALS.c.package_id, INTERVALS.c.body, INTERVALS.c.state).where(
                INTERVALS.c.until.is_(None)
            )
        )
    }
    to_close = [pid for pid, was in open_rows.items() if states.get(pid) != was]
    to_open = [
        {"package_id": pid, "since": day, "until": None, "body": body, "state": state}
        for pid, (body, state) in states.items()
        if open_rows.get(pid) != (body, state)
    ]
    # One statement each, the ids as arrays: a day can move tens of thousands of datasets.
    if to_close:
        conn.execute(
            sa.text(
                "UPDATE lutsk_status_history SET until = :day WHERE until IS NULL AND package_id = ANY(:ids)"
            ),
            {"day": day, "ids": to_close},
        )
    if to_open:
        conn.execute(
            sa.text(
                """INSERT INTO lutsk_status_history (package_id, since, until, body, state)
                   SELECT o.package_id, :day, NULL, o.body, o.state
                   FROM unnest(CAST(:ids AS text[]), CAST(:bodies AS text[]), CAST(:states AS text[]))
                        AS o(package_id, body, state)"""
            ),
            {
                "day": day,
                "ids": [r["package_id"] for r in to_open],
                "bodies": [r["body"] for r in to_open],
                "states": [r["state"] for r in to_open],
            },
        )

    counts: dict[str, dict[str, int]] = {}
    for body, state in states.values():
        per_body = counts.setdefault(body, dict.fromkeys(STATES, 0))
        per_body[state] = per_body.get(state, 0) + 1
    conn.execute(DAILY.delete().where(DAILY.c.day == day))
    if counts:
        conn.execute(
            DAILY.insert(),
            [{"day": day, "body": body, **{s: c.get(s, 0) for s in STATES}} for body, c in counts.items()],
        )
    return SnapshotResult(day, len(states), len(to_open), len(to_close))


def bounds(conn: sa.engine.Connection) -> tuple[dt.date, dt.date] | None:
    """First and last day with a snapshot, or None when there is none yet."""
    row = conn.execute(sa.select(sa.func.min(DAILY.c.day), sa.func.max(DAILY.c.day))).one()
    return (row[0], row[1]) if row[0] is not None else None


def daily_counts(
    conn: sa.engine.Connection, start: dt.date, end: dt.date, bodies: Iterable[str] | None = None
) -> dict[str, list[DayCounts]]:
    """Per body, the state counts of each snapshot day in [start, end], oldest first."""
    query = (
        sa.select(DAILY.c.day, DAILY.c.body, *(DAILY.c[state] for state in STATES))
        .where(DAILY.c.day >= start, DAILY.c.day <= end)
        .order_by(DAILY.c.day)
    )
    if bodies is not None:
        query = query.where(DAILY.c.body.in_(list(bodies)))
    out: dict[str, list[DayCounts]] = {}
    for day, body, *values in conn.execute(query):
        out.setdefault(body, []).append(DayCounts(day, dict(zip(STATES, values, strict=True))))
    return out


def late_days(conn: sa.engine.Connection, start: dt.date, end: dt.date) -> dict[str, tuple[str, int]]:
    """Per dataset that was late on some day in [start, end]: (body, number of days late).

    A current stretch counts up to the last snapshot day, not to today: days nobody
    recorded are not assumed late.
    """
    last = bounds(conn)
    if last is None:
        return {}
    stop = min(end, last[1]) + dt.timedelta(days=1)  # exclusive
    until = sa.func.coalesce(INTERVALS.c.until, stop)
    days = sa.func.sum(sa.func.least(until, stop) - sa.func.greatest(INTERVALS.c.since, start))
    query = (
        sa.select(INTERVALS.c.package_id, INTERVALS.c.body, days.label("days"))
        .where(
            INTERVALS.c.state.in_(LATE_STATES),
            INTERVALS.c.since < stop,
            sa.or_(INTERVALS.c.until.is_(None), INTERVALS.c.until > start),
        )
        .group_by(INTERVALS.c.package_id, INTERVALS.c.body)
    )
    out: dict[str, tuple[str, int]] = {}
    for row in conn.execute(query):
        # A dataset moved to another body keeps one entry: the body with more days.
        if row.days and row.days > 0 and (row.package_id not in out or out[row.package_id][1] < row.days):
            out[row.package_id] = (row.body, int(row.days))
    return out


def current_states(
    records: Iterable[Mapping[str, Any]], state_of: Callable[[Mapping[str, Any]], str]
) -> list[tuple[str, str, str]]:
    """``(package_id, body, state)`` of the public datasets among ``records``."""
    return [(r["id"], r["body"], state_of(r)) for r in records if not r.get("private") and r.get("body")]
