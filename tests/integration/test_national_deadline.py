"""National staleness in the deadline report: the copy on data.gov.ua has the same three
working days as the local dataset. A dataset on time here whose national copy has been
behind for longer (never pushed, or a change not pushed since) is late, ``overdue_national``.
Real PostgreSQL, Solr, Redis and the peer; no worker runs, so changes stay unpushed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lutsk import config
from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.deadlines import overview as deadline_overview
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines.status import OVERDUE_NATIONAL
from ckanext.lutsk.domain import deadlines, workdays
from ckanext.lutsk.model import sync_state
from tests import ckan_compat, sync_support
from tests.lutsk_factories import dataset, site_user

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")]

T = workdays.kyiv_today()
LONG_AGO = datetime.combine(T - timedelta(days=20), datetime.min.time()).replace(hour=10)


def _on_time(org, name, **kw):
    """A monthly dataset updated five days ago: on time by its passport."""
    return dataset(
        owner_org=org["id"],
        name=name,
        date_published=f"{(T - timedelta(days=400)).isoformat()}T10:00:00",
        data_updated=f"{(T - timedelta(days=5)).isoformat()}T10:00:00",
        **kw,
    )


def _backdate(pkg_id: str, **columns) -> None:
    """Time passing: a dataset made, or a change noted, twenty days ago."""
    pkg = model.Package.get(pkg_id)
    for key, value in columns.pop("package", {}).items():
        setattr(pkg, key, value)
    if columns:
        row = sync_state.get(pkg_id)
        for key, value in columns.items():
            setattr(row, key, value)
    model.Session.commit()


def _patch(id_: str, **changes):
    return call_action("package_patch", context={"user": site_user()}, id=id_, **changes)


def _report(**kw):
    return deadline_report.build_report({"ignore_auth": True}, body="finance-budget", **kw)


@pytest.mark.peer
def test_a_national_copy_behind_for_over_three_working_days_is_late(app, publishing, org):
    prefix = sync_support.unique("nat")
    fresh = _on_time(org, f"{prefix}-fresh")
    never = _on_time(org, f"{prefix}-never")
    changed = _on_time(org, f"{prefix}-changed")
    for pkg in (fresh, changed):
        assert publisher.publish_dataset(pkg["id"]).action == "created"
    # Made twenty days ago and never pushed (the worker was down all along).
    _backdate(never["id"], package={"metadata_created": LONG_AGO})

    # A change noted now: the row remembers when the copy fell behind...
    _patch(changed["id"], notes="Оновлений опис.")
    assert sync_state.get(changed["id"]).behind_since is not None
    _backdate(changed["id"], behind_since=LONG_AGO)
    # ...and a later edit does not move that day forward.
    _patch(changed["id"], notes="Ще раз оновлений опис.")
    assert sync_state.get(changed["id"]).behind_since == LONG_AGO

    report = _report()
    rows = {r["name"]: r for r in report["datasets"]}
    assert rows[fresh["name"]]["state"] == deadlines.ON_TIME
    assert "national_behind_since" not in rows[fresh["name"]]
    due = deadlines.publication_deadline(LONG_AGO.date(), config.calendar())
    for pkg in (never, changed):
        row = rows[pkg["name"]]
        assert row["state"] == OVERDUE_NATIONAL
        assert row["national_behind_since"] == LONG_AGO.date().isoformat()
        assert row["next_due"] == due.isoformat()
        assert row["working_days"] == config.calendar().working_days_between(due, T) > 0
        assert "data.gov.ua" in row["problem"]
        assert row["state_label"] == deadline_report.state_label(OVERDUE_NATIONAL)

    totals = report["totals"]
    assert totals["counts"][OVERDUE_NATIONAL] == 2
    assert totals["overdue"] == 2
    assert totals["on_time_percent"] == pytest.approx(33.3)

    # The filters and the action see the same: "overdue" includes it, "on time" does not.
    late = {r["name"] for r in _report(states=["overdue"])["datasets"]}
    assert late == {never["name"], changed["name"]}
    assert {r["name"] for r in _report(states=["on_time"])["datasets"]} == {fresh["name"]}
    result = call_action(
        "lutsk_deadline_report",
        context={"ignore_auth": True},
        body="finance-budget",
        state="overdue_national",
    )
    assert {r["name"] for r in result["datasets"]} == late

    # The ICT overview counts them the same way (its per-body counts are Solr facets plus
    # the report-only states taken from the overdue rows).
    overdue_report = deadline_report.build_report({"ignore_auth": True}, states=["overdue"])
    [finance] = [e for e in deadline_overview.summary(overdue_report) if e["body"] == "finance-budget"]
    assert finance["counts"] == totals["counts"]
    assert finance["on_time_percent"] == pytest.approx(33.3)
    sysadmin = factories.Sysadmin()
    page = app.get("/lutsk/deadlines", extra_environ=ckan_compat.browser_login(app, sysadmin)).body
    for pkg in (never, changed):
        assert f"/dataset/{pkg['name']}" in page
    assert "Прострочено на data.gov.ua" in page

    # Pushing the change puts it back on time.
    assert publisher.publish_dataset(changed["id"]).action == "updated"
    assert sync_state.get(changed["id"]).behind_since is None
    rows = {r["name"]: r for r in _report()["datasets"]}
    assert rows[changed["name"]]["state"] == deadlines.ON_TIME


@pytest.mark.peer
def test_within_three_working_days_the_copy_is_not_late_yet(publishing, org):
    pkg = _on_time(org, sync_support.unique("nat-new"))
    row = next(r for r in _report()["datasets"] if r["id"] == pkg["id"])
    assert row["state"] == deadlines.ON_TIME
    assert row["national_behind_since"] == T.isoformat()
    assert row["national_due"] == deadlines.publication_deadline(T, config.calendar()).isoformat()
    # The planning view: on the day after that deadline it will be late.
    after = date_of(row["national_due"]) + timedelta(days=1)
    row = next(r for r in _report(as_of=after)["datasets"] if r["id"] == pkg["id"])
    assert row["state"] == OVERDUE_NATIONAL


@pytest.mark.peer
def test_a_late_passport_keeps_its_own_state_and_notes_the_copy(publishing, org):
    pkg = dataset(
        owner_org=org["id"],
        name=sync_support.unique("nat-late"),
        data_changed=(T - timedelta(days=30)).isoformat(),
        date_published=f"{(T - timedelta(days=400)).isoformat()}T10:00:00",
        data_updated=f"{(T - timedelta(days=40)).isoformat()}T10:00:00",
    )
    _backdate(pkg["id"], package={"metadata_created": LONG_AGO})
    row = next(r for r in _report()["datasets"] if r["id"] == pkg["id"])
    assert row["state"] == deadlines.OVERDUE_CHANGE
    assert row["national_behind_since"] == LONG_AGO.date().isoformat()


def test_without_publishing_national_staleness_does_not_count(org):
    pkg = _on_time(org, "nat-off")
    _backdate(pkg["id"], package={"metadata_created": LONG_AGO})
    assert not deadline_report.counts_national()
    assert OVERDUE_NATIONAL not in deadline_report.report_states()
    report = _report()
    (row,) = report["datasets"]
    assert row["state"] == deadlines.ON_TIME
    assert "national_behind_since" not in row
    assert report["totals"]["on_time_percent"] == 100.0


def date_of(iso: str):
    return datetime.fromisoformat(iso).date()
