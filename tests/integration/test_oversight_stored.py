"""Stored oversight computations: the register, coverage, audit plan and a body's quality
are served from what the background job stored (never by reading every dataset in the
request), show when they were computed, and become stale when a dataset of the body
changes, which queues one refresh. Real PostgreSQL, Solr and Redis (RQ)."""

from __future__ import annotations

import csv
import gzip
import io

import openpyxl
import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib.redis import connect_to_redis
from ckan.tests.helpers import call_action
from rq.job import Job

from ckanext.lutsk.model import catalogue, computed
from ckanext.lutsk.oversight import stored
from tests.lutsk_factories import body_org, dataset, staff

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(scope="module")
def world(fresh_portal):
    econ, ict = body_org("economic-policy"), body_org("ict")
    users = staff(ict=(ict, "member"), econ=(econ, "editor"))
    first = dataset(owner_org=econ["id"], name="programmes", title="Цільові програми", annex835_row="L45")
    return {"users": users, "econ": econ, "first": first}


def _as(world, who):
    return {"Authorization": world["users"][who]["token"]}


def _stale(key: str) -> bool:
    meta = computed.meta(model.Session.connection(), key)
    model.Session.commit()
    assert meta is not None
    return meta.stale


class TestBeforeTheFirstRefresh:
    def test_pages_say_it_is_being_computed_and_the_register_asks_to_come_back(self, app, world):
        model.Session.execute(computed.COMPUTED.delete())
        model.Session.commit()
        page = app.get("/lutsk/coverage", headers=_as(world, "ict")).body
        assert "Показники обчислюються" in page
        resp = app.get("/lutsk/register.csv", status=503)
        assert resp.headers["Retry-After"] == "60"
        assert "Файл готується" in resp.body
        job = Job.fetch(stored.JOB_ID, connection=connect_to_redis())
        assert job.func_name.endswith("refresh_job"), "a refresh was queued"


class TestServedFromStorage:
    """Each request below runs with ``catalogue.load_records`` failing: only the job reads."""

    @pytest.fixture(autouse=True)
    def _refreshed(self, world):
        stored.refresh()

    def test_register_is_streamed_from_storage_for_anyone(self, app, world, monkeypatch):
        monkeypatch.setattr(catalogue, "load_records", _forbidden)
        monkeypatch.setattr(computed, "CHUNK", 64)  # several slices even for a small file
        slices = []
        real_stream = computed.stream
        monkeypatch.setattr(
            computed, "stream", lambda *a, **k: (slices.append(s) or s for s in real_stream(*a, **k))
        )
        resp = app.get("/lutsk/register.csv")
        table = list(csv.reader(io.StringIO(resp.body.lstrip("\ufeff"))))
        assert len(slices) > 1
        assert table[0][0] == "identifier" and [r[0] for r in table[1:]] == ["programmes"]
        assert int(resp.headers["Content-Length"]) == len(resp.body.encode("utf-8"))
        assert "Accept-Encoding" in resp.headers["Vary"] and "Content-Encoding" not in resp.headers
        xlsx = app.get("/lutsk/register.xlsx")
        assert xlsx.data[:2] == b"PK"

    def test_register_csv_is_stored_compressed_and_sent_so_to_who_accepts_gzip(self, app, world, monkeypatch):
        # 36 MB of text at 100,000 datasets: handing that out of the database took the
        # request past its time; compressed, it is a tenth.
        monkeypatch.setattr(catalogue, "load_records", _forbidden)
        plain = app.get("/lutsk/register.csv").data
        got = computed.get(model.Session.connection(), stored.REGISTER["csv"])
        model.Session.commit()
        assert got is not None and gzip.decompress(got[1]) == plain
        resp = app.get("/lutsk/register.csv", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert resp.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in resp.headers["Vary"]
        assert int(resp.headers["Content-Length"]) == len(resp.data) == len(got[1])
        assert gzip.decompress(resp.data) == plain
        refused = app.get("/lutsk/register.csv", headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert "Content-Encoding" not in refused.headers and refused.data == plain

    def test_pages_show_when_they_were_computed(self, app, world, monkeypatch):
        monkeypatch.setattr(catalogue, "load_records", _forbidden)
        headers = _as(world, "ict")
        pages = (
            "/lutsk/coverage",
            "/organization/economic-policy/quality",
            "/organization/ict/quality",  # a body without datasets: computed, empty
            "/lutsk/audit-plan?year=2027",
        )
        for url in pages:
            page = app.get(url, headers=headers).body
            assert "Обчислено" in page and "за київським часом" in page, url
        assert "Цільові програми" in app.get("/organization/economic-policy/quality", headers=headers).body
        app.get("/lutsk/coverage/export.csv", headers=headers)
        app.get("/lutsk/audit-plan/export.xlsx?year=2027", headers=headers)

    def test_a_change_marks_the_body_stale_and_queues_one_refresh(self, app, world, monkeypatch):
        connect_to_redis().delete(f"rq:job:{stored.JOB_ID}")
        assert not _stale("quality:economic-policy") and not _stale(stored.REGISTER["csv"])
        call_action(
            "package_patch",
            context={"ignore_auth": True, "user": world["users"]["econ"]["name"]},
            id=world["first"]["id"],
            title="Цільові програми міста",
        )
        for key in ("quality:economic-policy", "coverage", "facts", *stored.REGISTER.values()):
            assert _stale(key), key
        job = Job.fetch(stored.JOB_ID, connection=connect_to_redis())
        assert job.get_status() == "queued"
        monkeypatch.setattr(catalogue, "load_records", _forbidden)
        page = app.get("/organization/economic-policy/quality", headers=_as(world, "econ")).body
        assert "обчислюються наново" in page
        assert "Цільові програми міста" not in page, "the stored value until the job has run"
        monkeypatch.undo()
        job.perform()  # what `ckan jobs worker` does
        assert not _stale("quality:economic-policy")
        page = app.get("/organization/economic-policy/quality", headers=_as(world, "econ")).body
        assert "Цільові програми міста" in page and "обчислюються наново" not in page

    def test_quality_list_is_paged(self, app, world, monkeypatch):
        from ckanext.lutsk.views import oversight as views

        dataset(owner_org=world["econ"]["id"], name="second", title="Другий")
        stored.refresh()
        monkeypatch.setattr(views, "QUALITY_PAGE_ROWS", 1)
        headers = _as(world, "ict")
        first = app.get("/organization/economic-policy/quality", headers=headers).body
        second = app.get("/organization/economic-policy/quality?page=2", headers=headers).body
        assert ("Другий" in first) != ("Другий" in second)
        assert "page=2" in first

    def test_the_cli_refreshes_and_plans_from_storage(self, cli, world, tmp_path):
        out = cli.invoke(ckan, ["lutsk", "oversight", "refresh"])
        assert out.exit_code == 0, out.output
        assert "in the register" in out.output
        target = tmp_path / "plan.xlsx"
        out = cli.invoke(ckan, ["lutsk", "audit-plan", "--year", "2027", "--output", str(target)])
        assert out.exit_code == 0, out.output
        assert target.read_bytes()[:2] == b"PK"

    def test_the_cli_after_a_change_recomputes_only_what_the_plan_reads(self, cli, world, tmp_path):
        # At 100,000 datasets a whole refresh before the plan took the CLI past 30 s; the
        # register files and the quality lists are the background job's.
        call_action(
            "package_patch",
            context={"ignore_auth": True, "user": world["users"]["econ"]["name"]},
            id=world["first"]["id"],
            notes="Змінений опис",
        )
        assert _stale("facts") and _stale(stored.REGISTER["csv"])
        target = tmp_path / "plan.xlsx"
        out = cli.invoke(ckan, ["lutsk", "audit-plan", "--year", "2027", "--output", str(target)])
        assert out.exit_code == 0, out.output
        assert not _stale("facts") and not _stale("coverage"), "the plan's figures are current"
        assert _stale(stored.REGISTER["csv"]) and _stale("quality:economic-policy"), "left to the job"

    def test_the_refresh_never_holds_the_whole_register(self, app, world, monkeypatch):
        # At 100,000 datasets the register's rows, its CSV text and its workbook held at once
        # took the refresh to 749 MB: the rows now wait in per-body files, merged as written.
        from ckanext.lutsk.domain import dataset_register

        dataset(owner_org=body_org("finance-budget")["id"], name="a-budget", title="Бюджет")
        dataset(owner_org=world["econ"]["id"], name="zz-plan", title="План")
        given = []
        real_to_xlsx = dataset_register.to_xlsx

        def to_xlsx(rows, *args, **kwargs):
            given.append(rows)
            return real_to_xlsx(rows, *args, **kwargs)

        monkeypatch.setattr(dataset_register, "to_xlsx", to_xlsx)
        stored.refresh()
        assert len(given) == 1 and not isinstance(given[0], list | tuple), "rows streamed, not a list"
        table = list(csv.reader(io.StringIO(app.get("/lutsk/register.csv").body.lstrip("\ufeff"))))
        names = [r[0] for r in table[1:]]
        assert names[0] == "a-budget" and names[-1] == "zz-plan", "one order across bodies"
        assert names == sorted(names) and "programmes" in names
        sheet = openpyxl.load_workbook(io.BytesIO(app.get("/lutsk/register.xlsx").data)).worksheets[0]
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == names


def _forbidden(*args, **kwargs):
    raise AssertionError("a request read every dataset (catalogue.load_records)")


class TestRefreshReadsTheCatalogueOnce:
    def test_every_body_in_four_streamed_queries_not_four_per_body(self, world, monkeypatch):
        # At 100,000 datasets and 40 bodies the 160 queries of a refresh body by body took
        # the database minutes; the records are the same.
        dataset(owner_org=world["econ"]["id"], name="tagged", tag_string="бюджет,аудит", private=True)
        conn = model.Session.connection()
        expected = {}
        for body in ("economic-policy", "finance-budget"):
            expected[body] = sorted(catalogue.load_records(conn, body=body), key=lambda r: r["id"])
        got = {b: sorted(records, key=lambda r: r["id"]) for b, records in catalogue.records_by_body(conn)}
        model.Session.commit()
        assert list(got) == sorted(got), "bodies in name order"
        for body, records in expected.items():
            assert got.get(body, []) == records, body
        econ = got["economic-policy"]
        assert any(r["tags"] for r in econ) and any(r["resources"] for r in econ)
        monkeypatch.setattr(catalogue, "load_records", _forbidden)
        counts = stored.refresh()
        assert counts["datasets"] == sum(len(r) for r in got.values())

