"""Martial-law restrictions as plain rules: a restricted dataset is not late, an annex row
restricted for a body is restricted in the coverage, not missing."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import annex835, deadlines, restrictions, timeliness
from ckanext.lutsk.domain.annex835 import AnnexError, parse_annex
from ckanext.lutsk.domain.registry import load_registry
from ckanext.lutsk.domain.vocabularies import load_vocabulary
from ckanext.lutsk.domain.workdays import WorkCalendar

REGISTRY = load_registry()
BASIS = "Закон України «Про правовий режим воєнного стану», ст. 8; постанова КМУ від 12.03.2022 № 263"
HEAD = """\
sections:
  local_government: {uk: Органи місцевого самоврядування, en: Local government}
rows:
  - id: L36
    section: local_government
    title: {uk: Рух транспорту, en: Transport positions}
    bodies: [transport, electric-transport]
"""


def test_of_dataset_reads_the_passport() -> None:
    assert restrictions.of_dataset({"martial_law_basis": "  "}) is None
    r = restrictions.of_dataset(
        {"martial_law_basis": BASIS, "martial_law_since": "2022-03-12", "martial_law_review": "2026-12-01"}
    )
    assert r == restrictions.Restriction(BASIS, dt.date(2022, 3, 12), dt.date(2026, 12, 1))
    assert r.review_due(dt.date(2026, 12, 1)) and not r.review_due(dt.date(2026, 11, 30))
    extras = {"extras": [{"key": "martial_law_basis", "value": BASIS}]}
    assert restrictions.of_dataset(extras).basis == BASIS  # type: ignore[union-attr]


def test_a_restricted_dataset_is_not_late() -> None:
    args = {
        "changed": dt.date(2024, 1, 10),
        "updated": dt.date(2023, 1, 1),
        "published": dt.date(2023, 1, 1),
        "period": relativedelta(years=5),
        "discontinued": False,
        "today": dt.date(2026, 12, 5),
        "calendar": WorkCalendar(),
    }
    assert deadlines.dataset_status(**args).state == deadlines.OVERDUE_CHANGE
    restricted = deadlines.dataset_status(**args, restricted=True)
    assert (restricted.state, restricted.next_due, restricted.reason) == (
        deadlines.RESTRICTED,
        None,
        deadlines.REASON_RESTRICTED,
    )
    pkg = {
        "data_changed": "2024-01-10",
        "data_updated": "2023-01-01T09:00:00",
        "update_frequency": "once a year",
        "martial_law_basis": BASIS,
    }
    evaluated = status.evaluate(
        pkg.get,
        dt.date(2026, 12, 5),
        frequencies=load_vocabulary("frequencies"),
        calendar=WorkCalendar(),
        due_soon_days=3,
    )
    assert evaluated.state == deadlines.RESTRICTED
    assert status.RESTRICTED_FIELD in status.INPUT_FIELDS
    assert "restricted" in status.state_query(
        [deadlines.RESTRICTED], dt.date(2026, 12, 5), due_soon_days=3, calendar=WorkCalendar()
    )
    # Not counted in the on-time share, like "no longer updated".
    assert deadlines.RESTRICTED in timeliness.NOT_EVALUATED


def test_annex_row_restricted_for_a_body() -> None:
    text = HEAD + (
        f'    restricted:\n      basis: "{BASIS}"\n      since: 2022-03-12\n'
        "      review: 2027-01-31\n      bodies: [transport]\n"
    )
    annex = parse_annex(text, "annex.yaml", registry=REGISTRY)
    row = annex.get("L36")
    assert row is not None and row.restricted_for("transport") is not None
    assert row.restricted_for("electric-transport") is None
    cells = {c.body: c.status for c in annex835.coverage_matrix(annex, [])}
    assert cells == {"transport": annex835.RESTRICTED, "electric-transport": annex835.MISSING}
    summary = annex835.body_summary(annex835.coverage_matrix(annex, []))
    assert summary["transport"][annex835.RESTRICTED] == 1 and summary["transport"][annex835.MISSING] == 0


def test_a_restricted_dataset_makes_its_cell_restricted() -> None:
    annex = parse_annex(HEAD, "annex.yaml", registry=REGISTRY)
    rec = {"body": "transport", "annex835_row": "L36", "private": False, "state": deadlines.RESTRICTED}
    cells = {c.body: c.status for c in annex835.coverage_matrix(annex, [rec])}
    assert cells["transport"] == annex835.RESTRICTED
    # A published, open dataset beside it wins.
    open_rec = {**rec, "name": "b", "state": deadlines.ON_TIME}
    cells = {c.body: c.status for c in annex835.coverage_matrix(annex, [rec, open_rec])}
    assert cells["transport"] == annex835.PUBLISHED


@pytest.mark.parametrize(
    ("block", "field"),
    [
        ("    restricted:\n      since: 2022-03-12\n      review: 2027-01-31\n", "restricted.basis"),
        (
            "    restricted:\n      basis: Закон\n      since: 12.03.2022\n      review: 2027-01-31\n",
            "restricted.since",
        ),
        (
            "    restricted:\n      basis: Закон\n      since: 2022-03-12\n      review: 2021-01-31\n",
            "restricted.review",
        ),
        (
            "    restricted:\n      basis: Закон\n      since: 2022-03-12\n      review: 2027-01-31\n"
            "      bodies: [ict]\n",
            "restricted.bodies",
        ),
    ],
)
def test_bad_restriction_is_reported_with_its_line(block: str, field: str) -> None:
    with pytest.raises(AnnexError) as err:
        parse_annex(HEAD + block, "annex.yaml", registry=REGISTRY)
    assert field in [p[2] for p in err.value.problems]
