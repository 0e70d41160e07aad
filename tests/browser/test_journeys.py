"""Journeys through the public portal and the ICT department's reports, as people work, in
Debian's Chromium driven by Playwright against the test portal on loopback, on the demo
data (``ckanext.lutsk.demo``: every body, its editor, 30+ passports, some late).

(c) an anonymous visitor: home → search → dataset → its history → timeliness → English and
    back;
(d) ICT staff open every report from the site menu and download every export.

Screenshots of every step go to test-artifacts/journeys/ (git-ignored).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "lutsk-demo-dev"  # ckanext/lutsk/data/demo.yaml (dev only)

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def demo_portal(fresh_portal):
    """The demo data in a fresh database and index, loaded as ``bin/dev portal`` does
    (``ckan lutsk demo load``: the data, then the stored oversight figures)."""
    from ckan.tests.helpers import _get_test_app

    from ckanext.lutsk import demo
    from ckanext.lutsk.oversight import stored

    with _get_test_app().flask_app.test_request_context():
        demo.load()
        stored.refresh()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield browser
        browser.close()


class Journey:
    """A page and a numbered screenshot per step; counts page loads."""

    def __init__(self, browser, base: str, name: str, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="uk-UA",
            accept_downloads=True,
            bypass_csp=True,  # axe-core is injected as an inline script; the pages keep their CSP
        )
        self.page = self.context.new_page()
        self.base, self.name, self.n, self.loads = base, name, 0, 0
        self.page.on("load", lambda _page: self._count())
        (ARTIFACTS / name).mkdir(parents=True, exist_ok=True)

    def _count(self) -> None:
        self.loads += 1

    def shot(self, what: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(ARTIFACTS / self.name / f"{self.n:02d}-{what}.png"), full_page=True)

    def go(self, path: str):
        return self.page.goto(self.base + path)

    def click_to(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    def login(self, user: str, password: str) -> None:
        self.go("/user/login")
        self.page.fill("#field-login", user)
        self.page.fill("#field-password", password)
        with self.page.expect_navigation():
            self.page.press("#field-password", "Enter")

    def close(self) -> None:
        self.context.close()


def test_c_anonymous_visitor_finds_and_follows_a_dataset(chromium, portal_server, demo_portal):
    j = Journey(chromium, portal_server.url, "c-visitor")
    page = j.page
    responses: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: responses.append((r.status, r.url)) if r.request.is_navigation_request() else None,
    )

    # Home: the city's, with search, the on-time share and the bodies.
    j.go("/")
    j.shot("home")
    assert page.locator("h1").first.inner_text() == "Відкриті дані Луцької міської ради"
    assert page.locator("img[src*='ckan']").count() == 0, "no CKAN logo"
    assert page.locator(".lutsk-home-bodies a[href^='/organization/']").count() >= 15
    share = page.locator(".lutsk-home-share").inner_text()
    assert re.fullmatch(r"\d{1,3}\s%", share), share

    # Search for the budget.
    page.fill("#field-main-search", "бюджет")
    with page.expect_navigation():
        page.press("#field-main-search", "Enter")
    j.shot("search")
    assert "/dataset/" in page.url and "q=" in page.url
    results = page.locator(".dataset-list .dataset-heading a")
    assert results.count() >= 1
    title = results.first.inner_text().strip()

    # The dataset and its passport.
    j.click_to(".dataset-list .dataset-heading a")
    j.shot("dataset")
    assert title in page.locator("h1").first.inner_text()
    assert page.locator(".lutsk-passport").is_visible()

    # Its history: passport element 14 links there.
    history = page.locator(".lutsk-passport a[href*='/dataset/activity/']").first
    with page.expect_navigation():
        history.click()
    j.shot("history")
    assert responses[-1][0] == 200, responses[-1]
    assert "/dataset/activity/" in page.url
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    for english in ("updated the", "created the", "View this version", "Changed Package"):
        assert english not in body, english

    # The public timeliness page from the main menu.
    j.click_to(".main-navbar a[href='/lutsk/timeliness']")
    j.shot("timeliness")
    assert page.url.endswith("/lutsk/timeliness")

    # English, then Ukrainian again, on the same page.
    j.click_to(".lutsk-language-switch a[hreflang=en]")
    j.shot("english")
    assert page.url.endswith("/en/lutsk/timeliness")
    assert page.locator("html").get_attribute("lang").startswith("en")
    j.click_to(".lutsk-language-switch a[hreflang=uk]")
    j.shot("ukrainian-again")
    assert page.url.endswith("/lutsk/timeliness") and "/en/" not in page.url
    assert page.locator("html").get_attribute("lang").startswith("uk")

    assert all(status < 400 for status, _url in responses), [r for r in responses if r[0] >= 400]
    (ARTIFACTS / "c-visitor" / "measure.txt").write_text(f"page loads: {j.loads}\n")
    j.close()


def _check_file(name: str, data: bytes) -> str:
    """What a downloaded file is, after checking it opens as that."""
    if name.endswith((".xlsx", ".docx")):
        with zipfile.ZipFile(BytesIO(data)) as z:
            assert z.testzip() is None, name
            assert any(n.startswith(("xl/", "word/")) for n in z.namelist()), name
        return name.rsplit(".", 1)[1]
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig")
        assert text.count("\n") >= 1, name
        return "csv"
    raise AssertionError(f"unexpected download {name}")


def test_d_ict_staff_open_every_report_and_download_every_export(chromium, portal_server, demo_portal):
    j = Journey(chromium, portal_server.url, "d-ict")
    page = j.page
    j.login("ict-staff", DEMO_PASSWORD)
    j.shot("logged-in")

    # Every report from the ICT menu, by its link.
    j.go("/lutsk/timeliness")
    page.click("#lutsk-staff-nav")
    links = page.locator(".lutsk-staff-nav .dropdown-menu a")
    reports = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert reports == [
        "/lutsk/deadlines",
        "/lutsk/coverage",
        "/lutsk/audit-plan",
        "/lutsk/datagovua/behind",
        "/lutsk/data-checks",
    ]
    page.keyboard.press("Escape")
    reports.append("/lutsk/timeliness")
    downloaded: dict[str, str] = {}
    for i, report in enumerate(reports):
        if i < 5:
            page.click("#lutsk-staff-nav")
            j.click_to(f".lutsk-staff-nav .dropdown-menu a[href='{report}']")
        else:
            j.go(report)
        assert page.url.endswith(report)
        j.shot("report" + report.replace("/", "-"))
        assert page.locator("h1").count() >= 1
        if report == "/lutsk/audit-plan":  # the plan is made on asking, with the defaults offered
            j.click_to("button:has-text('Скласти план')")
            j.shot("audit-plan-made")
        # Every export the page offers, downloaded as a person would: by clicking it.
        exports = page.locator("a[href*='/export.'], a[href*='/register.']")
        hrefs = sorted({exports.nth(k).get_attribute("href") for k in range(exports.count())})
        for href in hrefs:
            link = page.locator(f"a[href='{href}']").first
            with page.expect_download() as info:
                link.click()
            download = info.value
            data = Path(download.path()).read_bytes()
            downloaded[href] = _check_file(download.suggested_filename, data)
        feeds = page.locator("a[href$='.atom']")
        for k in range(feeds.count()):
            href = feeds.nth(k).get_attribute("href")
            resp = j.context.request.get(portal_server.url + href)
            assert resp.status == 200 and b"<feed" in resp.body(), href
            downloaded[href] = "atom"

    kinds = sorted(set(downloaded.values()))
    (ARTIFACTS / "d-ict" / "downloads.txt").write_text(
        "\n".join(f"{k}  {v}" for k, v in sorted(downloaded.items()))
    )
    assert kinds == ["atom", "csv", "docx", "xlsx"], downloaded
    for prefix in (
        "/lutsk/deadlines/export.",
        "/lutsk/coverage/export.",
        "/lutsk/audit-plan/export.",
        "/lutsk/register.",
    ):
        assert any(h.startswith(prefix) for h in downloaded), prefix
    j.close()
