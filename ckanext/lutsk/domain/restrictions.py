"""Datasets restricted under martial law (plain Python, no CKAN).

Since 2022 many datasets are closed or restricted for the time of martial law (e.g.
real-time transport positions, camera locations, shelters: texty.org.ua/articles/108805;
cedem.org.ua/analytics/vidkryti-dani-voyenyi-stan; shared/docs/domain-2026-12.md §5). A
restricted dataset is not late: the public sees that it is restricted, on what legal
basis, since when, and when the restriction is to be reviewed.

A dataset is restricted when its passport names the basis (``martial_law_basis``, free
text naming the act), with ``martial_law_since`` and ``martial_law_review``. An annex row
can be restricted for some or all of its bodies in ``annex835.yaml`` (``restricted:``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BASIS",
    "FIELDS",
    "REVIEW",
    "SINCE",
    "Restriction",
    "of_dataset",
]

BASIS, SINCE, REVIEW = "martial_law_basis", "martial_law_since", "martial_law_review"
FIELDS = (BASIS, SINCE, REVIEW)


@dataclass(frozen=True)
class Restriction:
    """The legal basis (free text naming the act), the day restricted, the review day."""

    basis: str
    since: dt.date | None
    review: dt.date | None

    def review_due(self, today: dt.date) -> bool:
        """The review date has come (or none was set: a restriction must be reviewed)."""
        return self.review is None or self.review <= today


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def of_dataset(pkg: Mapping[str, Any]) -> Restriction | None:
    """The dataset's restriction, or None when its passport names no basis."""
    get = pkg.get
    basis = get(BASIS)
    if basis is None and "extras" in pkg:  # a raw package dict with extras as a list
        extras = {e.get("key"): e.get("value") for e in pkg.get("extras") or []}
        get = extras.get
        basis = get(BASIS)
    if not isinstance(basis, str) or not basis.strip():
        return None
    return Restriction(basis.strip(), _date(get(SINCE)), _date(get(REVIEW)))
