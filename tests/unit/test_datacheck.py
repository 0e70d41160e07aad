"""The data check of a tabular file (domain.datacheck): real files, real Frictionless."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from ckanext.lutsk.domain import datacheck, structures

L45 = structures.load_structures()["L45"]


def _codes(report: datacheck.Report) -> list[str]:
    return [i.code for i in report.issues]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_good_csv_in_the_recommended_structure_is_valid(tmp_path):
    path = _write(tmp_path, "p.csv", "programId,programTitle,validFrom\nP1,Освіта,2025-01-01\n".encode())
    report = datacheck.check_file(path, "CSV", L45.table_schema(), "recommended")
    assert report.status == datacheck.VALID, report.issues
    assert report.matches_recommended
    assert report.header == ["programId", "programTitle", "validFrom"]
    assert report.rows == 1
    assert {"name": "validFrom", "type": "date"} in report.fields


def test_a_wrong_type_is_reported_with_row_and_column(tmp_path):
    path = _write(
        tmp_path, "p.csv", "programId,programTitle,validFrom\nP1,A,2025-01-01\nP2,B,не дата\n".encode()
    )
    report = datacheck.check_file(path, "CSV", L45.table_schema(), "recommended")
    assert report.status == datacheck.INVALID
    issue = report.issues[0]
    assert (issue.code, issue.row, issue.column, issue.label, issue.note) == (
        "type-error",
        3,
        3,
        "validFrom",
        "не дата",
    )
    assert not report.matches_recommended


def test_a_column_of_the_structure_missing_from_the_header(tmp_path):
    path = _write(tmp_path, "p.csv", "programId,Назва\nP1,A\n".encode())
    report = datacheck.check_file(path, "CSV", L45.table_schema(), "recommended")
    missing = [i.label for i in report.issues if i.code == datacheck.MISSING_COLUMN]
    assert missing == ["programTitle", "validFrom"]


def test_cp1251_is_named_and_the_rest_still_checked(tmp_path):
    path = _write(tmp_path, "c.csv", "Назва;Назва\nШкола;12\n".encode("cp1251"))
    report = datacheck.check_file(path, "CSV")
    assert report.encoding == "cp1251"
    assert _codes(report)[0] == datacheck.ENCODING_CP1251
    assert "duplicate-label" in _codes(report)
    assert report.delimiter == ";"


def test_utf8_with_bom_is_fine(tmp_path):
    path = _write(tmp_path, "b.csv", "\ufeffНазва,Сума\nШкола,12\n".encode())
    report = datacheck.check_file(path, "CSV")
    assert report.status == datacheck.VALID, report.issues
    assert report.header == ["Назва", "Сума"]


def test_blank_and_duplicate_headers(tmp_path):
    path = _write(tmp_path, "h.csv", b"a,b,b,\n1,2,3,4\n")
    report = datacheck.check_file(path, "CSV")
    assert [(i.code, i.row, i.column, i.label) for i in report.issues] == [
        ("duplicate-label", 1, 3, "b"),
        ("blank-label", 1, 4, None),
    ]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file(tmp_path, data):
    report = datacheck.check_file(_write(tmp_path, "e.csv", data), "CSV")
    assert (report.status, _codes(report)) == (datacheck.INVALID, [datacheck.EMPTY_FILE])


def test_a_binary_file_named_csv(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.save(tmp_path / "real.xlsx")
    for data in ((tmp_path / "real.xlsx").read_bytes(), os.urandom(4096), b"%PDF-1.4\n..."):
        report = datacheck.check_file(_write(tmp_path, "x.csv", data), "CSV")
        assert (report.status, _codes(report)) == (datacheck.INVALID, [datacheck.BINARY_FILE])


def test_merged_header_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Програма", None, "Сума"])
    sheet.merge_cells("A1:B1")
    sheet.append(["P1", "A", 3])
    book.save(tmp_path / "m.xlsx")
    report = datacheck.check_file(tmp_path / "m.xlsx", "XLSX")
    assert report.status == datacheck.INVALID
    assert [(i.code, i.row, i.column, i.note) for i in report.issues] == [
        (datacheck.MERGED_HEADER, 1, 1, "A1:B1")
    ]


def test_a_good_workbook(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["programId", "programTitle", "validFrom"])
    book.active.append(["P1", "A", "2025-01-01"])
    book.save(tmp_path / "g.xlsx")
    report = datacheck.check_file(tmp_path / "g.xlsx", "XLSX", L45.table_schema(), "recommended")
    assert report.status == datacheck.VALID, report.issues


def test_a_csv_named_xlsx_is_not_a_workbook(tmp_path):
    report = datacheck.check_file(_write(tmp_path, "t.xlsx", b"a,b\n1,2\n"), "XLSX")
    assert _codes(report) == [datacheck.NOT_A_WORKBOOK]


def test_a_broken_zip_named_xlsx(tmp_path):
    report = datacheck.check_file(_write(tmp_path, "t.xlsx", b"PK\x03\x04" + os.urandom(500)), "XLSX")
    assert _codes(report) == [datacheck.NOT_A_WORKBOOK]


def test_issues_are_capped_but_counted(tmp_path):
    rows = "\n".join(f"{i},x" for i in range(1, 400))
    path = _write(tmp_path, "many.csv", f"a,b\n1,2\n{rows}\n".encode())
    report = datacheck.check_file(
        path, "CSV", {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    )
    assert len(report.issues) == datacheck.MAX_ISSUES
    assert report.issue_count >= datacheck.MAX_ISSUES


def test_report_round_trip():
    report = datacheck.failure(datacheck.TOO_LARGE, "52428800")
    again = datacheck.Report.from_dict(report.to_dict())
    assert again == report
    assert again.status == datacheck.ERROR


def test_ict_report_files_neutralise_formulas():
    import csv as csv_mod
    import datetime as dt
    import io

    from ckanext.lutsk.domain import datacheck_files

    row = {
        "body_title": "=HYPERLINK(\"http://x\")",
        "dataset_title": "+380",
        "dataset": "d",
        "resource": "@r",
        "format": "CSV",
        "status": "invalid",
        "issue_count": 3,
        "first_issue": "-1",
        "first_where": "2:3",
        "checked_at": dt.datetime(2026, 12, 5, 10, 0),
    }
    body = datacheck_files.failing_file([row], "csv", "uk")
    assert body.startswith(b"\xef\xbb\xbf")
    values = list(csv_mod.reader(io.StringIO(body.decode("utf-8-sig"))))[1]
    # The shared writer's rule (domain.tabular): formula starts are neutralised; a plain
    # signed number stays a number.
    assert values[0].startswith("'=") and values[3] == "'@r"
    assert values[1] == "+380" and values[7] == "-1"
    assert values[5] == "помилки у даних"
    book = openpyxl.load_workbook(io.BytesIO(datacheck_files.failing_file([row], "xlsx", "en")))
    assert book.active.cell(2, 1).value.startswith("'=")
    assert book.active.cell(2, 1).data_type == "s"
