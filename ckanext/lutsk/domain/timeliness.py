"""Timeliness of bodies and of the city (plain Python, no CKAN): deadline states
(``status.evaluate`` gives a dataset's) turned into on-time shares and day series for
the public page and the audit plan. The on-time share is the deadline report's: on
time or due soon, out of the datasets a deadline applies to (all but "no longer
updated")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ckanext.lutsk.domain import deadlines

__all__ = [
    "NOT_EVALUATED",
    "ON_TIME_STATES",
    "DayCounts",
    "city_series",
    "on_time_share",
    "period_share",
]

#: A dataset in these states meets its update deadline.
ON_TIME_STATES = frozenset({deadlines.ON_TIME, deadlines.DUE_SOON})
#: States left out of the on-time share: "no longer updated" has no deadline. Every
#: other state counts, including ``status.INVALID`` (a passport the rules cannot read),
#: as in the deadline report.
NOT_EVALUATED = frozenset({deadlines.DISCONTINUED, deadlines.RESTRICTED})


@dataclass(frozen=True)
class DayCounts:
    """How many datasets of a body (or of the city) were in each state on a day."""

    day: dt.date
    counts: Mapping[str, int]

    @property
    def evaluated(self) -> int:
        return sum(n for state, n in self.counts.items() if state not in NOT_EVALUATED)

    @property
    def on_time(self) -> int:
        return sum(n for state, n in self.counts.items() if state in ON_TIME_STATES)

    @property
    def share(self) -> float | None:
        """On-time share in [0, 1]; None when no dataset had a deadline."""
        total = self.evaluated
        return self.on_time / total if total else None


def on_time_share(states: Iterable[str | None]) -> float | None:
    """Share of datasets meeting their deadline among those that have one."""
    on_time = evaluated = 0
    for state in states:
        if state not in NOT_EVALUATED:
            evaluated += 1
            on_time += state in ON_TIME_STATES
    return on_time / evaluated if evaluated else None


def period_share(days: Sequence[DayCounts]) -> float | None:
    """On-time share over a period: dataset-days on time / dataset-days with a deadline."""
    evaluated = sum(d.evaluated for d in days)
    return sum(d.on_time for d in days) / evaluated if evaluated else None


def city_series(per_body: Mapping[str, Sequence[DayCounts]]) -> list[DayCounts]:
    """The city-wide counts per day: the sum over bodies."""
    totals: dict[dt.date, dict[str, int]] = {}
    for series in per_body.values():
        for point in series:
            day = totals.setdefault(point.day, {})
            for state, n in point.counts.items():
                day[state] = day.get(state, 0) + n
    return [DayCounts(day, counts) for day, counts in sorted(totals.items())]
