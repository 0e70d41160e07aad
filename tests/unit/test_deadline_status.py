"""status.py: passport values -> deadline status and Solr fields (plain unit tests, no CKAN
services: the vocabulary and the calendar are the packaged files)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest

from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import deadlines
from ckanext.lutsk.domain.vocabularies import load_vocabulary
from ckanext.lutsk.domain.workdays import WorkCalendar

FREQ = load_vocabulary("frequencies")
WAR = WorkCalendar()
TODAY = date(2026, 3, 16)  # a Monday
NOW = datetime(2026, 3, 16, 9, 30, tzinfo=timezone.utc)  # noqa: UP017


def evaluate(doc, today=TODAY, n=3):
    return status.evaluate(doc.get, today, frequencies=FREQ, calendar=WAR, due_soon_days=n)


def fields(doc, today=TODAY):
    return status.index_fields(doc, today, NOW, frequencies=FREQ, calendar=WAR, due_soon_days=3)


class TestReadingThePassport:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2026-03-10", date(2026, 3, 10)),
            ("2026-03-10T21:30:00", date(2026, 3, 10)),  # UTC 21:30 is 23:30 in Kyiv
            ("2026-03-10T22:30:00", date(2026, 3, 11)),  # and 00:30 the next day
            ("2026-03-10T22:30:00Z", date(2026, 3, 11)),
            ("2026-07-10T20:59:00", date(2026, 7, 10)),  # summer: UTC+3
            ("2026-07-10T21:00:00", date(2026, 7, 11)),
            (datetime(2026, 3, 10, 22, 30), date(2026, 3, 11)),
            (date(2026, 3, 10), date(2026, 3, 10)),
            ("", None),
            (None, None),
        ],
    )
    def test_dates_are_kyiv_days(self, value, expected):
        assert status.parse_date("data_updated", value) == expected

    @pytest.mark.parametrize("value", ["2026-13-01", "вчора", "10.03.2026", 42])
    def test_a_value_that_is_not_a_date_names_its_field(self, value):
        with pytest.raises(status.PassportDataError) as err:
            status.parse_date("data_changed", value)
        assert err.value.field == "data_changed"
        assert err.value.problem == "not_a_date"
        assert "data_changed" in str(err.value)

    def test_frequency_alias_is_normalised(self):
        inputs = status.read_inputs({"update_frequency": "More then a day"}.get, FREQ)
        assert inputs.frequency == "more than once a day"

    @pytest.mark.parametrize(
        ("value", "problem"), [("every full moon", "unknown_frequency"), ("", "missing_frequency")]
    )
    def test_bad_frequency_gives_the_invalid_state_naming_the_field(self, value, problem):
        result = evaluate({"update_frequency": value, "date_published": "2026-01-01T10:00:00"})
        assert result.state == status.INVALID
        assert result.status.next_due is None
        assert (result.error.field, result.error.problem) == ("update_frequency", problem)

    def test_last_update_is_the_later_of_update_and_publication(self):
        inputs = status.Inputs(None, date(2026, 1, 5), date(2026, 2, 1), "once a month")
        assert inputs.last_update == date(2026, 2, 1)


class TestEvaluation:
    def test_pending_change_is_due_three_working_days_later(self):
        doc = {
            "update_frequency": "once a year",
            "date_published": "2025-06-01T08:00:00",
            "data_changed": "2026-03-12",  # Thursday: Fri, Mon, Tue
        }
        result = evaluate(doc)
        assert result.status == deadlines.DeadlineStatus(
            deadlines.DUE_SOON, date(2026, 3, 17), 1, deadlines.REASON_CHANGE
        )

    def test_discontinued_without_pending_change(self):
        doc = {"update_frequency": "no longer updated", "date_published": "2025-06-01T08:00:00"}
        assert evaluate(doc).state == deadlines.DISCONTINUED

    def test_no_date_at_all_is_never_updated(self):
        assert evaluate({"update_frequency": "once a month"}).state == deadlines.NEVER_UPDATED

    def test_extras_of_a_solr_document_are_read(self):
        doc = {
            "extras_update_frequency": "once a month",
            "extras_data_updated": "2026-01-05T10:00:00",
            "update_frequency": "ignored: not stored",
        }
        result = status.evaluate(
            status.stored_getter(doc), TODAY, frequencies=FREQ, calendar=WAR, due_soon_days=3
        )
        assert result.state == deadlines.OVERDUE_FREQUENCY


class TestIndexFields:
    def test_all_fields_of_a_dated_state(self):
        doc = {"update_frequency": "once a month", "data_updated": "2026-03-02T10:00:00"}
        assert fields(doc) == {
            "lutsk_deadline_state": "on_time",
            "lutsk_deadline_reason": "period",
            "lutsk_next_due_date": "2026-04-07T00:00:00Z",
            "lutsk_deadline_computed_date": "2026-03-16T09:30:00Z",
        }

    def test_a_broken_passport_is_indexed_whole_as_invalid(self):
        got = fields({"name": "x", "update_frequency": "weekly-ish", "data_updated": "2026-03-02"})
        assert got == {
            "lutsk_deadline_state": "invalid",
            "lutsk_deadline_reason": "invalid",
            "lutsk_deadline_computed_date": "2026-03-16T09:30:00Z",
        }

    def test_solr_date_round_trip(self):
        assert status.parse_solr_date(status.solr_date(date(2026, 5, 4))) == date(2026, 5, 4)
        assert status.parse_solr_date(None) is None


class TestStateQueryBoundaries:
    """``state_query`` selects by reason and a range on the indexed next-due date; the range
    bounds must give exactly the state ``deadlines`` computes, on every day."""

    @pytest.mark.parametrize("n", [0, 1, 3, 5])
    @pytest.mark.parametrize("calendar", [WAR, WorkCalendar(martial_law_until=date(2026, 4, 30))])
    def test_due_soon_window_matches_dataset_status(self, n, calendar):
        start = date(2026, 4, 20)  # around Easter, Labour Day and the end of martial law
        for as_of, due in itertools.product(
            (start + timedelta(days=i) for i in range(25)), (start + timedelta(days=i) for i in range(45))
        ):
            # A change made `changed` days before gives exactly this deadline.
            expected = deadlines._against(due, deadlines.REASON_CHANGE, as_of, n, calendar).state
            until = status.due_soon_until(as_of, n, calendar)
            if due < as_of:
                got = deadlines.OVERDUE_CHANGE
            elif due <= until:
                got = deadlines.DUE_SOON
            else:
                got = deadlines.ON_TIME
            assert got == expected, (as_of, due, n)

    def test_query_names_every_state_and_rejects_unknown(self):
        query = status.state_query(status.ALL_STATES, TODAY, due_soon_days=3, calendar=WAR)
        assert query.count(" OR ") >= len(status.ALL_STATES) - 1
        assert "lutsk_next_due_date:[* TO 2026-03-16T00:00:00Z}" in query
        with pytest.raises(ValueError, match="sleepy"):
            status.state_query(["sleepy"], TODAY, due_soon_days=3, calendar=WAR)
