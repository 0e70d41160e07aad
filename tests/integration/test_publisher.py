"""The publisher against the real peer: every change of a public dataset reaches the
national copy, idempotently, through jobs in the real Redis queue."""

from __future__ import annotations

import threading
import time

import ckanapi
import pytest
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.tests.helpers import call_action

from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.model import sync_state
from tests import sync_support
from tests.lutsk_factories import dataset, site_user

pytestmark = [
    pytest.mark.peer,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues"),
]


def _patch(id_: str, **changes):
    return call_action("package_patch", context={"user": site_user()}, id=id_, **changes)


def _remote(peer, remote_id: str) -> dict:
    return peer.api(peer.admin_token).action.package_show(id=remote_id)


def test_a_new_dataset_reaches_the_peer_with_its_passport(publishing, org):
    pkg = dataset(
        owner_org=org["id"],
        name=sync_support.unique("pass"),
        tag_string="бюджет,об'єкти благоустрою,фінанси",
        maintainer="Олена Коваль",
        update_frequency="once a quarter",
    )
    outcome = publisher.publish_dataset(pkg["id"])
    assert outcome.action == "created"

    row = sync_state.get(pkg["id"])
    remote = _remote(publishing, row.remote_id)
    assert remote["name"] == pkg["name"]
    assert remote["organization"]["name"] == "finance-budget"
    assert not remote["private"]
    for key in ("update_frequency", "purpose_of_collecting_information", "language", "maintainer"):
        assert remote[key] == pkg[key]
    assert sorted(t["name"] for t in remote["tags"]) == ["бюджет", "обʼєкти благоустрою", "фінанси"]
    assert [r["url"] for r in remote["resources"]] == [r["url"] for r in pkg["resources"]]
    assert row.state == sync_state.IN_STEP
    assert row.remote_url == f"{publishing.url}/dataset/{pkg['name']}"
    assert row.remote_modified == remote["metadata_modified"]
    assert sync_state.national_status(pkg["id"]).state == sync_state.IN_STEP
    assert not sync_state.is_national_copy_stale(pkg["id"])


def test_nothing_changed_means_no_write_and_one_read(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("idem"))
    publisher.publish_dataset(pkg["id"])
    remote = publisher.Remote(publisher.PublishSettings.from_config())
    outcome = publisher.publish_dataset(pkg["id"], remote=remote)
    assert outcome.action == "unchanged"
    assert (remote.reads, remote.writes) == (1, 0)


def test_lifecycle_update_private_public_delete(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("life"))
    publisher.publish_dataset(pkg["id"])
    row = sync_state.get(pkg["id"])
    remote_id, first_resource = row.remote_id, _remote(publishing, row.remote_id)["resources"][0]["id"]

    # A local edit makes the national copy stale at once, and the push brings it in step.
    _patch(pkg["id"], title="Нова назва", resources=[*pkg["resources"], {"url": "https://x.ua/a.json"}])
    assert sync_state.is_national_copy_stale(pkg["id"])
    assert publisher.publish_dataset(pkg["id"]).action == "updated"
    remote = _remote(publishing, remote_id)
    assert remote["title"] == "Нова назва"
    assert [r["url"] for r in remote["resources"]] == [r["url"] for r in pkg["resources"]] + [
        "https://x.ua/a.json"
    ]
    assert remote["resources"][0]["id"] == first_resource, "national resources are kept, not replaced"

    _patch(pkg["id"], private=True)
    outcome = publisher.publish_dataset(pkg["id"])
    assert outcome.action == "withdrawn", outcome
    assert _remote(publishing, remote_id)["private"] is True
    assert sync_state.national_status(pkg["id"]).state == sync_state.PRIVATE
    assert not sync_state.is_national_copy_stale(pkg["id"])

    _patch(pkg["id"], private=False)
    assert sync_state.is_national_copy_stale(pkg["id"])
    assert publisher.publish_dataset(pkg["id"]).action == "updated"
    assert _remote(publishing, remote_id)["private"] is False

    call_action("package_delete", context={"user": site_user()}, id=pkg["id"])
    assert publisher.publish_dataset(pkg["id"]).action == "deleted"
    assert _remote(publishing, remote_id)["state"] == "deleted"
    assert sync_state.get(pkg["id"]).remote_id == remote_id, "the link survives for a restore"


def test_changed_or_deleted_on_the_national_portal_is_put_back(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("drift"))
    publisher.publish_dataset(pkg["id"])
    remote_id = sync_state.get(pkg["id"]).remote_id
    staff = publishing.api(publishing.admin_token)

    staff.action.package_patch(id=remote_id, title="Змінено на національному порталі", tag_string="інше")
    assert publisher.publish_dataset(pkg["id"]).action == "updated"
    assert _remote(publishing, remote_id)["title"] == pkg["title"]

    staff.action.package_delete(id=remote_id)
    report = publisher.publish_many([pkg["id"]])
    assert report.count("updated") == 1
    assert _remote(publishing, remote_id)["state"] == "active"


def test_a_copy_whose_create_answer_was_lost_is_adopted_not_duplicated(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("lost"))
    # The national portal made the copy but the answer never came back.
    made = publishing.api().action.package_create(
        **publisher.mapping.to_remote(pkg, owner_org="finance-budget")
    )
    assert publisher.publish_dataset(pkg["id"]).action == "adopted"
    assert sync_state.get(pkg["id"]).remote_id == made["id"]
    assert sync_support.peer_names(publishing, pkg["name"]) == [pkg["name"]]


def test_a_name_used_by_another_holder_fails_clearly(publishing, org):
    name = sync_support.unique("taken")
    other_org = next(o for o in publishing.organizations if o != "finance-budget")
    publishing.api().action.package_create(
        **publisher.mapping.to_remote(dataset_dict(name), owner_org=other_org)
    )
    pkg = dataset(owner_org=org["id"], name=name)
    outcome = publisher.publish_dataset(pkg["id"])
    assert outcome.action == "failed"
    assert outcome.error_kind == publisher.NAME_TAKEN
    status = call_action("lutsk_sync_status", id=pkg["id"])
    assert status["state"] == sync_state.FAILED
    assert name in status["error"]


def dataset_dict(name: str) -> dict:
    from tests.lutsk_factories import passport

    return {**passport(name=name), "tags": [{"name": "інше"}], "organization": {"name": "x"}}


def test_the_peer_rejects_one_dataset_the_others_go_on(publishing, org):
    prefix = sync_support.unique("rej")
    good = sync_support.datasets(org, 3, prefix)
    # Romanian is a language of our vocabulary but not of the national portal's.
    bad = dataset(owner_org=org["id"], name=f"{prefix}-bad", language="ro")
    report = publisher.publish_many([good[0]["id"], bad["id"], good[1]["id"], good[2]["id"]])
    assert report.count("created") == 3
    [failed] = report.failed
    assert failed.package_id == bad["id"]
    assert failed.error_kind == publisher.REJECTED
    assert "language" in failed.error_detail

    status = call_action("lutsk_sync_status", id=bad["id"])
    assert status["state"] == sync_state.FAILED
    assert "language:" in status["error"]
    assert sorted(sync_support.peer_names(publishing, prefix)) == [g["name"] for g in good]


@pytest.mark.usefixtures("with_test_worker")  # CKAN's worker without forking
def test_a_change_enqueues_a_job_in_the_real_queue_after_commit(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("job"))
    queued = publisher.queued_jobs()
    assert [j.id for j in queued] == [publisher.job_id(pkg["id"])]
    assert queued[0].func_name == "ckanext.lutsk.datagovua.publisher.publish_job"
    assert queued[0].args == [pkg["id"]] or list(queued[0].args) == [pkg["id"]]

    # A second change before the worker ran: the waiting job covers it.
    _patch(pkg["id"], title="Ще раз")
    assert len(publisher.queued_jobs()) == 1

    jobs.Worker([publisher.QUEUE]).work(burst=True)
    assert publisher.queued_jobs() == []
    row = sync_state.get(pkg["id"])
    assert row.state == sync_state.IN_STEP
    assert _remote(publishing, row.remote_id)["title"] == "Ще раз"


def test_private_datasets_never_pushed_enqueue_nothing(publishing, org):
    dataset(owner_org=org["id"], name=sync_support.unique("priv"), private=True)
    assert publisher.queued_jobs() == []


def test_nothing_is_enqueued_when_publishing_is_off(org):
    dataset(owner_org=org["id"])
    assert publisher.queued_jobs() == []


def test_a_second_worker_waits_for_the_datasets_lock(publishing, org):
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("lock"))
    cfg = publisher.PublishSettings.from_config()
    lock_name = f"ckanext-lutsk:{publisher.tk.config['ckan.site_id']}:datagovua-publish:{pkg['id']}"
    held = connect_to_redis().lock(lock_name, timeout=cfg.lock_timeout)
    assert held.acquire(blocking=False)

    outcomes = []
    worker = threading.Thread(target=lambda: outcomes.append(_publish_in_thread(pkg["id"])))
    worker.start()
    time.sleep(1.5)
    assert outcomes == [], "the push waits while another worker holds the dataset"
    assert sync_support.peer_names(publishing, pkg["name"]) == []
    held.release()
    worker.join(timeout=60)
    assert outcomes == ["created"]
    assert sync_support.peer_names(publishing, pkg["name"]) == [pkg["name"]]


def _publish_in_thread(package_id: str) -> str:
    # A thread has its own scoped database session; the app's config is global.
    from ckan import model

    try:
        return publisher.publish_dataset(package_id).action
    finally:
        model.Session.remove()


def test_remote_errors_keep_the_token_out(publishing, org):
    # Authorization errors are not retried and say what to check.
    pkg = dataset(owner_org=org["id"], name=sync_support.unique("auth"))
    with pytest.raises(publisher.PublishError) as err:
        remote = publisher.Remote(publisher.PublishSettings.from_config())
        remote.api.apikey = "not-a-token"
        remote.call("package_create", {"name": pkg["name"]}, write=True)
    assert err.value.kind == publisher.UNAUTHORIZED
    assert not isinstance(err.value, ckanapi.NotAuthorized)
