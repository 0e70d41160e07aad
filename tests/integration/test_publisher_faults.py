"""The publisher under real network faults: a fault-injecting TCP proxy between the portal
and the peer, and the peer itself stopped in the middle of a run."""

from __future__ import annotations

import threading

import pytest

from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.model import sync_state
from tests import ckan_compat, sync_support
from tests.fault_proxy import FaultProxy
from tests.lutsk_factories import dataset
from tests.peer import server

pytestmark = [
    pytest.mark.peer,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues"),
]


@pytest.fixture
def proxy(peer):
    running = FaultProxy(upstream_port=int(peer.url.rsplit(":", 1)[1]))
    yield running
    running.close()


@pytest.mark.parametrize(
    "faults",
    [
        ("reset",),
        ("close",),
        ("stall",),
        ("503",),
        ("502", "500"),
        ("lose_answer",),
    ],
    ids=["reset", "dropped", "timeout", "503", "502-then-500", "lost-answer"],
)
def test_each_fault_is_retried_and_the_dataset_lands_exactly_once(
    faults, proxy, peer, org, ckan_config, monkeypatch
):
    sync_support.configure(monkeypatch, ckan_config, proxy.url, peer.city_token, timeout=2, retries=3)
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("fault"))
    proxy.fail_next(*faults)
    outcome = publisher.publish_dataset(pkg["id"])
    assert proxy.applied == list(faults), "the fault really happened"
    # A lost answer to the create comes back as "name in use" and is adopted.
    assert outcome.action == ("adopted" if faults == ("lose_answer",) else "created")
    assert sync_support.peer_names(peer, pkg["name"]) == [pkg["name"]]
    assert sync_state.get(pkg["id"]).state == sync_state.IN_STEP


def test_persistent_5xx_fails_with_a_reason_and_the_next_run_recovers(
    proxy, peer, org, ckan_config, monkeypatch
):
    sync_support.configure(monkeypatch, ckan_config, proxy.url, peer.city_token, retries=2)
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("down"))
    proxy.fail_next("503", "503", "503")
    report = publisher.publish_many([pkg["id"]])
    [failed] = report.failed
    assert failed.error_kind in (publisher.REMOTE_ERROR, publisher.UNAVAILABLE)
    row = sync_state.get(pkg["id"])
    assert (row.state, row.attempts) == (sync_state.FAILED, 1)
    assert sync_state.is_national_copy_stale(pkg["id"])
    assert sync_support.peer_names(peer, pkg["name"]) == []

    # The job itself fails in RQ (so a worker's log shows it) with a plain message.
    proxy.fail_next("503", "503", "503")
    with pytest.raises(RuntimeError, match=r"data\.gov\.ua: remote_error"):
        publisher.publish_job(pkg["id"])

    report = publisher.publish_many([pkg["id"]])
    assert report.count("created") == 1
    assert sync_state.get(pkg["id"]).state == sync_state.IN_STEP


def test_the_peer_stops_mid_run_and_comes_back_every_dataset_once(peer, org, ckan_config, monkeypatch):
    # Back-off long enough to outlast a restart of the peer (~10 s): 0.25 × 2^n s, 8 tries.
    sync_support.configure(
        monkeypatch, ckan_config, peer.url, peer.city_token, retries=8, backoff_ms=250, timeout=30
    )
    # Local search is not used here (the publisher reads the database): create the 200
    # datasets without indexing them, which halves the time they take.
    prefix = sync_support.unique("outage")
    with ckan_compat.without_search_indexing():
        local = sync_support.datasets(org, 200, prefix)
    ids = [p["id"] for p in local]
    restarted = threading.Event()
    done = []

    def progress(_outcome):
        done.append(1)
        if len(done) == 70:
            server.stop(peer)  # the national portal goes away in the middle of the run
            threading.Thread(target=lambda: (server.restart(peer), restarted.set()), daemon=True).start()

    report = publisher.publish_many(ids, progress=progress)
    assert restarted.wait(120)
    assert not report.failed, [(o.error_kind, o.error_detail) for o in report.failed]
    assert report.count("created") + report.count("adopted") == 200

    names = sync_support.peer_names(peer, prefix)
    assert sorted(names) == sorted(p["name"] for p in local), "every dataset there exactly once"
    rows = sync_state.get_many(ids)
    assert len({r.remote_id for r in rows.values()}) == 200
    assert all(r.state == sync_state.IN_STEP for r in rows.values())

    again = publisher.publish_many(ids)
    assert again.count("unchanged") == 200
    assert again.writes == 0
    assert again.reads <= 2, "one search per hundred datasets"
