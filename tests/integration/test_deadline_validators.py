"""Item 7 of the deadlines issue through the action API: the dates the deadlines are
computed from are not in the future (Kyiv days); "data changed" may precede the first
publication (issue 14); the frequency is from the vocabulary. Clear Ukrainian errors naming the
field, and nothing written when refused."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lutsk.domain import workdays
from tests.lutsk_factories import body_org, passport, site_user

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def api(app):
    user = factories.SysadminWithToken()
    org = body_org("finance-budget")

    def call(action: str, status: int = 200, **data):
        if action == "package_create":
            data = passport(owner_org=org["id"], **data)
        resp = app.post(
            f"/api/3/action/{action}", json=data, headers={"Authorization": user["token"]}, status=status
        )
        return resp.json["result"] if status == 200 else resp.json["error"]

    return call


def _tomorrow() -> str:
    return (workdays.kyiv_today() + dt.timedelta(days=1)).isoformat()


class TestNotInTheFuture:
    @pytest.mark.parametrize("field", ["data_changed", "data_updated", "date_published"])
    def test_a_future_date_is_refused_naming_the_field(self, api, field):
        tomorrow = _tomorrow()
        value = tomorrow if field == "data_changed" else f"{tomorrow}T08:00:00"
        error = api("package_create", status=409, name="future", **{field: value})
        assert error[field] == [f"Дата {tomorrow} ще не настала."]
        assert model.Package.get("future") is None

    @pytest.mark.usefixtures("with_request_context")
    def test_today_in_kyiv_is_accepted_even_before_utc_midnight(self, freezer):
        org = body_org("finance-budget")
        user = {"user": site_user()}
        # 22:30 UTC on 1 March is 00:30 on 2 March in Kyiv.
        freezer.move_to("2026-03-01 22:30:00")
        data = passport(owner_org=org["id"], date_published="2026-01-05T09:00:00", data_changed="2026-03-02")
        pkg = call_action("package_create", context=dict(user), **data)
        assert pkg["data_changed"] == "2026-03-02"
        freezer.move_to("2026-03-01 21:30:00")  # 23:30 in Kyiv: 2 March has not come yet
        with pytest.raises(tk.ValidationError) as err:
            # Another field changes too: CKAN 2.12 skips validation of an update that changes nothing.
            call_action(
                "package_patch", context=dict(user), id=pkg["id"], data_changed="2026-03-02", notes="Змінено."
            )
        assert err.value.error_dict["data_changed"] == ["Дата 2026-03-02 ще не настала."]


class TestChangeBeforeFirstPublication:
    """Issue 14: data often change before they are first published; not an error."""

    def test_against_the_date_sent(self, api):
        pkg = api(
            "package_create", name="early", date_published="2024-03-01T09:00:00", data_changed="2024-02-29"
        )
        assert pkg["data_changed"] == "2024-02-29"

    def test_against_the_recorded_date_when_an_update_leaves_it_out(self, api):
        pkg = api("package_create", name="recorded", date_published="2024-03-01T09:00:00")
        data = {k: v for k, v in pkg.items() if k not in ("date_published", "data_updated")}
        api("package_update", **{**data, "data_changed": "2024-01-15"})
        assert call_action("package_show", id="recorded")["data_changed"] == "2024-01-15"


OLD = {"date_published": "2024-03-01T09:00:00", "data_updated": "2024-03-01T09:00:00"}


class TestFrequencyAndDates:
    def test_unknown_frequency(self, api):
        error = api("package_create", status=409, update_frequency="every full moon")
        assert error["update_frequency"][0].startswith("Невідоме значення «every full moon». Оберіть одне з:")
        assert "no longer updated" in error["update_frequency"][0]

    def test_missing_frequency(self, api):
        error = api("package_create", status=409, update_frequency="")
        assert error["update_frequency"] == ["Відсутнє значення"]

    def test_a_date_that_does_not_exist(self, api):
        error = api("package_create", status=409, data_changed="2024-02-30")
        assert set(error) == {"data_changed", "__type"}
        assert error["data_changed"] == ["Формат дати вказаний неправильно"]

    def test_accepted_change_drives_the_deadline(self, api):
        today = workdays.kyiv_today().isoformat()
        pkg = api(
            "package_create",
            name="changed-now",
            data_changed=today,
            update_frequency="immediately after making changes",
            **OLD,
        )
        found = call_action("package_search", fq="+name:changed-now +lutsk_deadline_reason:change")
        assert found["count"] == 1, pkg["name"]
