"""The ICT department's oversight through CKAN: the annex-835 passport field, the coverage
matrix, the audit plan (page, files, CLI), a body's passport quality, the public
timeliness page with its Atom feed, and the register. Real PostgreSQL and Solr."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import ckan.plugins.toolkit as tk
import openpyxl
import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests.helpers import call_action
from docx import Document
from lxml import etree

from ckanext.lutsk import config
from ckanext.lutsk.domain import workdays
from ckanext.lutsk.model import history
from ckanext.lutsk.oversight import service as oversight
from ckanext.lutsk.oversight import stored as oversight_stored
from tests.lutsk_factories import body_org, dataset, passport, site_user, staff

T = workdays.kyiv_today()
ATOM = "{http://www.w3.org/2005/Atom}"


def _dt(days_ago: int) -> str:
    return f"{(T - timedelta(days=days_ago)).isoformat()}T10:00:00"


@pytest.fixture(scope="module")
def world(fresh_portal):
    econ, fin, ict = body_org("economic-policy"), body_org("finance-budget"), body_org("ict")
    users = staff(ict=(ict, "member"), econ=(econ, "editor"), nobody=None)
    old = {"date_published": _dt(400)}
    dataset(
        owner_org=econ["id"],
        name="programmes",
        title="Цільові програми",
        annex835_row="l45",
        update_frequency="once a year",
        data_updated=_dt(2),
        **old,
    )
    dataset(owner_org=econ["id"], name="programmes-draft", private=True, annex835_row="L2", **old)
    dataset(
        owner_org=fin["id"],
        name="budget",
        title="Бюджет",
        annex835_row="L31",
        title_en="",
        notes_en="",
        data_updated=_dt(100),
        **old,
    )
    # Two earlier days of history, then today's snapshot from the catalogue.
    conn = model.Session.connection()
    for days_ago, state in ((2, "on_time"), (1, "overdue_frequency")):
        history.snapshot(
            conn,
            T - timedelta(days=days_ago),
            [("x-" + b, b, state) for b in ("economic-policy", "finance-budget")],
        )
    model.Session.commit()
    oversight.take_snapshot()
    # What the background job does after those changes (pages serve what it stored).
    oversight_stored.refresh()
    return {"users": users}


pytestmark = pytest.mark.usefixtures("with_plugins")


def _as(world, who):
    return {"Authorization": world["users"][who]["token"]} if who else {}


@pytest.mark.usefixtures("with_request_context")
class TestAnnexField:
    def test_row_is_normalised_and_shown(self, world):
        shown = call_action("package_show", id="programmes")
        assert shown["annex835_row"] == "L45"

    @pytest.mark.parametrize("value", ["Z9", "A4"])
    def test_unknown_or_not_applicable_row_is_refused_in_ukrainian(self, world, value):
        with pytest.raises(tk.ValidationError) as err:
            call_action(
                "package_create",
                context={"user": site_user()},
                **passport(name=f"bad-row-{value.lower()}", owner_org="economic-policy", annex835_row=value),
            )
        assert err.value.error_dict["annex835_row"] == [
            f"«{value}» не є рядком переліку постанови № 835, що стосується міської ради."
        ]
        with pytest.raises(tk.ObjectNotFound):
            call_action("package_show", id=f"bad-row-{value.lower()}")


class TestCoverage:
    def test_only_the_ict_department_sees_the_matrix(self, app, world):
        for who in (None, "econ", "nobody"):
            app.get("/lutsk/coverage", headers=_as(world, who), status=403)
        page = app.get("/lutsk/coverage", headers=_as(world, "ict")).body
        assert "Обов'язкові набори даних за постановою № 835" in page
        assert "Перелік цільових місцевих програм" in page
        assert "/dataset/programmes" in page

    def test_filters_and_exports(self, app, world):
        headers = _as(world, "ict")
        page = app.get("/lutsk/coverage?body=economic-policy&status=not_public", headers=headers).body
        assert "programmes-draft" in page and "/dataset/budget" not in page
        resp = app.get("/lutsk/coverage/export.csv", headers=headers)
        assert resp.headers["Content-Type"].startswith("text/csv")
        rows = {(r[0], r[4]): r for r in csv.reader(io.StringIO(resp.body))}
        assert rows[("L45", "economic-policy")][5] == "оприлюднено"
        assert rows[("L2", "economic-policy")][5] == "не оприлюднено (чернетка)"
        assert rows[("L31", "finance-budget")][5] == "із запізненням"
        assert rows[("L1", "economic-policy")][5] == "відсутній"
        xlsx = app.get("/lutsk/coverage/export.xlsx", headers=headers)
        wb = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))
        assert wb.active.title == "Покриття"
        app.get("/lutsk/coverage/export.pdf", headers=headers, status=404)

    def test_a_broken_annex_file_is_not_applied(self, app, world, tmp_path, ckan_config, monkeypatch):
        bad = tmp_path / "annex.yaml"
        bad.write_text("sections: {}\nrows:\n  - id: L45\n    bodies: [economic-policy\n", encoding="utf-8")
        monkeypatch.setitem(ckan_config, "ckanext.lutsk.annex835_file", str(bad))
        config.reload()
        try:
            assert config.annex().get("L45").bodies == ("economic-policy",), (
                "the packaged file stays in use"
            )
            assert "line 5" in str(config.annex_error())
            page = app.get("/lutsk/coverage", headers=_as(world, "ict")).body
            assert "Файл переліку має помилки й не застосований" in page
            assert "not valid YAML" in page
        finally:
            config.reload()


class TestAuditPlan:
    def test_bad_parameters_are_named_in_ukrainian(self, app, world):
        page = app.get(
            "/lutsk/audit-plan?year=2027&deadline=2027-13-40&per_day=0", headers=_as(world, "ict")
        ).body
        assert "План не складено" in page
        assert "Аудити до: «2027-13-40» не є датою у форматі РРРР-ММ-ДД." in page
        assert "Аудитів на день: «0» не є цілим числом від 1 до 10." in page
        assert page.count('aria-invalid="true"') == 2, "the two bad fields are marked"
        resp = app.get(
            "/lutsk/audit-plan/export.xlsx?year=2027&deadline=2027-01-05",
            headers=_as(world, "ict"),
            status=400,
        )
        assert "2027-01-05 раніше за перший день аудитів, 2027-02-01." in resp.body

    def test_plan_page_and_files(self, app, world):
        headers = _as(world, "ict")
        app.get("/lutsk/audit-plan", headers=_as(world, "econ"), status=403)
        page = app.get("/lutsk/audit-plan?year=2027&deadline=2027-11-30", headers=headers).body
        assert "План на 2027 рік" in page
        assert "Департамент фінансів та бюджету" in page and "01.02.2027" in page
        assert "/lutsk/audit-plan/export.docx?" in page
        xlsx = app.get("/lutsk/audit-plan/export.xlsx?year=2027&deadline=2027-11-30", headers=headers)
        assert 'filename="audit-plan-2027.xlsx"' in xlsx.headers["Content-Disposition"]
        wb = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()))
        bodies = {r[0]: r for r in wb["Органи"].iter_rows(min_row=2, values_only=True)}
        fin = bodies["Департамент фінансів та бюджету"]
        assert fin[1:4] == (1, 1, 0), "datasets, public, drafts"
        assert fin[6] == 0.0, "its only dataset is overdue now"
        assert fin[7] == round(100 * 1 / 3, 1), "on time one of the three snapshot days"
        docx = app.get("/lutsk/audit-plan/export.docx?year=2027", headers=headers)
        doc = Document(io.BytesIO(docx.get_data()))
        assert "на 2027 рік" in doc.paragraphs[0].text

    def test_cli_writes_the_file_only_when_the_parameters_are_valid(self, cli, world, tmp_path):
        target = tmp_path / "plan.docx"
        args = ["lutsk", "audit-plan", "--year", "2027", "--format", "docx", "--output", str(target)]
        bad = cli.invoke(ckan, [*args, "--deadline", "2027-02-02"])
        assert bad.exit_code != 0
        assert "--deadline:" in bad.output and "need" in bad.output
        assert not target.exists() and list(tmp_path.iterdir()) == [], "nothing written"
        bad = cli.invoke(
            ckan, ["lutsk", "audit-plan", "--year", "1999", "--per-day", "x", "--output", str(target)]
        )
        assert "--year: “1999” is not a year" in bad.output and "--per-day:" in bad.output
        ok = cli.invoke(ckan, args)
        assert ok.exit_code == 0, ok.output
        assert f"Wrote {target}" in ok.output
        assert Document(str(target)).tables[0].rows[0].cells[0].text == "№"
        assert [p.name for p in tmp_path.iterdir()] == ["plan.docx"], "no temporary file left"


class TestBodyQuality:
    def test_body_staff_and_ict_see_the_quality_page(self, app, world):
        page = app.get("/organization/economic-policy/quality", headers=_as(world, "econ")).body
        assert "Якість паспортів" in page and "Цільові програми" in page
        assert "/dataset/budget" not in page, "only the body's own datasets"
        assert "Перелік цільових місцевих програм" in page
        app.get("/organization/finance-budget/quality", headers=_as(world, "econ"), status=403)
        page = app.get("/organization/finance-budget/quality", headers=_as(world, "ict")).body
        assert "Назва англійською" in page, "the missing English title is named"
        app.get("/organization/no-such-body/quality", headers=_as(world, "ict"), status=404)

    def test_dataset_page_shows_the_score_to_its_editors_only(self, app, world):
        editor = app.get("/dataset/programmes", headers=_as(world, "econ")).body
        assert "Повнота паспорта" in editor
        public = app.get("/dataset/programmes").body
        assert "Повнота паспорта" not in public
        assert "Обов'язковий за постановою № 835" in public and "L45." in public


class TestPublic:
    def test_timeliness_page_with_chart_and_recent_updates(self, app, world):
        page = app.get("/lutsk/timeliness").body
        assert "Наскільки актуальні відкриті дані Луцька" in page
        assert "<svg" in page and "<polyline" in page
        assert "Департамент економічної політики" in page
        assert page.index("/dataset/programmes") < page.index("/dataset/budget"), "newest update first"
        assert "programmes-draft" not in page
        assert 'type="application/atom+xml"' in page

    def test_atom_feed(self, app, world):
        resp = app.get("/lutsk/timeliness/updates.atom")
        assert resp.headers["Content-Type"].startswith("application/atom+xml")
        feed = etree.fromstring(resp.get_data())
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == ["Цільові програми", "Бюджет"]
        link = entries[0].find(f"{ATOM}link").get("href")
        assert link.endswith("/dataset/programmes")
        assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Департамент економічної політики"

    def test_register_export(self, app, world):
        resp = app.get("/lutsk/register.csv")
        table = list(csv.reader(io.StringIO(resp.body.removeprefix("\ufeff"))))
        assert table[0][:4] == ["identifier", "title", "description", "accrualPeriodicity"]
        assert {r[0] for r in table[1:]} == {"programmes", "budget"}
        assert next(r for r in table if r[0] == "programmes")[3] == "Щороку"
        app.get("/lutsk/register.exe", status=404)

    def test_register_cli_with_previous_and_errors(self, cli, world, tmp_path):
        previous = tmp_path / "2025.csv"
        previous.write_text("identifier,title\nbudget,Бюджет\nold,Старий\nold,Двічі\n", encoding="utf-8")
        out = tmp_path / "register.csv"
        args = ["lutsk", "register", "export", "--previous", str(previous), "--output", str(out)]
        bad = cli.invoke(ckan, args)
        assert bad.exit_code != 0 and "line 4: identifier 'old' repeats line 3" in bad.output
        assert not out.exists()
        previous.write_text("identifier,title\nbudget,Бюджет\nold,Старий\n", encoding="utf-8")
        ok = cli.invoke(ckan, args)
        assert ok.exit_code == 0, ok.output
        assert "1 added, 1 removed, 1 changed" in ok.output
        changes = (tmp_path / "register-changes.csv").read_text(encoding="utf-8")
        assert "added,programmes" in changes and "removed,old" in changes

    def test_history_snapshot_reads_the_passport_fields_not_whole_datasets(self, world, monkeypatch):
        # At 100,000 datasets reading every dataset whole took the daily snapshot 68 s.
        from ckanext.lutsk.model import catalogue

        expected = sorted(
            history.current_states(
                catalogue.load_records(public_only=True), lambda rec: oversight.state_of(rec, T)
            )
        )

        def whole_datasets(*args, **kwargs):
            raise AssertionError("the snapshot read whole datasets")

        monkeypatch.setattr(catalogue, "load_records", whole_datasets)
        result = oversight.take_snapshot(T)
        conn = model.Session.connection()
        current = history.INTERVALS.select().where(history.INTERVALS.c.until.is_(None))
        got = sorted((r.package_id, r.body, r.state) for r in conn.execute(current))
        model.Session.commit()
        assert result.datasets == len(expected) == 2, "public datasets only"
        assert got == expected
        assert {state for _id, _body, state in got} == {"on_time", "overdue_frequency"}

    def test_history_snapshot_cli_is_idempotent(self, cli, world):
        def stored():
            conn = model.Session.connection()
            rows = [tuple(r) for t in (history.INTERVALS, history.DAILY) for r in conn.execute(t.select())]
            model.Session.commit()
            return sorted(rows, key=str)

        before = stored()
        first = cli.invoke(ckan, ["lutsk", "history", "snapshot"])
        second = cli.invoke(ckan, ["lutsk", "history", "snapshot"])
        assert first.exit_code == second.exit_code == 0, first.output
        assert f"Snapshot of {T.isoformat()}: 2 public datasets" in first.output
        assert first.output == second.output, "a re-run of the day records the same changes again"
        assert stored() == before, "and stores exactly the same rows"
