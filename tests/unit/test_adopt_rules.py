"""domain.adopt: the plain rules of `ckan lutsk adopt`."""

from __future__ import annotations

import pytest

from ckanext.lutsk.domain import adopt
from ckanext.lutsk.domain.registry import load_registry
from ckanext.lutsk.domain.vocabularies import load_vocabulary

FREQ, LANG = load_vocabulary("frequencies"), load_vocabulary("languages")
BODIES = [b for b in load_registry() if b.active]


@pytest.mark.parametrize(
    ("spelling", "value"),
    [
        ("once a quarter", "once a quarter"),
        ("Щокварталу", "once a quarter"),
        ("щоквартально", "once a quarter"),
        ("Раз на місяць", "once a month"),
        ("More then a day", "more than once a day"),
        ("Більше не оновлюється", "no longer updated"),
    ],
)
def test_update_frequency_in_data_gov_ua_spellings(spelling, value):
    result = adopt.adopt({}, {"update_frequency": spelling}, frequencies=FREQ, languages=LANG, licences=[])
    assert result.extras.get("update_frequency", spelling) == value
    assert not result.unmapped


def test_an_unknown_spelling_is_kept_and_listed():
    result = adopt.adopt({}, {"update_frequency": "коли як"}, frequencies=FREQ, languages=LANG, licences=[])
    assert "update_frequency" not in result.extras
    assert result.unmapped == {"update_frequency": "коли як"}


def test_a_second_adoption_changes_nothing():
    first = adopt.adopt(
        {"metadata_created": "2020-01-02T03:04:05"},
        {"language": "Українська"},
        frequencies=FREQ,
        languages=LANG,
        licences=["cc-by"],
    )
    stored = {"language": "Українська", **first.extras}
    core = {"metadata_created": "2020-01-02T03:04:05"}
    again = adopt.adopt(core, stored, frequencies=FREQ, languages=LANG, licences=["cc-by"])
    assert first.extras["language"] == "ua"
    assert first.originals == {"language": "Українська"}
    assert not again.changes


def test_body_by_title_despite_spacing_and_apostrophes():
    match = adopt.match_body({"name": "x", "title": "департамент  економічної політики"}, BODIES, {})
    assert (match.slug, match.how) == ("economic-policy", "title")


def test_no_guess_for_an_unknown_organization():
    match = adopt.match_body({"name": "kp-x", "title": "КП «Луцький зоопарк»"}, BODIES, {})
    assert match.slug is None
    assert "mapping file" in match.how


def test_the_mapping_file_must_name_a_registry_body():
    match = adopt.match_body({"name": "kp-x", "title": "x"}, BODIES, {"kp-x": "no-such-body"})
    assert match.slug is None
    assert "no-such-body" in match.how
