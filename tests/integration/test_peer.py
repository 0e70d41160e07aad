"""The data.gov.ua stand-in is a real CKAN that takes the city's datasets with data.gov.ua's keys."""

from __future__ import annotations

import uuid

import ckanapi
import pytest


def test_peer_accepts_a_dataset_with_datagovua_keys(peer):
    api = peer.api()
    name = f"peer-smoke-{uuid.uuid4().hex[:8]}"
    created = api.action.package_create(
        name=name,
        title="Звіти щодо задоволення запитів на інформацію",
        notes="Щомісячні звіти",
        owner_org=peer.organizations[0],
        tag_string="звіти,запити",
        language="ua",
        purpose_of_collecting_information="Закон України «Про доступ до публічної інформації»",
        update_frequency="once a month",
    )
    assert created["update_frequency"] == "once a month"
    found = api.action.package_search(q=f"name:{name}")
    assert [d["id"] for d in found["results"]] == [created["id"]]


def test_peer_rejects_a_value_outside_its_vocabulary(peer):
    api = peer.api()
    with pytest.raises(ckanapi.ValidationError) as err:
        api.action.package_create(
            name=f"peer-bad-{uuid.uuid4().hex[:8]}",
            title="x",
            notes="x",
            owner_org=peer.organizations[0],
            tag_string="x",
            language="ua",
            purpose_of_collecting_information="x",
            update_frequency="every full moon",
        )
    assert "update_frequency" in err.value.error_dict
