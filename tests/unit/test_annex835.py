"""The annex of resolution 835 as a data file (every problem with its line) and the
coverage matrix: plain unit tests, no CKAN."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.lutsk.domain import annex835
from ckanext.lutsk.domain.annex835 import LATE, MISSING, NOT_PUBLIC, PUBLISHED, AnnexError, parse_annex
from ckanext.lutsk.domain.registry import load_registry

REGISTRY = load_registry()
ABOLISHED = load_registry(Path(__file__).parents[1] / "data" / "registry_abolished.yaml")

HEAD = """\
sections:
  all_holders: {uk: Усі розпорядники, en: All holders}
  local_government: {uk: Органи місцевого самоврядування, en: Local government}
rows:
"""


def _problems(text: str, registry=REGISTRY) -> list[tuple]:
    with pytest.raises(AnnexError) as err:
        parse_annex(text, "annex.yaml", registry=registry)
    return list(err.value.problems)


def test_packaged_annex_has_every_row_and_valid_bodies():
    annex = annex835.load_annex(registry=REGISTRY)
    ids = [r.id for r in annex]
    assert ids == [f"A{i}" for i in range(1, 17)] + [f"L{i}" for i in range(1, 58)]
    assert all(r.title.uk and r.title.en for r in annex), "every row has uk and en titles"
    assert [r.id for r in annex if not r.applies] == ["A4"]
    for row in annex.applicable():
        assert row.bodies, row.id
        assert all(REGISTRY.get(b) and REGISTRY.get(b).active for b in row.bodies), row.id
    assert "L45" in {r.id for r in annex.for_body("economic-policy")}
    assert annex.get("A6").bodies == ("ict",)
    choices = annex.choices("en")
    assert {"value": "L20", "label": "L20. Address register"} in choices
    assert "A4" not in {c["value"] for c in choices}, "a row that does not apply cannot be chosen"


def test_every_problem_is_reported_with_its_line():
    text = HEAD + (
        "  - id: A1\n"  # line 5
        "    section: all_holders\n"
        "    title: {uk: Довідник, en: Directory}\n"
        "    bodies: [economic-policy, no-such-body]\n"  # line 8
        "  - id: A1\n"  # line 9: duplicate
        "    section: all_holders\n"
        "    title: {uk: Інше}\n"
        "    bodies: [legal]\n"
        "  - id: x7\n"  # line 13: bad id
        "    section: regional\n"  # line 14: unknown section
        "    title: {en: Only English}\n"  # line 15: no uk
        "    bodies: [legal]\n"
        "    colour: red\n"  # line 17: unknown field
        "  - id: L2\n"  # line 18: neither bodies nor not_applicable
        "    section: local_government\n"
        "    title: {uk: Звіти}\n"
        "  - id: L3\n"
        "    section: local_government\n"
        "    title: {uk: Титульні списки}\n"
        "    bodies: [legal]\n"
        "    not_applicable: not ours\n"
    )
    problems = _problems(text)
    by_line = {(line, name): message for line, _row, name, message in problems}
    assert "unknown body 'no-such-body'" in by_line[(8, "bodies")]
    assert "duplicate id (first on line 5)" in by_line[(9, "id")]
    assert "must look like A1 or L45" in by_line[(13, "id")]
    assert "unknown section 'regional'" in by_line[(14, "section")]
    assert "Ukrainian text is missing" in by_line[(15, "title.uk")]
    assert "unknown field" in by_line[(17, "colour")]
    assert "name at least one body" in by_line[(18, "bodies")]
    assert "not_applicable has no bodies" in by_line[(21, "bodies")]
    message = str(AnnexError("annex.yaml", problems))
    assert message.startswith(f"{len(problems)} problems in annex.yaml")
    assert "annex.yaml: line 8: [A1] bodies:" in message


def test_abolished_body_names_its_successor():
    slug = next(b.slug for b in ABOLISHED if not b.active and b.successor)
    successor = ABOLISHED.current(slug).slug
    text = (
        HEAD + f"  - id: L1\n    section: local_government\n    title: {{uk: Майно}}\n    bodies: [{slug}]\n"
    )
    problems = _problems(text, ABOLISHED)
    assert (8, "L1", "bodies", f"body '{slug}' is abolished; its successor is '{successor}'") in problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file is empty"),
        ("rows: [\n  - id: A1\n", "not valid YAML"),
        ("sections: {}\nrows: {}\n", "must be a list"),
        ("- just a list\n", "must be a mapping"),
    ],
)
def test_broken_files_are_refused(text, expected):
    assert any(expected in p[3] for p in _problems(text))


def test_unreadable_file_is_an_annex_error(tmp_path):
    with pytest.raises(AnnexError, match="cannot read the file"):
        annex835.load_annex(tmp_path / "missing.yaml")


ANNEX = parse_annex(
    HEAD
    + "  - {id: L1, section: local_government, title: {uk: Майно}, bodies: [economic-policy, legal]}\n"
    + "  - {id: L2, section: local_government, title: {uk: Звіти}, bodies: [economic-policy]}\n"
    + "  - {id: A4, section: all_holders, title: {uk: Стандарти}, not_applicable: центральні органи}\n"
)


def _rec(name, body, row, state="on_time", private=False):
    return {
        "name": name,
        "title": name,
        "body": body,
        "annex835_row": row,
        "state": state,
        "private": private,
    }


def test_matrix_status_per_assigned_body():
    records = [
        _rec("property", "economic-policy", "L1"),
        _rec("property-old", "economic-policy", "L1", state="overdue_frequency"),
        _rec("legal-property", "legal", "L1", state="overdue_change"),
        _rec("reports-draft", "economic-policy", "L2", private=True),
        _rec("parks-property", "parks-squares", "L1"),
        _rec("not-linked", "legal", None),
        _rec("unknown-row", "legal", "Z9"),
    ]
    cells = annex835.coverage_matrix(ANNEX, records)
    status = {(c.row.id, c.body, c.extra): c.status for c in cells}
    assert status == {
        ("L1", "economic-policy", False): PUBLISHED,  # one of its two is on time
        ("L1", "legal", False): LATE,  # every public one is late
        ("L1", "parks-squares", True): PUBLISHED,  # not assigned, but fulfils it
        ("L2", "economic-policy", False): NOT_PUBLIC,
    }
    assert not any(c.row.id == "A4" for c in cells), "rows that do not apply are not in the matrix"
    assert annex835.body_summary(cells) == {
        "economic-policy": {
            PUBLISHED: 1, annex835.DATA_ERRORS: 0, LATE: 0, NOT_PUBLIC: 1, MISSING: 0, annex835.RESTRICTED: 0
        },
        "legal": {
            PUBLISHED: 0, annex835.DATA_ERRORS: 0, LATE: 1, NOT_PUBLIC: 0, MISSING: 0, annex835.RESTRICTED: 0
        },
    }
    assert annex835.coverage_matrix(ANNEX, [])[0].status == MISSING


def test_published_counts_only_when_its_data_validate():
    """Issue 19: the ranking counts a mandatory dataset as properly published only when its
    data are in order; a current dataset whose data fail the check is not "published"."""
    bad = {**_rec("p", "legal", "L1"), "data_state": "errors"}
    good = {**_rec("q", "legal", "L1"), "data_state": "valid"}
    unchecked = _rec("r", "legal", "L1")
    late_good = {**_rec("s", "legal", "L1", state="overdue_frequency"), "data_state": "valid"}

    def status(*recs):
        return {c.body: c.status for c in annex835.coverage_matrix(ANNEX, list(recs))}["legal"]

    assert status(bad) == annex835.DATA_ERRORS
    assert status(bad, late_good) == annex835.DATA_ERRORS  # the current one has errors
    assert status(bad, good) == PUBLISHED
    assert status(bad, unchecked) == PUBLISHED  # not checked (no tabular file) is not an error
    assert status({**bad, "state": "overdue_change"}) == LATE


def test_invalid_passport_counts_as_late():
    cells = annex835.coverage_matrix(ANNEX, [_rec("p", "legal", "L1", state="invalid")])
    assert {c.body: c.status for c in cells}["legal"] == LATE
