"""Unit tests for ckanext.lutsk.domain.registry (plain pytest, no CKAN)."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from ckanext.lutsk.domain.registry import (
    DEFAULT_PATH,
    Body,
    LocalizedText,
    Registry,
    RegistryError,
    edrpou_check_digit,
    edrpou_is_valid,
    get_registry,
    load_registry,
    main,
)

# --------------------------------------------------------------------------- ЄДРПОУ

# Seen on data.gov.ua in connection with Lutsk (domain notes §6.3).
KNOWN_VALID = ["44106679", "34745204"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_edrpou_known_codes_are_valid(code: str) -> None:
    assert edrpou_is_valid(code)


@pytest.mark.parametrize(
    ("code", "digit"),
    [
        # 44106679 is in the middle band → weights 7,1,2,3,4,5,6:
        # 28+4+2+0+24+30+42 = 130; 130 mod 11 = 9.
        ("44106679", 9),
        # 3·7+4·1+7·2+4·3+5·4+2·5+0·6 = 81; 81 mod 11 = 4.
        ("34745204", 4),
        # Low band, weights 1..7: 3·7 = 21 → 10, so weights +2: 3·9 = 27 → 5.
        ("00000035", 5),
        # 2·5+8·6+1·7 = 65 → 10; with +2: 2·7+8·8+1·9 = 87 → 10 again → 0.
        ("00002810", 0),
        # Middle band second pass: 3·7 = 21 → 10; 3·9 = 27 → 5.
        ("30000005", 5),
        # Above 60 000 000 the weights are 1..7 again: 6·1 = 6 (the middle
        # weights would give 6·7 = 42 → 9).
        ("60000006", 6),
    ],
)
def test_edrpou_check_digit_worked_examples(code: str, digit: int) -> None:
    assert edrpou_check_digit(code) == digit
    assert edrpou_is_valid(code)


@pytest.mark.parametrize(
    ("code", "digit"),
    [
        # 29 999 99x is below 30 000 000 → weights 1..7:
        # 2+18+27+36+45+54+63 = 245 → 3 (the middle weights would give 5).
        ("29999990", 3),
        # Exactly 30 000 000 and 60 000 000 belong to the middle band.
        ("30000000", 5),
        ("60000000", 9),
    ],
)
def test_edrpou_band_boundaries(code: str, digit: int) -> None:
    assert edrpou_check_digit(code) == digit


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_edrpou_every_other_last_digit_is_rejected(code: str) -> None:
    wrong = [code[:7] + str(d) for d in range(10) if str(d) != code[7]]
    assert len(wrong) == 9
    assert not any(edrpou_is_valid(c) for c in wrong)


@pytest.mark.parametrize(
    "code",
    [
        "44106678",  # last digit off by one
        "34745205",
        "44106697",  # last two digits swapped
        "43106679",  # a digit of the body changed
        "60000009",  # the check digit the middle-band weights would give
        "30000000",
    ],
)
def test_edrpou_corrupted_codes_are_invalid(code: str) -> None:
    assert not edrpou_is_valid(code)


@pytest.mark.parametrize(
    "code",
    ["4410667", "441066790", "4410667a", " 44106679", "44106679 ", "", "４４１０６６７９", "٤٤١٠٦٦٧٩"],
)
def test_edrpou_wrong_format_is_invalid(code: str) -> None:
    assert not edrpou_is_valid(code)
    with pytest.raises(ValueError, match="8 digits"):
        edrpou_check_digit(code)


@pytest.mark.parametrize("value", [44106679, None, 4.4106679e7])
def test_edrpou_non_string_is_invalid(value: object) -> None:
    assert not edrpou_is_valid(value)  # type: ignore[arg-type]


def test_edrpou_exactly_one_check_digit_per_prefix() -> None:
    for prefix in ("4410667", "3474520", "0000281", "6000000", "1234567", "5999999"):
        valid = [d for d in range(10) if edrpou_is_valid(f"{prefix}{d}")]
        assert len(valid) == 1, prefix


# --------------------------------------------------------------------------- packaged file


def test_packaged_registry_loads_clean() -> None:
    registry = load_registry()
    assert registry.source == str(DEFAULT_PATH)
    assert len(registry) > 20
    assert registry.council.slug == "lutsk-city-council"
    assert registry.council.name.uk == "Луцька міська рада"
    assert registry.bodies[0] is registry.council


def test_packaged_registry_has_ict() -> None:
    ict = load_registry().get("ict")
    assert ict is not None
    assert ict.name.uk == "Управління інформаційно-комунікаційних технологій"
    assert ict.kind == "directorate"
    assert ict.active
    assert ict.parent == "lutsk-city-council"


def test_packaged_registry_invents_no_codes() -> None:
    # No ЄДРПОУ or data.gov.ua organization is confirmed in the sources.
    registry = load_registry()
    assert all(b.edrpou is None for b in registry)
    assert all(b.datagovua_org is None for b in registry)


def test_packaged_registry_fields() -> None:
    registry = load_registry()
    slugs = [b.slug for b in registry]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and len(s) <= 100 for s in slugs)
    assert all(b.name.uk and b.name.en for b in registry)
    assert {b.kind for b in registry} <= set(registry.kinds)
    assert registry.get("economic-policy").email == "econom@lutskrada.gov.ua"  # type: ignore[union-attr]
    assert registry.get("general-division").website == (  # type: ignore[union-attr]
        "https://lutskrada.gov.ua/departments/zahalnyi-viddil"
    )
    enterprises = [b.slug for b in registry if b.kind == "municipal_enterprise"]
    assert {"parks-squares", "zhkp-2", "zhkp-3", "zhkp-11"} <= set(enterprises)
    assert "ict" in [b.slug for b in registry.children("lutsk-city-council")]


def test_get_registry_is_cached() -> None:
    get_registry.cache_clear()
    first = get_registry()
    assert get_registry() is first
    get_registry.cache_clear()
    assert get_registry() is not first


def test_cli_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "OK:" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE + body("x_bad"), encoding="utf-8")
    assert main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert "x_bad" in err and "slug" in err
    assert main([str(tmp_path / "missing.yaml")]) == 2


# --------------------------------------------------------------------------- helpers

BASE = textwrap.dedent(
    """\
    kinds:
      council: {uk: міська рада, en: city council}
      department: {uk: департамент, en: department}
      directorate: {uk: управління, en: directorate}
    council:
      slug: council
      name: {uk: Рада, en: Council}
      kind: council
      active: true
    bodies:
    """
)
BASE_LINES = BASE.count("\n")  # the first body starts on line BASE_LINES + 1


def body(
    slug: str,
    *,
    extra: str = "",
    parent: str = "council",
    name: str = "{uk: Орган, en: Body}",
    kind: str = "department",
) -> str:
    """One list item; ``extra`` holds further ``key: value`` lines."""
    lines = [
        f"  - slug: {slug}",
        f"    name: {name}",
        f"    kind: {kind}",
        f"    parent: {parent}",
    ]
    lines += [f"    {line}" for line in textwrap.dedent(extra).splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def load(tmp_path: Path, text: str) -> Registry:
    path = tmp_path / "bodies.yaml"
    path.write_text(text, encoding="utf-8")
    return load_registry(path)


def problems(tmp_path: Path, text: str) -> list[tuple[int, str | None, str | None, str]]:
    with pytest.raises(RegistryError) as info:
        load(tmp_path, text)
    return [(p.line, p.slug, p.field, p.message) for p in info.value.problems]


def only(tmp_path: Path, text: str) -> tuple[int, str | None, str | None, str]:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- validation


def test_minimal_file_is_valid(tmp_path: Path) -> None:
    registry = load(tmp_path, BASE + body("alpha") + body("beta", parent="alpha"))
    assert [b.slug for b in registry] == ["council", "alpha", "beta"]
    assert registry.get("beta").line == BASE_LINES + 5  # type: ignore[union-attr]


def test_duplicate_slug(tmp_path: Path) -> None:
    line, slug, name, message = only(tmp_path, BASE + body("alpha") + body("alpha"))
    assert (line, slug, name) == (BASE_LINES + 5, "alpha", "slug")
    assert f"first on line {BASE_LINES + 1}" in message


def test_body_may_not_reuse_council_slug(tmp_path: Path) -> None:
    _, slug, name, message = only(tmp_path, BASE + body("council", parent="null"))
    assert (slug, name) == ("council", "slug") and "duplicate" in message


@pytest.mark.parametrize(
    "slug",
    ["Ict", "ict_dept", "-ict", "ict-", "ict--x", "x", "управління", "a" * 101, "'ict dept'"],
)
def test_bad_slug(tmp_path: Path, slug: str) -> None:
    line, _, name, message = only(tmp_path, BASE + body(slug))
    assert (line, name) == (BASE_LINES + 1, "slug")
    assert "lowercase latin" in message


def test_slug_of_100_chars_is_fine(tmp_path: Path) -> None:
    assert load(tmp_path, BASE + body("a" * 100)).get("a" * 100)


def test_missing_uk_name(tmp_path: Path) -> None:
    line, slug, name, message = only(tmp_path, BASE + body("alpha", name="{en: Body}"))
    assert (line, slug, name) == (BASE_LINES + 2, "alpha", "name.uk")
    assert "Ukrainian" in message


def test_missing_name(tmp_path: Path) -> None:
    text = BASE + "  - slug: alpha\n    kind: department\n    parent: council\n"
    line, slug, name, _ = only(tmp_path, text)
    assert (line, slug, name) == (BASE_LINES + 1, "alpha", "name")


def test_unknown_name_language(tmp_path: Path) -> None:
    _, _, name, _ = only(tmp_path, BASE + body("alpha", name="{uk: Орган, de: Amt}"))
    assert name == "name.de"


def test_unknown_kind(tmp_path: Path) -> None:
    line, slug, name, message = only(tmp_path, BASE + body("alpha", kind="ministry"))
    assert (line, slug, name) == (BASE_LINES + 3, "alpha", "kind")
    assert "ministry" in message


def test_only_council_may_be_council_kind(tmp_path: Path) -> None:
    _, _, name, message = only(tmp_path, BASE + body("alpha", kind="council"))
    assert name == "kind" and "only the council" in message


def test_unknown_parent(tmp_path: Path) -> None:
    line, slug, name, message = only(tmp_path, BASE + body("alpha", parent="nowhere"))
    assert (line, slug, name) == (BASE_LINES + 4, "alpha", "parent")
    assert "nowhere" in message


def test_parent_cycle(tmp_path: Path) -> None:
    line, slug, name, message = only(
        tmp_path, BASE + body("alpha", parent="beta") + body("beta", parent="alpha")
    )
    assert (slug, name) == ("alpha", "parent")
    assert line == BASE_LINES + 4
    assert "cycle" in message and "alpha → beta → alpha" in message


def test_self_parent(tmp_path: Path) -> None:
    _, slug, _, message = only(tmp_path, BASE + body("alpha", parent="alpha"))
    assert slug == "alpha" and "alpha → alpha" in message


def test_edrpou_wrong_check_digit(tmp_path: Path) -> None:
    line, slug, name, message = only(tmp_path, BASE + body("alpha", extra='edrpou: "44106678"'))
    assert (line, slug, name) == (BASE_LINES + 5, "alpha", "edrpou")
    assert "check digit" in message and "expected 9" in message


@pytest.mark.parametrize("value", ['"4410667"', '"4410667X"', '"441066790"'])
def test_edrpou_wrong_format(tmp_path: Path, value: str) -> None:
    _, _, name, message = only(tmp_path, BASE + body("alpha", extra=f"edrpou: {value}"))
    assert name == "edrpou" and "8 digits" in message


def test_edrpou_must_be_quoted(tmp_path: Path) -> None:
    # Unquoted, 01234567 would be read as an octal number.
    _, _, name, message = only(tmp_path, BASE + body("alpha", extra="edrpou: 44106679"))
    assert name == "edrpou" and "quoted" in message


def test_duplicate_edrpou(tmp_path: Path) -> None:
    text = BASE + body("alpha", extra='edrpou: "44106679"') + body("beta", extra='edrpou: "44106679"')
    line, slug, name, message = only(tmp_path, text)
    assert (line, slug, name) == (BASE_LINES + 10, "beta", "edrpou")
    assert "'alpha'" in message


def test_duplicate_datagovua_org(tmp_path: Path) -> None:
    text = BASE + body("alpha", extra="datagovua_org: lutsk") + body("beta", extra="datagovua_org: lutsk")
    _, slug, name, _ = only(tmp_path, text)
    assert (slug, name) == ("beta", "datagovua_org")


def test_bad_datagovua_org(tmp_path: Path) -> None:
    _, _, name, _ = only(tmp_path, BASE + body("alpha", extra="datagovua_org: Луцьк"))
    assert name == "datagovua_org"


@pytest.mark.parametrize("email", ["econom", "econom@lutskrada", "a b@lutskrada.gov.ua", "x@@y.ua"])
def test_bad_email(tmp_path: Path, email: str) -> None:
    line, _, name, _ = only(tmp_path, BASE + body("alpha", extra=f"email: '{email}'"))
    assert (line, name) == (BASE_LINES + 5, "email")


def test_bad_website(tmp_path: Path) -> None:
    _, _, name, _ = only(tmp_path, BASE + body("alpha", extra="website: lutskrada.gov.ua"))
    assert name == "website"


def test_inactive_without_date(tmp_path: Path) -> None:
    _, slug, name, message = only(tmp_path, BASE + body("alpha", extra="active: false"))
    assert (slug, name) == ("alpha", "abolished") and "YYYY-MM-DD" in message


def test_bad_date(tmp_path: Path) -> None:
    _, _, name, _ = only(tmp_path, BASE + body("alpha", extra="active: false\nabolished: 31.12.2020"))
    assert name == "abolished"


def test_active_with_abolished(tmp_path: Path) -> None:
    _, _, name, message = only(tmp_path, BASE + body("alpha", extra="active: true\nabolished: 2021-01-01"))
    assert name == "abolished" and "active" in message


def test_active_with_successor(tmp_path: Path) -> None:
    _, _, name, _ = only(tmp_path, BASE + body("alpha", extra="successor: beta") + body("beta"))
    assert name == "successor"


def test_active_must_be_boolean(tmp_path: Path) -> None:
    _, _, name, _ = only(tmp_path, BASE + body("alpha", extra="active: 'yes'"))
    assert name == "active"


def test_unknown_successor(tmp_path: Path) -> None:
    text = BASE + body("alpha", extra="active: false\nabolished: 2021-01-01\nsuccessor: ghost")
    _, _, name, message = only(tmp_path, text)
    assert name == "successor" and "ghost" in message


def test_successor_abolished_without_own_successor(tmp_path: Path) -> None:
    text = (
        BASE
        + body("old", extra="active: false\nabolished: 2016-01-01\nsuccessor: mid")
        + body("mid", extra="active: false\nabolished: 2021-01-01")
    )
    line, slug, name, message = only(tmp_path, text)
    assert (line, slug, name) == (BASE_LINES + 7, "old", "successor")
    assert "'mid' is abolished and has no successor" in message


def test_successor_chain_through_abolished_body_is_fine(tmp_path: Path) -> None:
    text = (
        BASE
        + body("old", extra="active: false\nabolished: 2016-01-01\nsuccessor: mid")
        + body("mid", extra="active: false\nabolished: 2021-01-01\nsuccessor: new")
        + body("new")
    )
    registry = load(tmp_path, text)
    assert [b.slug for b in registry.successor_chain("old")] == ["old", "mid", "new"]
    assert registry.current("old").slug == "new"
    assert registry.get("old").abolished == dt.date(2016, 1, 1)  # type: ignore[union-attr]


def test_abolished_without_successor_is_fine(tmp_path: Path) -> None:
    registry = load(tmp_path, BASE + body("gone", extra="active: false\nabolished: 2020-05-01"))
    assert registry.successor_chain("gone") == [registry.get("gone")]
    assert registry.active() == [registry.council]


def test_successor_cycle(tmp_path: Path) -> None:
    text = (
        BASE
        + body("alpha", extra="active: false\nabolished: 2016-01-01\nsuccessor: beta")
        + body("beta", extra="active: false\nabolished: 2016-01-01\nsuccessor: alpha")
    )
    found = problems(tmp_path, text)
    assert {p[1] for p in found} == {"alpha", "beta"}
    assert all(p[2] == "successor" and "cycle" in p[3] for p in found)


def test_active_body_under_abolished_parent(tmp_path: Path) -> None:
    text = BASE + body("old", extra="active: false\nabolished: 2016-01-01") + body("child", parent="old")
    _, slug, name, message = only(tmp_path, text)
    assert (slug, name) == ("child", "parent") and "abolished" in message


def test_unknown_field(tmp_path: Path) -> None:
    line, slug, name, message = only(tmp_path, BASE + body("alpha", extra="emial: a@b.ua"))
    assert (line, slug, name, message) == (BASE_LINES + 5, "alpha", "emial", "unknown field")


def test_duplicate_key(tmp_path: Path) -> None:
    _, _, name, message = only(tmp_path, BASE + body("alpha", extra="kind: directorate"))
    assert name == "kind" and "duplicate key" in message


def test_missing_council(tmp_path: Path) -> None:
    text = BASE.split("council:\n  slug")[0] + "bodies:\n" + body("alpha", parent="null")
    found = problems(tmp_path, text)
    assert any(p[2] == "council" and "missing" in p[3] for p in found)


def test_council_with_parent(tmp_path: Path) -> None:
    text = BASE.replace("  kind: council\n  active", "  kind: council\n  parent: alpha\n  active") + body(
        "alpha"
    )
    found = problems(tmp_path, text)
    assert any(p[1] == "council" and p[2] == "parent" and "no parent" in p[3] for p in found)


def test_invalid_yaml_reports_line(tmp_path: Path) -> None:
    line, _, _, message = only(tmp_path, BASE + "  - slug: [unclosed\n")
    assert line > BASE_LINES and "not valid YAML" in message


def test_all_problems_are_collected(tmp_path: Path) -> None:
    text = (
        BASE
        + body("Bad_Slug")
        + body("beta", kind="ministry", extra='edrpou: "12345670"\nemail: nope')
        + body("gamma", parent="ghost", extra="active: false")
    )
    with pytest.raises(RegistryError) as info:
        load(tmp_path, text)
    fields = sorted((p.slug, p.field) for p in info.value.problems)
    assert fields == [
        ("Bad_Slug", "slug"),
        ("beta", "edrpou"),
        ("beta", "email"),
        ("beta", "kind"),
        ("gamma", "abolished"),
        ("gamma", "parent"),
    ]
    lines = [p.line for p in info.value.problems]
    assert lines == sorted(lines)
    text_of_error = str(info.value)
    assert text_of_error.startswith("6 problems in ")
    assert f"bodies.yaml: line {BASE_LINES + 1}: [Bad_Slug] slug:" in text_of_error
    assert isinstance(info.value, ValueError)


# --------------------------------------------------------------------------- API


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    text = (
        BASE
        + body("finance", extra='edrpou: "44106679"\ndatagovua_org: lutsk-finance')
        + body("budget", parent="finance", kind="directorate")
        + body(
            "treasury",
            parent="finance",
            kind="directorate",
            extra="active: false\nabolished: 2020-01-01\nsuccessor: budget",
        )
        + body("ict", kind="directorate", name="{uk: Управління ІКТ}")
    )
    return load(tmp_path, text)


def test_get_and_contains(registry: Registry) -> None:
    assert isinstance(registry.get("finance"), Body)
    assert registry.get("nope") is None
    assert "budget" in registry and "nope" not in registry


def test_active_keeps_order(registry: Registry) -> None:
    assert [b.slug for b in registry.active()] == ["council", "finance", "budget", "ict"]


def test_by_edrpou_and_datagovua_org(registry: Registry) -> None:
    assert registry.by_edrpou("44106679").slug == "finance"  # type: ignore[union-attr]
    assert registry.by_edrpou("34745204") is None
    assert registry.by_datagovua_org("lutsk-finance").slug == "finance"  # type: ignore[union-attr]
    assert registry.by_datagovua_org("other") is None


def test_datagovua_org_is_inherited(registry: Registry) -> None:
    assert registry.datagovua_org_for("budget") == "lutsk-finance"
    assert registry.datagovua_org_for("ict") is None


def test_children(registry: Registry) -> None:
    assert [b.slug for b in registry.children("finance")] == ["budget", "treasury"]
    assert [b.slug for b in registry.children("finance", active_only=True)] == ["budget"]
    assert registry.children("ict") == []
    with pytest.raises(KeyError):
        registry.children("nope")


def test_successor_chain_of_active_body(registry: Registry) -> None:
    assert [b.slug for b in registry.successor_chain("treasury")] == ["treasury", "budget"]
    assert registry.successor_chain("budget") == [registry.get("budget")]
    with pytest.raises(KeyError):
        registry.successor_chain("nope")


def test_ancestors(registry: Registry) -> None:
    assert [b.slug for b in registry.ancestors("budget")] == ["finance", "council"]


def test_choices_and_labels(registry: Registry) -> None:
    assert registry.choices("en")[:2] == [
        {"value": "council", "label": "Council"},
        {"value": "finance", "label": "Body"},
    ]
    assert "treasury" not in [c["value"] for c in registry.choices()]
    assert "treasury" in [c["value"] for c in registry.choices(include_inactive=True)]
    # No English name: falls back to Ukrainian.
    assert registry.get("ict").title("en") == "Управління ІКТ"  # type: ignore[union-attr]
    assert registry.kind_label("directorate", "uk_UA") == "управління"
    assert registry.kind_label("directorate", "en") == "directorate"
    assert registry.kind_label("unknown", "en") == "unknown"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("uk", "Рада"),
        ("uk_UA", "Рада"),
        ("en", "Council"),
        ("en-GB", "Council"),
        ("pl", "Рада"),
        (None, "Рада"),
    ],
)
def test_localized_text_fallback(lang: str | None, expected: str) -> None:
    assert LocalizedText(uk="Рада", en="Council").get(lang) == expected


def test_localized_text_falls_back_to_english_when_uk_empty() -> None:
    assert LocalizedText(uk="", en="Council").get("uk") == "Council"
    assert LocalizedText(uk="Рада").as_dict() == {"uk": "Рада"}


def test_unreadable_value_is_reported_once(tmp_path: Path) -> None:
    text = BASE + body("alpha", extra="active: false\nabolished: 2021-13-45")
    found = problems(tmp_path, text)
    unreadable = [p for p in found if "cannot read value" in p[3]]
    assert len(unreadable) == 1 and unreadable[0][0] == BASE_LINES + 6
