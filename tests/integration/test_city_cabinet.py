"""One city cabinet on data.gov.ua, proven on the stand-in peer: every body's datasets go
into the council's one organization there, each recognisable by its holder body
(``author``/``author_email``), with its passport intact, our ``name`` kept, uploads as
working links. Both ways the national portal gets them: the publisher's push
(``ckanext.lutsk.datagovua.org``) and the national portal's one CKAN harvest source for
the whole portal (the config README gives data.gov.ua's administrators)."""

from __future__ import annotations

import io
import json
import uuid

import pytest
import requests
from ckan.tests.helpers import call_action
from ckan.tests.pytest_ckan.fixtures import FakeFileStorage

from ckanext.lutsk import config
from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.model import sync_state
from tests import sync_support
from tests.integration.test_national_harvest import run_on_peer
from tests.lutsk_factories import body_org, dataset, site_user

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("with_plugins")]

CITY = "lutsk-city-council"
BODIES = ("economic-policy", "education", "transport")
#: The passport as data.gov.ua's schema holds it (tests/peer/datagovua_dataset.yaml).
PASSPORT_KEYS = (
    "name",
    "title",
    "notes",
    "language",
    "purpose_of_collecting_information",
    "update_frequency",
    "maintainer",
    "maintainer_email",
    "license_id",
    "author",
    "author_email",
)


def harvest_source_config(portal_url: str, marker: str) -> dict:
    """The one harvest source data.gov.ua's administrators register for Lutsk (README)."""
    return {
        "name": f"lutsk-portal-{marker}",
        "title": "Луцька міська рада: портал відкритих даних",
        "url": portal_url,
        "source_type": "ckan",
        "owner_org": CITY,
        "frequency": "DAILY",
        # "user_agent" only keeps this run's source apart from earlier runs' (same URL).
        "config": json.dumps({"default_extras": {}, "user_agent": f"peer-{marker}"}),
    }


@pytest.fixture
def world(clean_db, clean_index):
    marker = uuid.uuid4().hex[:8]
    made = []
    for slug in BODIES:
        org = body_org(slug)
        made.append(
            dataset(
                owner_org=org["id"],
                name=f"cab-{slug}-{marker}",
                tag_string="місто,дані",
                maintainer_email="open@lutskrada.gov.ua",
            )
        )
    # An upload: the national copy must link to a download URL that works.
    upload = call_action(
        "resource_create",
        {"user": site_user()},
        package_id=made[0]["id"],
        name="Файл",
        format="CSV",
        upload=FakeFileStorage(io.BytesIO("id,name\n1,Луцьк\n".encode()), "programmes.csv"),
    )
    assert upload["url_type"] == "upload"
    return marker, [call_action("package_show", id=d["id"]) for d in made]


def _check_copy(national: dict, local: dict) -> None:
    registry = config.registry()
    body = registry.get(local["organization"]["name"])
    assert national["organization"]["name"] == CITY
    assert national["author"] == body.title("uk")  # every body recognisable in the one cabinet
    for key in PASSPORT_KEYS:
        assert national.get(key) == local.get(key), key
    assert sorted(t["name"] for t in national["tags"]) == sorted(t["name"] for t in local["tags"])


def test_the_publisher_pushes_every_body_into_the_city_cabinet(world, publishing, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.datagovua.org", CITY)
    _marker, local = world
    staff = publishing.api(publishing.admin_token)
    for pkg in local:
        assert publisher.publish_dataset(pkg["id"]).action == "created"
        row = sync_state.get(pkg["id"])
        assert row.remote_org == CITY
        national = staff.action.package_show(id=row.remote_id)
        _check_copy(national, call_action("package_show", id=pkg["id"]))
        assert [r["url"] for r in national["resources"]] == [r["url"] for r in pkg["resources"]]
    # A second run: nothing to write.
    assert publisher.publish_dataset(local[0]["id"]).action == "unchanged"


def test_our_name_taken_in_the_cabinet_is_reported_not_renamed(world, publishing, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.datagovua.org", CITY)
    _marker, local = world
    staff = publishing.api(publishing.admin_token)
    # Somebody else's dataset with our name, in another organization there.
    other_org = "education"
    staff.action.package_create(
        name=local[1]["name"],
        title="Чужий набір",
        notes="Інший розпорядник",
        owner_org=other_org,
        tag_string="інше",
        language="ua",
        purpose_of_collecting_information="—",
        update_frequency="once a year",
    )
    outcome = publisher.publish_dataset(local[1]["id"])
    assert outcome.action == "failed" and outcome.error_kind == publisher.NAME_TAKEN
    status = call_action("lutsk_sync_status", id=local[1]["id"])
    assert local[1]["name"] in status["error"]
    assert not sync_support.peer_names(publishing, f"{local[1]['name']}-")  # no renamed copy


def test_one_harvest_source_takes_the_whole_portal_into_one_cabinet(world, portal_server, peer):
    marker, local = world
    staff = peer.api(peer.admin_token)
    source = staff.action.harvest_source_create(**harvest_source_config(portal_server.url, marker))
    try:
        run_on_peer(peer, source["id"])
        found = staff.action.package_search(
            fq=f'harvest_source_id:"{source["id"]}"', rows=100, include_private=True
        )["results"]
        assert {d["name"] for d in found} == {d["name"] for d in local}, "our names kept"
        authors = set()
        for pkg in local:
            ours = call_action("package_show", id=pkg["id"])
            national = staff.action.package_show(id=ours["id"])  # our id kept too
            _check_copy(national, {**ours, "resources": pkg["resources"]})
            authors.add(national["author"])
            theirs = [(r["url"], r["format"]) for r in national["resources"]]
            assert theirs == [(r["url"], r["format"]) for r in ours["resources"]]
        assert len(authors) == len(BODIES)
        # The upload reaches the national copy as a link to our server that works.
        uploaded = [
            r for r in staff.action.package_show(id=local[0]["id"])["resources"] if r["name"] == "Файл"
        ]
        [res] = uploaded
        # Our download URL, built on ckan.site_url (the test process's, since package_show
        # serves the indexed dict; in production every process shares the public one).
        from ckan.plugins.toolkit import config as ckan_config

        site = ckan_config["ckan.site_url"].rstrip("/")
        assert res["url"].startswith(site) and res["url"].endswith("/download/programmes.csv")
        assert "url_type" not in res or not res["url_type"]
        got = requests.get(portal_server.url + res["url"][len(site) :], timeout=30)
        assert got.status_code == 200 and "Луцьк" in got.content.decode()
    finally:
        staff.action.harvest_source_clear(id=source["id"])
        staff.action.harvest_source_delete(id=source["id"])


def test_a_known_edrpou_does_not_break_the_push(publishing):
    # No body's ЄДРПОУ is known today; when the registry gets one, the push carries it as
    # `publisherIdentifier`. The stand-in's schema (scheming, data.gov.ua's keys) must take
    # the dataset; whether it keeps the key is the national schema's business.
    from ckanext.lutsk.domain import mapping

    pkg = {
        "name": sync_support.unique("edrpou"),
        "title": "Набір з кодом ЄДРПОУ",
        "notes": "Опис",
        "language": "ua",
        "purpose_of_collecting_information": "Постанова КМУ № 835",
        "update_frequency": "once a year",
        "tag_string": "код",
        "author": "Департамент освіти",
        "publisherIdentifier": "44106679",
        "resources": [],
    }
    made = publishing.api(publishing.city_token).action.package_create(
        **mapping.to_remote(pkg, owner_org=CITY)
    )
    assert made["author"] == "Департамент освіти"
    # The stand-in drops the key it does not know (as data.gov.ua's schema likely does):
    # the holder stays recognisable by `author` alone.
    assert "publisherIdentifier" not in made
