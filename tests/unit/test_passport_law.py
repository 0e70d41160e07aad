"""The law's limits on a passport (plain rules): one licence, element 3 ≤ 4000 together,
purpose ≤ 512; stored datasets are reported, never cut."""

from __future__ import annotations

from ckanext.lutsk.domain import completeness, passport_law
from ckanext.lutsk.domain.vocabularies import load_licenses, load_vocabulary


def test_only_cc_by_4_0_is_offered() -> None:
    [licence] = load_licenses()
    assert licence["id"] == passport_law.LICENCE == "cc-by"
    assert licence["uri"].endswith("/licence/CC_BY_4_0") and licence["uri"] == passport_law.LICENCE_URI
    assert "4.0" in licence["title_translated"]["uk"]


def test_problems_of_a_stored_dataset() -> None:
    good = {
        "license_id": "cc-by",
        "notes": "а" * 3000,
        "restricted_info": "б" * 1000,
        "purpose_of_collecting_information": "в" * 512,
    }
    assert passport_law.problems(good) == []
    bad = {
        **good,
        "license_id": "odc-odbl",
        "restricted_info": "б" * 1001,
        "purpose_of_collecting_information": "в" * 513,
    }
    assert passport_law.problems(bad) == [("licence", "odc-odbl"), ("element3", "4001"), ("purpose", "513")]
    assert passport_law.problems({**good, "license_id": None})[0] == ("licence", "")


def test_completeness_uses_the_law_limits() -> None:
    scorer = completeness.Scorer(
        formats=load_vocabulary("formats"),
        frequencies=load_vocabulary("frequencies"),
        languages=load_vocabulary("languages"),
        licences={"cc-by"},
    )
    pkg = {
        "name": "x",
        "title": "Т",
        "notes": "а" * 3000,
        "restricted_info": "б" * 1001,
        "purpose_of_collecting_information": "в" * 600,
        "license_id": "cc-by",
    }
    failed = set(scorer.score(pkg).failed)
    assert {"description", "purpose"} <= failed
    ok = {**pkg, "restricted_info": "б" * 1000, "purpose_of_collecting_information": "в" * 512}
    assert not {"description", "purpose"} & set(scorer.score(ok).failed)


def test_element5_has_the_statutory_label() -> None:
    from pathlib import Path

    import yaml

    schema = Path(completeness.__file__).parents[1] / "schemas" / "dataset.yaml"
    fields = {
        f["field_name"]: f for f in yaml.safe_load(schema.read_text(encoding="utf-8"))["dataset_fields"]
    }
    assert fields["language"]["label"]["uk"] == "Відомості про мову інформації, яка міститься у наборі даних"


def test_cc_by_keeps_ckans_url_so_other_portals_recognise_it() -> None:
    # The DCAT output adds the licence's url as rdfs:seeAlso; CKAN portals (the peer,
    # data.gov.ua) know cc-by by this URL, not by the EU authority URI.
    [licence] = load_licenses()
    assert licence["url"] == "http://www.opendefinition.org/licenses/cc-by"


def test_a_national_copy_comes_home_under_cc_by() -> None:
    from ckanext.lutsk.domain import mapping

    remote = {"name": "x", "title": "Т", "notes": "О", "license_id": "notspecified", "resources": []}
    assert mapping.to_local(remote, owner_org="education")["license_id"] == "cc-by"
