"""The field mapping local passport ↔ data.gov.ua dataset: plain functions, no CKAN."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from ckanext.lutsk.domain import mapping
from ckanext.lutsk.domain.registry import load_registry, parse_registry

ABOLISHED = str(Path(__file__).parents[1] / "data" / "registry_abolished.yaml")

LOCAL = {
    "id": "local-1",
    "name": "budget-2024",
    "title": "Бюджет громади",
    "notes": "Показники бюджету.",
    "restricted_info": "Персональні дані отримувачів.",
    "purpose_of_collecting_information": "Бюджетний кодекс України",
    "language": "ua",
    "update_frequency": "once a month",
    "maintainer": "Олена Коваль",
    "maintainer_email": "finance@lutskrada.gov.ua",
    "license_id": "cc-by",
    "metadata_modified": "2024-05-02T10:00:00.123456",
    "tags": [{"name": "фінанси"}, {"name": "обʼєкти"}, {"name": "бюджет"}],
    "tag_string": "фінанси,обʼєкти,бюджет",
    "date_published": "2024-01-01T00:00:00",
    "owner_body": {"slug": "finance-budget"},
    "organization": {"name": "finance-budget"},
    "resources": [
        {
            "id": "r1",
            "url": "https://lutskrada.gov.ua/opendata/budget.csv",
            "name": "Бюджет",
            "format": "csv",
            "url_type": "",
            "structure": "false",
        },
        {
            "id": "r2",
            "url": "http://test.lutsk.local/dataset/x/resource/r2/download/s.json",
            "format": "JSON",
        },
        {"id": "r3", "url": "", "name": "порожній"},
    ],
}

REGISTRY_YAML = """
kinds:
  council: {uk: міська рада, en: city council}
  department: {uk: департамент, en: department}
council:
  slug: lutsk-city-council
  name: {uk: Луцька міська рада}
  kind: council
  datagovua_org: lutsk-rada
bodies:
  - slug: finance
    name: {uk: Департамент фінансів}
    kind: department
    parent: lutsk-city-council
    edrpou: "44106679"
  - slug: education
    name: {uk: Департамент освіти}
    kind: department
    datagovua_org: lutsk-osvita
"""


class TestToRemote:
    def test_passport_keys_travel_as_they_are(self):
        remote = mapping.to_remote(LOCAL, owner_org="finance-budget")
        for key in mapping.PASSPORT_KEYS:
            assert remote[key] == LOCAL[key]
        assert remote["name"] == "budget-2024"
        assert remote["owner_org"] == "finance-budget"
        assert remote["private"] is False

    def test_keywords_keep_the_apostrophe_letter(self):
        remote = mapping.to_remote(LOCAL, owner_org="o")
        assert remote["tag_string"] == "бюджет,обʼєкти,фінанси"

    def test_restricted_information_goes_at_the_end_of_the_description(self):
        remote = mapping.to_remote(LOCAL, owner_org="o")
        assert remote["notes"] == (
            "Показники бюджету.\n\n"
            "Інформація з обмеженим доступом, що не оприлюднюється: Персональні дані отримувачів."
        )

    def test_resources_are_links_without_our_fields(self):
        remote = mapping.to_remote(LOCAL, owner_org="o")
        assert remote["resources"] == [
            {"url": "https://lutskrada.gov.ua/opendata/budget.csv", "name": "Бюджет", "format": "CSV"},
            {"url": "http://test.lutsk.local/dataset/x/resource/r2/download/s.json", "format": "JSON"},
        ]

    def test_known_national_resource_ids_are_kept(self):
        remote = mapping.to_remote(LOCAL, owner_org="o", resource_ids={"r2": "n2"})
        assert "id" not in remote["resources"][0]
        assert remote["resources"][1]["id"] == "n2"

    def test_local_only_fields_stay_home(self):
        remote = mapping.to_remote(LOCAL, owner_org="o")
        for key in ("id", "date_published", "owner_body", "restricted_info", "tags", "organization"):
            assert key not in remote

    def test_empty_optional_fields_are_not_sent(self):
        local = {**LOCAL, "maintainer": "", "license_id": None}
        remote = mapping.to_remote(local, owner_org="o")
        assert "maintainer" not in remote
        assert "license_id" not in remote


class TestFingerprint:
    def test_same_dataset_same_fingerprint_whatever_the_order(self):
        shuffled = copy.deepcopy(LOCAL)
        shuffled["tags"].reverse()
        a = mapping.fingerprint(mapping.to_remote(LOCAL, owner_org="o"))
        b = mapping.fingerprint(mapping.to_remote(shuffled, owner_org="o"))
        assert a == b

    def test_national_resource_ids_do_not_count(self):
        a = mapping.fingerprint(mapping.to_remote(LOCAL, owner_org="o"))
        b = mapping.fingerprint(mapping.to_remote(LOCAL, owner_org="o", resource_ids={"r1": "x"}))
        assert a == b

    @pytest.mark.parametrize(
        "change",
        [
            {"title": "Інший"},
            {"update_frequency": "once a year"},
            {"tags": [{"name": "бюджет"}]},
            {"restricted_info": ""},
            {"organization": {"name": "education"}},
        ],
    )
    def test_any_shared_change_changes_it(self, change):
        changed = {**LOCAL, **change}
        owner = (changed["organization"] or {})["name"]
        a = mapping.fingerprint(mapping.to_remote(LOCAL, owner_org="finance-budget"))
        b = mapping.fingerprint(mapping.to_remote(changed, owner_org=owner))
        assert a != b

    def test_local_only_changes_do_not(self):
        changed = {**LOCAL, "date_published": "2020-01-01", "metadata_modified": "2025-01-01"}
        a = mapping.fingerprint(mapping.to_remote(LOCAL, owner_org="o"))
        b = mapping.fingerprint(mapping.to_remote(changed, owner_org="o"))
        assert a == b


class TestToLocal:
    def remote(self, **overrides):
        remote = mapping.to_remote(LOCAL, owner_org="finance-budget")
        remote.update(
            id="national-1",
            metadata_modified="2024-05-03T09:00:00.000001",
            tags=[{"name": t} for t in remote.pop("tag_string").split(",")],
            organization={"name": "finance-budget"},
        )
        remote.update(overrides)
        return remote

    def test_round_trip_keeps_every_shared_value(self):
        local = mapping.to_local(self.remote(), owner_org="finance-budget")
        assert mapping.projection(local) == mapping.projection(LOCAL)
        assert local["restricted_info"] == "Персональні дані отримувачів."
        assert local["owner_org"] == "finance-budget"

    def test_split_notes_without_restricted_information(self):
        assert mapping.split_notes("Опис.") == ("Опис.", "")
        assert mapping.split_notes(f"{mapping.RESTRICTED_HEADING} X") == ("", "X")

    def test_national_dataset_without_tag_string_uses_its_tags(self):
        local = mapping.to_local(self.remote(), owner_org="o")
        assert local["tag_string"] == "бюджет,обʼєкти,фінанси"


class TestDecideImport:
    def remote(self, modified="2024-05-03T09:00:00.000001", **changes):
        return {**LOCAL, "id": "national-1", "metadata_modified": modified, **changes}

    def test_new_dataset_is_created(self):
        assert mapping.decide_import(None, self.remote()).action == "create"

    def test_same_values_are_unchanged(self):
        assert mapping.decide_import(LOCAL, self.remote()).action == "unchanged"

    def test_our_own_push_is_unchanged(self):
        remote = self.remote(title="Змінено", modified="2024-05-03T09:00:00.100Z")
        decision = mapping.decide_import(
            LOCAL, remote, last_pushed_remote_modified="2024-05-03T09:00:00.100321"
        )
        assert decision.action == "unchanged"

    def test_newer_national_copy_updates(self):
        decision = mapping.decide_import(LOCAL, self.remote(title="Новіша назва"))
        assert decision.action == "update"

    def test_newer_local_data_is_never_overwritten(self):
        remote = self.remote(title="Старіша назва", modified="2024-05-01T00:00:00")
        assert mapping.decide_import(LOCAL, remote).action == "keep_local"

    def test_same_millisecond_counts_as_local_newer(self):
        remote = self.remote(title="Інша", modified="2024-05-02T10:00:00.123999")
        assert mapping.decide_import(LOCAL, remote).action == "keep_local"

    def test_stamps_compare_to_the_millisecond_whatever_the_source(self):
        assert mapping.stamp("2024-05-02T10:00:00.123456") == mapping.stamp("2024-05-02T10:00:00.123Z")
        assert mapping.stamp("2024-05-02T10:00:00") == "2024-05-02T10:00:00.000"
        assert mapping.stamp(None) == ""


class TestOrganizations:
    def test_national_org_is_the_registrys_else_the_slug(self):
        reg = parse_registry(REGISTRY_YAML)
        assert mapping.national_org(reg, "education") == "lutsk-osvita"
        # finance has none of its own: its parent's, as data.gov.ua groups a city in one.
        assert mapping.national_org(reg, "finance") == "lutsk-rada"
        assert mapping.national_org(reg, "unknown-body") == "unknown-body"

    def test_packaged_registry_falls_back_to_slugs(self):
        reg = load_registry()
        body = reg.active()[1]
        assert mapping.national_org(reg, body.slug) == (reg.datagovua_org_for(body.slug) or body.slug)

    def test_body_by_national_org_name(self):
        reg = parse_registry(REGISTRY_YAML)
        assert mapping.body_for_remote_org(reg, {"name": "lutsk-osvita"}).slug == "education"
        assert mapping.body_for_remote_org(reg, {"name": "lutsk-rada"}).slug == "lutsk-city-council"

    def test_body_by_slug_fallback(self):
        reg = load_registry(ABOLISHED)
        assert mapping.body_for_remote_org(reg, {"name": "education"}).slug == "education"

    def test_body_by_edrpou(self):
        reg = parse_registry(REGISTRY_YAML)
        org = {"name": "some-other-name", "extras": [{"key": "edrpou", "value": "44106679"}]}
        assert mapping.body_for_remote_org(reg, org).slug == "finance"
        assert mapping.body_for_remote_org(reg, {"name": "x", "edrpou": "44106679"}).slug == "finance"

    def test_abolished_body_hands_over_to_its_successor(self):
        reg = load_registry(ABOLISHED)
        assert mapping.body_for_remote_org(reg, {"name": "education-directorate"}).slug == "education"

    def test_unknown_org_matches_nothing(self):
        reg = parse_registry(REGISTRY_YAML)
        assert mapping.body_for_remote_org(reg, {"name": "kyiv-city"}) is None
        assert mapping.body_for_remote_org(reg, None) is None
