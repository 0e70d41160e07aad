"""Registry → organizations: the plan (plain), the CLI against real CKAN, moving an
abolished body's datasets to its successor."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.lutsk.domain import org_plan
from ckanext.lutsk.domain.registry import load_registry
from tests.lutsk_factories import dataset

ABOLISHED = str(Path(__file__).parents[1] / "data" / "registry_abolished.yaml")


def _org_row(body, **extras):
    want = org_plan.desired_org(body)
    want["extras"].update(extras)
    return {
        "id": f"id-{body.slug}",
        "name": body.slug,
        "title": want["title"],
        "extras": [{"key": k, "value": v} for k, v in want["extras"].items()],
    }


class TestPlan:
    def test_everything_is_created_on_an_empty_portal(self):
        reg = load_registry(ABOLISHED)
        plan = org_plan.plan(reg, [])
        assert [(c.action, c.slug) for c in plan] == [
            ("create", "lutsk-city-council"),
            ("create", "education"),
            ("create", "education-directorate"),
        ]
        education = plan[1]
        assert education.fields["lutsk_edrpou"] == ("", "44106679")
        assert plan[2].fields["lutsk_active"] == ("", "false")
        assert plan[2].fields["lutsk_successor"] == ("", "education")

    def test_nothing_to_do_when_in_step(self):
        reg = load_registry(ABOLISHED)
        assert org_plan.plan(reg, [_org_row(b) for b in reg]) == []

    def test_only_real_differences_are_listed(self):
        reg = load_registry(ABOLISHED)
        rows = [_org_row(b) for b in reg]
        rows[1]["title"] = "Стара назва"
        rows[1]["extras"] = [e for e in rows[1]["extras"] if e["key"] != "lutsk_edrpou"]
        rows.append({"id": "x", "name": "not-a-body", "title": "Інша", "extras": []})
        plan = org_plan.plan(reg, rows)
        assert len(plan) == 1
        assert plan[0].action == "update"
        assert dict(plan[0].fields) == {
            "title": ("Стара назва", "Департамент освіти"),
            "lutsk_edrpou": ("", "44106679"),
        }
        assert plan[0].describe()[0] == "~ education"

    def test_update_keeps_foreign_extras(self):
        reg = load_registry(ABOLISHED)
        row = _org_row(reg.get("education"), lutsk_edrpou="")
        row["extras"].append({"key": "site_note", "value": "kept"})
        data = org_plan.org_data_dict(org_plan.desired_org(reg.get("education")), {"site_note": "kept"})
        assert {"key": "site_note", "value": "kept"} in data["extras"]
        assert {"key": "lutsk_edrpou", "value": "44106679"} in data["extras"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_extended_cli")
@pytest.mark.ckan_config("ckanext.lutsk.registry_file", ABOLISHED)
class TestCli:
    def test_dry_run_prints_the_diff_and_writes_nothing(self, cli):
        result = cli.invoke(ckan, ["lutsk", "bodies", "sync", "--dry-run"])
        assert result.exit_code == 0, result.output
        assert "+ education" in result.output
        assert "lutsk_edrpou: '' -> '44106679'" in result.output
        assert "Dry run: 3 organizations would change." in result.output
        assert model.Group.get("education") is None

    def test_sync_then_no_op(self, cli):
        result = cli.invoke(ckan, ["lutsk", "bodies", "sync"])
        assert result.exit_code == 0, result.output
        org = call_action("organization_show", id="education", include_extras=True)
        assert org["title"] == "Департамент освіти"
        assert {"key": "lutsk_edrpou", "value": "44106679"} in [
            {"key": e["key"], "value": e["value"]} for e in org["extras"]
        ]
        again = cli.invoke(ckan, ["lutsk", "bodies", "sync"])
        assert again.exit_code == 0
        assert "Nothing to change" in again.output

    def test_move_datasets_of_abolished_body_to_successor(self, cli):
        cli.invoke(ckan, ["lutsk", "bodies", "sync"])
        old = call_action("organization_show", id="education-directorate")
        # Datasets from before the abolition (created directly: the schema refuses abolished bodies).
        for i in range(3):
            pkg = dataset(owner_org="education", name=f"edu-{i}")
            model.Session.query(model.Package).filter_by(id=pkg["id"]).update({"owner_org": old["id"]})
        model.Session.commit()
        for i in range(3):
            search.rebuild(model.Package.get(f"edu-{i}").id)
        dry = cli.invoke(ckan, ["lutsk", "bodies", "move", "education-directorate", "--dry-run"])
        assert "3 datasets of education-directorate -> education" in dry.output
        result = cli.invoke(ckan, ["lutsk", "bodies", "move", "education-directorate"])
        assert result.exit_code == 0, result.output
        new = call_action("organization_show", id="education")
        for i in range(3):
            assert call_action("package_show", id=f"edu-{i}")["owner_org"] == new["id"]

    def test_move_to_an_abolished_body_is_refused(self, cli):
        cli.invoke(ckan, ["lutsk", "bodies", "sync"])
        result = cli.invoke(ckan, ["lutsk", "bodies", "move", "education", "--to", "education-directorate"])
        assert result.exit_code != 0
        assert "ліквідовано 2020-12-31" in result.output or "abolished" in result.output

    def test_bad_registry_file_is_reported_with_its_line(self, cli, tmp_path):
        bad = tmp_path / "bad.yaml"
        bad.write_text(Path(ABOLISHED).read_text().replace('edrpou: "44106679"', 'edrpou: "44106678"'))
        result = cli.invoke(ckan, ["lutsk", "bodies", "check", str(bad)])
        assert result.exit_code != 0
        assert "line 15: [education] edrpou: wrong check digit" in result.output
        assert "edrpou" in result.output
