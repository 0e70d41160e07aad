"""Unit tests for ckanext.lutsk.domain.vocabularies (plain pytest, no CKAN)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from ckanext.lutsk.domain.vocabularies import (
    LICENSES_PATH,
    VOCABULARY_NAMES,
    Vocabulary,
    VocabularyError,
    licenses_group_url,
    load_licenses,
    load_vocabulary,
    load_vocabulary_file,
)

# data.gov.ua's machine values of update_frequency (domain notes §3.5), in order.
DATAGOVUA_FREQUENCIES = [
    "more than once a day",
    "once a day",
    "once a week",
    "once a month",
    "once a quarter",
    "once a half year",
    "once a year",
    "immediately after making changes",
    "no longer updated",
]
FREQ_AUTHORITY = "http://publications.europa.eu/resource/authority/frequency/"


@pytest.fixture
def freq() -> Vocabulary:
    return load_vocabulary("frequencies")


@pytest.fixture
def langs() -> Vocabulary:
    return load_vocabulary("languages")


@pytest.fixture
def formats() -> Vocabulary:
    return load_vocabulary("formats")


# --------------------------------------------------------------------------- packaged files


@pytest.mark.parametrize("name", VOCABULARY_NAMES)
def test_packaged_vocabularies_load(name: str) -> None:
    vocab = load_vocabulary(name)
    assert len(vocab) > 0
    assert vocab.name == name
    for term in vocab:
        assert term.label.uk.strip() and term.label.en and term.label.en.strip()
        assert term.uri is None or term.uri.startswith("http://publications.europa.eu/resource/authority/")


def test_load_vocabulary_is_cached_and_checks_name() -> None:
    assert load_vocabulary("frequencies") is load_vocabulary("frequencies")
    with pytest.raises(KeyError):
        load_vocabulary("themes")


def test_frequency_values_are_datagovua_values(freq: Vocabulary) -> None:
    assert freq.values() == DATAGOVUA_FREQUENCIES


def test_frequency_uk_labels_match_datagovua(freq: Vocabulary) -> None:
    assert freq.label("once a quarter", "uk") == "Щокварталу"
    assert freq.label("once a half year", "uk") == "Кожного півріччя"
    assert freq.label("immediately after making changes", "uk") == "Відразу після внесення змін"
    assert freq.label("no longer updated", "uk") == "Більше не оновлюється"
    assert freq.label("no longer updated", "en") == "No longer updated"


def test_every_frequency_has_a_uri_except_no_longer_updated(freq: Vocabulary) -> None:
    for value in DATAGOVUA_FREQUENCIES:
        uri = freq.uri(value)
        if value == "no longer updated":
            assert uri is None
        else:
            assert uri is not None and uri.startswith(FREQ_AUTHORITY), value
    uris = [freq.uri(v) for v in DATAGOVUA_FREQUENCIES if freq.uri(v)]
    assert len(uris) == len(set(uris)), "one URI per value keeps DCAT import unambiguous"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("more than once a day", "UPDATE_CONT"),
        ("once a day", "DAILY"),
        ("once a week", "WEEKLY"),
        ("once a month", "MONTHLY"),
        ("once a quarter", "QUARTERLY"),
        ("once a half year", "ANNUAL_2"),
        ("once a year", "ANNUAL"),
        ("immediately after making changes", "IRREG"),
    ],
)
def test_frequency_uris(freq: Vocabulary, value: str, code: str) -> None:
    assert freq.uri(value) == FREQ_AUTHORITY + code
    assert freq.by_uri(FREQ_AUTHORITY + code).value == value  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "period"),
    [
        ("more than once a day", relativedelta(days=1)),
        ("once a day", relativedelta(days=1)),
        ("once a week", relativedelta(weeks=1)),
        ("once a month", relativedelta(months=1)),
        ("once a quarter", relativedelta(months=3)),
        ("once a half year", relativedelta(months=6)),
        ("once a year", relativedelta(years=1)),
        ("immediately after making changes", None),
        ("no longer updated", None),
    ],
)
def test_frequency_periods(freq: Vocabulary, value: str, period: relativedelta | None) -> None:
    assert freq.period(value) == period


def test_period_is_calendar_aware_and_fresh(freq: Vocabulary) -> None:
    # relativedelta clips to the month end rather than counting 30 days.
    assert dt.date(2025, 1, 31) + freq.period("once a month") == dt.date(2025, 2, 28)  # type: ignore[operator]
    assert dt.date(2024, 8, 31) + freq.period("once a half year") == dt.date(2025, 2, 28)  # type: ignore[operator]
    first = freq.period("once a week")
    first.weeks = 5  # type: ignore[union-attr]
    assert freq.period("once a week") == relativedelta(weeks=1)


def test_only_no_longer_updated_is_discontinued(freq: Vocabulary) -> None:
    assert [v for v in freq.values() if freq.is_discontinued(v)] == ["no longer updated"]


def test_unknown_value_raises_on_lookups(freq: Vocabulary) -> None:
    for lookup in (freq.period, freq.uri, freq.is_discontinued):
        with pytest.raises(KeyError):
            lookup("fortnightly")
    assert freq.get("fortnightly") is None


def test_label_fallback(freq: Vocabulary) -> None:
    assert freq.label("once a month", "uk") == "Щомісяця"
    assert freq.label("once a month", "uk_UA") == "Щомісяця"
    assert freq.label("once a month", "en") == "Once a month"
    assert freq.label("once a month", "en_GB") == "Once a month"
    assert freq.label("once a month", "pl") == "Щомісяця"  # no Polish: uk
    assert freq.label("once a month", None) == "Щомісяця"
    assert freq.label("fortnightly", "en") == "fortnightly"  # unknown: the value


def test_label_fallback_to_english_then_value(tmp_path: Path) -> None:
    # Validation requires both labels, so build a term that only has English by
    # bypassing it: the fallback must still not show an empty label.
    from ckanext.lutsk.domain.registry import LocalizedText
    from ckanext.lutsk.domain.vocabularies import Term

    vocab = Vocabulary("t", (Term(value="x", label=LocalizedText(uk="", en="Only English")),), "t")
    assert vocab.label("x", "uk") == "Only English"


def test_choices(freq: Vocabulary) -> None:
    choices = freq.choices("en")
    assert [c["value"] for c in choices] == DATAGOVUA_FREQUENCIES
    assert choices[3] == {"value": "once a month", "label": "Once a month"}
    assert freq.choices("uk")[4] == {"value": "once a quarter", "label": "Щокварталу"}


def test_normalize(freq: Vocabulary, langs: Vocabulary, formats: Vocabulary) -> None:
    # The data.gov.ua harvester's misspelt fallback default.
    assert freq.normalize("More then a day") == "more than once a day"
    assert freq.normalize("Once A Month") == "once a month"
    assert freq.normalize("unscheduled") is None
    assert freq.normalize(None) is None
    assert langs.normalize("uk") == "ua"
    assert langs.normalize("Українська") == "ua"
    assert formats.normalize("csv") == "CSV"
    assert formats.normalize("gz") == "GZIP"
    assert formats.normalize("geojson") == "GeoJSON"


def test_languages(langs: Vocabulary) -> None:
    assert langs.values()[0] == "ua"
    assert "uk" not in langs  # data.gov.ua uses ua, not ISO uk
    assert set(langs.values()) >= {"ua", "en", "ru", "pl"}
    assert langs.uri("ua") == "http://publications.europa.eu/resource/authority/language/UKR"
    assert langs.uri("en") == "http://publications.europa.eu/resource/authority/language/ENG"
    assert langs.get("ua").extra["iso639_1"] == "uk"  # type: ignore[union-attr]
    assert langs.label("ua", "uk") == "Українська"


def test_formats(formats: Vocabulary) -> None:
    wanted = {
        "CSV",
        "JSON",
        "XML",
        "XLSX",
        "XLS",
        "ODS",
        "PDF",
        "DOCX",
        "ZIP",
        "GeoJSON",
        "KML",
        "SHP",
        "RDF",
        "TTL",
        "JSON-LD",
        "API",
        "HTML",
        "TXT",
    }
    assert wanted <= set(formats.values())
    compressions = {v for v in formats.values() if formats.is_compression(v)}
    assert compressions == {"ZIP", "GZIP", "7Z", "RAR", "BZIP2", "TAR"}
    assert formats.is_machine_readable("CSV") and formats.is_machine_readable("GeoJSON")
    assert not formats.is_machine_readable("PDF") and not formats.is_machine_readable("DOCX")
    assert formats.media_type("CSV") == "text/csv"
    assert formats.media_type("GeoJSON") == "application/geo+json"
    assert formats.media_type("SHP") is None
    assert formats.uri("CSV") == "http://publications.europa.eu/resource/authority/file-type/CSV"
    assert formats.uri("JSON-LD") == "http://publications.europa.eu/resource/authority/file-type/JSON_LD"
    assert formats.uri("API") is None
    assert [v for v in formats.values() if formats.uri(v) is None] == ["API"]


# --------------------------------------------------------------------------- validation


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_FREQ = """\
values:
  - value: once a day
    label: {uk: Щодня, en: Once a day}
    uri: http://publications.europa.eu/resource/authority/frequency/DAILY
    period: {days: 1}
"""


def errors(path: Path, name: str | None = None) -> VocabularyError:
    with pytest.raises(VocabularyError) as info:
        load_vocabulary_file(path, name)
    return info.value


def test_minimal_frequency_file_is_valid(tmp_path: Path) -> None:
    vocab = load_vocabulary_file(write(tmp_path, "frequencies", GOOD_FREQ))
    assert vocab.values() == ["once a day"]
    assert vocab.get("once a day").line == 2  # type: ignore[union-attr]


def test_duplicate_value(tmp_path: Path) -> None:
    body = GOOD_FREQ + GOOD_FREQ.split("values:\n")[1].replace("DAILY", "WEEKLY")
    err = errors(write(tmp_path, "frequencies", body))
    assert [(line, entry) for line, entry, _ in err.problems] == [(6, "once a day")]
    assert "duplicate value" in err.problems[0][2]


def test_missing_english_label(tmp_path: Path) -> None:
    path = write(tmp_path, "frequencies", GOOD_FREQ.replace(", en: Once a day", ""))
    err = errors(path)
    assert err.problems == ((3, "once a day", "label: en label is missing"),)
    # The message names the file, the line and the entry.
    assert f"{path}:3: [once a day] label: en label is missing" in str(err)


def test_uri_must_be_http(tmp_path: Path) -> None:
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ.replace("http://", "urn:")))
    assert err.problems[0][:2] == (4, "once a day") and "http" in err.problems[0][2]


def test_frequency_needs_uri(tmp_path: Path) -> None:
    body = "\n".join(line for line in GOOD_FREQ.splitlines() if "uri:" not in line) + "\n"
    err = errors(write(tmp_path, "frequencies", body))
    assert err.problems == ((2, "once a day", "uri: is required"),)


def test_discontinued_must_have_no_uri_or_period(tmp_path: Path) -> None:
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ + "    discontinued: true\n"))
    messages = sorted(m for _, _, m in err.problems)
    assert messages == [
        "period: a discontinued frequency has no period",
        "uri: a discontinued frequency has no authority URI",
    ]


@pytest.mark.parametrize(
    ("period", "fragment"),
    [
        ("{fortnights: 1}", "unknown unit"),
        ("{days: 0}", "positive"),
        ("{days: 1.5}", "whole"),
        ("daily", "mapping"),
    ],
)
def test_bad_period(tmp_path: Path, period: str, fragment: str) -> None:
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ.replace("{days: 1}", period)))
    assert len(err.problems) == 1 and err.problems[0][0] == 5 and fragment in err.problems[0][2]


def test_frequency_needs_period_key(tmp_path: Path) -> None:
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ.replace("    period: {days: 1}\n", "")))
    assert err.problems == ((2, "once a day", "period: is required"),)


def test_alias_clash(tmp_path: Path) -> None:
    second = (
        "  - value: once a week\n"
        "    label: {uk: Щотижня, en: Once a week}\n"
        "    uri: http://publications.europa.eu/resource/authority/frequency/WEEKLY\n"
        "    period: {weeks: 1}\n"
        "    aliases: [ONCE A DAY]\n"
    )
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ + second))
    assert len(err.problems) == 1
    line, entry, message = err.problems[0]
    assert (line, entry) == (6, "once a week")
    assert "alias 'ONCE A DAY'" in message and "'once a day'" in message


def test_duplicate_uri(tmp_path: Path) -> None:
    second = GOOD_FREQ.split("values:\n")[1].replace("once a day", "daily")
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ + second))
    assert err.problems[0][1] == "daily" and "duplicate uri" in err.problems[0][2]


def test_unknown_key_and_bad_value(tmp_path: Path) -> None:
    body = GOOD_FREQ + "    colour: red\n  - value: ''\n    label: {uk: x, en: x}\n"
    err = errors(write(tmp_path, "frequencies", body))
    assert [(line, entry) for line, entry, _ in err.problems] == [(6, "once a day"), (7, None)]
    assert "colour: unknown key" in err.problems[0][2]


def test_language_needs_iso_code(tmp_path: Path) -> None:
    body = """\
    values:
      - value: ua
        label: {uk: Українська, en: Ukrainian}
        uri: http://publications.europa.eu/resource/authority/language/UKR
    """
    err = errors(write(tmp_path, "languages", body))
    assert err.problems == ((2, "ua", "iso639_1: is required"),)


def test_format_flags_must_be_boolean(tmp_path: Path) -> None:
    body = """\
    values:
      - value: CSV
        label: {uk: CSV, en: CSV}
        media_type: csv
        machine_readable: yes please
        compression: false
    """
    err = errors(write(tmp_path, "formats", body))
    assert sorted(m.split(":")[0] for _, _, m in err.problems) == ["machine_readable", "media_type"]


def test_invalid_yaml(tmp_path: Path) -> None:
    err = errors(write(tmp_path, "frequencies", "values:\n  - value: [oops\n"))
    assert err.problems[0][0] >= 2 and "not valid YAML" in err.problems[0][2]


def test_top_level_must_have_values(tmp_path: Path) -> None:
    err = errors(write(tmp_path, "frequencies", "- value: x\n"))
    assert "values" in err.problems[0][2]


# --------------------------------------------------------------------------- licences


def test_licences_load_as_ckan_expects() -> None:
    licences = load_licenses()
    # CKAN reads the file with json.load and wants a list.
    assert json.loads(LICENSES_PATH.read_text(encoding="utf-8")) == licences
    # Art. 10-1 of the access-to-public-information law: attribution is the only condition.
    assert [lic["id"] for lic in licences] == ["cc-by"]
    assert all(isinstance(lic["title"], str) for lic in licences)  # CKAN calls title.split


def test_cc_by_is_open_with_uri() -> None:
    cc_by = next(lic for lic in load_licenses() if lic["id"] == "cc-by")
    assert cc_by["od_conformance"] == "approved"  # what License.isopen() checks
    assert cc_by["title"] == "Creative Commons Attribution"  # CKAN's msgid: core translations apply
    assert cc_by["uri"] == "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    assert cc_by["title_translated"]["uk"]


def test_licenses_group_url() -> None:
    assert licenses_group_url() == "file://" + str(LICENSES_PATH)


def _licence(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "cc-by",
        "title": "Creative Commons Attribution",
        "url": "",
        "od_conformance": "approved",
        "osd_conformance": "not reviewed",
        "status": "active",
        "domain_content": True,
        "domain_data": True,
        "domain_software": False,
        "family": "",
        "maintainer": "",
    }
    base.update(changes)
    return base


def test_licence_errors(tmp_path: Path) -> None:
    path = tmp_path / "licenses.json"
    entries = [
        _licence(),
        _licence(title={"uk": "x", "en": "y"}),  # CKAN 2.11 needs a string
        _licence(id="odc-by", od_conformance="yes", colour="red"),
    ]
    text = json.dumps(entries, indent=1)
    path.write_text(text, encoding="utf-8")
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line == " {"]
    with pytest.raises(VocabularyError) as info:
        load_licenses(path)
    found = [(entry, message) for _, entry, message in info.value.problems]
    assert ("cc-by", "title: must be str") in found
    assert any(e == "cc-by" and m.startswith("duplicate id") for e, m in found)
    assert ("odc-by", "colour: unknown key") in found
    assert any(e == "odc-by" and m.startswith("od_conformance") for e, m in found)
    assert {line for line, _, _ in info.value.problems} == {starts[1], starts[2]}


def test_licence_file_must_be_json(tmp_path: Path) -> None:
    path = tmp_path / "licenses.json"
    path.write_text('[\n  {"id": "x",}\n]\n', encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_licenses(path)
    assert info.value.problems[0][0] == 2 and "JSON" in info.value.problems[0][2]


def test_unreadable_value(tmp_path: Path) -> None:
    err = errors(write(tmp_path, "frequencies", GOOD_FREQ + "    aliases: [2021-13-45]\n"))
    assert err.problems[0][0] == 6 and "cannot read value" in err.problems[0][2]
