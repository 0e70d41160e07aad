"""Smoke tests of the foundation: the portal's plugins load and CKAN works end to end
against the real services (PostgreSQL, Solr, Redis)."""

from __future__ import annotations

import pytest
from ckan import plugins
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.lutsk_factories import body_org, dataset, passport


@pytest.mark.usefixtures("with_plugins")
def test_plugins_load():
    for name in ("lutsk", "scheming_datasets", "dcat", "harvest", "ckan_harvester"):
        assert plugins.plugin_loaded(name), name


@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
class TestDatasetThroughApi:
    def test_create_is_indexed_and_shown(self, app):
        user = factories.SysadminWithToken()
        org = body_org("finance-budget")
        headers = {"Authorization": user["token"]}
        resp = app.post(
            "/api/3/action/package_create",
            json=passport(
                name="smoke-budget",
                title="Бюджет Луцької міської територіальної громади",
                owner_org=org["id"],
            ),
            headers=headers,
        )
        assert resp.status_code == 200, resp.body
        created = resp.json["result"]

        found = app.get("/api/3/action/package_search", params={"q": "name:smoke-budget"}).json["result"]
        assert found["count"] == 1
        assert found["results"][0]["id"] == created["id"]

        shown = app.get("/api/3/action/package_show", params={"id": "smoke-budget"}).json["result"]
        assert shown["title"] == "Бюджет Луцької міської територіальної громади"
        assert shown["organization"]["name"] == org["name"]

    def test_dataset_page_lists_the_dataset(self, app):
        dataset(name="smoke-listed", title="Smoke listed", owner_org=body_org()["id"])
        resp = app.get("/dataset/")
        assert resp.status_code == 200
        assert "smoke-listed" in resp.body

    def test_dcat_catalog_answers_in_turtle(self, app):
        dataset(name="smoke-dcat", title="Smoke DCAT", owner_org=body_org()["id"])
        resp = app.get("/catalog.ttl")
        assert resp.status_code == 200
        assert resp.headers["Content-Type"].startswith("text/turtle")
        assert "dcat:Catalog" in resp.body
        assert "Smoke DCAT" in resp.body

    def test_harvest_source_can_be_created(self):
        sysadmin = factories.Sysadmin()
        source = call_action(
            "harvest_source_create",
            context={"user": sysadmin["name"]},
            name="datagovua-smoke",
            title="data.gov.ua",
            url="http://127.0.0.1:5001/",
            source_type="ckan",
            owner_org=body_org("ict")["id"],
        )
        assert source["source_type"] == "ckan"
        listed = call_action("harvest_source_list", context={"user": sysadmin["name"]})
        assert [s["id"] for s in listed] == [source["id"]]
