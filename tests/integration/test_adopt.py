"""Issue 17: `ckan lutsk adopt` on a fixture portal built like data.lutskrada.gov.ua (stock
CKAN organizations of its own, data.gov.ua-style extras; domain-2026-12.md §1). The old
portal's rows are written as a stock CKAN wrote them (no passport validation ran then)."""

from __future__ import annotations

import json

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lutsk import config, organizations
from ckanext.lutsk.model import ckan_compat

EXAMPLE = "aa157369-3885-4337-ab1c-c6e39a2b62a3"  # the real portal's example dataset id/name


def _org(name: str, title: str, **extras: str) -> model.Group:
    group = model.Group(name=name, title=title, type="organization", is_organization=True)
    model.Session.add(group)
    model.Session.flush()
    for key, value in extras.items():
        group.extras[key] = value
    return group


def _dataset(name: str, org: model.Group, extras: dict[str, str], tags=(), **core) -> model.Package:
    pkg = model.Package(name=name, type="dataset", owner_org=org.id, **core)
    model.Session.add(pkg)
    model.Session.flush()
    ckan_compat.set_package_extras(pkg, extras)
    for tag in tags:
        pkg.add_tag_by_name(tag)
    return pkg


@pytest.fixture
def old_portal(clean_db, clean_index, with_plugins):
    organizations.sync(config.registry())  # the install step: bodies as organizations
    econ = _org("ekonomika", "Департамент  економічної політики")  # title, extra space
    it = _org("it-viddil", "Відділ ІТ")  # only the mapping file knows it
    ads = _org("lutsk-zoo", "КП «Луцький зоопарк»")  # not in the registry: refused
    editor = factories.User(name="old-econ-editor")
    model.Session.add(model.Member(group=econ, table_id=editor["id"], table_name="user", capacity="editor"))
    _dataset(
        EXAMPLE,
        econ,
        {
            "purpose_of_collecting_information": "Постанова КМУ від 21.10.2015 № 835",
            "language": "Українська",
            "update_frequency": "Щокварталу",
            "publisherIdentifier": "00000000",
        },
        tags=("програми",),
        title="Перелік цільових місцевих програм",
        notes="Цільові місцеві програми Луцької міської територіальної громади.",
        maintainer="Селюк Христина Вадимівна",
        maintainer_email="econom@lutskrada.gov.ua",
        license_id="CC-BY-4.0",
    )
    _dataset(
        "it-registry",
        it,
        {"update_frequency": "раз на два місяці", "language": "ua"},
        title="Реєстр інформаційних систем",
        notes="",
        license_id="ODbL-1.0",
    )
    _dataset("billboards", ads, {"update_frequency": "monthly"}, title="Рекламні конструкції")
    model.repo.commit()
    for name in (EXAMPLE, "it-registry", "billboards"):
        ckan_compat.index_package(model.Package.get(name).id, defer_commit=False)


def _run(cli, *args: str, mapping=None):
    argv = ["lutsk", "adopt", *args]
    if mapping:
        argv += ["--mapping", str(mapping)]
    result = cli.invoke(ckan_cli, argv)
    assert result.exit_code == 0, result.output
    return result.output


def test_adopt_dry_run_then_apply_then_nothing(old_portal, cli, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("it-viddil: ict\n", encoding="utf-8")

    dry = _run(cli, "--dry-run", mapping=mapping)
    assert "ekonomika -> economic-policy (title)" in dry
    assert "it-viddil -> ict (mapping file)" in dry
    assert "lutsk-zoo: NOT MAPPED" in dry
    assert "datasets: 3, would adopt: 3" in dry
    example = model.Package.get(EXAMPLE)
    assert ckan_compat.package_extras(example)["update_frequency"] == "Щокварталу", "dry run wrote"
    assert example.owner_org == model.Group.get("ekonomika").id

    out = _run(cli, "--apply", mapping=mapping)
    assert "datasets: 3, adopted: 3" in out
    model.Session.expire_all()
    example = model.Package.get(EXAMPLE)
    extras = ckan_compat.package_extras(example)
    assert example.owner_org == model.Group.get("economic-policy").id
    assert extras["update_frequency"] == "once a quarter"
    assert extras["language"] == "ua"
    assert extras["publisherIdentifier"] == "00000000", "an extra with no rule stays"
    assert example.license_id == "cc-by"
    assert json.loads(extras["lutsk_adopt_original"]) == {
        "language": "Українська",
        "license_id": "CC-BY-4.0",
        "update_frequency": "Щокварталу",
    }
    assert extras["date_published"] and extras["data_updated"]

    it = model.Package.get("it-registry")
    it_extras = ckan_compat.package_extras(it)
    assert it.owner_org == model.Group.get("ict").id
    assert it_extras["update_frequency"] == "раз на два місяці", "not mapped: kept as it was"
    assert it.license_id == "ODbL-1.0"
    assert "not mapped (left as is) update_frequency: раз на два місяці" in out
    assert "not mapped (left as is) license_id: ODbL-1.0" in out
    billboards = model.Package.get("billboards")
    assert billboards.owner_org == model.Group.get("lutsk-zoo").id, "no body: not moved"
    assert ckan_compat.package_extras(billboards)["update_frequency"] == "once a month"

    # Per body, what each dataset still lacks of the passport.
    body_econ = out[out.index("body economic-policy:") :]
    assert f"{EXAMPLE}: changes" in body_econ
    assert body_econ.split(f"{EXAMPLE}:", 1)[1].split("body ", 1)[0].count("lacks: nothing") == 1
    body_ict = out[out.index("body ict:") :]
    assert (
        "lacks: notes, purpose_of_collecting_information, tags, update_frequency, maintainer, "
        "maintainer_email" in body_ict
    )

    # Members of the old organization come along; the index knows the new owner and the passport.
    econ_org = model.Group.get("economic-policy")
    members = [m for m in econ_org.member_all if m.table_name == "user" and m.state == "active"]
    roles = {m.table_id: m.capacity for m in members}
    assert roles.get(model.User.get("old-econ-editor").id) == "editor"
    found = call_action("package_search", fq="organization:economic-policy", include_private=True)
    assert [p["name"] for p in found["results"]] == [EXAMPLE]
    shown = call_action("package_show", id=EXAMPLE)
    assert shown["update_frequency"] == "once a quarter"
    assert shown["language"] == "ua"

    again = _run(cli, "--apply", mapping=mapping)
    assert "datasets: 3, adopted: 0" in again
    model.Session.expire_all()
    assert json.loads(ckan_compat.package_extras(model.Package.get(EXAMPLE))["lutsk_adopt_original"])[
        "update_frequency"
    ] == "Щокварталу"


def test_a_bad_mapping_file_is_a_clear_error(old_portal, cli, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("- not a mapping\n", encoding="utf-8")
    result = cli.invoke(ckan_cli, ["lutsk", "adopt", "--apply", "--mapping", str(mapping)])
    assert result.exit_code != 0
    assert "expected lines" in result.output
    assert model.Package.get(EXAMPLE).owner_org == model.Group.get("ekonomika").id


def test_a_mode_is_required(cli):
    result = cli.invoke(ckan_cli, ["lutsk", "adopt"])
    assert result.exit_code != 0
    assert "give --dry-run or --apply" in result.output
