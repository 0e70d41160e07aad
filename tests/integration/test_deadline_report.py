"""Deadlines in the index and the report built on it: Solr fields on save, the state on any
day as one query, the ``lutsk_deadline_report`` action (filters, auth, Ukrainian errors),
the pages, the exports and the facet. Real PostgreSQL and Solr; dates relative to today."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import ckan.plugins.toolkit as tk
import openpyxl
import pytest
from ckan import model
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import workdays
from ckanext.lutsk.domain.deadlines import (
    DISCONTINUED,
    DUE_SOON,
    NEVER_UPDATED,
    ON_TIME,
    OVERDUE_CHANGE,
    OVERDUE_FREQUENCY,
)
from ckanext.lutsk.logic.action import deadlines as deadline_action
from ckanext.lutsk.model import ckan_compat
from tests.lutsk_factories import body_org, dataset, staff

T = workdays.kyiv_today()


def _dt(d: date) -> str:
    return f"{d.isoformat()}T10:00:00"  # 10:00 UTC: the same day in Kyiv


def _old(**kw):
    """A dataset first published 400 days ago and last updated 100 days ago."""
    return {
        "date_published": _dt(T - timedelta(days=400)),
        "data_updated": _dt(T - timedelta(days=100)),
        **kw,
    }


def _set_extra(pkg_id: str, key: str, value: str | None) -> None:
    """Legacy data the schema would now refuse: written to the database directly, then indexed."""
    pkg = model.Package.get(pkg_id)
    if ckan_compat.JSONB_EXTRAS:  # CKAN 2.12: the JSONB column
        if value is None:
            del pkg.extras[key]
        else:
            pkg.extras[key] = value
    else:
        extra = next(e for e in pkg._extras.values() if e.key == key)
        if value is None:
            extra.state = "deleted"
        else:
            extra.value = value
    model.Session.commit()
    search.rebuild(pkg_id)


@pytest.fixture(scope="module")
def world(fresh_portal):
    a, b, ict = body_org("finance-budget"), body_org("education"), body_org("ict")
    users = staff(
        ict=(ict, "member"), a_member=(a, "member"), b_editor=(b, "editor"), nobody=None, sysadmin=True
    )
    yearly, monthly = "once a year", "once a month"
    d = {
        "a-overdue-change": dataset(
            owner_org=a["id"],
            name="a-overdue-change",
            update_frequency=yearly,
            **_old(data_changed=(T - timedelta(days=30)).isoformat()),
        ),
        "a-overdue-frequency": dataset(
            owner_org=a["id"], name="a-overdue-frequency", update_frequency=monthly, **_old()
        ),
        "a-due-soon": dataset(
            owner_org=a["id"],
            name="a-due-soon",
            update_frequency=yearly,
            maintainer_email="soon@lutskrada.gov.ua",
            **_old(data_changed=T.isoformat()),
        ),
        "a-on-time": dataset(
            owner_org=a["id"],
            name="a-on-time",
            update_frequency=yearly,
            **_old(data_updated=_dt(T - timedelta(days=10))),
        ),
        "a-invalid": dataset(owner_org=a["id"], name="a-invalid", update_frequency=yearly, **_old()),
        "a-never": dataset(owner_org=a["id"], name="a-never", update_frequency=yearly, **_old()),
        "a-private": dataset(
            owner_org=a["id"], name="a-private", private=True, update_frequency=monthly, **_old()
        ),
        "b-discontinued": dataset(
            owner_org=b["id"], name="b-discontinued", update_frequency="no longer updated", **_old()
        ),
        "b-overdue-change": dataset(
            owner_org=b["id"],
            name="b-overdue-change",
            update_frequency=yearly,
            **_old(data_changed=(T - timedelta(days=20)).isoformat()),
        ),
    }
    _set_extra(d["a-invalid"]["id"], "update_frequency", "every full moon")
    _set_extra(d["a-never"]["id"], "date_published", None)
    _set_extra(d["a-never"]["id"], "data_updated", None)
    return {"orgs": {"a": a, "b": b, "ict": ict}, "users": users, "datasets": d}


pytestmark = pytest.mark.usefixtures("with_plugins")

EXPECTED = {
    "a-overdue-change": OVERDUE_CHANGE,
    "a-overdue-frequency": OVERDUE_FREQUENCY,
    "a-due-soon": DUE_SOON,
    "a-on-time": ON_TIME,
    "a-invalid": status.INVALID,
    "a-never": NEVER_UPDATED,
    "b-discontinued": DISCONTINUED,
    "b-overdue-change": OVERDUE_CHANGE,
}


def _search(fq: str) -> set[str]:
    found = call_action("package_search", fq=fq, fl=["name"], rows=100, include_private=True)
    return {r["name"] for r in found["results"]}


def _report(**data) -> dict:
    return call_action("lutsk_deadline_report", context={"ignore_auth": True}, **data)


class TestIndex:
    def test_every_dataset_is_indexed_with_its_state(self, world):
        for name, state in {**EXPECTED, "a-private": OVERDUE_FREQUENCY}.items():
            assert _search(f"+name:{name} +lutsk_deadline_state:{state}") == {name}, name

    def test_overdue_datasets_of_a_body_are_one_query(self, world):
        fq = "+organization:finance-budget +lutsk_deadline_state:(overdue_change OR overdue_frequency)"
        assert _search(fq) == {"a-overdue-change", "a-overdue-frequency", "a-private"}

    def test_next_due_and_computation_time_are_stored(self, world):
        doc = call_action(
            "package_search",
            fq="+name:a-due-soon",
            fl=["name", "lutsk_next_due_date", "lutsk_deadline_computed_date"],
        )["results"][0]
        assert doc["lutsk_next_due_date"] == f"{config.calendar().add_working_days(T, 3)}T00:00:00Z"
        assert doc["lutsk_deadline_computed_date"][:10] >= (T - timedelta(days=1)).isoformat()

    def test_the_state_on_any_day_is_one_query_that_agrees_with_the_rules(self, world):
        cal, n = config.calendar(), config.due_soon_days()
        docs = list(deadline_report.search_docs({"ignore_auth": True}, "", deadline_report.REPORT_FIELDS))
        assert len(docs) == len(EXPECTED)
        for offset in (-40, -25, -5, 0, 1, 2, 3, 4, 5, 8, 30, 300, 380):
            as_of = T + timedelta(days=offset)
            fresh = {
                doc["name"]: deadline_report.make_row(
                    doc, as_of, frequencies=config.vocabulary("frequencies"), calendar=cal, due_soon_days=n
                )["state"]
                for doc in docs
            }
            for state in status.ALL_STATES:
                fq = "+" + status.state_query([state], as_of, due_soon_days=n, calendar=cal)
                wanted = {name for name, s in fresh.items() if s == state}
                assert _search(fq + " +capacity:public") == wanted, (offset, state)


@pytest.mark.usefixtures("with_request_context")
class TestReportAction:
    def test_all_bodies(self, world):
        report = _report()
        assert report["as_of"] == T.isoformat()
        assert {r["name"]: r["state"] for r in report["datasets"]} == EXPECTED
        assert "a-private" not in {r["name"] for r in report["datasets"]}, "drafts are not on the portal"
        a = next(s for s in report["summary"] if s["body"] == "finance-budget")
        assert a["total"] == 6
        assert a["counts"][OVERDUE_CHANGE] == 1 and a["counts"][status.INVALID] == 1
        assert a["overdue"] == 2
        assert a["on_time_percent"] == round(100 * 2 / 6, 1)
        b = next(s for s in report["summary"] if s["body"] == "education")
        assert b["on_time_percent"] == 0.0, "the discontinued dataset does not count"
        assert report["totals"]["total"] == 8

    def test_rows_say_what_and_by_how_much(self, world):
        rows = {r["name"]: r for r in _report(body="finance-budget")["datasets"]}
        late = rows["a-overdue-change"]
        assert late["state_label"] == "Прострочено: зміни не оприлюднено"
        due = config.calendar().add_working_days(T - timedelta(days=30), 3)
        assert late["next_due"] == due.isoformat()
        assert late["working_days"] == config.calendar().working_days_between(due, T)
        assert late["days_text"].startswith("прострочено на ")
        assert late["url"] == "http://test.lutsk.local/dataset/a-overdue-change"
        assert late["body_title"] == "Департамент фінансів та бюджету"
        assert rows["a-due-soon"]["days_text"] == "залишилось 3 робочі дні"
        assert rows["a-invalid"]["problem"] == (
            "«Періодичність оновлення»: «every full moon» немає в переліку періодичностей."
        )
        assert rows["a-never"]["problem"] == "Жодної дати не відомо: заповніть «Дата зміни даних»."

    def test_filters_body_state_and_day(self, world):
        overdue = _report(state="overdue")
        assert {r["name"] for r in overdue["datasets"]} == {
            "a-overdue-change",
            "a-overdue-frequency",
            "b-overdue-change",
        }
        only_b = _report(body="education", state=["overdue_change", "discontinued"])
        assert {r["name"] for r in only_b["datasets"]} == {"b-overdue-change", "b-discontinued"}
        # After its deadline the change made today is late too.
        later = config.calendar().add_working_days(T, 4)
        names = {r["name"] for r in _report(state="overdue_change", as_of=later.isoformat())["datasets"]}
        assert names == {"a-overdue-change", "a-due-soon", "b-overdue-change"}

    def test_sorted_by_days_overdue(self, world):
        rows = _report(state="overdue", sort="days")["datasets"]
        days = [r["working_days"] for r in rows]
        assert days == sorted(days, reverse=True)

    @pytest.mark.usefixtures("with_request_context")
    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"state": "sleepy"}, "state", "Невідомий стан «sleepy». Оберіть один з:"),
            ({"as_of": "24.11.2026"}, "as_of", "Введіть дату у форматі РРРР-ММ-ДД, а не «24.11.2026»."),
            ({"body": "no-such-body"}, "body", "Немає органу «no-such-body»."),
            ({"sort": "random"}, "sort", "Невідоме значення «random». Оберіть одне з:"),
        ],
    )
    def test_bad_filters_are_refused_in_ukrainian(self, world, data, field, message):
        with pytest.raises(tk.ValidationError) as err:
            _report(**data)
        assert err.value.error_dict[field][0].startswith(message)


class TestAccess:
    @pytest.mark.parametrize(
        ("who", "body", "allowed"),
        [
            ("sysadmin", None, True),
            ("ict", None, True),
            ("ict", "education", True),
            ("a_member", "finance-budget", True),
            ("a_member", None, False),
            ("a_member", "education", False),
            ("b_editor", "education", True),
            ("nobody", "education", False),
            (None, None, False),
        ],
    )
    def test_who_may_see_which_report(self, app, world, who, body, allowed):
        headers = {"Authorization": world["users"][who]["token"]} if who else {}
        params = {"body": body} if body else {}
        resp = app.get(
            "/api/3/action/lutsk_deadline_report",
            query_string=params,
            headers=headers,
            status=200 if allowed else 403,
        )
        if allowed:
            assert resp.json["result"]["count"] >= 1
        else:
            assert "лише" in resp.json["error"]["message"]

    @pytest.mark.parametrize("sort", ["due", "days", "state", "body"])
    @pytest.mark.parametrize("states", [["overdue"], None])
    def test_rows_and_start_page_the_report(self, world, monkeypatch, sort, states):
        """``rows``/``start``: the pages put together are the full report's list, and the
        counts still cover every matching dataset; for the overdue report in an order the
        index holds, Solr cuts the page (the full list is never read)."""
        ctx = {"user": world["users"]["sysadmin"]["name"]}
        filters = {"state": states} if states else {}
        full = call_action("lutsk_deadline_report", context=dict(ctx), sort=sort, **filters)
        assert full["count"] >= 3

        def forbidden(*args, **kwargs):
            raise AssertionError("the paged report read every dataset")

        if states and sort != "body":
            monkeypatch.setattr(deadline_report, "search_docs", forbidden)
        pages = []
        for start in range(0, full["count"], 2):
            page = call_action(
                "lutsk_deadline_report", context=dict(ctx), sort=sort, rows=2, start=start, **filters
            )
            assert page["count"] == full["count"]
            assert page["summary"] == full["summary"] and page["totals"] == full["totals"]
            pages += page["datasets"]
        if sort != "days":  # days: equal working days may order by date, then title
            assert [r["name"] for r in pages] == [r["name"] for r in full["datasets"]]
        assert sorted(r["name"] for r in pages) == sorted(r["name"] for r in full["datasets"])

    def test_rows_out_of_range_is_a_409_in_ukrainian(self, app, world):
        resp = app.get(
            "/api/3/action/lutsk_deadline_report",
            query_string={"rows": "5000"},
            headers={"Authorization": world["users"]["sysadmin"]["token"]},
            status=409,
        )
        assert resp.json["error"]["rows"] == ["Введіть ціле число від 0 до 1000, а не «5000»."]

    def test_an_api_call_without_rows_gets_a_page_and_the_exports_everything(self, app, world, monkeypatch):
        # Without ``rows`` an API call read every matching dataset (14,000 overdue rows at
        # 100,000 datasets); it gets a page now, and the portal's exports still hold them all.
        monkeypatch.setattr(deadline_action, "DEFAULT_ROWS", 2)
        headers = {"Authorization": world["users"]["sysadmin"]["token"]}
        resp = app.get(
            "/api/3/action/lutsk_deadline_report", query_string={"state": "overdue"}, headers=headers
        )
        result = resp.json["result"]
        assert result["count"] == 3 and len(result["datasets"]) == 2
        resp = app.get("/lutsk/deadlines/export.csv?state=overdue", headers=headers)
        assert len(list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))) == 1 + 3

    def test_bad_filter_through_the_api_is_a_409_in_ukrainian(self, app, world):
        resp = app.get(
            "/api/3/action/lutsk_deadline_report",
            query_string={"as_of": "завтра"},
            headers={"Authorization": world["users"]["sysadmin"]["token"]},
            status=409,
        )
        assert resp.json["error"]["as_of"] == ["Введіть дату у форматі РРРР-ММ-ДД, а не «завтра»."]


class TestPages:
    def test_overview_for_the_ict_department(self, app, world):
        page = app.get("/lutsk/deadlines", headers={"Authorization": world["users"]["ict"]["token"]})
        assert "Строки оновлення всіх органів" in page.body
        assert "Департамент фінансів та бюджету" in page.body
        assert "a-overdue-change" in page.body and "b-overdue-change" in page.body
        assert "a-on-time" not in page.body, "the list shows overdue datasets only"
        # The on-time share chart, served by the portal's own webassets (no CDN), with its table.
        assert "data-lutsk-chart=" in page.body
        assert "lutsk-charts.js" in page.body
        assert "cdn" not in page.body.lower()
        assert "Частка вчасно оновлених наборів даних за органами" in page.body

    @pytest.mark.parametrize(
        "list_sort", ["days", "-days", "due", "-due", "state", "-title", "body", "-body"]
    )
    def test_overdue_list_is_paged_by_solr(self, app, world, monkeypatch, list_sort):
        """Each page of the overdue list is cut by the index (start/rows), in the order the
        full report gives, and the full report is not read to show it."""
        from ckanext.lutsk.views import deadlines as views

        token = world["users"]["ict"]["token"]
        full = call_action(
            "lutsk_deadline_report", context={"user": world["users"]["ict"]["name"]}, state="overdue"
        )
        sort, reverse = list_sort.lstrip("-"), list_sort.startswith("-")
        expected = [r["name"] for r in deadline_report.sort_rows(full["datasets"], sort, reverse)]
        assert len(expected) >= 3

        def forbidden(*args, **kwargs):
            raise AssertionError("the overview read every overdue dataset")

        monkeypatch.setattr(deadline_report, "build_report", forbidden)
        monkeypatch.setattr(views, "OVERDUE_PAGE_ROWS", 2)
        shown = []
        for number in range(1, (len(expected) + 1) // 2 + 1):
            url = f"/lutsk/deadlines?list_sort={list_sort}&page={number}"
            body = app.get(url, headers={"Authorization": token}).body
            table = body[body.index('id="lutsk-overdue"') :]
            shown.extend(
                sorted((table.index(f'/dataset/{n}"'), n) for n in expected if f'/dataset/{n}"' in table)
            )
        assert [n for _i, n in shown] == expected

    def test_overview_sorted_by_on_time_share(self, app, world):
        token = world["users"]["ict"]["token"]
        page = app.get("/lutsk/deadlines?sort=-on_time", headers={"Authorization": token}).body
        assert page.index("Департамент фінансів та бюджету") < page.index("Департамент освіти")

    @pytest.mark.parametrize("who", [None, "a_member"])
    def test_overview_is_refused_to_others(self, app, world, who):
        headers = {"Authorization": world["users"][who]["token"]} if who else {}
        app.get("/lutsk/deadlines", headers=headers, status=403)

    def test_body_page_with_counts_and_tab(self, app, world):
        token = world["users"]["a_member"]["token"]
        page = app.get("/organization/finance-budget/deadlines", headers={"Authorization": token}).body
        assert "Прострочено: зміни не оприлюднено: 1" in page
        assert "a-due-soon" in page
        assert (
            "/organization/finance-budget/deadlines"
            in app.get("/organization/finance-budget", headers={"Authorization": token}).body
        )
        filtered = app.get(
            "/organization/finance-budget/deadlines?state=due_soon", headers={"Authorization": token}
        ).body
        assert "a-due-soon" in filtered and "a-on-time" not in filtered
        app.get("/organization/education/deadlines", headers={"Authorization": token}, status=403)

    def test_body_page_list_is_paged(self, app, world, monkeypatch):
        # 2,900 rows of a body in one page at 100,000 datasets: 1.4 MB of HTML, over 500 ms.
        from ckanext.lutsk.views import deadlines as views

        token = world["users"]["a_member"]["token"]
        monkeypatch.setattr(views, "BODY_PAGE_ROWS", 2)
        pages = [
            app.get(
                f"/organization/finance-budget/deadlines?list_sort=title&page={n}",
                headers={"Authorization": token},
            ).body
            for n in (1, 2)
        ]
        names = ("a-on-time", "a-due-soon", "a-overdue-change")
        shown = [{n for n in names if f'/dataset/{n}"' in page} for page in pages]
        assert all(1 <= len(s) <= 2 for s in shown) and not shown[0] & shown[1]
        assert "Прострочено: зміни не оприлюднено: 1" in pages[1], "the counts cover the whole body"
        assert "page=2" in pages[0] and "list_sort=title" in pages[0]

    def test_exports(self, app, world):
        token = world["users"]["ict"]["token"]
        resp = app.get("/lutsk/deadlines/export.csv?state=overdue", headers={"Authorization": token})
        assert resp.headers["Content-Disposition"].startswith('attachment; filename="deadlines-')
        rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Орган", "Набір даних", "Стан"]
        assert len(rows) == 4
        resp = app.get("/lutsk/deadlines/export.xlsx?body=finance-budget", headers={"Authorization": token})
        book = openpyxl.load_workbook(io.BytesIO(resp.data))
        assert book.sheetnames == ["Зведення", "Набори даних"]
        sheet = book["Набори даних"]
        assert sheet.max_row == 1 + 6
        due = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == "Незабаром строк")
        assert due[4].date() == config.calendar().add_working_days(T, 3)
        app.get("/lutsk/deadlines/export.pdf", headers={"Authorization": token}, status=404)
        app.get("/lutsk/deadlines/export.csv", status=403)

    def test_badge_on_the_dataset_page_and_in_search(self, app, world):
        page = app.get("/dataset/a-overdue-change").body
        assert "lutsk-deadline-overdue_change" in page
        assert "Прострочено: зміни не оприлюднено" in page
        results = app.get("/dataset/?q=name:a-due-soon").body
        assert "lutsk-deadline-due_soon" in results

    @pytest.mark.usefixtures("with_request_context")
    def test_facet_by_state_with_ukrainian_labels(self, app, world):
        page = app.get("/dataset/").body
        assert "Строк оновлення" in page
        assert "lutsk_deadline_state=overdue_change" in page
        found = call_action("package_search", **{"facet.field": '["lutsk_deadline_state"]'})
        items = {i["name"]: i for i in found["search_facets"]["lutsk_deadline_state"]["items"]}
        assert items["overdue_change"]["count"] == 2
        assert items["overdue_change"]["display_name"] == "Прострочено: зміни не оприлюднено"
        filtered = app.get("/dataset/?lutsk_deadline_state=overdue_change").body
        assert "a-overdue-change" in filtered and "a-on-time" not in filtered


class TestReportCommand:
    def test_table_csv_and_xlsx(self, world, cli, tmp_path):
        from ckan.cli.cli import ckan

        table = cli.invoke(ckan, ["lutsk", "deadlines", "report", "--state", "overdue"])
        assert table.exit_code == 0, table.output
        lines = table.output.strip().splitlines()
        assert lines[0].split()[:2] == ["Орган", "Набір"]
        assert len(lines) == 4 and "a-overdue-change" in table.output

        out = tmp_path / "b.csv"
        result = cli.invoke(
            ckan, ["lutsk", "deadlines", "report", "--body", "education", "--format", "csv", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert len(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))) == 3

        xlsx = tmp_path / "all.xlsx"
        cli.invoke(ckan, ["lutsk", "deadlines", "report", "--format", "xlsx", "-o", str(xlsx)])
        assert openpyxl.load_workbook(xlsx)["Набори даних"].max_row == 1 + len(EXPECTED)

    def test_unknown_body_is_a_clear_error(self, world, cli):
        from ckan.cli.cli import ckan

        result = cli.invoke(ckan, ["lutsk", "deadlines", "report", "--body", "no-such-body"])
        assert result.exit_code == 1
        assert "body: Немає органу «no-such-body»." in result.output
