"""The 2026 structure on a portal that still holds datasets of the 2015 bodies: ``bodies
move`` takes each abolished body's datasets to its successor in the packaged registry."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib import search
from ckan.tests.helpers import call_action

from tests.lutsk_factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_extended_cli")

MOVES = {
    "municipal-police": "municipal-guard",
    "physical-culture-sports": "family-youth-sports",
    "family-youth": "family-youth-sports",
    "transport-communications": "transport",
}


def test_every_renamed_or_merged_body_hands_its_datasets_on(cli):
    assert cli.invoke(ckan, ["lutsk", "bodies", "sync"]).exit_code == 0
    for old, new in MOVES.items():
        # As stored before 2026 (the schema now refuses abolished bodies).
        pkg = dataset(owner_org=new, name=f"from-{old}")
        old_org = call_action("organization_show", id=old)
        model.Session.query(model.Package).filter_by(id=pkg["id"]).update({"owner_org": old_org["id"]})
    model.Session.commit()
    for old in MOVES:
        search.rebuild(model.Package.get(f"from-{old}").id)
    for old, new in MOVES.items():
        dry = cli.invoke(ckan, ["lutsk", "bodies", "move", old, "--dry-run"])
        assert f"1 datasets of {old} -> {new}" in dry.output, dry.output
        result = cli.invoke(ckan, ["lutsk", "bodies", "move", old])
        assert result.exit_code == 0, result.output
        shown = call_action("package_show", id=f"from-{old}")
        assert shown["organization"]["name"] == new
