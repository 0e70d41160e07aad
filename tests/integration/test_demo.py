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
        assert d["resources"]
        # Links to the city's site, except the sample files uploaded for the data check.
        assert all(r["url"].startswith("https://") or r["url_type"] == "upload" for r in d["resources"])

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


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues", "with_request_context")
def test_demo_data_gives_real_data_check_results(cli):
    """Issue 19's measure on the demo data: the sample files are uploads, some conform to
    the recommended structure, two have the faults met in practice (cp1251, a wrong column)."""
    from ckan.cli.cli import ckan

    from ckanext.lutsk.datacheck import jobs
    from ckanext.lutsk.datacheck import report as ict_report

    report = demo.load()
    assert "demo: 6 datasets with a sample file (7 files uploaded now)" in report
    samples = demo.sample_names()
    shown = {n: call_action("package_show", id=n) for n in samples}
    for pkg in shown.values():
        assert all(r["url_type"] == "upload" for r in pkg["resources"]), pkg["name"]

    for job in jobs.queued_jobs():  # the worker's queue: run only the sample datasets here
        job.delete()
    for pkg in shown.values():
        jobs.check_package(pkg["id"])

    counts = jobs.summary([p["id"] for p in shown.values()])
    assert counts.to_dict() == {
        "resources": 6,
        "valid": 4,
        "invalid": 2,
        "error": 0,
        "unchecked": 0,
        "with_recommended": 5,
        "matching_recommended": 2,
    }
    # The badge / facet state of each dataset.
    states = {n: jobs.dataset_state(call_action("package_show", id=n)) for n in samples}
    assert states == {
        "dataset-register": jobs.RECOMMENDED,
        "regulatory-plan": jobs.RECOMMENDED,
        "targeted-programmes": jobs.VALID,  # checked against its own structure resource
        "schools": jobs.VALID,
        "regulatory-acts": jobs.ERRORS,
        "utility-tariffs": jobs.ERRORS,
    }
    # The ICT report lists the two faulty files with their first issue.
    failing = {r["dataset"]: r["first_issue"] for r in ict_report.failing_rows(str)}
    assert failing == {"regulatory-acts": "encoding-cp1251", "utility-tariffs": "missing-column"}

    # Over every demo dataset, the others (links to lutskrada.gov.ua) are not checked yet.
    everything = jobs.summary()
    assert (everything.valid, everything.invalid, everything.with_recommended) == (4, 2, 5)
    assert everything.unchecked == everything.resources - 6 > 20

    result = cli.invoke(ckan, ["lutsk", "datacheck", "--summary"])
    assert result.exit_code == 0, result.output
    assert "valid: 4, invalid: 2" in result.output
    assert "with a recommended structure: 5 (valid against it: 2)" in result.output

    # Idempotent: nothing uploaded again, nothing to check again.
    again = demo.load()
    assert "demo: 6 datasets with a sample file (0 files uploaded now)" in again
    assert all(jobs.to_check(call_action("package_show", id=n)) == [] for n in samples)
