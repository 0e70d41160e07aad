"""Mintsyfra's recommended structures (data/structures/*.yaml) and the template CSV."""

from __future__ import annotations

import csv
import io

import pytest

from ckanext.lutsk.domain import annex835, structures
from ckanext.lutsk.domain.registry import load_registry


def test_every_structure_names_an_annex_row_and_its_source():
    found = structures.load_structures()
    annex = annex835.load_annex(annex835.DEFAULT_PATH, load_registry())
    rows = {r.id for r in annex.rows}
    assert found, "no structure loaded"
    for row, structure in found.items():
        assert row in rows
        assert structure.source.startswith("https://")
        assert all(f.get("example") for f in structure.schema["fields"]), row


def test_the_demo_datasets_rows_with_a_recommended_structure():
    # Lutsk's targeted programmes (L45) use the data.gov.ua 835-recm structure already.
    assert "L45" in structures.load_structures()


def test_template_csv_is_utf8_with_bom_header_and_one_example():
    body = structures.template_csv(structures.load_structures()["L45"])
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["programId", "programTitle", "validFrom"]
    assert len(rows) == 2 and all(rows[1])


def test_template_cells_cannot_run_as_formulas(tmp_path):
    (tmp_path / "X1.yaml").write_text(
        "row: X1\nsource: https://data.gov.ua/pages/x\nschema:\n  fields:\n"
        "    - {name: a, type: string, example: '=HYPERLINK(\"x\")'}\n",
        encoding="utf-8",
    )
    body = structures.template_csv(structures.load_structures(tmp_path)["X1"]).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("\"'=HYPERLINK")


@pytest.mark.parametrize(
    "text",
    [
        "row: X2\nsource: https://x\nschema: {fields: []}\n",
        "row: X1\nsource: https://x\nschema: {fields: [{name: a}]}\n",
        "row: X1\nsource: nowhere\nschema: {fields: [{name: a}]}\n",
        "row: X1\nsource: https://x\nschema: {fields: [{name: a, type: text}]}\n",
        "row: X1\nsource: https://x\nschema: {fields: [{name: a}, {name: a}]}\n",
    ],
)
def test_a_broken_file_is_named(tmp_path, text):
    (tmp_path / "X1.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(structures.StructureError, match=r"X1\.yaml"):
        structures.load_structures(tmp_path)


# --------------------------------------------------------------------------- every file


@pytest.mark.parametrize("row", sorted(structures.load_structures()))
def test_each_structure_is_a_valid_table_schema(row):
    import frictionless

    schema = structures.load_structures()[row].table_schema()
    report = frictionless.Schema.validate_descriptor(schema)
    assert report.valid, [e.message for e in report.errors]
    parsed = frictionless.Schema.from_descriptor(schema)
    assert [f.name for f in parsed.fields] == structures.load_structures()[row].field_names
    # Every column has its Ukrainian title.
    cyrillic = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")
    assert all(f.title and cyrillic & set(f.title.lower()) for f in parsed.fields)


@pytest.mark.parametrize("row", sorted(structures.load_structures()))
def test_each_structure_names_its_source_and_what_is_not_confirmed(row):
    text = (structures.DEFAULT_DIR / f"{row}.yaml").read_text(encoding="utf-8")
    structure = structures.load_structures()[row]
    assert structure.source.startswith("https://")
    # The comment above the data says what the source page is.
    assert structure.source in text.split("\nrow:")[0]
    if not structure.complete:
        assert "NOT CONFIRMED:" in text, f"{row}: an incomplete structure says what is missing"


@pytest.mark.parametrize("row", sorted(structures.load_structures()))
def test_each_template_csv_builds_and_conforms_to_its_structure(row, tmp_path):
    from ckanext.lutsk.domain import datacheck

    structure = structures.load_structures()[row]
    body = structures.template_csv(structure)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == structure.field_names
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    path = tmp_path / f"structure-{row}.csv"
    path.write_bytes(body)
    report = datacheck.check_file(path, "CSV", structure.table_schema(), "recommended")
    assert report.status == datacheck.VALID, [(i.code, i.label, i.note) for i in report.issues]
    assert report.matches_recommended


def test_the_rows_with_a_structure_include_the_demo_rows_that_have_one():
    # The rows whose recommended structure we could read (README.md there), all in the demo.
    assert {"A6", "A9", "A10", "L44", "L45"} <= set(structures.load_structures())
