"""Pull by the national portal: a harvest job on the peer with ckanext-harvest's stock CKAN
harvester (`ckan_harvester`) against our portal served over real HTTP yields every public
dataset with the same passport values, in the peer organization of the right body."""

from __future__ import annotations

import json
import subprocess
import uuid

import ckanapi
import pytest
from ckan.tests.helpers import call_action

from ckanext.lutsk import config
from ckanext.lutsk.domain import mapping
from tests.lutsk_factories import body_org, dataset, site_user
from tests.peer import server

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("with_plugins")]

BODIES = ("finance-budget", "education")


def harvest_source_configs(portal_url: str, marker: str) -> list[dict]:
    """What the national portal registers for Lutsk: one `ckan` source per body, each
    taking only that body's datasets into the body's national organization (the stock
    harvester puts everything into the source's organization otherwise)."""
    reg = config.registry()
    return [
        {
            "name": f"lutsk-{slug}-{marker}",
            "title": f"Луцьк: {reg.get(slug).title('uk')}",
            "url": portal_url,
            "source_type": "ckan",
            "owner_org": mapping.national_org(reg, slug),
            "frequency": "MANUAL",
            # A source is unique per URL and config: the marker keeps earlier runs' apart.
            "config": json.dumps({"organizations_filter_include": [slug], "user_agent": f"peer-{marker}"}),
        }
        for slug in BODIES
    ]


def run_on_peer(peer, source_id: str) -> None:
    """`ckan harvester run-test` in the peer's own process environment: gather, fetch and
    import as the national portal's workers would."""
    result = subprocess.run(
        [
            str(server.CKAN),
            "-c",
            str(peer.ini),
            "harvester",
            "run-test",
            source_id,
        ],
        cwd=server.ROOT,
        env=server._peer_env(),
        capture_output=True,
        text=True,
        timeout=300,
        input="n\n",
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture
def local_datasets(clean_db, clean_index):
    orgs = {slug: body_org(slug) for slug in BODIES}
    marker = uuid.uuid4().hex[:8]
    finance = dataset(
        owner_org=orgs["finance-budget"]["id"],
        name=f"nat-budget-{marker}",
        tag_string="бюджет,об'єкти комунальної власності,м’ясо",
        update_frequency="once a quarter",
        purpose_of_collecting_information="Бюджетний кодекс України, ст. 28",
        maintainer="Олена Коваль",
        resources=[
            {"url": "https://lutskrada.gov.ua/opendata/budget.csv", "format": "CSV", "name": "Бюджет"},
            {"url": "https://lutskrada.gov.ua/opendata/budget.json", "format": "JSON", "name": "JSON"},
        ],
    )
    school = dataset(
        owner_org=orgs["education"]["id"],
        name=f"nat-schools-{marker}",
        tag_string="освіта,заклади",
        language="en",
        update_frequency="once a year",
        maintainer="Ігор Мельник",
    )
    hidden = dataset(owner_org=orgs["education"]["id"], name=f"nat-draft-{marker}", private=True)
    return marker, [finance, school], hidden


def test_the_stock_ckan_harvester_on_the_peer_gets_every_passport_intact(local_datasets, portal_server, peer):
    marker, public, hidden = local_datasets
    staff = peer.api(peer.admin_token)
    sources = [
        staff.action.harvest_source_create(**cfg) for cfg in harvest_source_configs(portal_server.url, marker)
    ]
    try:
        for source in sources:
            run_on_peer(peer, source["id"])
        for local in public:
            local = call_action("package_show", context={"user": site_user()}, id=local["id"])
            # The stock harvester keeps our id: the national copy is found by it.
            national = staff.action.package_show(id=local["id"])
            slug = local["organization"]["name"]
            assert national["organization"]["name"] == mapping.national_org(config.registry(), slug)
            assert national["name"] == local["name"]
            for key in (
                "title",
                "notes",
                "update_frequency",
                "purpose_of_collecting_information",
                "language",
                "maintainer",
                "maintainer_email",
            ):
                assert national[key] == local[key], key
            assert sorted(t["name"] for t in national["tags"]) == sorted(t["name"] for t in local["tags"])
            assert [(r["url"], r["format"]) for r in national["resources"]] == [
                (r["url"], r["format"]) for r in local["resources"]
            ]
        finance_tags = {t["name"] for t in staff.action.package_show(id=public[0]["id"])["tags"]}
        assert {"обʼєкти комунальної власності", "мʼясо"} <= finance_tags, "apostrophes intact"
        with pytest.raises(ckanapi.NotFound):
            staff.action.package_show(id=hidden["id"])
    finally:
        for source in sources:
            staff.action.harvest_source_clear(id=source["id"])
            staff.action.harvest_source_delete(id=source["id"])
