"""Issue 19: the data of tabular resources checked in the background (real Redis queue, real
PostgreSQL, Solr and Frictionless), the report on the resource page, the dataset's badge and
facet, the ICT report, the template CSV and the data package."""

from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import frictionless
import openpyxl
import pytest
from ckan.tests.helpers import call_action

from ckanext.lutsk.datacheck import jobs
from ckanext.lutsk.domain import datacheck
from ckanext.lutsk.model import data_check
from tests.lutsk_factories import dataset, site_user, staff

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")

GOOD = "programId,programTitle,validFrom\nP1,Освіта,2025-01-01\nP2,Культура,2025-02-01\n"
JSON_RES = {"url": "https://lutskrada.gov.ua/opendata/x.json", "format": "JSON", "name": "JSON"}


def _queued() -> list:
    return jobs.queued_jobs()


def _run_queued() -> list:
    """Run what the worker of ``lutsk_datacheck`` would (RQ's own perform)."""
    done = []
    while queued := _queued():
        job = queued[0]
        job.perform()
        job.delete()
        done.append(job)
    return done


def _upload(create_with_upload, pkg, data, filename, fmt, **kw):
    return create_with_upload(
        data,
        filename,
        package_id=pkg["id"],
        url="upload",
        format=fmt,
        name=filename,
        context={"user": site_user()},
        **kw,
    )


def _search(fq: str) -> list[str]:
    return [p["name"] for p in call_action("package_search", fq=fq, rows=100)["results"]]


def test_an_upload_is_checked_in_the_background_and_shown(app, org, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="programmes", annex835_row="L45", resources=[JSON_RES])
    _run_queued()
    res = _upload(create_with_upload, pkg, GOOD, "programmes.csv", "CSV")
    # The save only queued the check: nothing is stored yet.
    assert [j.id for j in _queued()] == [jobs.job_id(pkg["id"])]
    assert data_check.get(res["id"]) is None
    assert _search("lutsk_data_state:pending") == ["programmes"]
    waiting = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").body
    assert "lutsk-data-check-running" in waiting and "Перевіряється" in waiting

    _run_queued()
    row = data_check.get(res["id"])
    assert (row.status, row.schema_source, row.issue_count) == (datacheck.VALID, "recommended", 0)
    assert _search("lutsk_data_state:recommended") == ["programmes"]
    page = app.get(f"/dataset/{pkg['name']}").body
    assert "Структура відповідає рекомендованій" in page
    assert "programId" in page and "/lutsk/structures/L45/template.csv" in page
    search_page = app.get("/dataset/").body
    assert "Перевірка даних" in search_page

    # Saving again without a new file queues nothing new to check.
    call_action("package_patch", context={"user": site_user()}, id=pkg["id"], notes="Інший опис")
    assert jobs.to_check(call_action("package_show", id=pkg["id"])) == []


def test_a_cp1251_file_gets_a_ukrainian_report_with_row_and_column(app, org, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="budget-cp", resources=[JSON_RES])
    rows = "".join(f"Школа {i};{i}\n" for i in range(20))
    data = f"Назва;Сума\n{rows}Садок;дванадцять\n".encode("cp1251")
    res = _upload(create_with_upload, pkg, data, "budget.csv", "CSV")
    _run_queued()
    row = data_check.get(res["id"])
    assert row.status == datacheck.INVALID
    codes = [i.code for i in row.as_report().issues]
    assert codes == [datacheck.ENCODING_CP1251, "type-error"]
    assert row.as_report().issues[1].row == 22
    page = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").body
    assert "Windows-1251" in page and "CSV UTF-8" in page
    assert "дванадцять" in page  # the offending value, in its row
    assert 'class="lutsk-issue-type-error"' in page
    assert "Помилки у даних" in app.get(f"/dataset/{pkg['name']}").body
    assert _search("lutsk_data_state:errors") == ["budget-cp"]


@pytest.mark.parametrize(
    ("data", "filename", "fmt", "code"),
    [
        (b"", "empty.csv", "CSV", datacheck.EMPTY_FILE),
        (b"\x00\x01binary" * 200, "binary.csv", "CSV", datacheck.BINARY_FILE),
        (b"a,b\n1,2\n", "table.xlsx", "XLSX", datacheck.NOT_A_WORKBOOK),
    ],
)
def test_bad_files_get_a_report_never_a_500(app, org, create_with_upload, data, filename, fmt, code):
    pkg = dataset(owner_org=org["id"], name="bad-file", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, data, filename, fmt)
    _run_queued()
    row = data_check.get(res["id"])
    assert row.status == datacheck.INVALID
    assert [i.code for i in row.as_report().issues] == [code]
    response = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}")
    assert response.status_code == 200
    assert f'class="lutsk-issue-{code}"' in response.body


def test_merged_header_cells(app, org, create_with_upload):
    book = openpyxl.Workbook()
    book.active.append(["Програма", None, "Сума"])
    book.active.merge_cells("A1:B1")
    book.active.append(["P1", "A", 3])
    buf = io.BytesIO()
    book.save(buf)
    pkg = dataset(owner_org=org["id"], name="merged", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, buf.getvalue(), "merged.xlsx", "XLSX")
    _run_queued()
    issues = data_check.get(res["id"]).as_report().issues
    assert [(i.code, i.row, i.column, i.note) for i in issues] == [(datacheck.MERGED_HEADER, 1, 1, "A1:B1")]
    page = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").body
    assert "У рядку заголовків є об&#39;єднані клітинки." in page and "A1:B1" in page


def test_a_too_large_file_is_reported_with_the_limit(org, create_with_upload, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.datacheck_max_mb", 1)
    pkg = dataset(owner_org=org["id"], name="large", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, "a,b\n" + "1,2\n" * 300_000, "large.csv", "CSV")
    _run_queued()
    row = data_check.get(res["id"])
    assert row.status == datacheck.ERROR
    issue = row.as_report().issues[0]
    assert (issue.code, issue.note) == (datacheck.TOO_LARGE, str(1024 * 1024))


def test_a_changed_structure_runs_the_check_again(org, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="declared", resources=[JSON_RES])
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
    structure = _upload(
        create_with_upload, pkg, json.dumps(schema), "structure.json", "JSON", structure="true"
    )
    res = _upload(create_with_upload, pkg, "id,name\n1,a\n2,b\n", "data.csv", "CSV")
    _run_queued()
    row = data_check.get(res["id"])
    assert (row.status, row.schema_source) == (datacheck.VALID, "declared")

    schema["fields"][1]["type"] = "integer"
    schema["fields"].append({"name": "amount", "type": "number"})
    _upload(
        create_with_upload,
        pkg,
        json.dumps(schema),
        "structure.json",
        "JSON",
        structure="true",
        action="resource_update",
        id=structure["id"],
    )
    assert [j.id for j in _queued()] == [jobs.job_id(pkg["id"])]
    _run_queued()
    issues = data_check.get(res["id"]).as_report().issues
    assert {(i.code, i.label) for i in issues} == {
        ("type-error", "name"),
        (datacheck.MISSING_COLUMN, "amount"),
    }


def test_a_file_that_changes_while_being_checked(org, create_with_upload):
    pkg = dataset(owner_org=org["id"], name="moving", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, GOOD, "a.csv", "CSV")
    _run_queued()
    before = call_action("package_show", id=pkg["id"])
    old = next(r for r in before["resources"] if r["id"] == res["id"])
    old_fp = jobs.fingerprint(
        {**old, "last_modified": "2000-01-01T00:00:00"}, jobs.structure_fingerprint(before)
    )
    # The job read the old version (fingerprint old_fp), the file is now a newer one.
    status = jobs.check_resource(before, old, old_fp, None, None)
    assert status == datacheck.ERROR
    row = data_check.get(res["id"])
    assert [i.code for i in row.as_report().issues] == [datacheck.CHANGED_DURING_CHECK]
    assert _queued(), "the new version is queued for a check"
    _run_queued()
    assert data_check.get(res["id"]).status == datacheck.VALID


class _Files(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self):
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def file_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Files.files
    server.shutdown()
    server.server_close()


def test_links_are_fetched_and_loopback_is_refused(org, file_server, ckan_config, monkeypatch):
    base, files = file_server
    files["/p.csv"] = GOOD.encode()
    pkg = dataset(
        owner_org=org["id"],
        name="linked",
        annex835_row="L45",
        resources=[{"url": f"{base}/p.csv", "format": "CSV", "name": "p"}],
    )
    res = pkg["resources"][0]
    # Production: the worker never downloads from loopback or the internal network.
    _run_queued()
    issue = data_check.get(res["id"]).as_report().issues[0]
    assert issue.code == datacheck.REFUSED_ADDRESS

    monkeypatch.setitem(ckan_config, "ckanext.lutsk.datacheck_allow_private_urls", True)
    data_check.forget([res["id"]])
    jobs.check_package(pkg["id"])
    row = data_check.get(res["id"])
    assert (row.status, row.schema_source) == (datacheck.VALID, "recommended")


def test_ict_report_lists_errors_per_body_with_exports(app, org, create_with_upload):
    users = staff(sysadmin=True)
    pkg = dataset(owner_org=org["id"], name="with-errors", resources=[JSON_RES])
    res = _upload(create_with_upload, pkg, "a,a\n=1+1,2\n", "bad.csv", "CSV")
    _run_queued()
    assert app.get("/lutsk/data-checks", status=403)
    auth = {"Authorization": users["sysadmin"]["token"]}
    page = app.get("/lutsk/data-checks", headers=auth, status=200).body
    assert "with-errors" in page and res["id"] in page
    body = app.get("/lutsk/data-checks/export.csv", headers=auth).body
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1][2] == "with-errors"
    assert rows[1][6] == "1"
    xlsx = app.get("/lutsk/data-checks/export.xlsx", headers=auth)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.cell(2, 3).value == "with-errors"


def test_template_csv_and_datapackage(app, org, create_with_upload):
    template = app.get("/lutsk/structures/L45/template.csv")
    assert template.headers["Content-Type"].startswith("text/csv")
    assert template.data.startswith(b"\xef\xbb\xbf")
    assert template.data.decode("utf-8-sig").splitlines()[0] == "programId,programTitle,validFrom"
    assert app.get("/lutsk/structures/Z99/template.csv", status=404)
    listing = app.get("/lutsk/structures", status=200).body
    assert (
        "L45. Перелік цільових місцевих програм" in listing and "/lutsk/structures/A6/template.csv" in listing
    )
    # In the annex's order (A6 before A10, A rows before L rows), not the files' names.
    rows = ("A6", "A9", "A10", "L44", "L45")
    shown = [listing.index(f"/lutsk/structures/{row}/template.csv") for row in rows]
    assert shown == sorted(shown)

    pkg = dataset(owner_org=org["id"], name="packaged", annex835_row="L45", resources=[JSON_RES])
    _upload(create_with_upload, pkg, GOOD, "programmes.csv", "CSV")
    _run_queued()
    assert "/dataset/packaged/datapackage.json" in app.get("/dataset/packaged").body
    descriptor = json.loads(app.get(f"/dataset/{pkg['name']}/datapackage.json").body)
    assert descriptor["name"] == "packaged"
    assert descriptor["passport"]["purpose_of_collecting_information"]
    assert descriptor["licenses"][0]["name"] == "cc-by"
    tabular = [r for r in descriptor["resources"] if r["profile"] == "tabular-data-resource"]
    assert [f["name"] for f in tabular[0]["schema"]["fields"]] == ["programId", "programTitle", "validFrom"]
    # A valid Frictionless descriptor (metadata only: the paths are not opened).
    package = frictionless.Package.from_descriptor(descriptor)
    assert package.name == "packaged"
    assert app.get("/dataset/no-such/datapackage.json", status=404)


def test_coverage_and_completeness_count_data_errors(org, create_with_upload):
    from ckanext.lutsk.domain import annex835
    from ckanext.lutsk.oversight import service

    ok = dataset(owner_org=org["id"], name="rows-ok", annex835_row="L45", resources=[JSON_RES])
    bad = dataset(owner_org=org["id"], name="rows-bad", annex835_row="L44", resources=[JSON_RES])
    _upload(create_with_upload, ok, GOOD, "ok.csv", "CSV")
    _upload(create_with_upload, bad, b"a,a\n1,2\n", "bad.csv", "CSV")
    _run_queued()
    records = {r["name"]: r for r in service.load()}
    assert (records["rows-ok"]["data_state"], records["rows-bad"]["data_state"]) == ("valid", "errors")
    assert "machine_readable" in records["rows-bad"]["score"].failed
    assert "machine_readable" not in records["rows-ok"]["score"].failed
    cells = {(c.row.id, c.body): c.status for c in service.coverage_cells(list(records.values()))}
    assert cells[("L44", "finance-budget")] == annex835.DATA_ERRORS
    assert cells[("L45", "finance-budget")] == annex835.PUBLISHED


def test_the_deadline_reminder_names_the_data_errors(
    org, create_with_upload, ckan_config, monkeypatch, with_request_context
):
    from aiosmtpd.controller import Controller

    from ckanext.lutsk.deadlines import mail as deadline_mail
    from tests.integration.test_deadline_mail import SMTP_PORT, Inbox, body

    pkg = dataset(
        owner_org=org["id"],
        name="late-and-bad",
        update_frequency="once a month",
        maintainer_email="petro@lutskrada.gov.ua",
        date_published="2025-01-10T09:00:00",
        data_updated="2025-02-01T09:00:00",
        resources=[JSON_RES],
    )
    res = _upload(create_with_upload, pkg, "Назва;Сума\nШкола;1\n".encode("cp1251"), "bad.csv", "CSV")
    # A new file counts as an update: make the dataset late again.
    call_action(
        "package_patch", context={"user": site_user()}, id=pkg["id"], data_updated="2025-02-01T09:00:00"
    )
    _run_queued()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{SMTP_PORT}")
        deadline_mail.send_reminders()
    finally:
        controller.stop()
    text = body(inbox.take()["petro@lutskrada.gov.ua"])
    assert "Помилки у даних" in text
    assert f"/dataset/late-and-bad/resource/{res['id']}#data-check" in text


def test_cli_checks_or_queues(org, cli):
    from ckan.cli.cli import ckan

    # The CLI builds its own app from test.ini, so a link (refused: loopback) rather than an
    # upload under the test's temporary storage path.
    pkg = dataset(
        owner_org=org["id"],
        name="by-cli",
        resources=[{"url": "http://127.0.0.1:9/x.csv", "format": "CSV", "name": "x"}],
    )
    for job in _queued():
        job.delete()
    result = cli.invoke(ckan, ["lutsk", "datacheck", "by-cli"])
    assert result.exit_code == 0, result.output
    assert "checked 1 dataset(s); resources error: 1" in result.output
    issue = data_check.get(pkg["resources"][0]["id"]).as_report().issues[0]
    assert issue.code == datacheck.REFUSED_ADDRESS
    result = cli.invoke(ckan, ["lutsk", "datacheck", "by-cli"])
    assert "nothing changed" in result.output
    result = cli.invoke(ckan, ["lutsk", "datacheck", "--all", "--queue"])
    assert "queued 1 dataset(s)" in result.output, result.output
    assert [j.id for j in _queued()] == [jobs.job_id(pkg["id"])]
    assert cli.invoke(ckan, ["lutsk", "datacheck", "nope"]).exit_code != 0
