"""The passport in the resolution's order: plain rows, and the table on the dataset page."""

from __future__ import annotations

import pytest

from ckanext.lutsk.domain import passport
from tests.lutsk_factories import body_org, dataset

SCHEMA = {
    "dataset_fields": [
        {"field_name": "name", "passport": 1, "label": {"uk": "Ідентифікатор", "en": "Identifier"}},
        {"field_name": "title", "passport": 2, "label": {"uk": "Найменування", "en": "Title"}},
        {"field_name": "notes", "passport": 3, "label": {"uk": "Опис", "en": "Description"}},
        {
            "field_name": "restricted_info",
            "passport": 3,
            "label": {"uk": "Обмежений доступ", "en": "Restricted"},
        },
        {"field_name": "purpose_of_collecting_information", "passport": 4, "label": {"uk": "Підстава"}},
        {"field_name": "language", "passport": 5, "label": {"uk": "Мова"}},
        {"field_name": "date_published", "passport": 8, "label": {"uk": "Перше оприлюднення"}},
        {"field_name": "data_updated", "passport": 9, "label": {"uk": "Останні зміни"}},
        {"field_name": "data_current_as_of", "passport": 10, "label": {"uk": "Актуальність"}},
        {"field_name": "update_frequency", "passport": 11, "label": {"uk": "Періодичність"}},
        {"field_name": "tag_string", "passport": 12, "label": {"uk": "Ключові слова"}},
        {"field_name": "previous_versions_url", "passport": 14, "label": {"uk": "Попередні версії"}},
        {"field_name": "maintainer", "passport": 16, "label": {"uk": "Відповідальна особа"}},
        {"field_name": "maintainer_email", "passport": 16, "label": {"uk": "Пошта"}},
        {"field_name": "data_changed", "label": {"uk": "Дата зміни даних"}},
        {"field_name": "license_id", "label": {"uk": "Ліцензія"}},
    ]
}

PKG = {
    "name": "budget",
    "title": "Бюджет",
    "title_en": "Budget",
    "notes": "Опис",
    "restricted_info": "Персональні дані отримувачів",
    "purpose_of_collecting_information": "Бюджетний кодекс",
    "language": "ua",
    "date_published": "2024-12-31T22:30:00",
    "data_updated": "2025-06-01T09:00:00",
    "data_current_as_of": "2025-05-31",
    "update_frequency": "once a month",
    "tags": [{"name": "бюджет"}, {"name": "обʼєкти"}],
    "previous_versions_url": "https://archive.lutskrada.gov.ua/budget",
    "maintainer": "Олена Коваль",
    "maintainer_email": "finance@lutskrada.gov.ua",
    "license_id": "cc-by",
    "license_title": "Creative Commons Attribution",
    "resources": [
        {"name": "Дані", "url": "https://x.ua/b.csv", "format": "CSV"},
        {"name": "Архів", "url": "https://x.ua/b.zip", "format": "CSV", "compression": "ZIP"},
        {"name": "Структура", "url": "https://x.ua/s.json", "format": "JSON", "structure": "true"},
        {"name": "Видалений", "url": "https://x.ua/old.csv", "format": "XML", "state": "deleted"},
    ],
}


def _rows(lang="uk", **extra):
    labels = {("languages", "ua"): "Українська", ("frequencies", "once a month"): "Щомісяця"}
    body = {"title": {"uk": "Департамент фінансів", "en": "Finance"}, "edrpou": "44106679"}
    return passport.passport_rows(
        dict(PKG, **extra),
        SCHEMA,
        lang,
        lambda v, x: labels[(v, x)],
        body=body,
        activity_url="/dataset/activity/b",
    )


def test_rows_follow_the_resolution_order():
    numbers = [r.number for r in _rows() if r.number]
    assert numbers == sorted(numbers)
    assert numbers[:3] == [1, 2, 3]
    assert set(range(1, 17)) - set(numbers) == set(), "every passport element has a row"


def test_values_are_derived_and_localised():
    rows = {r.key: r for r in _rows()}
    assert rows["formats"].text == "CSV", "structure resources and deleted ones are not data formats"
    assert rows["compression"].text == "ZIP"
    assert rows["structure"].links == (("Структура", "https://x.ua/s.json"),)
    assert rows["language"].text == "Українська"
    assert rows["update_frequency"].text == "Щомісяця"
    assert rows["date_published"].text == "01.01.2025 00:30", "UTC stored, Kyiv shown"
    assert rows["data_current_as_of"].text == "31.05.2025"
    assert rows["tag_string"].text == "бюджет, обʼєкти"
    assert rows["holder"].text == "Департамент фінансів"
    assert rows["edrpou"].text == "44106679"
    assert rows["previous_versions_url"].links[-1] == ("", "/dataset/activity/b")
    assert rows["maintainer_email"].plain() == "finance@lutskrada.gov.ua", "no mailto: in exports"


def test_english_shows_the_english_title_and_labels():
    rows = {r.key: r for r in _rows(lang="en")}
    assert rows["title"].text == "Budget (Бюджет)"
    assert rows["title"].label == "Title"
    assert rows["holder"].label == "Data holder"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dataset_page_shows_the_passport_table(app):
    org = body_org("finance-budget")
    dataset(owner_org=org["id"], name="budget-page", tag_string="обʼєкти")
    page = app.get("/dataset/budget-page").body
    assert "Паспорт набору даних" in page
    assert "Ідентифікаційний номер набору даних" in page
    assert "Департамент фінансів та бюджету" in page
    assert "Код ЄДРПОУ" in page
    assert page.index("Найменування набору даних") < page.index("Періодичність оновлення набору даних")
    en = app.get("/en/dataset/budget-page").body
    assert "Dataset passport" in en and "Update frequency" in en


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_passport_downloads_as_csv_and_json_respecting_access(app):
    import csv
    import io
    import json

    org = body_org("finance-budget")
    dataset(owner_org=org["id"], name="budget-doc", tag_string="обʼєкти")
    dataset(owner_org=org["id"], name="budget-draft", private=True)

    page = app.get("/dataset/budget-doc").body
    assert "/dataset/budget-doc/passport.csv" in page

    resp = app.get("/dataset/budget-doc/passport.csv")
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert 'filename="passport-budget-doc.csv"' in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.body.lstrip("\ufeff"))))
    assert rows[0] == ["№", "Елемент паспорта", "Значення"]
    assert ["1", "Ідентифікаційний номер набору даних", "budget-doc"] in rows
    assert any(r[1] == "Ключові слова" and r[2] == "обʼєкти" for r in rows)
    element = {r[0]: r[2] for r in rows if r[0]}
    assert element["14"].endswith("http://test.lutsk.local/dataset/activity/budget-doc"), "absolute"
    assert "mailto:" not in resp.body, "the e-mail as people write it"

    data = json.loads(app.get("/dataset/budget-doc/passport.json").body)
    assert data["dataset"] == "budget-doc"
    assert {r["key"] for r in data["passport"]} >= {"name", "title", "update_frequency", "holder"}

    app.get("/dataset/budget-draft/passport.json", status=403)
    app.get("/dataset/no-such/passport.csv", status=404)
    app.get("/dataset/budget-doc/passport.exe", status=404)


def _pdf_title(data: bytes) -> str:
    """The PDF's document title (fpdf2 writes it as UTF-16BE hex)."""
    import re

    match = re.search(rb"/Title <feff([0-9a-f]+)>", data)
    assert match, "no document title"
    return bytes.fromhex(match.group(1).decode()).decode("utf-16-be")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_passport_downloads_as_pdf(app):
    from ckanext.lutsk import passport_pdf

    assert passport_pdf.available(), "fpdf2 and fonts-dejavu-core are installed by bin/dev"
    org = body_org("finance-budget")
    dataset(owner_org=org["id"], name="budget-pdf", title="Бюджет громади: обʼєкти № 7")
    dataset(owner_org=org["id"], name="budget-pdf-draft", private=True)
    page = app.get("/dataset/budget-pdf").body
    assert 'href="/dataset/budget-pdf/passport.pdf" download>PDF</a>' in page

    resp = app.get("/dataset/budget-pdf/passport.pdf")
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="passport-budget-pdf.pdf"'
    data = resp.data
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data, "the DejaVu font is embedded"
    assert _pdf_title(data) == "Паспорт набору даних: Бюджет громади: обʼєкти № 7"
    assert b"/Lang (uk)" in data
    en = app.get("/en/dataset/budget-pdf/passport.pdf").data
    assert _pdf_title(en).startswith("Dataset passport: ") and b"/Lang (en)" in en

    app.get("/dataset/budget-pdf-draft/passport.pdf", status=403)
    app.get("/dataset/no-such/passport.pdf", status=404)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_no_pdf_offered_without_the_fonts(app, ckan_config, monkeypatch, tmp_path):
    org = body_org("finance-budget")
    dataset(owner_org=org["id"], name="budget-nofont")
    monkeypatch.setitem(ckan_config, "ckanext.lutsk.pdf_font_dir", str(tmp_path))
    page = app.get("/dataset/budget-nofont").body
    assert "/dataset/budget-nofont/passport.csv" in page
    assert "passport.pdf" not in page
    resp = app.get("/dataset/budget-nofont/passport.pdf", status=404)
    assert "CSV або JSON" in resp.body


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_failing_pdf_is_a_clear_error(app, monkeypatch):
    from ckanext.lutsk import passport_pdf

    org = body_org("finance-budget")
    dataset(owner_org=org["id"], name="budget-broken")

    def broken(**kwargs):
        raise RuntimeError("font table damaged")

    monkeypatch.setattr(passport_pdf, "render", broken)
    resp = app.get("/dataset/budget-broken/passport.pdf", status=500)
    assert "PDF" in resp.body and "CSV" in resp.body, "says so and points to the other formats"
