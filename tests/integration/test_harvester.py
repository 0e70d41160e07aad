"""Our harvester ``lutsk_datagovua`` against the real peer: it imports the bodies' national
datasets into the passport schema, never overwrites newer local data, reports per object;
and the rules on harvest sources (who, which URLs, timeouts)."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestGatherError, HarvestObject
from ckanext.harvest.tests.factories import HarvestJobObj, HarvestSourceObj
from ckanext.harvest.tests.lib import run_harvest_job

from ckanext.lutsk.datagovua.harvester import LutskDatagovuaHarvester, parse_config
from ckanext.lutsk.domain import mapping
from ckanext.lutsk.model import sync_state
from tests import sync_support
from tests.fault_proxy import FaultProxy
from tests.lutsk_factories import body_org, dataset, site_user

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

ABOLISHED = Path(__file__).parents[1] / "data" / "registry_abolished.yaml"
EDUCATION_EDRPOU = "44106679"


@pytest.fixture
def national(peer, tmp_path, ckan_config, monkeypatch):
    """Fresh national organizations for this test (the peer keeps earlier runs' data) and
    a registry that names them: education's own, the council's, and one known only by
    education's ЄДРПОУ code."""
    marker = uuid.uuid4().hex[:8]
    names = {"education": f"osvita-{marker}", "council": f"rada-{marker}", "by_code": f"code-{marker}"}
    staff = peer.api(peer.admin_token)
    staff.action.organization_create(name=names["education"], title="Освіта (нац.)")
    staff.action.organization_create(name=names["council"], title="Рада (нац.)")
    staff.action.organization_create(
        name=names["by_code"], title="Освіта за кодом", extras=[{"key": "edrpou", "value": EDUCATION_EDRPOU}]
    )
    text = ABOLISHED.read_text(encoding="utf-8")
    text = text.replace("  kind: council\n", f"  kind: council\n  datagovua_org: {names['council']}\n", 1)
    text = text.replace(
        f'    edrpou: "{EDUCATION_EDRPOU}"\n',
        f'    edrpou: "{EDUCATION_EDRPOU}"\n    datagovua_org: {names["education"]}\n',
    )
    registry = tmp_path / "registry.yaml"
    registry.write_text(text, encoding="utf-8")
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.registry_file", str(registry))
    orgs = {"education": body_org("education"), "council": body_org("lutsk-city-council")}
    yield names, orgs, staff
    # The peer outlives the test: leave no organization a later ЄДРПОУ search would find.
    for name in names.values():
        for pkg in staff.action.package_search(fq=f'organization:"{name}"', include_private=True, rows=1000)[
            "results"
        ]:
            staff.action.dataset_purge(id=pkg["id"])
        staff.action.organization_purge(id=name)


def national_dataset(staff, org: str, name: str, **overrides) -> dict:
    overrides.pop("owner_org", None)
    data = {
        "name": name,
        "title": f"Національний {name}",
        "notes": "Опис з data.gov.ua",
        "owner_org": org,
        "tag_string": "освіта,обʼєкти",
        "language": "ua",
        "purpose_of_collecting_information": "Закон України «Про освіту»",
        "update_frequency": "once a year",
        "maintainer": "Марія Левчук",
        "maintainer_email": "osvita@lutskrada.gov.ua",
        "license_id": "cc-by",
        "resources": [{"url": f"https://data.gov.ua/files/{name}.csv", "format": "CSV", "name": "Дані"}],
    }
    data.update(overrides)
    return staff.action.package_create(**data)


def harvest(source=None, config: dict | None = None, url: str | None = None):
    harvester = LutskDatagovuaHarvester()
    if source is None:
        # The ICT department owns the sources (the registry's "ict" body).
        owner = model.Group.get("ict") or body_org("ict")
        source = HarvestSourceObj(
            url=url,
            config=json.dumps(config or {}),
            source_type="lutsk_datagovua",
            owner_org=_id(owner),
        )
    job = HarvestJobObj(source=source, run=False)
    return source, job, run_harvest_job(job, harvester)


def _id(org) -> str:
    return org["id"] if isinstance(org, dict) else org.id


def outcome(result: dict) -> str | None:
    obj = HarvestObject.get(result["obj_id"])
    return next((e.value for e in obj.extras if e.key == "lutsk_outcome"), None)


@pytest.mark.peer
def test_imports_reconciles_and_reports_every_object(national, peer):
    names, orgs, staff = national
    m = uuid.uuid4().hex[:6]

    new = national_dataset(staff, names["education"], f"h-new-{m}")
    by_code = national_dataset(staff, names["by_code"], f"h-code-{m}")
    council = national_dataset(staff, names["council"], f"h-rada-{m}", language="en")
    older_there = national_dataset(staff, names["education"], f"h-kept-{m}", title="Стара національна")
    ours_newer = dataset(owner_org=orgs["education"]["id"], name=f"h-kept-{m}", title="Новіша локальна")
    same = dataset(owner_org=orgs["education"]["id"], name=f"h-same-{m}")
    same_values = mapping.to_local(same, owner_org=names["education"])
    national_dataset(staff, names["education"], same_values.pop("name"), **same_values)
    ours_older = dataset(owner_org=orgs["education"]["id"], name=f"h-upd-{m}", title="Стара локальна")
    time.sleep(0.01)
    newer_there = national_dataset(staff, names["education"], ours_older["name"], title="Новіша національна")
    # data.gov.ua does not require an e-mail; resolution 835 does, and the body has none.
    no_email = national_dataset(staff, names["education"], f"h-bad-{m}", maintainer_email="")

    source, _job, results = harvest(
        config={"organizations": [names["education"], names["council"]], "match_edrpou": True}, url=peer.url
    )
    by_name = {r["dataset"]["name"] if r.get("dataset") else guid: r for guid, r in results.items()}
    assert len(results) == 7, [
        (k, [e.message[:300] for e in v["errors"]]) for k, v in by_name.items() if v["errors"]
    ]

    created = by_name[new["name"]]
    assert (created["report_status"], outcome(created)) == ("added", "created")
    local = created["dataset"]
    assert local["organization"]["name"] == "education"
    for key in ("title", "notes", "language", "update_frequency", "purpose_of_collecting_information"):
        assert local[key] == new[key]
    assert sorted(t["name"] for t in local["tags"]) == sorted(["освіта", "обʼєкти"])
    assert [r["url"] for r in local["resources"]] == [new["resources"][0]["url"]]
    row = sync_state.get(local["id"])
    assert row.remote_id == new["id"]
    assert row.remote_url == f"{peer.url}/dataset/{new['name']}"
    assert sync_state.national_status(local["id"]).state == sync_state.IN_STEP

    assert by_name[by_code["name"]]["dataset"]["organization"]["name"] == "education", "matched by ЄДРПОУ"
    assert by_name[council["name"]]["dataset"]["organization"]["name"] == "lutsk-city-council"

    kept = by_name[ours_newer["name"]]
    assert (kept["report_status"], outcome(kept)) == ("not modified", "kept local (newer)")
    assert call_action("package_show", id=ours_newer["id"])["title"] == "Новіша локальна"
    assert sync_state.get(ours_newer["id"]).remote_id == older_there["id"]
    assert sync_state.is_national_copy_stale(ours_newer["id"]), "the publisher still owes the push"

    updated = by_name[ours_older["name"]]
    # ckanext-harvest says "added" for a dataset's first harvest object; ours says what happened.
    assert (updated["report_status"], outcome(updated)) == ("added", "updated")
    shown = call_action("package_show", id=ours_older["id"])
    assert shown["title"] == "Новіша національна"
    assert shown["id"] == ours_older["id"], "the local dataset is updated, not replaced"
    assert sync_state.get(ours_older["id"]).remote_id == newer_there["id"]

    unchanged = by_name[same["name"]]
    assert (unchanged["report_status"], outcome(unchanged)) == ("not modified", "unchanged")

    failed = results[no_email["id"]]
    assert failed["state"] == "ERROR"
    [error] = failed["errors"]
    assert no_email["name"] in error.message and "maintainer_email" in error.message
    assert model.Package.get(no_email["name"]) is None, "nothing half-written"

    # A second run finds everything as the first left it: no local write at all.
    before = {p.id: p.metadata_modified for p in model.Session.query(model.Package)}
    _source, _job, again = harvest(source)
    statuses = sorted(r["report_status"] for r in again.values())
    assert statuses == ["errored"] + ["not modified"] * 6
    after = {p.id: p.metadata_modified for p in model.Session.query(model.Package)}
    assert before == after


def test_config_is_checked():
    assert parse_config('{"organizations": ["a"], "timeout": 30}') == {"organizations": ["a"], "timeout": 30}
    for bad, message in (
        ("[1]", "JSON object"),
        ("{", "not valid JSON"),
        ('{"timeout": 0}', "timeout"),
        ('{"timeout": 1000}', "timeout"),
        ('{"organizations": "a"}', "organizations"),
        ('{"api_key": "x"}', "unknown keys"),
        ('{"retries": -1}', "retries"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_config(bad)


@pytest.mark.peer
def test_a_stalling_portal_times_out_instead_of_hanging(peer):
    proxy = FaultProxy(upstream_port=int(peer.url.rsplit(":", 1)[1]))
    try:
        proxy.fail_next("stall", "stall")
        started = time.monotonic()
        _source, job, results = harvest(
            config={"organizations": ["x"], "timeout": 1, "retries": 1}, url=proxy.url
        )
        assert time.monotonic() - started < 15
        assert proxy.applied == ["stall", "stall"], "timed out, retried once, timed out again"
        assert results == {}
        [error] = model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id).all()
        assert "search failed" in error.message
    finally:
        proxy.close()


class TestHarvestSources:
    """Only sysadmins and the ICT department manage harvest sources; URLs are http(s)."""

    @pytest.fixture
    def people(self):
        ict = body_org("ict")
        finance = body_org("finance-budget")
        users = {"ict": factories.User(), "editor": factories.User(), "sysadmin": factories.Sysadmin()}
        call_action("organization_member_create", id=ict["id"], username=users["ict"]["name"], role="editor")
        call_action(
            "organization_member_create", id=finance["id"], username=users["editor"]["name"], role="editor"
        )
        return users, ict, finance

    def source(self, user: str, org: str, url: str = "https://data.gov.ua", **extra) -> dict:
        return call_action(
            "harvest_source_create",
            context={"user": user, "ignore_auth": False},
            name=sync_support.unique("src"),
            url=url,
            source_type="lutsk_datagovua",
            owner_org=org,
            **extra,
        )

    def test_ict_staff_and_sysadmins_may_a_body_editor_may_not(self, people):
        users, ict, finance = people
        made = self.source(users["ict"]["name"], ict["id"])
        assert made["url"] == "https://data.gov.ua"
        self.source(users["sysadmin"]["name"], finance["id"])
        with pytest.raises(tk.NotAuthorized):
            self.source(users["editor"]["name"], finance["id"])
        with pytest.raises(tk.NotAuthorized):
            call_action(
                "package_update",
                context={"user": users["editor"]["name"], "ignore_auth": False},
                **{**made, "url": "https://evil.example"},
            )
        with pytest.raises(tk.NotAuthorized):
            call_action(
                "package_delete",
                context={"user": users["editor"]["name"], "ignore_auth": False},
                id=made["id"],
            )

    @pytest.mark.parametrize(
        "url", ["file:///etc/passwd", "/etc/passwd", "ftp://data.gov.ua/x", "gopher://x", "http://"]
    )
    def test_only_http_urls(self, people, url):
        users, ict, _finance = people
        with pytest.raises(tk.ValidationError) as err:
            self.source(users["sysadmin"]["name"], ict["id"], url=url)
        assert "url" in err.value.error_dict

    def test_a_sources_url_cannot_be_changed_to_a_file(self, people):
        users, ict, _finance = people
        made = self.source(users["sysadmin"]["name"], ict["id"])
        with pytest.raises(tk.ValidationError):
            call_action(
                "harvest_source_patch",
                context={"user": users["sysadmin"]["name"]},
                id=made["id"],
                url="file:///x",
            )
        assert call_action("harvest_source_show", id=made["id"])["url"] == "https://data.gov.ua"
        assert site_user()


class TestHarvestSourceSafety:
    """Issue 15: sources on internal addresses; bulk actions on sources."""

    @pytest.fixture
    def people(self):
        finance = body_org("finance-budget")
        users = {"admin": factories.User(), "sysadmin": factories.Sysadmin()}
        call_action(
            "organization_member_create", id=finance["id"], username=users["admin"]["name"], role="admin"
        )
        return users, finance

    @pytest.mark.parametrize(
        "url", ["http://127.0.0.1:8983/solr/admin/cores", "http://169.254.169.254/", "http://0x7f000001/"]
    )
    def test_internal_addresses_are_refused(self, people, url, ckan_config, monkeypatch):
        users, finance = people
        monkeypatch.setitem(ckan_config, "ckanext.lutsk.harvest_internal_hosts", "")
        with pytest.raises(tk.ValidationError) as err:
            call_action(
                "harvest_source_create",
                context={"user": users["sysadmin"]["name"], "ignore_auth": False},
                name=sync_support.unique("src"),
                url=url,
                source_type="lutsk_datagovua",
                owner_org=finance["id"],
            )
        message = err.value.error_dict["url"][0]
        assert "internal address" in message or "внутрішню адресу" in message

    def test_the_dcat_harvester_checks_the_resolved_address(self, ckan_config, monkeypatch):
        from ckanext.lutsk.dcat import hooks

        monkeypatch.setitem(ckan_config, "ckanext.lutsk.harvest_internal_hosts", "")
        url, errors = hooks.before_download("http://localhost.:5000/catalog.ttl", None)
        assert url is None and errors
        monkeypatch.setitem(ckan_config, "ckanext.lutsk.harvest_internal_hosts", "localhost.")
        assert hooks.before_download("http://localhost.:5000/catalog.ttl", None) == (
            "http://localhost.:5000/catalog.ttl",
            [],
        )

    @pytest.mark.parametrize("action", ["bulk_update_delete", "bulk_update_private"])
    def test_a_body_admin_cannot_bulk_delete_or_hide_a_source(self, people, action):
        users, finance = people
        source = call_action(
            "harvest_source_create",
            context={"user": users["sysadmin"]["name"]},
            name=sync_support.unique("src"),
            url="https://data.gov.ua",
            source_type="lutsk_datagovua",
            owner_org=finance["id"],
        )
        own = dataset(owner_org=finance["id"])
        with pytest.raises(tk.NotAuthorized):
            call_action(
                action,
                context={"user": users["admin"]["name"], "ignore_auth": False},
                datasets=[source["id"], own["id"]],
                org_id=finance["id"],
            )
        shown = call_action("package_show", id=source["id"])
        assert shown["state"] == "active" and not shown["private"]
        # Their own datasets they may still bulk-edit.
        call_action(
            action,
            context={"user": users["admin"]["name"], "ignore_auth": False},
            datasets=[own["id"]],
            org_id=finance["id"],
        )
