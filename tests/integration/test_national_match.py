"""``ckan lutsk national match`` on the stand-in peer: the council's hand-uploaded national
datasets are paired with local ones (identifier, annex row, title), the matched ones marked
«Більше не оновлюється» with a link to our copy, the unmatched listed; idempotent, nothing
deleted, and the portal's own national copies left alone."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ckanext.lutsk import config
from ckanext.lutsk.cli import national as national_cli
from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.model import sync_state
from tests import sync_support
from tests.lutsk_factories import body_org, dataset

pytestmark = [
    pytest.mark.peer,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues"),
]


def _hand_upload(staff, org: str, name: str, title: str) -> dict:
    return staff.action.package_create(
        name=name,
        title=title,
        notes="Завантажено вручну",
        owner_org=org,
        tag_string="луцьк",
        language="ua",
        purpose_of_collecting_information="Постанова КМУ № 835",
        update_frequency="once a year",
    )


def test_match_dry_run_then_apply_idempotent(publishing):
    staff = publishing.api(publishing.admin_token)
    org = body_org("education")
    marker = sync_support.unique("m")
    row = next(r for r in config.annex() if "education" in r.bodies)
    schools = dataset(owner_org=org["id"], name=f"{marker}-schools", title=f"Заклади освіти {marker}")
    by_row = dataset(
        owner_org=org["id"], name=f"{marker}-row", title=f"Інша назва {marker}", annex835_row=row.id
    )
    pushed = dataset(owner_org=org["id"], name=f"{marker}-pushed")
    assert publisher.publish_dataset(pushed["id"]).action == "created"

    old = {
        "title": _hand_upload(staff, "education", f"{marker}-old-1", f"заклади  освіти {marker}!"),
        "row": _hand_upload(staff, "education", f"{marker}-old-2", row.title.uk),
        "none": _hand_upload(staff, "education", f"{marker}-old-3", f"Невідомий набір {marker}"),
    }
    runner = CliRunner()
    dry = runner.invoke(national_cli.national, ["match", "--dry-run"], catch_exceptions=False)
    assert dry.exit_code == 0, dry.output
    assert f"{marker}-old-1\t-> {schools['name']} (by title)" in dry.output
    assert f"{marker}-old-2\t-> {by_row['name']} (by annex_row)" in dry.output
    assert f"UNMATCHED\teducation\t{marker}-old-3" in dry.output
    # Our own national copy is never taken for an old one (it may be the local side of a pair:
    # the shared peer holds other tests' hand uploads too).
    old_names = [
        cols[2] if cols[0] == "UNMATCHED" and len(cols) > 2 else cols[0]
        for cols in (line.split("\t") for line in dry.output.splitlines())
    ]
    assert f"{marker}-pushed" not in old_names, "our own national copy is not an old one"
    assert staff.action.package_show(id=old["title"]["id"])["notes"] == "Завантажено вручну"

    done = runner.invoke(national_cli.national, ["match", "--apply"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    marked = staff.action.package_show(id=old["title"]["id"])
    assert marked["update_frequency"] == "no longer updated"
    assert marked["notes"].startswith("Більше не оновлюється. Актуальна версія: ")
    assert schools["id"] in marked["notes"] and marked["notes"].endswith("Завантажено вручну")
    assert staff.action.package_show(id=old["none"]["id"])["notes"] == "Завантажено вручну"
    # Our own pushed copy is untouched.
    pushed_copy = staff.action.package_show(id=sync_state.get(pushed["id"]).remote_id)
    assert not pushed_copy["notes"].startswith("Більше не оновлюється")

    again = runner.invoke(national_cli.national, ["match", "--apply"], catch_exceptions=False)
    assert "0 marked now" in again.output and f"ALREADY\teducation\t{marker}-old-1" in again.output
    # Nothing deleted.
    for pkg in (old["title"], old["row"], old["none"]):
        assert staff.action.package_show(id=pkg["id"])["state"] == "active"
