"""``ckan lutsk publish [--all | --body B | --dataset D] [--dry-run]`` against the real peer."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan

from ckanext.lutsk import sync_state
from tests import sync_support
from tests.lutsk_factories import body_org, dataset

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def write_ini(tmp_path, url: str | None, token: str | None) -> str:
    """A production-like ini: test.ini plus the publisher's options."""
    from tests.peer.server import ROOT

    lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}"]
    if url:
        lines.append(f"ckanext.lutsk.datagovua.url = {url}")
    if token:
        lines.append(f"ckanext.lutsk.datagovua.token = {token}")
    lines += [f"{key} = {value}" for key, value in sync_support.TEST_SETTINGS.items()]
    # CKAN configures logging from the file it is given.
    lines += [
        "[loggers]",
        "keys = root",
        "[handlers]",
        "keys = console",
        "[formatters]",
        "keys = generic",
        "[logger_root]",
        "level = WARNING",
        "handlers = console",
        "[handler_console]",
        "class = StreamHandler",
        "args = (sys.stderr,)",
        "formatter = generic",
        "[formatter_generic]",
        "format = %%(levelname)s [%%(name)s] %%(message)s",
    ]
    ini = tmp_path / "publish.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(ini)


@pytest.fixture
def ini(tmp_path, peer):
    return write_ini(tmp_path, peer.url, peer.city_token)


@pytest.fixture
def world():
    finance, education = body_org("finance-budget"), body_org("education")
    prefix = sync_support.unique("cli")
    return {
        "prefix": prefix,
        "finance": sync_support.datasets(finance, 3, f"{prefix}-fin"),
        "education": sync_support.datasets(education, 2, f"{prefix}-edu"),
        "private": dataset(owner_org=finance["id"], name=f"{prefix}-private", private=True),
    }


def test_one_selector_is_required(cli, ini):
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish"])
    assert result.exit_code == 2
    assert "exactly one of --all, --body B or --dataset D" in result.output
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--all", "--body", "education"])
    assert result.exit_code == 2


def test_publishing_off_says_what_to_set(cli, tmp_path):
    result = cli.invoke(ckan, ["-c", write_ini(tmp_path, None, None), "lutsk", "publish", "--all"])
    assert result.exit_code == 1
    assert "ckanext.lutsk.datagovua.url" in result.output


def test_dry_run_writes_nothing_anywhere(cli, ini, world, peer):
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--all", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "5 datasets: 5 would create" in result.output
    assert "0 writes" in result.output
    assert sync_support.peer_names(peer, world["prefix"]) == []
    assert sync_state.get_many(p["id"] for p in world["finance"]) == {}


def test_body_then_all_then_nothing_to_do(cli, ini, world, peer):
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--body", "education"])
    assert result.exit_code == 0, result.output
    assert "2 datasets: 2 created" in result.output
    assert sorted(sync_support.peer_names(peer, world["prefix"])) == sorted(
        p["name"] for p in world["education"]
    )

    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--all"])
    assert result.exit_code == 0, result.output
    assert "5 datasets: 3 created, 2 unchanged" in result.output, "the private dataset is not published"

    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--all"])
    assert "5 datasets: 5 unchanged" in result.output
    assert "1 reads, 0 writes" in result.output


def test_a_rejected_dataset_is_reported_and_fails_the_run(cli, ini, peer):
    org = body_org("finance-budget")
    bad = dataset(owner_org=org["id"], name=sync_support.unique("cli-bad"), language="ro")
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--dataset", bad["name"]])
    assert result.exit_code == 1
    assert "1 failed" in result.output
    assert f"FAILED {bad['id']}" in result.output
    assert "language" in result.output


def test_unknown_body_or_dataset(cli, ini):
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--body", "no-such-body"])
    assert result.exit_code == 1
    assert "no-such-body" in result.output
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--dataset", "no-such-dataset"])
    assert result.exit_code == 1
