"""``ckan lutsk deadlines refresh``: time alone makes datasets late; the refresh re-indexes
exactly those, and nothing when nothing changed. A broken calendar file keeps the portal
serving and stops the batch commands with the file's line. Real PostgreSQL and Solr; the
clock is frozen (freezegun) so the dates are fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan.cli.cli import ckan
from ckan.tests.helpers import call_action

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import index as deadline_index
from ckanext.lutsk.domain import workdays
from tests.lutsk_factories import body_org, dataset, site_user

D0 = "2026-03-02 10:00:00"  # a Monday
D1 = "2026-03-10 10:00:00"  # the Tuesday after next


def _states() -> dict[str, str]:
    found = {}
    for state in ("on_time", "due_soon", "overdue_change", "overdue_frequency"):
        res = call_action("package_search", fq=f"+lutsk_deadline_state:{state}", fl=["name"], rows=50)
        found.update({r["name"]: state for r in res["results"]})
    return found


@pytest.fixture
def datasets(with_plugins, clean_db, clean_index, freezer):
    freezer.move_to(D0)
    org = body_org("finance-budget")
    published = "2025-01-10T09:00:00"
    # Changed today: due on Thursday (3 working days), late from Friday.
    dataset(
        owner_org=org["id"],
        name="changed-today",
        update_frequency="once a year",
        date_published=published,
        data_updated="2026-02-20T09:00:00",
        data_changed="2026-03-02",
    )
    # Monthly, last updated 10 Feb: due 13 Mar (10 Mar + 3 working days).
    dataset(
        owner_org=org["id"],
        name="monthly",
        update_frequency="once a month",
        date_published=published,
        data_updated="2026-02-10T09:00:00",
    )
    dataset(
        owner_org=org["id"],
        name="steady",
        update_frequency="once a year",
        date_published=published,
        data_updated="2026-02-20T09:00:00",
    )
    return org


@pytest.mark.usefixtures("with_extended_cli")
class TestRefresh:
    def test_nothing_changed_nothing_reindexed(self, datasets, cli):
        assert _states() == {"changed-today": "due_soon", "monthly": "on_time", "steady": "on_time"}
        result = cli.invoke(ckan, ["lutsk", "deadlines", "refresh"])
        assert result.exit_code == 0, result.output
        assert "Checked 3 datasets; 0 changed state." in result.output
        assert "Re-indexed" not in result.output

    def test_time_passing_reindexes_only_the_late_ones(self, datasets, cli, freezer):
        freezer.move_to(D1)
        plan = deadline_index.find_stale()
        assert sorted(plan.moves.items()) == [
            (("due_soon", "overdue_change"), 1),
            (("on_time", "due_soon"), 1),
        ]
        dry = cli.invoke(ckan, ["lutsk", "deadlines", "refresh", "--dry-run"])
        assert "Checked 3 datasets; 2 changed state." in dry.output
        assert _states()["changed-today"] == "due_soon", "a dry run writes nothing"

        result = cli.invoke(ckan, ["lutsk", "deadlines", "refresh"])
        assert result.exit_code == 0, result.output
        assert "due_soon -> overdue_change: 1" in result.output
        assert "Re-indexed 2 datasets." in result.output
        assert _states() == {"changed-today": "overdue_change", "monthly": "due_soon", "steady": "on_time"}
        computed = call_action("package_search", fq="+name:monthly", fl=["lutsk_deadline_computed_date"])[
            "results"
        ][0]["lutsk_deadline_computed_date"]
        assert computed.startswith("2026-03-10T10:00:00")

        again = cli.invoke(ckan, ["lutsk", "deadlines", "refresh"])
        assert "Checked 3 datasets; 0 changed state." in again.output

    def test_saving_the_update_puts_it_back_on_time(self, datasets, freezer):
        freezer.move_to(D1)
        pkg = call_action("package_show", id="changed-today")
        resources = [dict(pkg["resources"][0], url="https://lutskrada.gov.ua/opendata/budget-new.csv")]
        call_action("package_patch", context={"user": site_user()}, id=pkg["id"], resources=resources)
        assert _states()["changed-today"] == "on_time"


BROKEN = """\
martial_law_until: null
days_off:
  - 2026-02-30
working_days: []
"""


@pytest.fixture
def broken_calendar(tmp_path: Path, ckan_config, monkeypatch):
    path = tmp_path / "calendar.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.calendar_file", str(path))
    return path


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_extended_cli")
class TestBrokenCalendar:
    def test_the_error_names_the_line_and_the_fallback_is_used(self, broken_calendar):
        error = config.calendar_error()
        assert str(error) == f"{broken_calendar}:3: days_off: 2026-02-30 is not a valid date"
        assert config.calendar() is workdays.default_calendar(), "the packaged calendar stands in"

    def test_the_portal_keeps_serving(self, broken_calendar, app):
        org = body_org("finance-budget")
        dataset(owner_org=org["id"], name="still-saved", update_frequency="once a year")
        page = app.get("/dataset/still-saved")
        assert "lutsk-deadline-on_time" in page.body
        overview = app.get("/lutsk/deadlines", headers={"Authorization": _token(site_user())})
        assert "Файл календаря робочих днів містить помилку" in overview.body
        assert "calendar.yaml:3: days_off: 2026-02-30 is not a valid date" in overview.body

    @pytest.mark.parametrize("command", ["refresh", "remind", "digest"])
    def test_batch_commands_refuse_with_the_line(self, broken_calendar, cli, command):
        result = cli.invoke(ckan, ["lutsk", "deadlines", command])
        assert result.exit_code == 1
        assert "the working-day calendar file is invalid, fix it first" in result.output
        assert "calendar.yaml:3: days_off: 2026-02-30 is not a valid date" in result.output


def _token(user: str) -> str:
    return call_action("api_token_create", context={"ignore_auth": True, "user": user}, user=user, name="t")[
        "token"
    ]
