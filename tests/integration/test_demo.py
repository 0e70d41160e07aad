"""The demo data the portal command loads: bodies, users, 30+ complete passports, some late."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.lutsk import config, demo
from ckanext.lutsk.domain import deadlines, workdays


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
def test_demo_load_is_complete_late_in_places_and_idempotent():
    report = demo.load()
    assert any(line.startswith("sysadmin: admin") for line in report)

    found = call_action("package_search", q="*:*", rows=1000, include_private=True)
    datasets = found["results"]
    assert len(datasets) >= 30
    assert len({d["organization"]["name"] for d in datasets}) >= 15
    required = (
        "title",
        "notes",
        "purpose_of_collecting_information",
        "language",
        "update_frequency",
        "tag_string",
        "maintainer",
        "maintainer_email",
        "license_id",
        "owner_org",
    )
    for d in datasets:
        assert all(d.get(k) for k in required), d["name"]
        assert d["resources"] and all(r["url"].startswith("https://") for r in d["resources"])

    freq = config.vocabulary("frequencies")
    today = workdays.kyiv_today()

    def _day(v):
        return dt.datetime.fromisoformat(v).date() if v else None

    states = [
        deadlines.dataset_status(
            changed=_day(d.get("data_changed")),
            updated=_day(d.get("data_updated")),
            published=_day(d.get("date_published")),
            period=freq.period(d["update_frequency"]),
            discontinued=freq.is_discontinued(d["update_frequency"]),
            today=today,
        ).state
        for d in datasets
    ]
    assert states.count(deadlines.OVERDUE_FREQUENCY) >= 3
    assert deadlines.OVERDUE_CHANGE in states
    assert deadlines.ON_TIME in states

    editor = model.User.get("finance-budget-editor")
    assert editor is not None
    assert any(u.name == "ict-staff" for u in model.Session.query(model.User))

    again = demo.load()
    assert any("(0 new)" in line and "datasets" in line for line in again)
