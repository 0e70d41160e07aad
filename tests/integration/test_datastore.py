"""Issue 19, item 4: tabular uploads loaded into CKAN's DataStore by ckanext-xloader (the job
run for real, against the live test portal over HTTP), queryable through datastore_search and
datastore_search_sql with the DataStore's read-only database role, previewed with
datatables_view; a new file version replaces the table. The data check (datacheck) runs
beside it on its own queue."""

# ruff: noqa: S608 - the SQL is the test's own; the table names are resource ids

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from ckanext.lutsk.datacheck import jobs as datacheck_jobs
from ckanext.lutsk.domain import datacheck
from ckanext.lutsk.model import data_check
from tests import xloader_support
from tests.lutsk_factories import dataset, site_user

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")

JSON_RES = {"url": "https://lutskrada.gov.ua/opendata/x.json", "format": "JSON", "name": "JSON"}
SCHOOLS = [
    ("Луцький ліцей № 1", "Центральний", "1250"),
    ("Гімназія № 4 імені Модеста Левицького", "Привокзальний", "830"),
    ("Луцька загальноосвітня школа № 19", "Вересневе", "640"),
    ("Ліцей № 21 імені Михайла Кравчука", "Гнідава", "915"),
    ("Навчально-виховний комплекс «Гармонія»", "Завокзальний", "402"),
]
CSV_TEXT = "Назва закладу,Район,Кількість учнів\n" + "".join(f'"{n}",{d},{c}\n' for n, d, c in SCHOOLS)


@pytest.fixture
def xloader(create_with_upload, portal_server, ckan_config, monkeypatch):
    return xloader_support.enable(monkeypatch, ckan_config, portal_server.url)


def _upload(create_with_upload, pkg, data, filename, **kw):
    return create_with_upload(
        data, filename, package_id=pkg["id"], url="upload", format="CSV", name=filename,
        context={"user": site_user()}, **kw,
    )  # fmt: skip


def _records(resource_id: str) -> tuple[list[str], list[dict]]:
    found = call_action("datastore_search", resource_id=resource_id, limit=100, sort="_id")
    return [f["id"] for f in found["fields"]], found["records"]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_an_upload_is_loaded_searchable_and_previewed(app, org, xloader, create_with_upload, encoding):
    pkg = dataset(owner_org=org["id"], name=f"schools-{encoding}", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, CSV_TEXT.encode(encoding), "schools.csv")
    # The save queued the load on the jobs worker's queue; nothing is loaded yet.
    assert len(xloader_support.queued()) == 1
    assert not call_action("resource_show", id=res["id"]).get("datastore_active")

    # (xloader's own hash update may queue one more run, which finds the hash unchanged.)
    assert xloader_support.run_queued() >= 1
    assert xloader_support.queued() == []
    shown = call_action("resource_show", id=res["id"])
    assert shown["datastore_active"] is True
    fields, records = _records(res["id"])
    assert fields == ["_id", "Назва закладу", "Район", "Кількість учнів"]
    assert [(r["Назва закладу"], r["Район"], r["Кількість учнів"]) for r in records] == SCHOOLS
    # xloader reported back to the portal over HTTP: its status is stored, the preview exists.
    status = call_action("xloader_status", context={"user": site_user()}, resource_id=res["id"])
    assert status["status"] == "complete", status
    views = call_action("resource_view_list", id=res["id"])
    assert [v["view_type"] for v in views] == ["datatables_view"]
    page = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").body
    assert "datatables_view" in page or "datatablesview" in page

    # The DataStore API over HTTP, as a resident's program calls it.
    url = f"{tk.config['ckanext.xloader.site_url']}/api/3/action/datastore_search"
    got = requests.get(url, params={"resource_id": res["id"], "q": "Гармонія"}, timeout=30).json()
    assert [r["Назва закладу"] for r in got["result"]["records"]] == [SCHOOLS[4][0]]


def test_search_sql_reads_with_the_read_only_role_and_cannot_write(org, xloader, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="schools-sql", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, CSV_TEXT, "schools.csv")
    xloader_support.run_queued()
    table = res["id"]

    found = call_action(
        "datastore_search_sql",
        sql=f'SELECT "Назва закладу" FROM "{table}" WHERE "Район" = \'Гнідава\'',
    )
    assert [r["Назва закладу"] for r in found["records"]] == ["Ліцей № 21 імені Михайла Кравчука"]
    # Over HTTP, with GET as CKAN documents it.
    url = f"{tk.config['ckanext.xloader.site_url']}/api/3/action/datastore_search_sql"
    got = requests.get(url, params={"sql": f'SELECT count(*) AS n FROM "{table}"'}, timeout=30).json()
    assert got["result"]["records"] == [{"n": len(SCHOOLS)}], got

    # A write through the API (over HTTP, as anyone sends it) is refused with a clear error,
    # never a 500, and the table is unchanged.
    url = f"{tk.config['ckanext.xloader.site_url']}/api/3/action/datastore_search_sql"
    for sql in (
        f'DELETE FROM "{table}"',
        f'WITH gone AS (DELETE FROM "{table}" RETURNING *) SELECT * FROM gone',
        f'SELECT 1; DROP TABLE "{table}"',
        f'UPDATE "{table}" SET "Район" = \'x\'',
    ):
        got = requests.post(url, json={"sql": sql}, timeout=30)
        assert got.status_code in (400, 403, 409), (sql, got.status_code, got.text[:300])
        assert got.json()["success"] is False
    assert len(_records(table)[1]) == len(SCHOOLS)

    # What stands behind it: the API reads as datastore_ro, a role that cannot write.
    read_url = sa.engine.make_url(tk.config["ckan.datastore.read_url"])
    assert read_url.username == "datastore_ro"
    assert sa.engine.make_url(tk.config["ckan.datastore.write_url"]).username != "datastore_ro"
    engine = sa.create_engine(tk.config["ckan.datastore.read_url"])
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar() == len(SCHOOLS)
        for statement in (
            f'DELETE FROM "{table}"',
            f'INSERT INTO "{table}" ("Район") VALUES (\'x\')',
            "CREATE TABLE lutsk_probe (a int)",
        ):
            with engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def test_a_new_file_version_replaces_the_table(org, xloader, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="schools-v2", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, CSV_TEXT, "schools.csv")
    xloader_support.run_queued()
    assert len(_records(res["id"])[1]) == len(SCHOOLS)

    second = "Назва закладу,Рік заснування\nЛіцей № 27,1989\nГімназія № 18,2001\n"
    _upload(create_with_upload, pkg, second, "schools.csv", action="resource_update", id=res["id"])
    assert len(xloader_support.queued()) == 1
    xloader_support.run_queued()
    fields, records = _records(res["id"])
    assert fields == ["_id", "Назва закладу", "Рік заснування"]
    # (A changed structure may be loaded by xloader's second path, tabulator, which types
    # the columns: on CKAN 2.11 the years are integers, on 2.12 text.)
    assert [(r["Назва закладу"], str(r["Рік заснування"])) for r in records] == [
        ("Ліцей № 27", "1989"),
        ("Гімназія № 18", "2001"),
    ]


def test_xloader_and_the_data_check_both_run_and_neither_blocks_the_save(org, xloader, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="schools-both", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, CSV_TEXT.encode("cp1251"), "schools.csv")
    # The save returned with both jobs waiting, each on its own queue.
    assert len(xloader_support.queued()) == 1
    assert [j.id for j in datacheck_jobs.queued_jobs()] == [datacheck_jobs.job_id(pkg["id"])]
    assert data_check.get(res["id"]) is None

    xloader_support.run_queued()
    while waiting := datacheck_jobs.queued_jobs():
        waiting[0].perform()
        waiting[0].delete()
    # The data check still reports the cp1251 file; xloader loaded it as text all the same.
    row = data_check.get(res["id"])
    assert row is not None and row.status == datacheck.INVALID
    assert datacheck.ENCODING_CP1251 in [i.code for i in row.as_report().issues]
    assert len(_records(res["id"])[1]) == len(SCHOOLS)


def test_the_xloader_token_file_is_written_once_and_read_at_start_up(tmp_path, ckan_config, monkeypatch):
    from ckan.lib import api_token

    from ckanext.lutsk.datacheck import datastore

    path = tmp_path / "xloader-token"
    assert datastore.write_token_file(str(path)) is True
    token = path.read_text().strip()
    assert path.stat().st_mode & 0o777 == 0o600
    user = api_token.get_user_from_token(token, update_access_time=False)
    assert user is not None and user.name == site_user() and user.sysadmin
    # Still valid: kept. Revoked (or the database reset): replaced.
    assert datastore.write_token_file(str(path)) is False
    call_action("api_token_revoke", context={"user": site_user(), "ignore_auth": True}, token=token)
    assert datastore.write_token_file(str(path)) is True
    assert path.read_text().strip() != token

    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", "NOT_SET")
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.xloader_token_file", str(path))
    datastore.token_from_file()
    assert tk.config["ckanext.xloader.api_token"] == path.read_text().strip()
    # A token set in the ini wins over the file.
    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", "from-the-ini")
    datastore.token_from_file()
    assert tk.config["ckanext.xloader.api_token"] == "from-the-ini"
