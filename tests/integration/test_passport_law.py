"""``ckan lutsk passport check|migrate-licence`` on stored datasets: datasets stored before
the law's limits applied (other licences, long texts) are listed; the licence is moved to
CC BY 4.0 by a one-off command with a dry run; long texts are reported, never cut."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib.search import rebuild
from ckan.tests.helpers import call_action

from ckanext.lutsk import demo

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_extended_cli")

# What the portal accepted before: CKAN's own register, scheming's default.
OLD = {
    "budget-lutsk-community": "cc-by-sa",
    "targeted-programmes": "odc-odbl",
    "cultural-institutions": "notspecified",
    "tourist-attractions": "cc-zero",
}


def _store(name: str, **fields: str) -> None:
    """Write values as an older portal stored them, past today's validators."""
    pkg = model.Package.get(name)
    for key, value in fields.items():
        if key == "license_id":
            pkg.license_id = value
        else:
            pkg.extras[key] = value
    model.repo.commit()
    rebuild(pkg.id)


def test_licences_and_long_texts_of_stored_datasets(cli):
    demo.load()
    clean = cli.invoke(ckan, ["lutsk", "passport", "check"])
    assert clean.exit_code == 0, clean.output
    assert "0 datasets break a limit (none)." in clean.output
    for name, licence in OLD.items():
        _store(name, license_id=licence)
    long_purpose = "Підстава. " * 60  # 600 characters
    _store("parking-lots", purpose_of_collecting_information=long_purpose)

    check = cli.invoke(ckan, ["lutsk", "passport", "check"])
    assert check.exit_code == 1
    for name, licence in OLD.items():
        assert f"{name}\tlicence\tlicence '{licence}'" in check.output
    assert "parking-lots\tpurpose\tpurpose_of_collecting_information: 600 characters" in check.output
    assert "5 datasets break a limit (licence: 4, purpose: 1)." in check.output

    dry = cli.invoke(ckan, ["lutsk", "passport", "migrate-licence", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        "4 datasets with another licence (cc-by-sa: 1, cc-zero: 1, notspecified: 1, odc-odbl: 1)."
        in dry.output
    )
    assert all(call_action("package_show", id=n)["license_id"] == lic for n, lic in OLD.items())

    done = cli.invoke(ckan, ["lutsk", "passport", "migrate-licence"])
    assert done.exit_code == 0, done.output
    assert "Done: 4 moved to cc-by, 0 not moved." in done.output
    assert all(call_action("package_show", id=n)["license_id"] == "cc-by" for n in OLD)
    again = cli.invoke(ckan, ["lutsk", "passport", "migrate-licence"])
    assert "0 datasets with another licence (none)." in again.output

    # The long purpose is still there, whole, and still reported.
    assert call_action("package_show", id="parking-lots")["purpose_of_collecting_information"] == long_purpose
    after = cli.invoke(ckan, ["lutsk", "passport", "check"])
    assert "1 datasets break a limit (purpose: 1)." in after.output


def test_a_dataset_that_fails_other_rules_is_reported_not_half_moved(cli):
    demo.load()
    _store("parking-lots", license_id="odc-odbl", purpose_of_collecting_information="П" * 513)
    result = cli.invoke(ckan, ["lutsk", "passport", "migrate-licence"])
    assert result.exit_code == 1
    assert "NOT MOVED parking-lots: purpose_of_collecting_information" in result.output
    assert call_action("package_show", id="parking-lots")["license_id"] == "odc-odbl"
