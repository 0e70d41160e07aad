"""The packaged registry and annex describe Lutsk City Council as it stands in 2026
(shared/docs/domain-2026-12.md §1): renamed bodies keep their history, merged bodies map
to the merged one, the missing municipal enterprises are there, annex rows follow."""

from __future__ import annotations

from pathlib import Path

import yaml

from ckanext.lutsk.domain.annex835 import load_annex
from ckanext.lutsk.domain.registry import load_registry

DEMO = Path(__file__).resolve().parents[2] / "ckanext" / "lutsk" / "data" / "demo.yaml"


def test_renamed_and_merged_bodies_lead_to_the_current_one() -> None:
    reg = load_registry()
    expected = {
        "municipal-police": "municipal-guard",
        "physical-culture-sports": "family-youth-sports",
        "family-youth": "family-youth-sports",
        "transport-communications": "transport",
    }
    for old, new in expected.items():
        body = reg.get(old)
        assert body is not None and not body.active and body.abolished is not None, old
        assert reg.current(old).slug == new
    assert reg.get("municipal-guard").name.uk == "Департамент муніципальної варти"  # type: ignore[union-attr]
    assert reg.get("family-youth-sports").name.uk == "Департамент сім'ї, молоді та спорту"  # type: ignore[union-attr]
    transport = reg.get("transport")
    assert transport is not None and transport.kind == "division" and transport.name.uk == "Відділ транспорту"
    culture = reg.get("culture")
    assert culture is not None and culture.active
    assert (culture.kind, culture.name.uk) == ("department", "Департамент культури")


def test_new_municipal_enterprises_have_no_invented_code() -> None:
    reg = load_registry()
    names = {b.name.uk: b for b in reg.active() if b.kind == "municipal_enterprise"}
    for name in (
        "Комунальне підприємство «Луцькреклама»",
        "Комунальне підприємство «Медичне об'єднання Луцької міської територіальної громади»",
        "Комунальне підприємство «Луцьке підприємство електротранспорту»",
    ):
        assert name in names, name
        assert names[name].edrpou is None


def test_annex_rows_follow_the_renamed_bodies() -> None:
    reg = load_registry()
    annex = load_annex(registry=reg)
    assert annex.get("L52").bodies == ("municipal-guard",)  # type: ignore[union-attr]
    for row in ("L9", "L10", "L36", "L38", "L39"):
        assert annex.get(row).bodies == ("transport",), row  # type: ignore[union-attr]
    assert "lutskreklama" in annex.get("L4").bodies  # type: ignore[union-attr]
    used = {slug for row in annex for slug in row.bodies}
    assert all(reg.get(slug).active for slug in used)  # type: ignore[union-attr]


def test_demo_datasets_belong_to_active_bodies() -> None:
    reg = load_registry()
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    for spec in demo["datasets"]:
        body = reg.get(spec["body"])
        assert body is not None and body.active, spec["name"]
    for user in demo["users"]["extra"]:
        assert reg.get(user["body"]).active  # type: ignore[union-attr]
