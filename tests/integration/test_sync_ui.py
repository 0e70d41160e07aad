"""The sync state where people see it: the dataset page (body editors and the ICT
department), "publish now" (POST, CSRF, editors of the body only), the ICT list of
national copies behind, and the token that never shows anywhere."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import socket
import uuid

import pytest
import requests
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action
from rq.job import Job

from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.model import sync_state
from tests import ckan_compat, sync_support
from tests.integration.test_publish_cli import write_ini
from tests.lutsk_factories import body_org, dataset, site_user

pytestmark = [
    pytest.mark.peer,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues"),
]


def _token(user: str) -> str:
    return call_action("api_token_create", context={"user": user}, user=user, name="t")["token"]


@pytest.fixture
def people():
    finance, education, ict = body_org("finance-budget"), body_org("education"), body_org("ict")
    users = {
        name: factories.User(name=f"{name}-{uuid.uuid4().hex[:6]}") for name in ("editor", "other", "ict")
    }
    for role, org in (("editor", finance), ("other", education), ("ict", ict)):
        call_action("organization_member_create", id=org["id"], username=users[role]["name"], role="editor")
    users["sysadmin"] = factories.Sysadmin()
    tokens = {role: {"Authorization": _token(u["name"])} for role, u in users.items()}
    return finance, users, tokens


def test_dataset_page_shows_the_national_copy_to_editors_and_ict_only(app, publishing, people):
    finance, _users, tokens = people
    pkg = dataset(owner_org=finance["id"], name=sync_support.unique("page"))
    url = f"/dataset/{pkg['name']}"

    before = app.get(url, headers=tokens["editor"]).body
    assert 'id="lutsk-datagovua-sync"' in before
    assert "lutsk-sync-missing" in before
    assert "Publish now" in before or "Оприлюднити зараз" in before

    publisher.publish_dataset(pkg["id"])
    page = app.get(url, headers=tokens["editor"]).body
    assert "lutsk-sync-in_step" in page
    assert f"{publishing.url}/dataset/{pkg['name']}" in page

    ict_page = app.get(url, headers=tokens["ict"]).body
    assert "lutsk-sync-in_step" in ict_page
    assert "/datagovua/publish" not in ict_page, "the ICT department sees, the body's editors publish"

    for who in ("other", None):
        page = app.get(url, headers=tokens[who] if who else {}).body
        assert 'id="lutsk-datagovua-sync"' not in page


def test_publish_now_queues_a_forced_push_for_the_bodys_editors_only(app, publishing, people):
    finance, _users, tokens = people
    pkg = dataset(owner_org=finance["id"], name=sync_support.unique("now"))
    publisher.publish_dataset(pkg["id"])
    url = f"/dataset/{pkg['name']}/datagovua/publish"

    jobs.get_queue(publisher.QUEUE).empty()  # the job the creation queued
    assert app.get(url, headers=tokens["editor"], status=404), "POST only"
    assert app.post(url, headers=tokens["other"], status=403)
    assert app.post(url, headers=tokens["ict"], status=403)
    assert publisher.queued_jobs() == []

    response = app.post(url, headers=tokens["editor"], follow_redirects=False)
    assert response.status_code == 302
    [job] = publisher.queued_jobs()
    assert job.kwargs == {"force": True}
    assert publisher.publish_job(*job.args, **job.kwargs) == "updated", "forced even though in step"


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_publish_now_is_refused_without_the_csrf_token(app, publishing, people):
    finance, users, _tokens = people
    pkg = dataset(owner_org=finance["id"], name=sync_support.unique("csrf"))
    publisher.publish_dataset(pkg["id"])
    # A browser session (not an API token, which CKAN exempts from CSRF checks).
    browser = ckan_compat.browser_login(app, users["editor"])
    page = app.get(f"/dataset/{pkg['name']}", extra_environ=browser).body
    form = page[page.index('action="/dataset/' + pkg["name"] + '/datagovua/publish"') :]
    assert re.match(r'[^<]*>\s*<input type="hidden" name="_csrf_token" value="[^"]+"', form), (
        "the form has the token"
    )
    url = f"/dataset/{pkg['name']}/datagovua/publish"
    jobs.get_queue(publisher.QUEUE).empty()

    for data in ({}, {"_csrf_token": "forged"}):
        response = app.post(url, data=data, extra_environ=browser, status=400)
        assert "CSRF" in response.body
    assert publisher.queued_jobs() == []


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


def test_publish_now_from_a_browser_session_with_csrf_on(tmp_path, publishing, people):
    """The success path with CSRF protection on, over real HTTP: log in with the form, press
    the button with the page's token. (CKAN's test client keeps no session cookie.)"""
    from tests import portal_server

    finance, _users, _tokens = people
    password = "Lutsk-csrf-2026"
    editor = factories.User(name=f"csrf-editor-{uuid.uuid4().hex[:6]}", password=password)
    call_action("organization_member_create", id=finance["id"], username=editor["name"], role="editor")
    pkg = dataset(owner_org=finance["id"], name=sync_support.unique("csrf-ok"))
    publisher.publish_dataset(pkg["id"])
    ini = write_ini(tmp_path, publishing.url, publishing.city_token, WTF_CSRF_ENABLED="true")
    slot = int(os.environ.get("LUTSK_TEST_SLOT") or 0)
    server = portal_server.start(ini=ini, port=portal_server.BASE_PORT + 20 + slot)
    try:
        browser = requests.Session()
        login = browser.get(f"{server.url}/user/login", timeout=30)
        response = browser.post(
            f"{server.url}/user/login",
            data={"login": editor["name"], "password": password, "_csrf_token": _csrf(login.text)},
            timeout=30,
        )
        assert response.ok and "/user/_logout" in response.text, "logged in"
        page = browser.get(f"{server.url}/dataset/{pkg['name']}", timeout=30).text
        jobs.get_queue(publisher.QUEUE).empty()

        url = f"{server.url}/dataset/{pkg['name']}/datagovua/publish"
        refused = browser.post(url, data={}, timeout=30, allow_redirects=False)
        assert refused.status_code == 400, "no token, no push"
        assert publisher.queued_jobs() == []
        response = browser.post(url, data={"_csrf_token": _csrf(page)}, timeout=30)
        assert response.ok
        assert response.url == f"{server.url}/dataset/{pkg['name']}"
        assert "Набір даних поставлено в чергу" in response.text or "queued for publishing" in response.text
    finally:
        server.stop()
    [job] = publisher.queued_jobs()
    assert job.kwargs == {"force": True}
    assert publisher.publish_job(*job.args, **job.kwargs) == "updated"


def test_ict_overview_lists_every_national_copy_behind(app, publishing, people):
    finance, _users, tokens = people
    prefix = sync_support.unique("behind")
    in_step = dataset(owner_org=finance["id"], name=f"{prefix}-ok")
    stale = dataset(owner_org=finance["id"], name=f"{prefix}-stale")
    rejected = dataset(owner_org=finance["id"], name=f"{prefix}-rej", language="ro")
    never = dataset(owner_org=finance["id"], name=f"{prefix}-never")
    publisher.publish_many([in_step["id"], stale["id"], rejected["id"]])
    call_action("package_patch", context={"user": site_user()}, id=stale["id"], notes="Оновлений опис")

    rows = call_action("lutsk_sync_behind", context={"user": _users_name(tokens, "ict")})
    states = {r["name"]: r["state"] for r in rows}
    assert states == {stale["name"]: "stale", rejected["name"]: "failed", never["name"]: "missing"}
    page = app.get("/lutsk/datagovua/behind", headers=tokens["ict"]).body
    for name in states:
        assert name in page
    assert in_step["name"] not in page
    assert "language" in page, "the national portal's reason is shown"
    assert "<td>Департамент фінансів та бюджету</td>" in page, "the body by title, not its slug"
    assert "<td>finance-budget</td>" not in page
    assert app.get("/lutsk/datagovua/behind", headers=tokens["editor"], status=403)
    # The same list as a spreadsheet (UTF-8 with BOM), for the ICT department only.
    export = app.get("/lutsk/datagovua/behind/export.csv", headers=tokens["ict"])
    assert export.headers["Content-Disposition"].startswith("attachment")
    body = export.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][:2] == ["Набір даних", "Ідентифікатор"]
    assert {row[1] for row in table[1:]} >= set(states)
    assert app.get("/lutsk/datagovua/behind/export.csv", headers=tokens["editor"], status=403)
    # The list's address before it moved under /lutsk/ still leads there.
    moved = app.get("/datagovua/behind?page=2", headers=tokens["ict"], status=302, follow_redirects=False)
    assert moved.headers["Location"].endswith("/lutsk/datagovua/behind?page=2")

    # The deadline report's hook.
    assert sync_state.is_national_copy_stale(stale["id"])
    assert not sync_state.is_national_copy_stale(in_step["id"])


def _users_name(tokens, role):
    from ckan.lib import api_token

    return api_token.get_user_from_token(tokens[role]["Authorization"]).name


def test_sync_status_api(app, publishing, people):
    finance, _users, tokens = people
    pkg = dataset(owner_org=finance["id"], name=sync_support.unique("api"))
    publisher.publish_dataset(pkg["id"])
    url = f"/api/3/action/lutsk_sync_status?id={pkg['id']}"
    result = app.get(url, headers=tokens["editor"]).json["result"]
    assert result["state"] == "in_step"
    assert result["remote_url"].endswith(pkg["name"])
    assert app.get(url, headers=tokens["other"], status=403)
    assert app.get(url, status=403)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.usefixtures("with_test_worker")
def test_the_token_never_leaks(app, peer, people, ckan_config, monkeypatch, caplog, cli, tmp_path):
    """A unique token; an unauthorized push and an unreachable portal; then every place
    it could show is searched: logs, the stored sync error, the job's stored exception
    (and everything RQ keeps in Redis), pages, API answers, RDF and CLI output."""
    finance, _users, tokens = people
    secret = f"lutsk-secret-{uuid.uuid4().hex}"
    caplog.set_level(logging.DEBUG)
    sync_support.configure(monkeypatch, ckan_config, peer.url, secret)

    pkg = dataset(owner_org=finance["id"], name=sync_support.unique("secret"))
    jobs.Worker([publisher.QUEUE]).work(burst=True)
    row = sync_state.get(pkg["id"])
    assert (row.state, row.error_kind) == (sync_state.FAILED, publisher.UNAUTHORIZED)

    # Unreachable: the job fails in RQ, which stores its exception and traceback.
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.datagovua.url", f"http://127.0.0.1:{_free_port()}")
    job = publisher.enqueue(pkg["id"], force=True)
    jobs.Worker([publisher.QUEUE]).work(burst=True)
    failed = Job.fetch(job.id, connection=connect_to_redis())
    assert failed.get_status() == "failed"
    assert "unavailable" in failed.exc_info

    seen = [failed.exc_info, caplog.text, *(str(r.args) for r in caplog.records)]
    redis = connect_to_redis()
    for key in redis.scan_iter("rq:*"):
        kind = redis.type(key)
        if kind == b"hash":
            seen.append(repr(redis.hgetall(key)))
        elif kind == b"string":
            seen.append(repr(redis.get(key)))
        elif kind == b"list":
            seen.append(repr(redis.lrange(key, 0, -1)))
    seen += [repr(r.as_dict()) for r in model.Session.query(sync_state.SyncRow)]
    for url in (
        f"/dataset/{pkg['name']}",
        "/lutsk/datagovua/behind",
        f"/api/3/action/lutsk_sync_status?id={pkg['id']}",
        f"/api/3/action/package_show?id={pkg['id']}",
        "/api/3/action/lutsk_sync_behind",
        "/api/3/action/status_show",
        f"/dataset/{pkg['name']}.ttl",
        f"/dataset/{pkg['name']}.jsonld",
        "/catalog.ttl",
    ):
        seen.append(app.get(url, headers=tokens["sysadmin"]).body)
    config_show = app.get(
        "/api/3/action/config_option_show?key=ckanext.lutsk.datagovua.token",
        headers=tokens["sysadmin"],
        status=409,  # not a runtime-editable option: never shown
    )
    seen.append(config_show.body)
    result = cli.invoke(ckan, ["-c", write_ini(tmp_path, peer.url, secret), "lutsk", "publish", "--all"])
    seen.append(result.output)
    assert "data.gov.ua refused access" in result.output or "відмовив" in result.output

    assert len(seen) > 10
    assert not [text for text in seen if secret in text]
