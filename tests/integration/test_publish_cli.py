"""``ckan lutsk publish [--all | --body B | --dataset D | --retry] [--dry-run]`` against the real peer."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from ckan import model
from ckan.cli.cli import ckan

from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.model import sync_state
from tests import sync_support
from tests.lutsk_factories import body_org, dataset

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def write_ini(tmp_path, url: str | None, token: str | None, **options: str) -> str:
    """A production-like ini: test.ini plus the publisher's options (and ``options``)."""
    from tests.peer.server import ROOT

    lines = ["[app:main]", f"use = config:{ROOT / 'test.ini'}", *(f"{k} = {v}" for k, v in options.items())]
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
    assert "exactly one of --all, --body B, --dataset D or --retry" in result.output
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


def _dead_url() -> str:
    """A loopback port nobody listens on: the national portal down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def _age_failure(pkg_id: str, minutes: int, **columns) -> None:
    row = sync_state.get(pkg_id)
    row.last_attempt = sync_state.utcnow() - dt.timedelta(minutes=minutes)
    for key, value in columns.items():
        setattr(row, key, value)
    model.Session.commit()


def test_retry_delay_doubles_up_to_the_cap():
    first, cap = dt.timedelta(minutes=5), dt.timedelta(minutes=360)
    waits = [publisher.retry_delay(n, first, cap) for n in range(1, 9)]
    assert [w.total_seconds() / 60 for w in waits] == [5, 10, 20, 40, 80, 160, 320, 360]


def test_failed_pushes_are_retried_with_back_off(cli, ini, tmp_path, peer):
    org = body_org("finance-budget")
    prefix = sync_support.unique("cli-retry")
    first, second = sync_support.datasets(org, 2, prefix)
    bad = dataset(owner_org=org["id"], name=f"{prefix}-bad", language="ro")
    (tmp_path / "down").mkdir()
    down = write_ini(tmp_path / "down", _dead_url(), peer.city_token)
    for pkg in (first, second):
        result = cli.invoke(ckan, ["-c", down, "lutsk", "publish", "--dataset", pkg["name"]])
        assert result.exit_code == 1, result.output
        row = sync_state.get(pkg["id"])
        assert (row.state, row.error_kind, row.attempts) == ("failed", publisher.UNAVAILABLE, 1)
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--dataset", bad["name"]])
    assert result.exit_code == 1, "rejected by the peer: needs a person, not a retry"

    # Just failed: the back-off (5 minutes after the first failure) has not run out.
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--retry"])
    assert result.exit_code == 0, result.output
    assert "Nothing due for a retry." in result.output

    # Six minutes later the first is due; the second failed three times (20 minutes to
    # wait); the rejected one is never retried by time alone.
    _age_failure(first["id"], 6)
    _age_failure(second["id"], 10, attempts=3)
    _age_failure(bad["id"], 600)
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--retry"])
    assert result.exit_code == 0, result.output
    assert "1 datasets: 1 created" in result.output
    assert sync_state.get(first["id"]).state == sync_state.IN_STEP
    assert sync_state.get(second["id"]).state == "failed"
    assert sync_support.peer_names(peer, prefix) == [first["name"]]

    _age_failure(second["id"], 21)
    result = cli.invoke(ckan, ["-c", ini, "lutsk", "publish", "--retry"])
    assert "1 datasets: 1 created" in result.output
    assert sorted(sync_support.peer_names(peer, prefix)) == sorted([first["name"], second["name"]])
    assert sync_state.get(bad["id"]).state == "failed"
