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
