"""Passport completeness score (plain unit tests, no CKAN) and the chart geometry."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.lutsk.domain import charts, completeness, timeliness
from ckanext.lutsk.domain.vocabularies import load_vocabulary

SCORER = completeness.Scorer(
    formats=load_vocabulary("formats"),
    frequencies=load_vocabulary("frequencies"),
    languages=load_vocabulary("languages"),
    licences={"cc-by", "cc-zero"},
)

FULL = {
    "name": "budget",
    "title": "Бюджет громади",
    "title_en": "Community budget",
    "notes": "Показники бюджету.",
    "notes_en": "Budget figures.",
    "purpose_of_collecting_information": "Бюджетний кодекс України",
    "language": "ua",
    "update_frequency": "once a month",
    "tags": [{"name": "бюджет"}, {"name": "обʼєкти"}],
    "maintainer": "Олена Коваль",
    "maintainer_email": "finance@lutskrada.gov.ua",
    "license_id": "cc-by",
    "date_published": "2025-01-10T09:00:00",
    "data_updated": "2025-06-01T09:00:00",
    "data_current_as_of": "2025-05-31",
    "resources": [
        {"url": "https://lutskrada.gov.ua/b.csv", "format": "CSV"},
        {"url": "b.zip", "url_type": "upload", "format": "CSV", "compression": "ZIP"},
        {"url": "https://lutskrada.gov.ua/s.json", "format": "JSON", "structure": "true"},
    ],
}


def test_a_complete_passport_scores_full_marks():
    score = SCORER.score(FULL)
    assert score.failed == ()
    assert (score.points, score.percent, score.rating) == (100, 100.0, "excellent")
    assert sum(m for _p, m in score.dimensions().values()) == completeness.MAX_POINTS == 100


def test_data_that_fail_the_check_are_not_machine_readable():
    """Issue 19: the data check is an input of the score; unknown leaves it as it was."""
    assert SCORER.score(FULL, data_valid=None) == SCORER.score(FULL) == SCORER.score(FULL, data_valid=True)
    score = SCORER.score(FULL, data_valid=False)
    assert score.failed == ("machine_readable",)
    assert score.percent == 90.0


@pytest.mark.parametrize(
    ("change", "failed"),
    [
        ({"title_en": "", "notes_en": None}, {"title_en", "description_en"}),
        ({"title": "x" * 255}, {"title"}),
        ({"tags": [{"name": "a/b"}]}, {"keywords"}),
        ({"tags": [], "tag_string": "бюджет, фінанси"}, set()),
        ({"maintainer_email": "finance@lutskrada"}, {"contact"}),
        ({"license_id": "proprietary"}, {"licence"}),
        ({"language": "uk"}, {"language"}),
        ({"update_frequency": "More then a day"}, set()),  # data.gov.ua's alias is understood
        ({"update_frequency": "sometimes"}, {"frequency"}),
        ({"data_current_as_of": None, "date_published": ""}, {"data_current_as_of", "date_published"}),
        ({"resources": [{"url": "https://x.ua/a.pdf", "format": "PDF"}]}, {"machine_readable", "structure"}),
        ({"resources": [{"url": "ftp://x.ua/a.csv", "format": "CSV"}]}, {"data_links", "structure"}),
        (
            {"resources": [{"url": "https://x.ua/a", "format": "EXE"}]},
            {"formats", "machine_readable", "structure"},
        ),
        ({"resources": []}, {"data_links", "formats", "machine_readable", "structure"}),
        (
            {
                "resources": [
                    *FULL["resources"],
                    {"url": "https://x.ua/o.csv", "format": "CSV", "state": "deleted"},
                ]
            },
            set(),
        ),
    ],
)
def test_each_check_fails_on_its_own_element(change, failed):
    score = SCORER.score({**FULL, **change})
    assert set(score.failed) == failed
    lost = sum(c.points for c in completeness.CHECKS if c.key in failed)
    assert score.points == 100 - lost


def test_ratings_follow_the_mqa_thresholds_scaled_to_100():
    assert [completeness.rating(p) for p in (100, 86.7, 86.6, 54.6, 40, 29.9, 29.8, 0)] == [
        "excellent", "excellent", "good", "good", "sufficient", "sufficient", "bad", "bad",
    ]  # fmt: skip


def test_body_score_averages_and_names_the_weakest_checks():
    scores = [
        SCORER.score(FULL),
        SCORER.score({**FULL, "title_en": "", "notes_en": ""}),
        SCORER.score({**FULL, "title_en": "", "maintainer_email": "bad"}),
    ]
    body = completeness.body_score(scores)
    assert body.datasets == 3
    assert body.percent == round((100 + 90 + 90) / 3, 1)
    assert body.weakest(1) == ["title_en"], "failed by two of three"
    assert body.weakest() == ["title_en", "contact", "description_en"], "then by share, then by name"
    assert body.pass_rates["title"] == 1.0
    assert completeness.body_score([]).percent is None


def test_on_time_share_leaves_out_discontinued_and_counts_invalid():
    assert (
        timeliness.on_time_share(["on_time", "due_soon", "overdue_change", "discontinued", "invalid"]) == 0.5
    )
    assert timeliness.on_time_share(["discontinued"]) is None
    days = [
        timeliness.DayCounts(dt.date(2026, 1, 1), {"on_time": 3, "overdue_frequency": 1}),
        timeliness.DayCounts(dt.date(2026, 1, 2), {"on_time": 1, "never_updated": 3, "discontinued": 5}),
    ]
    assert [d.share for d in days] == [0.75, 0.25]
    assert timeliness.period_share(days) == 0.5
    city = timeliness.city_series({"a": days[:1], "b": days})
    assert [(d.day.day, d.counts["on_time"]) for d in city] == [(1, 6), (2, 1)]


def test_chart_breaks_the_line_on_missing_days():
    start = dt.date(2026, 1, 1)
    points = [(start + dt.timedelta(days=i), 0.5) for i in (0, 1, 2, 5, 6)]
    chart = charts.line_chart(points, start, start + dt.timedelta(days=10), width=110, left=0, right=10)
    assert len(chart.lines) == 2, "a day without a snapshot is a gap, not a straight line"
    assert chart.lines[0].split()[0] == "0.0,97.0", "top 10 + half of the 174 px plot"
    assert chart.last == (60.0, 97.0, 50)
    assert [label for _y, label in chart.grid] == ["0%", "25%", "50%", "75%", "100%"]
    year = charts.line_chart(
        [], dt.date(2025, 12, 15), dt.date(2026, 3, 10), month_labels=list("abcdefghijkl")
    )
    assert [(month, year) for _x, month, year in year.ticks] == [("a", "2026"), ("b", ""), ("c", "")]
    assert year.lines == () and year.last is None
