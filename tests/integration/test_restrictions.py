"""Datasets restricted under martial law through CKAN: the passport names the basis, the
date restricted and a review date; such a dataset is not late, is not pushed to
data.gov.ua, is shown publicly as restricted with its basis, counts as restricted in
the coverage, and the ICT digest reminds when its review date comes."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.deadlines import mail as deadline_mail
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import annex835, deadlines
from ckanext.lutsk.model import sync_state
from ckanext.lutsk.oversight import service as oversight
from tests import sync_support
from tests.lutsk_factories import body_org, dataset, passport, site_user

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")

BASIS = "Закон України «Про правовий режим воєнного стану», ст. 8; рішення виконкому від 01.03.2022 № 1"
LATE = {
    "data_changed": "2024-01-10",
    "date_published": "2023-01-05T09:00:00",
    "data_updated": "2023-01-05T09:00:00",
}


def _restricted(**overrides):
    return dataset(
        **{
            "name": "transport-positions",
            "annex835_row": "L36",
            "martial_law_basis": BASIS,
            "martial_law_since": "2022-03-01",
            "martial_law_review": "2026-12-01",
            **LATE,
            **overrides,
        }
    )


def _errors(**overrides) -> dict:
    with pytest.raises(tk.ValidationError) as err:
        call_action("package_create", context={"user": site_user()}, **passport(**overrides))
    return err.value.error_dict


class TestPassport:
    def test_basis_needs_both_dates_and_dates_need_a_basis(self, org):
        errors = _errors(owner_org=org["id"], martial_law_basis=BASIS)
        assert errors["martial_law_basis"] == [
            "Зазначте дату, з якої набір обмежено.",
            "Зазначте дату перегляду обмеження.",
        ]
        errors = _errors(owner_org=org["id"], martial_law_review="2027-01-01")
        assert errors["martial_law_basis"] == [
            "Зазначте акт, на підставі якого набір обмежено, або приберіть дати."
        ]
        errors = _errors(
            owner_org=org["id"],
            martial_law_basis=BASIS,
            martial_law_since="2022-03-01",
            martial_law_review="2021-01-01",
        )
        assert "раніша за дату обмеження" in errors["martial_law_basis"][0]

    def test_a_restricted_dataset_is_not_late(self, org):
        body_org("transport")
        late = dataset(name="late-one", owner_org="transport", **LATE)
        assert (
            status.package_status(call_action("package_show", id=late["id"])).state in status.OVERDUE_STATES
        )
        pkg = _restricted(owner_org="transport")
        shown = call_action("package_show", id=pkg["id"])
        assert shown["martial_law_basis"] == BASIS
        assert status.package_status(shown).state == deadlines.RESTRICTED
        overdue = call_action("lutsk_deadline_report", context={"ignore_auth": True}, state="overdue")
        names = {r["name"] for r in overdue["datasets"]}
        assert "late-one" in names and "transport-positions" not in names
        badge = tk.h.lutsk_deadline_badge(shown)
        assert badge["label"] == "Обмежено на час воєнного стану"
        assert BASIS in badge["detail"] and "01.12.2026" in badge["detail"]


def test_shown_publicly_with_its_basis(app):
    body_org("transport")
    _restricted(owner_org="transport")
    page = app.get("/lutsk/restricted").body
    assert "Обмежено на час воєнного стану" in page
    assert ("transport-positions" in page and BASIS.replace("«", "&#171;")[:10] in page) or BASIS[:10] in page
    assert "01.03.2022" in page and "01.12.2026" in page
    read = app.get("/dataset/transport-positions").body
    assert "Обмежено на час воєнного стану" in read


def test_coverage_shows_the_row_restricted_not_missing():
    body_org("transport")
    _restricted(owner_org="transport")
    cells = oversight.coverage_cells(oversight.load())
    by_key = {(c.row.id, c.body): c.status for c in cells}
    assert by_key[("L36", "transport")] == annex835.RESTRICTED
    assert by_key[("L38", "transport")] == annex835.MISSING


def test_the_ict_digest_reminds_when_the_review_date_comes():
    body_org("transport")
    _restricted(owner_org="transport")
    assert deadline_mail.restriction_reviews(dt.date(2026, 11, 30)) == []
    [line] = deadline_mail.restriction_reviews(dt.date(2026, 12, 1))
    assert "transport-positions" in line and "01.12.2026" in line
    report = {
        "as_of": "2026-12-01",
        "totals": {"on_time_percent": None, "total": 0, "overdue": 0},
        "summary": [],
    }
    _subject, body = deadline_mail.digest_text(report, [], 0, [line])
    assert "Обмеження на час воєнного стану, які час переглянути:" in body and line in body


@pytest.mark.peer
@pytest.mark.usefixtures("clean_queues")
def test_not_pushed_to_data_gov_ua(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("open"))
    assert publisher.publish_dataset(pkg["id"]).action == "created"
    remote_id = sync_state.get(pkg["id"]).remote_id
    # Restricted afterwards: the national copy is withdrawn (private), not updated as public.
    call_action(
        "package_patch",
        context={"user": site_user()},
        id=pkg["id"],
        martial_law_basis=BASIS,
        martial_law_since="2022-03-01",
        martial_law_review="2027-03-01",
    )
    publisher.publish_dataset(pkg["id"])
    assert publishing.api(publishing.admin_token).action.package_show(id=remote_id)["private"] is True
    # Restricted from the start: nothing is sent.
    fresh = _restricted(owner_org=org["id"], name=sync_support.unique("closed"))
    outcome = publisher.publish_dataset(fresh["id"])
    assert outcome.action == "skipped"
    assert sync_state.get(fresh["id"]) is None or not sync_state.get(fresh["id"]).remote_id
