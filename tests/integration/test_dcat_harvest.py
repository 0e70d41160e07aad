"""A real DCAT client: the data.gov.ua stand-in's ckanext-dcat RDF harvester pulls our
/catalog.ttl over HTTP from the portal running as a server, and ends with every public
dataset and its passport."""

from __future__ import annotations

import contextlib
import subprocess
import uuid
from pathlib import Path

import ckanapi
import pytest

from ckanext.lutsk import config
from ckanext.lutsk.domain.mapping import national_org
from tests import dcat_support
from tests.peer import server as peer_server

ROOT = Path(__file__).resolve().parents[2]
CLIENT_INI = ROOT / "tests" / "peer" / "dcat-client.ini"

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("with_plugins")]


@pytest.fixture(scope="module")
def published(fresh_portal, portal_server):
    """A fresh portal database with the realistic catalogue, served by ``portal_server``."""
    data = dcat_support.create_catalogue(uuid.uuid4().hex[:6])
    return data


def _fresh_source(peer, url: str) -> dict:
    """A dcat_rdf source for ``url`` on the peer. The URL must be unique there, so an earlier
    run's source is cleared of its datasets, deleted and purged first."""
    admin = peer.api(peer.admin_token)
    for source in admin.action.harvest_source_list(only_active=True):
        if source.get("url") == url and source.get("type") == "dcat_rdf":
            for action in ("harvest_source_clear", "harvest_source_delete", "dataset_purge"):
                with contextlib.suppress(ckanapi.NotFound):  # its dataset is gone already
                    admin.call_action(action, {"id": source["id"]})
    return admin.action.harvest_source_create(
        name=f"lutsk-dcat-{uuid.uuid4().hex[:8]}",
        title="Луцьк: DCAT-каталог",
        url=url,
        source_type="dcat_rdf",
        owner_org=peer.organizations[0],
        frequency="MANUAL",
    )


CKAN = peer_server.CKAN  # the harvest runs on the peer, in its own venv


def _harvest(source: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CKAN), "-c", str(CLIENT_INI), "harvester", "run-test", source["id"]],
        cwd=ROOT,
        env=peer_server._peer_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def harvested(peer, portal_server, published):
    """The peer's first harvest of our catalogue: (source, finished job, peer datasets by name)."""
    source = _fresh_source(peer, f"{portal_server.url}/catalog.ttl")
    run = _harvest(source)
    assert run.returncode == 0, run.stderr[-3000:]
    return source, *_outcome(peer, source)


def _outcome(peer, source: dict) -> tuple[dict, dict]:
    admin = peer.api(peer.admin_token)
    job = admin.action.harvest_source_show(id=source["id"])["status"]["last_job"]
    found = admin.action.package_search(
        fq=f'harvest_source_id:"{source["id"]}"', rows=1000, include_private=True
    )["results"]
    return job, {d["name"]: d for d in found}


def test_peer_harvests_every_public_dataset_with_its_passport(peer, published, harvested):
    _source, job, datasets = harvested
    assert job["stats"].get("errored", 0) == 0, peer.api(peer.admin_token).action.harvest_job_report(
        id=job["id"]
    )
    assert set(datasets) == {d["name"] for d in published["public"]}
    assert published["private"]["name"] not in datasets

    registry = config.registry()
    for ours in published["public"]:
        theirs = datasets[ours["name"]]
        assert theirs["title"] == ours["title"]
        assert theirs["notes"] == ours["notes"]
        assert {t["name"] for t in theirs["tags"]} == set(ours["tag_string"].split(","))
        for key in ("language", "update_frequency", "purpose_of_collecting_information", "maintainer"):
            assert theirs[key] == ours[key], key
        assert theirs["maintainer_email"] == ours["maintainer_email"]
        assert theirs["license_id"] == ours["license_id"]
        # The body's own organization on the national portal, not the harvest source's.
        assert theirs["organization"]["name"] == national_org(registry, ours["organization"]["name"])
        assert sorted((r["url"], r["format"]) for r in theirs["resources"]) == sorted(
            (r["url"], r["format"]) for r in ours["resources"]
        )


def test_a_second_harvest_updates_in_place(peer, harvested):
    source, _job, before = harvested
    run = _harvest(source)
    assert run.returncode == 0, run.stderr[-3000:]
    job, after = _outcome(peer, source)
    assert job["stats"].get("errored", 0) == 0
    assert {name: d["id"] for name, d in after.items()} == {name: d["id"] for name, d in before.items()}
    for name, dataset in after.items():
        resources = {r["url"]: r["id"] for r in dataset["resources"]}
        assert resources == {r["url"]: r["id"] for r in before[name]["resources"]}, name
