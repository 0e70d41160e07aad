"""Ukrainian working-day calendar (plain Python, no CKAN).

Sources of days off, in order of precedence (later wins):

1. Saturdays and Sundays.
2. ``holidays`` UA, PUBLIC category: pre-war holidays, their weekend transfers
   and the CMU-substituted days off; the package's ``weekend_workdays`` (the
   Saturdays worked in exchange) are working days. The Cabinet's transfers only
   *recommend* (Labour Code art. 67; e.g. order 7-р of 10.01.2019): with
   ``follow_cabinet_transfers: false`` in the data file the substituted weekdays
   are working days and the Saturdays worked in exchange are days off.
3. After ``martial_law_until`` (from ``data/calendar.yaml``): the statutory
   holidays again, with art. 67 transfers (see ``_statutory_days_off``).
4. ``days_off`` / ``working_days`` from the data file: override everything.

All dates are plain ``datetime.date`` values meaning Europe/Kyiv local days.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml

__all__ = [
    "DEFAULT_CALENDAR_PATH",
    "MARTIAL_LAW_LABOUR_RULES_START",
    "CalendarError",
    "WorkCalendar",
    "art67_transfers",
    "cabinet_substituted_days",
    "default_calendar",
    "kyiv_today",
    "load_calendar",
    "parse_calendar",
    "to_kyiv_date",
]

DEFAULT_CALENDAR_PATH = Path(__file__).resolve().parents[1] / "data" / "calendar.yaml"

# Law No. 2136-IX came into force on this day; from then on art. 73 holidays
# are working days.  `holidays` cuts over on 15.03.2022 (the adoption date);
# no holiday falls in between, so the two agree.
MARTIAL_LAW_LABOUR_RULES_START = date(2022, 3, 24)

_KEYS = ("martial_law_until", "follow_cabinet_transfers", "days_off", "working_days")
_ENTRY_KEYS = ("date", "reason")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULL_TAG = "tag:yaml.org,2002:null"
_ONE_DAY = timedelta(days=1)


def _kyiv_zone() -> ZoneInfo:
    try:
        return ZoneInfo("Europe/Kyiv")
    except ZoneInfoNotFoundError:  # tz databases older than 2022b
        return ZoneInfo("Europe/Kiev")


KYIV = _kyiv_zone()


def kyiv_today() -> date:
    """Today's date in Kyiv."""
    return datetime.now(KYIV).date()


def to_kyiv_date(dt: datetime) -> date:
    """The Kyiv local date of ``dt``; a naive value is UTC (as CKAN stores it)."""
    if not isinstance(dt, datetime):
        return dt  # already a calendar date: nothing to convert
    if dt.tzinfo is None:
        # timezone.utc, not datetime.UTC: setup.py still allows Python 3.10.
        dt = dt.replace(tzinfo=timezone.utc)  # noqa: UP017
    return dt.astimezone(KYIV).date()


class CalendarError(ValueError):
    """Invalid calendar data; ``source``, ``line`` (1-based) and ``key`` locate it."""

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.line = line
        self.key = key
        where = ":".join(str(p) for p in (source, line) if p is not None)
        parts = [p for p in (where, key, problem) if p]
        super().__init__(": ".join(parts))


class _Year(NamedTuple):
    """Working days of one year: ``cum[i]`` = working days among its first i days."""

    start: int  # ordinal of 1 January
    cum: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.cum[-1]

    def upto(self, d: date) -> int:
        """Working days from 1 January up to and including ``d``."""
        return self.cum[d.toordinal() - self.start + 1]


class WorkCalendar:
    """Which days are working days in Ukraine, with the city's overrides.

    Configuration is fixed at construction; per-year tables are built on first
    use and cached, so repeated queries cost a dict lookup and an index.
    """

    __slots__ = ("_days_off", "_follow_transfers", "_martial_law_until", "_working_days", "_years")

    def __init__(
        self,
        *,
        martial_law_until: date | None = None,
        days_off: Mapping[date, str] | Iterable[date] = (),
        working_days: Mapping[date, str] | Iterable[date] = (),
        follow_cabinet_transfers: bool = True,
    ) -> None:
        off = _as_reasons(days_off)
        work = _as_reasons(working_days)
        both = sorted(off.keys() & work.keys())
        if both:
            raise CalendarError(f"{both[0].isoformat()} is also in days_off", key="working_days")
        if martial_law_until is not None and martial_law_until < MARTIAL_LAW_LABOUR_RULES_START:
            start = MARTIAL_LAW_LABOUR_RULES_START.isoformat()
            raise CalendarError(f"must not be before {start}", key="martial_law_until")
        self._martial_law_until = martial_law_until
        self._follow_transfers = bool(follow_cabinet_transfers)
        self._days_off = MappingProxyType(off)
        self._working_days = MappingProxyType(work)
        self._years: dict[int, _Year] = {}

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(martial_law_until={self._martial_law_until!r}, "
            f"follow_cabinet_transfers={self._follow_transfers!r}, "
            f"days_off={len(self._days_off)}, working_days={len(self._working_days)})"
        )

    @property
    def martial_law_until(self) -> date | None:
        """Last day of martial law, or None while it is in force."""
        return self._martial_law_until

    @property
    def follow_cabinet_transfers(self) -> bool:
        """Whether the council follows the Cabinet's recommended working-day transfers."""
        return self._follow_transfers

    @property
    def days_off(self) -> Mapping[date, str]:
        """Extra days off from the data file, date -> reason."""
        return self._days_off

    @property
    def working_days(self) -> Mapping[date, str]:
        """Extra working days from the data file, date -> reason."""
        return self._working_days

    # -- queries -----------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day."""
        year = self._year(d.year)
        i = d.toordinal() - year.start
        return year.cum[i + 1] > year.cum[i]

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d``; day one is the day after ``d``.

        Civil Code art. 253: a term starts on the day after the event.
        ``n == 0`` returns ``d`` unchanged.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return d
        year = self._year(d.year)
        need = year.upto(d) + n
        y = d.year
        while need > year.total:
            need -= year.total
            y += 1
            year = self._year(y)
        # The first day whose running count reaches `need` is a working day.
        k = bisect.bisect_left(year.cum, need)
        return date.fromordinal(year.start + k - 1)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open interval (a, b]; negative if b < a.

        ``working_days_between(a, add_working_days(a, n)) == n``, and swapping
        the arguments flips the sign, so (b, a] is counted when b < a.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = self._year(b.year).upto(b) - self._year(a.year).upto(a)
        for y in range(a.year, b.year):
            count += self._year(y).total
        return count

    # -- per-year tables -----------------------------------------------------

    def _year(self, y: int) -> _Year:
        year = self._years.get(y)
        if year is None:
            # A race between threads only builds the same table twice.
            year = self._years[y] = self._build_year(y)
        return year

    def _build_year(self, y: int) -> _Year:
        public = holidays.country_holidays("UA", years=y)
        off = {d for d in public if d.year == y}
        off |= self._statutory_days_off(y)
        extra_work = {d for d in public.weekend_workdays if d.year == y}
        if not self._follow_transfers:
            # The recommended transfer is not made: the weekday stays a working day
            # and the Saturday it was swapped with stays a day off.
            off -= cabinet_substituted_days(public, y)
            extra_work = set()
        start = date(y, 1, 1)
        cum = [0]
        for i in range((date(y + 1, 1, 1) - start).days):
            d = start + timedelta(days=i)
            if d in self._working_days:
                working = True
            elif d in self._days_off:
                working = False
            elif d.weekday() >= 5:
                working = d in extra_work
            else:
                working = d not in off
            cum.append(cum[-1] + working)
        return _Year(start.toordinal(), tuple(cum))

    def _statutory_days_off(self, y: int) -> set[date]:
        """Holidays (and art. 67 transfers) in year ``y`` after martial law ends.

        `holidays` puts every statutory holiday of a martial-law year in its
        WORKDAY category: the art. 73 holidays plus Easter and Trinity Sundays
        (art. 73 part 3 non-working days), with the list as amended for that
        year.  Exactly those become days off again after ``martial_law_until``
        (a holiday on or before that day stays a working day, and so does its
        transfer).  Last year's holidays are included so that a transfer
        across New Year would not be lost.
        """
        end = self._martial_law_until
        if end is None or y < end.year:
            return set()
        statutory = {
            d
            for year in (y - 1, y)
            for d in holidays.country_holidays("UA", years=year, categories=(holidays.WORKDAY,))
            if d > end
        }
        return {d for d in statutory | art67_transfers(statutory) if d.year == y}


def cabinet_substituted_days(public: holidays.HolidayBase, y: int) -> set[date]:
    """The weekdays of year ``y`` made days off by a Cabinet transfer, as the
    ``holidays`` package lists them: its substituted special holidays are
    ``(to_month, to_day, from_month, from_day[, from_year])`` tuples."""
    entries = getattr(public, "special_public_holidays", {}).get(y, ())
    if entries and isinstance(entries[0], int):
        entries = (entries,)
    return {date(y, e[0], e[1]) for e in entries if len(e) >= 4}


def art67_transfers(holiday_dates: Iterable[date]) -> set[date]:
    """Days off that Labour Code art. 67 part 3 adds for weekend holidays.

    A holiday on Saturday or Sunday moves the day off to the next weekday that
    is neither a holiday nor already taken by an earlier transfer (so Easter on
    2 May 2021 after Labour Day on Sat 1 May gave Tue 4 May).
    """
    holiday_set = set(holiday_dates)
    taken: set[date] = set()
    for h in sorted(holiday_set):
        if h.weekday() < 5:
            continue
        d = h + _ONE_DAY
        while d.weekday() >= 5 or d in holiday_set or d in taken:
            d += _ONE_DAY
        taken.add(d)
    return taken


def _as_reasons(days: Mapping[date, str] | Iterable[date]) -> dict[date, str]:
    if isinstance(days, Mapping):
        return dict(days)
    return dict.fromkeys(days, "")


# -- data file ---------------------------------------------------------------


def load_calendar(path: str | os.PathLike[str] | None = None) -> WorkCalendar:
    """Read a calendar file (default: the packaged ``data/calendar.yaml``).

    Raises CalendarError for invalid content and OSError if it cannot be read.
    """
    path = Path(path) if path is not None else DEFAULT_CALENDAR_PATH
    return parse_calendar(path.read_text(encoding="utf-8"), source=str(path))


@functools.cache
def default_calendar() -> WorkCalendar:
    """The packaged calendar, loaded once per process."""
    return load_calendar()


def parse_calendar(text: str, source: str = "<string>") -> WorkCalendar:
    """Build a WorkCalendar from YAML text; ``source`` names it in errors."""
    parser = _Parser(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise parser.error(exc.problem or "invalid YAML", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise parser.error(f"invalid YAML ({exc})") from exc
    return parser.calendar(root)


class _Parser:
    """Turns the composed YAML node tree into a WorkCalendar, keeping lines."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, problem: str, line: int | None = None, key: str | None = None) -> CalendarError:
        return CalendarError(problem, source=self.source, line=line, key=key)

    def node_error(self, node: yaml.Node, problem: str, key: str) -> CalendarError:
        return self.error(problem, node.start_mark.line + 1, key)

    def calendar(self, root: yaml.Node | None) -> WorkCalendar:
        # A file of comments only means "no overrides".
        if root is None or _is_null(root):
            return WorkCalendar()
        if not isinstance(root, yaml.MappingNode):
            raise self.node_error(root, "expected a mapping of keys", "<top>")
        values = self.mapping(root, _KEYS, "<top>")
        until = values.get("martial_law_until")
        follow = values.get("follow_cabinet_transfers")
        off = self.entries(values.get("days_off"), "days_off")
        work = self.entries(values.get("working_days"), "working_days")
        for d, (_, line) in work.items():
            if d in off:
                raise self.error(
                    f"{d.isoformat()} is also in days_off (line {off[d][1]})",
                    line,
                    "working_days",
                )
        return WorkCalendar(
            martial_law_until=None if until is None else self.date_or_null(until),
            days_off={d: reason for d, (reason, _) in off.items()},
            working_days={d: reason for d, (reason, _) in work.items()},
            follow_cabinet_transfers=True if follow is None or _is_null(follow) else self.boolean(follow),
        )

    def boolean(self, node: yaml.Node) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() in ("true", "yes", "on")
        raise self.node_error(node, "expected yes or no", "follow_cabinet_transfers")

    def mapping(self, node: yaml.MappingNode, allowed: tuple[str, ...], where: str) -> dict[str, yaml.Node]:
        values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                raise self.node_error(
                    key_node,
                    f"unknown key, expected one of: {', '.join(allowed)}",
                    str(key) if where == "<top>" else f"{where}.{key}",
                )
            if key in values:
                raise self.node_error(key_node, "duplicate key", key)
            values[key] = value_node
        return values

    def date_or_null(self, node: yaml.Node) -> date | None:
        if _is_null(node):
            return None
        d = self.date(node, "martial_law_until")
        if d < MARTIAL_LAW_LABOUR_RULES_START:
            start = MARTIAL_LAW_LABOUR_RULES_START.isoformat()
            raise self.node_error(node, f"must not be before {start}", "martial_law_until")
        return d

    def date(self, node: yaml.Node, key: str) -> date:
        text = node.value if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(text, str) or not _DATE_RE.fullmatch(text):
            raise self.node_error(node, "expected a date YYYY-MM-DD", key)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.node_error(node, f"{text} is not a valid date", key) from None

    def entries(self, node: yaml.Node | None, key: str) -> dict[date, tuple[str, int]]:
        """A list of dates or {date, reason} mappings -> date -> (reason, line)."""
        if node is None or _is_null(node):
            return {}
        if not isinstance(node, yaml.SequenceNode):
            raise self.node_error(node, "expected a list", key)
        result: dict[date, tuple[str, int]] = {}
        for item in node.value:
            d, reason = self.entry(item, key)
            line = item.start_mark.line + 1
            if d in result:
                raise self.error(
                    f"duplicate date {d.isoformat()} (first at line {result[d][1]})",
                    line,
                    key,
                )
            result[d] = (reason, line)
        return result

    def entry(self, node: yaml.Node, key: str) -> tuple[date, str]:
        if not isinstance(node, yaml.MappingNode):
            return self.date(node, key), ""
        fields = self.mapping(node, _ENTRY_KEYS, key)
        if "date" not in fields:
            raise self.node_error(node, "missing date", f"{key}.date")
        reason_node = fields.get("reason")
        reason = ""
        if reason_node is not None and not _is_null(reason_node):
            if not isinstance(reason_node, yaml.ScalarNode):
                raise self.node_error(reason_node, "expected text", f"{key}.reason")
            reason = reason_node.value.strip()
        return self.date(fields["date"], f"{key}.date"), reason


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def iso(value: date | None) -> str | None:
    """The ISO text of a date or datetime; None for none."""
    return value.isoformat() if value is not None else None
