"""Ukrainian working-day calendar: plain unit tests, no CKAN."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from ckanext.lutsk.domain import workdays
from ckanext.lutsk.domain.workdays import (
    CalendarError,
    WorkCalendar,
    art67_transfers,
    kyiv_today,
    load_calendar,
    parse_calendar,
    to_kyiv_date,
)

D = date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    """Martial law still in force, no city overrides."""
    return WorkCalendar()


@pytest.fixture(scope="module")
def peace_2026() -> WorkCalendar:
    """Martial law ended on 30 June 2026."""
    return WorkCalendar(martial_law_until=D(2026, 6, 30))


def brute_count(c: WorkCalendar, a: date, b: date) -> int:
    """Working days in (a, b], counted one day at a time."""
    days = (b - a).days
    return sum(c.is_working_day(a + timedelta(days=i)) for i in range(1, days + 1))


def write(tmp_path, text: str):
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- weekends and ordinary weeks ----------------------------------------------


def test_weekdays_work_and_weekends_do_not(cal):
    week = [D(2026, 3, 16) + timedelta(days=i) for i in range(7)]  # Mon..Sun
    assert [cal.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_friday_change_skips_the_weekend(cal):
    assert cal.add_working_days(D(2026, 3, 20), 3) == D(2026, 3, 25)
    assert cal.next_working_day(D(2026, 3, 20)) == D(2026, 3, 23)
    assert cal.next_working_day(D(2026, 3, 21)) == D(2026, 3, 23)


def test_add_zero_is_identity_and_negative_is_rejected(cal):
    assert cal.add_working_days(D(2026, 3, 21), 0) == D(2026, 3, 21)
    with pytest.raises(ValueError):
        cal.add_working_days(D(2026, 3, 21), -1)


# -- pre-war holidays, transfers and CMU substitutions ---------------------------


def test_2021_christmas_observed_on_monday(cal):
    assert not cal.is_working_day(D(2021, 12, 27))
    assert cal.add_working_days(D(2021, 12, 23), 3) == D(2021, 12, 29)
    assert cal.next_working_day(D(2021, 12, 24)) == D(2021, 12, 28)


def test_new_year_2019_with_working_saturday(cal):
    # CMU moved 31 Dec 2018 off and made Sat 29 Dec 2018 a working day.
    assert cal.is_working_day(D(2018, 12, 29))
    assert not cal.is_working_day(D(2018, 12, 31))
    assert not cal.is_working_day(D(2019, 1, 1))
    assert cal.add_working_days(D(2018, 12, 28), 3) == D(2019, 1, 3)


def test_new_year_2020_substituted_days(cal):
    assert not cal.is_working_day(D(2019, 12, 30))
    assert not cal.is_working_day(D(2019, 12, 31))
    assert cal.is_working_day(D(2019, 12, 28))  # Saturday worked instead
    assert cal.add_working_days(D(2019, 12, 27), 3) == D(2020, 1, 3)


def test_new_year_and_christmas_2021(cal):
    for d in (D(2021, 1, 1), D(2021, 1, 7), D(2021, 1, 8)):
        assert not cal.is_working_day(d), d
    assert cal.is_working_day(D(2021, 1, 16))  # Saturday worked for 8 Jan
    assert cal.add_working_days(D(2021, 1, 6), 3) == D(2021, 1, 13)


def test_womens_day_on_sunday_moves_to_monday_2020(cal):
    assert not cal.is_working_day(D(2020, 3, 9))
    assert cal.add_working_days(D(2020, 3, 6), 3) == D(2020, 3, 12)


@pytest.mark.parametrize(
    "monday",
    [
        D(2019, 4, 29),  # Easter
        D(2019, 6, 17),  # Trinity
        D(2020, 4, 20),
        D(2020, 6, 8),
        D(2021, 6, 21),
        D(2018, 4, 9),
    ],
)
def test_pre_war_easter_and_trinity_mondays_are_off(cal, monday):
    assert monday.weekday() == 0
    assert not cal.is_working_day(monday)


def test_2021_may_holidays_stack_transfers(cal):
    assert cal.add_working_days(D(2021, 4, 30), 1) == D(2021, 5, 5)


def test_cmu_substitution_march_2022(cal):
    assert not cal.is_working_day(D(2022, 3, 7))
    assert not cal.is_working_day(D(2022, 3, 8))
    assert cal.is_working_day(D(2022, 3, 12))  # the Saturday worked for 7 March
    assert cal.add_working_days(D(2022, 3, 4), 3) == D(2022, 3, 11)
    assert cal.add_working_days(D(2022, 3, 10), 3) == D(2022, 3, 14)


def test_art67_transfers_match_holidays_observed_days():
    """Our transfer rule reproduces the package's pre-war observed days."""
    for year in (2019, 2020, 2021):
        named = holidays.country_holidays("UA", years=year, observed=False, language="en_US")
        statutory = {d for d, name in named.items() if "substituted" not in name}
        observed = set(holidays.country_holidays("UA", years=year)) - set(named)
        assert statutory and observed
        assert art67_transfers(statutory) == observed, year


# -- martial law -------------------------------------------------------------


def test_martial_law_holidays_are_working_days(cal):
    for d in (D(2022, 4, 25), D(2022, 5, 9), D(2024, 8, 26), D(2026, 12, 25), D(2026, 1, 1)):
        assert cal.is_working_day(d), d


def test_christmas_2026_under_martial_law(cal):
    assert cal.add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 29)


def test_may_2026_under_martial_law(cal):
    assert cal.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 5)


def test_new_year_under_martial_law(cal):
    assert cal.add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 5)
    assert cal.working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == 3


def test_workday_category_is_the_art73_list():
    """After martial law these dates become days off: check what they are."""
    got = set(holidays.country_holidays("UA", years=2026, categories=(holidays.WORKDAY,)))
    art73 = {D(2026, m, d) for m, d in ((1, 1), (3, 8), (5, 1), (5, 8), (6, 28))}
    art73 |= {D(2026, m, d) for m, d in ((7, 15), (8, 24), (10, 1), (12, 25))}
    easter_trinity = {D(2026, 4, 12), D(2026, 5, 31)}
    assert got == art73 | easter_trinity


# -- end of martial law (configurable) ------------------------------------------


def test_end_of_martial_law_from_file(tmp_path):
    c = load_calendar(write(tmp_path, "martial_law_until: 2026-06-30\n"))
    assert c.martial_law_until == D(2026, 6, 30)
    assert not c.is_working_day(D(2026, 12, 25))
    assert c.add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 30)


def test_days_up_to_the_end_keep_martial_law_rules():
    # The last day of martial law is still under it: 1 May stays a working day.
    still = WorkCalendar(martial_law_until=D(2026, 5, 1))
    assert still.is_working_day(D(2026, 5, 1))
    assert still.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 5)
    ended = WorkCalendar(martial_law_until=D(2026, 4, 30))
    assert not ended.is_working_day(D(2026, 5, 1))
    assert ended.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 6)


def test_weekend_holidays_move_after_martial_law(peace_2026):
    assert not peace_2026.is_working_day(D(2026, 7, 15))  # Statehood Day, Wed
    assert not peace_2026.is_working_day(D(2027, 12, 27))  # Christmas, Sat
    # Labour Day (Sat) and Easter (Sun) 2027 take Monday and Tuesday.
    assert not peace_2026.is_working_day(D(2027, 5, 3))
    assert not peace_2026.is_working_day(D(2027, 5, 4))
    assert peace_2026.is_working_day(D(2027, 5, 5))
    assert not peace_2026.is_working_day(D(2027, 6, 21))  # Trinity Monday


def test_holidays_before_the_end_do_not_move(peace_2026):
    assert peace_2026.is_working_day(D(2026, 6, 1))  # Trinity was 31 May
    assert peace_2026.is_working_day(D(2026, 5, 8))
    assert peace_2026.is_working_day(D(2026, 1, 1))
    assert peace_2026.is_working_day(D(2026, 6, 29))  # 28 June was a Sunday


def test_end_of_martial_law_does_not_touch_pre_war_years(peace_2026, cal):
    for offset in range(365 * 4):
        d = D(2018, 1, 1) + timedelta(days=offset)
        assert peace_2026.is_working_day(d) == cal.is_working_day(d), d


def test_martial_law_until_before_the_law_is_rejected(tmp_path):
    with pytest.raises(CalendarError, match=r"calendar\.yaml:2: martial_law_until"):
        load_calendar(write(tmp_path, "# c\nmartial_law_until: 2022-03-01\n"))
    with pytest.raises(CalendarError):
        WorkCalendar(martial_law_until=D(2021, 1, 1))


# -- city overrides --------------------------------------------------------------

OVERRIDES = """\
days_off:
  - 2026-05-04
  - date: 2026-12-28
    reason: "Перенесення"
working_days:
  - date: 2026-05-02
    reason: Робоча субота
  - 2021-12-27
"""


def test_overrides_from_file(tmp_path):
    c = load_calendar(write(tmp_path, OVERRIDES))
    assert not c.is_working_day(D(2026, 5, 4))
    assert c.is_working_day(D(2026, 5, 2))
    assert c.is_working_day(D(2021, 12, 27))  # beats the package's holiday
    assert c.add_working_days(D(2021, 12, 23), 3) == D(2021, 12, 28)
    assert c.add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 30)
    assert c.days_off == {D(2026, 5, 4): "", D(2026, 12, 28): "Перенесення"}
    assert c.working_days[D(2026, 5, 2)] == "Робоча субота"


def test_extra_day_off_moves_the_deadline(tmp_path):
    c = load_calendar(write(tmp_path, "days_off: [2026-05-04]\n"))
    assert c.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 6)


def test_extra_working_saturday_moves_the_deadline(tmp_path):
    c = load_calendar(write(tmp_path, "working_days: [2026-05-02]\n"))
    assert c.add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 4)


def test_overrides_are_read_only(tmp_path):
    c = load_calendar(write(tmp_path, OVERRIDES))
    with pytest.raises(TypeError):
        c.days_off[D(2026, 1, 2)] = "x"  # type: ignore[index]


def test_constructor_rejects_a_date_in_both_lists():
    with pytest.raises(CalendarError, match="working_days"):
        WorkCalendar(days_off=[D(2026, 5, 4)], working_days={D(2026, 5, 4): "x"})


# -- the data file -------------------------------------------------------------------


def test_packaged_file_loads():
    c = load_calendar()
    assert isinstance(c, WorkCalendar)
    assert workdays.DEFAULT_CALENDAR_PATH.is_file()
    assert workdays.default_calendar() is workdays.default_calendar()


@pytest.mark.parametrize(
    "text",
    ["", "# only comments\n", "null\n", "martial_law_until:\ndays_off:\nworking_days: []\n"],
)
def test_empty_file_or_keys_mean_no_overrides(tmp_path, text):
    c = load_calendar(write(tmp_path, text))
    assert c.martial_law_until is None
    assert not c.days_off
    assert not c.working_days


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("- 2026-05-04\n", 1, "<top>"),
        ("# header\nmartial_law_until: 2026-13-01\n", 2, "martial_law_until"),
        ("martial_law_until: tomorrow\n", 1, "martial_law_until"),
        ("martial_law_until: 2026-06-30 10:00:00\n", 1, "martial_law_until"),
        ("days_off:\n  - 2026-05-04\n  - 2026-02-30\n", 3, "days_off"),
        ("days_off:\n  - 20260504\n", 2, "days_off"),
        ("days_off: 2026-05-04\n", 1, "days_off"),
        ("days_off:\n  - date: 2026-5-4\n", 2, "days_off.date"),
        ("days_off:\n  - reason: no date\n", 2, "days_off.date"),
        ("days_off:\n  - date: 2026-05-04\n    why: x\n", 3, "days_off.why"),
        ("days_off:\n  - date: 2026-05-04\n    reason: [a, b]\n", 3, "days_off.reason"),
        ("days_of:\n  - 2026-05-04\n", 1, "days_of"),
        ("days_off: []\n\nholidays: []\n", 3, "holidays"),
        ("days_off: []\ndays_off: []\n", 2, "days_off"),
        ("days_off:\n  - 2026-05-04\n  - 2026-05-04\n", 3, "days_off"),
        ("days_off:\n  - 2026-05-04\nworking_days:\n  - 2026-05-04\n", 4, "working_days"),
        ("days_off: [2026-05-04\n", 2, None),
    ],
)
def test_bad_file_names_file_line_and_key(tmp_path, text, line, key):
    path = write(tmp_path, text)
    with pytest.raises(CalendarError) as err:
        load_calendar(path)
    message = str(err.value)
    assert f"{path}:{line}:" in message
    assert err.value.line == line
    assert err.value.source == str(path)
    if key is not None:
        assert err.value.key == key
        assert f": {key}: " in message


def test_conflict_message_points_at_both_entries(tmp_path):
    text = "days_off:\n  - 2026-05-04\nworking_days:\n  - date: 2026-05-04\n"
    with pytest.raises(CalendarError, match=r"2026-05-04 is also in days_off \(line 2\)"):
        load_calendar(write(tmp_path, text))


def test_calendar_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_calendar("[1, 2]")


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        load_calendar(tmp_path / "absent.yaml")


# -- counting ---------------------------------------------------------------------


def test_working_days_between_is_half_open_and_signed(cal):
    fri, sat, mon = D(2026, 3, 20), D(2026, 3, 21), D(2026, 3, 23)
    assert cal.working_days_between(fri, fri) == 0
    assert cal.working_days_between(fri, sat) == 0
    assert cal.working_days_between(fri, mon) == 1
    assert cal.working_days_between(sat, mon) == 1
    assert cal.working_days_between(mon, fri) == -1
    assert cal.working_days_between(D(2026, 3, 19), fri) == 1


def test_counting_agrees_with_stepping_across_years(cal, peace_2026):
    for c in (cal, peace_2026):
        start = D(2019, 11, 3)
        for n in (1, 2, 3, 7, 40, 250, 900):
            end = c.add_working_days(start, n)
            assert c.is_working_day(end)
            assert c.working_days_between(start, end) == n
            assert c.working_days_between(end, start) == -n
            assert brute_count(c, start, end) == n
            assert brute_count(c, start, end - timedelta(days=1)) == n - 1


def test_add_then_count_round_trips_every_day(cal):
    d = D(2021, 12, 1)
    while d < D(2022, 4, 1):
        for n in (1, 3):
            assert cal.working_days_between(d, cal.add_working_days(d, n)) == n, d
        d += timedelta(days=1)


def test_leap_years(cal):
    assert cal.add_working_days(D(2024, 2, 28), 1) == D(2024, 2, 29)
    assert cal.add_working_days(D(2024, 2, 27), 3) == D(2024, 3, 1)
    assert cal.working_days_between(D(2024, 2, 28), D(2024, 3, 1)) == 2
    assert cal.add_working_days(D(2028, 2, 28), 2) == D(2028, 3, 1)
    assert brute_count(cal, D(2023, 12, 31), D(2024, 12, 31)) == 262
    assert cal.working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 262


# -- Kyiv dates ------------------------------------------------------------------------


def test_naive_datetime_is_utc():
    assert to_kyiv_date(datetime(2026, 1, 1, 21, 59)) == D(2026, 1, 1)
    assert to_kyiv_date(datetime(2026, 1, 1, 22, 0)) == D(2026, 1, 2)  # UTC+2
    assert to_kyiv_date(datetime(2026, 7, 1, 20, 59)) == D(2026, 7, 1)
    assert to_kyiv_date(datetime(2026, 7, 1, 21, 0)) == D(2026, 7, 2)  # UTC+3


def test_aware_datetime_is_converted():
    ny = ZoneInfo("America/New_York")
    assert to_kyiv_date(datetime(2026, 3, 1, 18, 0, tzinfo=ny)) == D(2026, 3, 2)
    assert to_kyiv_date(datetime(2026, 3, 1, 20, 0, tzinfo=timezone(timedelta(hours=-3)))) == D(2026, 3, 2)


def test_plain_date_passes_through():
    assert to_kyiv_date(D(2026, 3, 1)) == D(2026, 3, 1)


def test_kyiv_today():
    today = kyiv_today()
    assert type(today) is date
    assert today == datetime.now(ZoneInfo("Europe/Kyiv")).date() or (
        today + timedelta(days=1) == datetime.now(ZoneInfo("Europe/Kyiv")).date()
    )


# -- the Cabinet's transfers are the city's choice (calendar.yaml) ----------------------------


def test_packaged_calendar_follows_the_cabinet_by_default():
    assert workdays.load_calendar().follow_cabinet_transfers is True
    assert parse_calendar("martial_law_until: null\n").follow_cabinet_transfers is True


def test_cabinet_transfers_2019_followed():
    # CMU order 7-р of 10.01.2019: 30.04 → Sat 11.05, 30.12 → Sat 21.12, 31.12 → Sat 28.12.
    cal = parse_calendar("follow_cabinet_transfers: yes\n")
    assert not cal.is_working_day(date(2019, 4, 30))
    assert cal.is_working_day(date(2019, 5, 11))
    assert not cal.is_working_day(date(2019, 12, 30)) and not cal.is_working_day(date(2019, 12, 31))
    assert cal.is_working_day(date(2019, 12, 21)) and cal.is_working_day(date(2019, 12, 28))
    # Checked by hand (domain-2026-12.md §4): a change on 26.04.2019 is due on 06.05.2019.
    assert cal.add_working_days(date(2019, 4, 26), 3) == date(2019, 5, 6)


def test_cabinet_transfers_2019_not_followed():
    cal = parse_calendar("follow_cabinet_transfers: no\n")
    assert cal.follow_cabinet_transfers is False
    assert cal.is_working_day(date(2019, 4, 30))
    assert not cal.is_working_day(date(2019, 5, 11))
    assert cal.is_working_day(date(2019, 12, 30)) and cal.is_working_day(date(2019, 12, 31))
    assert not cal.is_working_day(date(2019, 12, 21)) and not cal.is_working_day(date(2019, 12, 28))
    # Holidays themselves stay days off: 1 and 9 May 2019.
    assert not cal.is_working_day(date(2019, 5, 1)) and not cal.is_working_day(date(2019, 5, 9))
    # Fri 26.04 → Mon 29.04 (Easter observed, off), Tue 30.04, Wed 01.05 (off), Thu 02.05, Fri 03.05.
    assert cal.add_working_days(date(2019, 4, 26), 3) == date(2019, 5, 3)


def test_the_file_overrides_a_single_transfer_either_way():
    cal = parse_calendar("follow_cabinet_transfers: no\nworking_days: [2019-05-11]\ndays_off: [2019-04-30]\n")
    assert not cal.is_working_day(date(2019, 4, 30)) and cal.is_working_day(date(2019, 5, 11))
    assert cal.is_working_day(date(2019, 12, 31))


@pytest.mark.parametrize("value", ["maybe", "1", "[yes]"])
def test_follow_cabinet_transfers_must_be_yes_or_no(value):
    with pytest.raises(CalendarError) as err:
        parse_calendar(f"follow_cabinet_transfers: {value}\n")
    assert err.value.key == "follow_cabinet_transfers" and err.value.line == 1
