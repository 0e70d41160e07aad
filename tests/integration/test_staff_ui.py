"""Issue 8, staff UI: the ICT overview's per-body counts (Solr facets) agree with the full
report, its overdue list is paged, and the site navigation links the ICT department's
pages for those who may open them and the public timeliness page for everyone."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from ckan.tests.helpers import call_action

from ckanext.lutsk.deadlines import overview as deadline_overview
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import workdays
from ckanext.lutsk.views import deadlines as deadline_views
from tests.lutsk_factories import body_org, dataset, staff

T = workdays.kyiv_today()


def _dt(d: date) -> str:
    return f"{d.isoformat()}T10:00:00"


def _old(**kw):
    return {
        "date_published": _dt(T - timedelta(days=400)),
        "data_updated": _dt(T - timedelta(days=100)),
        **kw,
    }


@pytest.fixture(scope="module")
def world(fresh_portal):
    a, b, ict = body_org("finance-budget"), body_org("education"), body_org("ict")
    users = staff(ict=(ict, "member"), a_editor=(a, "editor"), sysadmin=True)
    yearly, monthly = "once a year", "once a month"
    for i in range(3):
        dataset(
            owner_org=a["id"],
            name=f"a-late-change-{i}",
            update_frequency=yearly,
            **_old(data_changed=(T - timedelta(days=30 + i)).isoformat()),
        )
    dataset(owner_org=a["id"], name="a-late-period", update_frequency=monthly, **_old())
    dataset(
        owner_org=a["id"],
        name="a-due-soon",
        update_frequency=yearly,
        **_old(data_changed=T.isoformat()),
    )
    dataset(
        owner_org=a["id"],
        name="a-on-time",
        update_frequency=yearly,
        **_old(data_updated=_dt(T - timedelta(days=10))),
    )
    dataset(owner_org=b["id"], name="b-on-time", update_frequency=yearly, **_old())
    dataset(owner_org=b["id"], name="b-stopped", update_frequency="no longer updated", **_old())
    dataset(owner_org=b["id"], name="b-private", private=True, update_frequency=monthly, **_old())
    return {"users": users}


def _auth(world, who):
    return {"Authorization": world["users"][who]["token"]} if who else {}


class TestOverviewCounts:
    def test_facet_counts_equal_the_full_report(self, world):
        full = call_action("lutsk_deadline_report", context={"ignore_auth": True})
        overdue = call_action("lutsk_deadline_report", context={"ignore_auth": True}, state="overdue")
        assert deadline_overview.summary(overdue) == full["summary"]
        as_of = (T + timedelta(days=60)).isoformat()
        full = call_action("lutsk_deadline_report", context={"ignore_auth": True}, as_of=as_of)
        overdue = call_action(
            "lutsk_deadline_report", context={"ignore_auth": True}, state="overdue", as_of=as_of
        )
        assert deadline_overview.summary(overdue) == full["summary"], "any day, from the index"

    def test_a_report_only_state_moves_the_dataset_out_of_its_indexed_state(self, world):
        """A state the index does not hold (the national copy late) comes from the rows: the
        dataset leaves the on-time state the index counted it in."""
        rows = {
            r["name"]: r
            for r in call_action("lutsk_deadline_report", context={"ignore_auth": True})["datasets"]
        }
        overdue = call_action("lutsk_deadline_report", context={"ignore_auth": True}, state="overdue")
        extra = "overdue_national"
        late = [
            {**rows[name], "state": extra, "passport_state": rows[name]["state"]}
            for name in ("b-on-time", "a-due-soon", "a-on-time")
        ]
        report = {
            **overdue,
            "totals": {**overdue["totals"], "counts": {**overdue["totals"]["counts"], extra: 0}},
            "datasets": [*overdue["datasets"], *late],
        }
        bodies = {s["body"]: s for s in deadline_overview.summary(report)}
        assert bodies["education"]["counts"][status.ON_TIME] == 0
        assert bodies["education"]["counts"][extra] == 1
        assert bodies["education"]["total"] == 2
        finance = bodies["finance-budget"]["counts"]
        assert (finance[status.ON_TIME], finance[status.DUE_SOON], finance[extra]) == (0, 0, 2)
        assert bodies["finance-budget"]["total"] == 6
        assert bodies["finance-budget"]["on_time_percent"] == 0


class TestOverviewPage:
    def test_totals_and_the_overdue_list(self, app, world):
        page = app.get("/lutsk/deadlines", headers=_auth(world, "ict")).body
        assert "Прострочені набори даних (4)" in page
        assert "a-late-period" in page and "a-late-change-0" in page
        assert "a-on-time" not in page and "b-private" not in page
        assert 'class="pagination' not in page, "one page: no pager"

    def test_the_overdue_list_is_paged(self, app, world, monkeypatch):
        monkeypatch.setattr(deadline_views, "OVERDUE_PAGE_ROWS", 3)
        # Titles carry a running number (factories): the order comes from the report itself.
        report = deadline_report.build_report({"ignore_auth": True}, states=["overdue"])
        names = [r["name"] for r in deadline_report.sort_rows(report["datasets"], "title")]
        assert len(names) == 4
        first = app.get("/lutsk/deadlines?list_sort=title", headers=_auth(world, "ict")).body
        assert "Прострочені набори даних (4)" in first
        assert all(f'/dataset/{n}"' in first for n in names[:3]) and f'/dataset/{names[3]}"' not in first
        assert 'class="pagination' in first and "page=2" in first
        second = app.get("/lutsk/deadlines?list_sort=title&page=2", headers=_auth(world, "ict")).body
        assert f'/dataset/{names[3]}"' in second and f'/dataset/{names[0]}"' not in second
        assert "/organization/education/deadlines" in second, "every body is counted on every page"


def _nav(body: str) -> str:
    """The header's main navigation (up to the site-wide search)."""
    start, end = body.index('id="main-navigation-toggle"'), body.index('id="field-sitewide-search"')
    return body[start:end]


class TestNavigation:
    @pytest.mark.parametrize("who", ["ict", "sysadmin"])
    def test_the_ict_department_finds_its_pages(self, app, world, who):
        nav = _nav(app.get("/dataset/", headers=_auth(world, who)).body)
        assert 'id="lutsk-staff-nav"' in nav
        for path in (
            "/lutsk/deadlines",
            "/lutsk/coverage",
            "/lutsk/audit-plan",
            "/lutsk/datagovua/behind",
            "/lutsk/data-checks",
        ):
            assert f'href="{path}"' in nav, path
        assert 'href="/lutsk/timeliness"' in nav

    @pytest.mark.parametrize("who", [None, "a_editor"])
    def test_others_see_the_public_page_only(self, app, world, who):
        nav = _nav(app.get("/dataset/", headers=_auth(world, who)).body)
        assert 'href="/lutsk/timeliness"' in nav
        assert "/lutsk/deadlines" not in nav and "/lutsk/coverage" not in nav
        assert "lutsk-staff-nav" not in nav

    def test_the_current_page_is_marked(self, app, world):
        nav = _nav(app.get("/lutsk/deadlines", headers=_auth(world, "ict")).body)
        assert re.search(r'class="dropdown-item active" href="/lutsk/deadlines"\s*aria-current="page"', nav)

    @pytest.mark.parametrize("who", [None, "ict"])
    def test_a_page_not_found_keeps_the_menu(self, app, world, who):
        """No route matched: no current page, the menu still renders."""
        body = app.get("/no-such-page", headers=_auth(world, who), status=404).body
        assert 'href="/lutsk/timeliness"' in _nav(body)
        assert ('id="lutsk-staff-nav"' in body) is (who == "ict")
