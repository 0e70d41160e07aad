"""The demo's sample files (data/demo_files): one per demo dataset with a recommended
structure, some conforming, some with the faults met in practice, each as its README says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ckanext.lutsk.domain import datacheck, structures

DATA = Path(__file__).resolve().parents[2] / "ckanext" / "lutsk" / "data"
DEMO = yaml.safe_load((DATA / "demo.yaml").read_text(encoding="utf-8"))
SPECS = {d["name"]: d for d in DEMO["datasets"]}
SAMPLES = sorted(p.stem for p in (DATA / "demo_files").glob("*.csv"))

# (status, issue codes) as data/demo_files/README.md describes each file.
EXPECTED = {
    "targeted-programmes": (datacheck.VALID, []),
    "regulatory-plan": (datacheck.VALID, []),
    "dataset-register": (datacheck.VALID, []),
    "schools": (datacheck.VALID, []),
    "regulatory-acts": (datacheck.INVALID, ["encoding-cp1251"]),
    "utility-tariffs": (datacheck.INVALID, [datacheck.MISSING_COLUMN]),
}


def test_every_demo_dataset_with_a_recommended_structure_has_a_sample_file():
    recommended = structures.load_structures()
    wanted = {n for n, d in SPECS.items() if d.get("annex835_row") in recommended}
    assert wanted and wanted <= set(SAMPLES)
    assert set(SAMPLES) == set(EXPECTED)
    assert all(SPECS[n]["format"] == "CSV" for n in SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_checks_as_its_readme_says(name):
    recommended = structures.load_structures().get(SPECS[name].get("annex835_row") or "")
    schema = recommended.table_schema() if recommended else None
    report = datacheck.check_file(
        DATA / "demo_files" / f"{name}.csv", "CSV", schema, "recommended" if schema else None
    )
    status, codes = EXPECTED[name]
    assert report.status == status, [(i.code, i.label) for i in report.issues]
    assert [i.code for i in report.issues] == codes


def test_the_cp1251_sample_is_really_cp1251():
    raw = (DATA / "demo_files" / "regulatory-acts.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "Луцька міська рада" in raw.decode("cp1251")
