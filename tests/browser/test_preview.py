"""Issue 19, item 4 in the browser: a CSV uploaded to the portal, loaded into the DataStore by
ckanext-xloader's job (run for real against the live test portal), is previewed on its
resource page by datatables_view: Chromium sees the rows, searches them, and the page is
saved as test-artifacts/preview/*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import xloader_support
from tests.browser.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.lutsk_factories import dataset, site_user

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "preview"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues"),
]

ROWS = [
    ("Луцький ліцей № 1", "вул. Лесі Українки, 54", "1250"),
    ("Гімназія № 4 імені Модеста Левицького", "вул. Кравчука, 11", "830"),
    ("Луцька загальноосвітня школа № 19", "просп. Соборності, 3", "640"),
]


def test_the_resource_page_previews_the_loaded_rows(
    browser, portal_server, create_with_upload, ckan_config, monkeypatch, org  # noqa: F811 - the fixture
):
    xloader_support.enable(monkeypatch, ckan_config, portal_server.url)
    pkg = dataset(owner_org=org["id"], name="schools-preview", resources=[
        {"url": "https://lutskrada.gov.ua/opendata/x.json", "format": "JSON", "name": "JSON"}
    ])  # fmt: skip
    text = "Назва закладу,Адреса,Кількість учнів\n" + "".join(f'"{a}","{b}",{c}\n' for a, b, c in ROWS)
    res = create_with_upload(
        text.encode("cp1251"), "schools.csv", package_id=pkg["id"], url="upload", format="CSV",
        name="Заклади освіти", context={"user": site_user()},
    )  # fmt: skip
    assert xloader_support.run_queued() >= 1

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1100}, locale="uk-UA")
    page = context.new_page()
    try:
        page.goto(f"{portal_server.url}/dataset/{pkg['name']}/resource/{res['id']}")
        frame_el = page.wait_for_selector("iframe[src*='/view/']", timeout=30_000)
        frame = frame_el.content_frame()
        assert frame is not None
        # datatables_view fetches the rows from the DataStore (its ajax endpoint).
        try:
            frame.wait_for_selector("table tbody tr td:has-text('Гімназія № 4')", timeout=30_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failed-resource-page.png"), full_page=True)
            (ARTIFACTS / "failed-preview-frame.html").write_text(frame.content(), encoding="utf-8")
            raise
        cells = frame.locator("table tbody tr").all_inner_texts()
        assert len(cells) == len(ROWS), cells
        for (name, address, count), row in zip(ROWS, cells, strict=True):
            assert name in row and address in row and count in row, row
        headers = " ".join(frame.locator("table thead th").all_inner_texts()).replace("\xa0", " ")
        assert "Назва закладу" in headers and "Кількість учнів" in headers, headers
        page.screenshot(path=str(ARTIFACTS / "resource-page-preview.png"), full_page=True)

        # The preview's search (on Enter), served by the DataStore's full-text search, in
        # Ukrainian and in lower case (CKAN's view alone dropped the Cyrillic letters).
        search = frame.locator("#dtprv_filter input")
        search.fill("соборності")
        search.press("Enter")
        frame.wait_for_function(
            "() => document.querySelectorAll('table tbody tr').length === 1", timeout=30_000
        )
        assert "школа № 19" in frame.locator("table tbody tr").first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "resource-page-preview-search.png"), full_page=True)
    finally:
        context.close()
