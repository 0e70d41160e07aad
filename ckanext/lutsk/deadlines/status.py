"""The deadline status of a dataset as the portal stores and indexes it.

Thin glue between CKAN's dataset dicts (and their Solr documents) and the plain rules in
``deadlines.py``: read the passport dates and the frequency, evaluate them on a day, and
turn the result into the Solr fields that make "every overdue dataset of body X" one
``package_search``.

What is indexed and why:

- ``lutsk_deadline_state`` / ``lutsk_deadline_reason`` (CKAN's catch-all ``*`` string
  field: indexed, not stored): the facet and the filters.
- ``lutsk_next_due_date`` (``*_date``: stored): sorting, and the range filters that give
  the state on any day (``state_query``) without re-indexing.
- ``lutsk_deadline_computed_date``: when the indexed state was computed.

The number of working days is not indexed: it changes every working day for every
late dataset, so indexing it would make the daily refresh re-index all of them. It is
derived from the stored dates when shown.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from dateutil.relativedelta import relativedelta

from ckanext.lutsk import config
from ckanext.lutsk.domain import deadlines, restrictions, workdays
from ckanext.lutsk.domain.deadlines import (
    DISCONTINUED,
    DUE_SOON,
    NEVER_UPDATED,
    ON_TIME,
    OVERDUE_CHANGE,
    OVERDUE_FREQUENCY,
    RESTRICTED,
    DeadlineStatus,
)
from ckanext.lutsk.domain.vocabularies import Vocabulary
from ckanext.lutsk.domain.workdays import WorkCalendar

log = logging.getLogger(__name__)

#: Passport data that cannot be evaluated (a date that is not a date, a frequency not in
#: the vocabulary): legacy or harvested records the schema would now refuse. Its own state
#: so that the ICT department sees it instead of a wrong "on time".
INVALID = "invalid"
REASON_INVALID = "invalid"
ALL_STATES = (*deadlines.STATES, INVALID)
OVERDUE_STATES = (OVERDUE_CHANGE, OVERDUE_FREQUENCY)
#: Report-only state (not indexed: it depends on the sync table, not on the passport): the
#: passport is on time here, but the national copy on data.gov.ua has been behind for more
#: than the three working days the order allows for it too.
OVERDUE_NATIONAL = "overdue_national"
#: The states of the deadline report, and the ones that count as late there.
REPORT_STATES = (*ALL_STATES, OVERDUE_NATIONAL)
LATE_STATES = (*OVERDUE_STATES, OVERDUE_NATIONAL)
#: The states that count as "on time" in the on-time share.
GOOD_STATES = (ON_TIME, DUE_SOON)

STATE_FIELD = "lutsk_deadline_state"
REASON_FIELD = "lutsk_deadline_reason"
NEXT_DUE_FIELD = "lutsk_next_due_date"
COMPUTED_FIELD = "lutsk_deadline_computed_date"

#: The passport fields the status depends on.
CHANGED, UPDATED, PUBLISHED, FREQUENCY = "data_changed", "data_updated", "date_published", "update_frequency"
RESTRICTED_FIELD = restrictions.BASIS
INPUT_FIELDS = (CHANGED, UPDATED, PUBLISHED, FREQUENCY, RESTRICTED_FIELD)


class PassportDataError(ValueError):
    """A passport value the deadline rules cannot read; ``field`` names it."""

    def __init__(self, field: str, value: Any, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem  # "not_a_date" | "unknown_frequency" | "missing_frequency"
        super().__init__(f"{field}: {problem} ({value!r})")


@dataclass(frozen=True, slots=True)
class Inputs:
    """The passport values the status is computed from (dates are Kyiv dates)."""

    changed: date | None
    updated: date | None
    published: date | None
    frequency: str
    #: Restricted under martial law (its passport names the legal basis).
    restricted: bool = False

    @property
    def last_update(self) -> date | None:
        """The latest data on the portal: the last data update, else the first publication."""
        return max((d for d in (self.updated, self.published) if d is not None), default=None)


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A dataset's status on one day, or the passport error that prevents it."""

    status: DeadlineStatus
    inputs: Inputs | None
    error: PassportDataError | None = None

    @property
    def state(self) -> str:
        return self.status.state


# -- reading the passport ----------------------------------------------------------


def parse_date(field: str, value: Any) -> date | None:
    """A stored passport date as a Kyiv date: ``YYYY-MM-DD``, or an ISO datetime (naive = UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return workdays.to_kyiv_date(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            if len(text) == 19 and text[10] == "T" and text[11:13] < "21":
                # Naive UTC before 21:00 is the same day in Kyiv (UTC+2 or +3): the
                # common case, without the time-zone conversion (reports read thousands).
                return date.fromisoformat(text[:10])
            return workdays.to_kyiv_date(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            pass
    raise PassportDataError(field, value, "not_a_date")


def read_inputs(get: Callable[[str], Any], frequencies: Vocabulary) -> Inputs:
    """The status inputs from a dataset dict or Solr document (``get`` looks a field up)."""
    raw_frequency = get(FREQUENCY)
    if raw_frequency is None or raw_frequency == "":
        raise PassportDataError(FREQUENCY, raw_frequency, "missing_frequency")
    frequency = frequencies.normalize(raw_frequency)
    if frequency is None:
        raise PassportDataError(FREQUENCY, raw_frequency, "unknown_frequency")
    return Inputs(
        changed=parse_date(CHANGED, get(CHANGED)),
        updated=parse_date(UPDATED, get(UPDATED)),
        published=parse_date(PUBLISHED, get(PUBLISHED)),
        frequency=frequency,
        restricted=bool(str(get(RESTRICTED_FIELD) or "").strip()),
    )


def evaluate_inputs(
    inputs: Inputs,
    today: date,
    *,
    frequencies: Vocabulary,
    calendar: WorkCalendar,
    due_soon_days: int,
) -> DeadlineStatus:
    period, discontinued = _frequency_rules(frequencies, inputs.frequency)
    return deadlines.dataset_status(
        changed=inputs.changed,
        updated=inputs.updated,
        published=inputs.published,
        period=period,
        discontinued=discontinued,
        today=today,
        due_soon_days=due_soon_days,
        calendar=calendar,
        restricted=inputs.restricted,
    )


@functools.lru_cache(maxsize=256)
def _frequency_rules(frequencies: Vocabulary, value: str) -> tuple[relativedelta | None, bool]:
    # Read-only use: relativedelta is mutable, but dataset_status only adds it to dates.
    return frequencies.period(value), frequencies.is_discontinued(value)


def evaluate(
    get: Callable[[str], Any],
    today: date,
    *,
    frequencies: Vocabulary,
    calendar: WorkCalendar,
    due_soon_days: int,
) -> Evaluated:
    """The status of one dataset on ``today``; a passport error gives the INVALID state."""
    try:
        inputs = read_inputs(get, frequencies)
    except PassportDataError as exc:
        return Evaluated(DeadlineStatus(INVALID, None, None, REASON_INVALID), None, exc)
    status = evaluate_inputs(
        inputs, today, frequencies=frequencies, calendar=calendar, due_soon_days=due_soon_days
    )
    return Evaluated(status, inputs)


def package_status(pkg_dict: Mapping[str, Any], today: date | None = None) -> Evaluated:
    """The status of a dataset dict (package_show or search result) with the portal's settings."""
    return evaluate(
        pkg_dict.get,
        today or workdays.kyiv_today(),
        frequencies=config.vocabulary("frequencies"),
        calendar=config.calendar(),
        due_soon_days=config.due_soon_days(),
    )


def stored_getter(doc: Mapping[str, Any]) -> Callable[[str], Any]:
    """Look passport fields up in a Solr document: CKAN stores extras as ``extras_<key>``."""

    def get(field: str) -> Any:
        value = doc.get(f"extras_{field}")
        return doc.get(field) if value is None else value

    return get


# -- indexing ----------------------------------------------------------------------


def solr_date(d: date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def parse_solr_date(value: Any) -> date | None:
    """A ``*_date`` value read back from Solr (text or datetime) as the date it was written for."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def index_fields(
    doc: Mapping[str, Any],
    today: date,
    now: datetime,
    *,
    frequencies: Vocabulary,
    calendar: WorkCalendar,
    due_soon_days: int,
) -> dict[str, str]:
    """The deadline fields of one Solr document, all of them or (on error) the INVALID set.

    Built apart and returned whole, so a document is never sent with some of them.
    """
    result = evaluate(doc.get, today, frequencies=frequencies, calendar=calendar, due_soon_days=due_soon_days)
    if result.error is not None:
        log.warning("Dataset %s: deadline not computed, %s", doc.get("name") or doc.get("id"), result.error)
    fields = {
        STATE_FIELD: result.status.state,
        REASON_FIELD: result.status.reason,
        COMPUTED_FIELD: now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),  # noqa: UP017
    }
    if result.status.next_due is not None:
        fields[NEXT_DUE_FIELD] = solr_date(result.status.next_due)
    return fields


def package_index_fields(doc: Mapping[str, Any]) -> dict[str, str]:
    """``index_fields`` with the portal's settings, today in Kyiv (IPackageController glue)."""
    return index_fields(
        doc,
        workdays.kyiv_today(),
        datetime.now(timezone.utc),  # noqa: UP017
        frequencies=config.vocabulary("frequencies"),
        calendar=config.calendar(),
        due_soon_days=config.due_soon_days(),
    )


# -- querying the index --------------------------------------------------------------


def due_soon_until(as_of: date, due_soon_days: int, calendar: WorkCalendar) -> date:
    """The last next-due date that is still "due soon" on ``as_of``.

    ``deadlines`` calls a deadline due soon while at most ``due_soon_days`` working days
    are left, i.e. up to the day before the (N+1)-th working day after ``as_of``.
    """
    return calendar.add_working_days(as_of, due_soon_days + 1) - timedelta(days=1)


def state_query(states: Iterable[str], as_of: date, *, due_soon_days: int, calendar: WorkCalendar) -> str:
    """A Solr query for the datasets in ``states`` on ``as_of``, from the indexed reason and
    next-due date: right on any day, whether or not the daily refresh has run."""
    day = solr_date(as_of)
    soon = solr_date(due_soon_until(as_of, due_soon_days, calendar))
    dated = f"{REASON_FIELD}:({deadlines.REASON_CHANGE} OR {deadlines.REASON_PERIOD})"
    nothing_due = f"{REASON_FIELD}:{deadlines.REASON_NOTHING_DUE}"
    clauses = {
        OVERDUE_CHANGE: f"(+{REASON_FIELD}:{deadlines.REASON_CHANGE} +{NEXT_DUE_FIELD}:[* TO {day}}})",
        OVERDUE_FREQUENCY: f"(+{REASON_FIELD}:{deadlines.REASON_PERIOD} +{NEXT_DUE_FIELD}:[* TO {day}}})",
        DUE_SOON: f"(+{dated} +{NEXT_DUE_FIELD}:[{day} TO {soon}])",
        ON_TIME: f"((+{dated} +{NEXT_DUE_FIELD}:{{{soon} TO *]) OR {nothing_due})",
        NEVER_UPDATED: f"{REASON_FIELD}:{deadlines.REASON_NO_DATA}",
        DISCONTINUED: f"{REASON_FIELD}:{deadlines.REASON_DISCONTINUED}",
        RESTRICTED: f"{REASON_FIELD}:{deadlines.REASON_RESTRICTED}",
        INVALID: f"{REASON_FIELD}:{REASON_INVALID}",
    }
    wanted = list(dict.fromkeys(states))
    unknown = [s for s in wanted if s not in clauses]
    if unknown:
        raise ValueError(f"unknown state {unknown[0]!r}")
    return "(" + " OR ".join(clauses[s] for s in wanted) + ")"
