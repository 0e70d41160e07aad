"""Browser tests: Playwright driving Debian's Chromium against the test portal served on
loopback. A body editor publishes through the passport form, an editor of another body
cannot edit it, the UI switches to English, and axe-core finds no serious accessibility
violation on the pages staff use. Screenshots of each step go to test-artifacts/browser/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.browser import keywords
from tests.lutsk_factories import body_org, dataset

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser-test-pass"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def world():
    finance = body_org("finance-budget")
    education = body_org("education")
    editor_a = factories.User(name="editor-a", password=PASSWORD)
    editor_b = factories.User(name="editor-b", password=PASSWORD)
    call_action("organization_member_create", id=finance["id"], username="editor-a", role="editor")
    call_action("organization_member_create", id=education["id"], username="editor-b", role="editor")
    return {"finance": finance, "education": education, "a": editor_a, "b": editor_b}


class Steps:
    """A page with screenshots named by step."""

    def __init__(self, page, base: str, name: str) -> None:
        self.page, self.base, self.name, self.n = page, base, name, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def shot(self, what: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.n:02d}-{what}.png"), full_page=True)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def login(self, user: str) -> None:
        self.go("/user/login")
        self.page.fill("#field-login", user)
        self.page.fill("#field-password", PASSWORD)
        with self.page.expect_navigation():
            self.page.press("#field-password", "Enter")


def _new_page(browser, width: int = 1280, height: int = 1000):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="uk-UA",
        bypass_csp=True,  # axe-core is injected as an inline script; the pages keep their CSP
    )
    return context.new_page()


def test_editor_publishes_with_the_passport_form(browser, portal_server, world):
    page = _new_page(browser)
    s = Steps(page, portal_server.url, "publish")
    s.login("editor-a")
    s.shot("logged-in")

    s.go("/dataset/new")
    expect_select = page.locator("select[name=owner_org] option")
    assert expect_select.all_inner_texts() == ["Департамент фінансів та бюджету"], (
        "only the editor's own body"
    )
    page.fill("#field-title", "Звіт про виконання бюджету громади")
    page.click(".slug-preview button")  # the identifier is shown as a preview until edited
    page.fill("#field-name", "budget-report-browser")
    page.fill("#field-notes", "Щомісячні показники виконання бюджету.")
    page.fill("#field-purpose_of_collecting_information", "Бюджетний кодекс України, ст. 28")
    for word in ("бюджет", "обʼєкти"):
        keywords.add(page, word)
    # (a set: select2 4.1 lists a new keyword first)
    assert sorted(page.input_value("#field-tag_string").split(",")) == ["бюджет", "обʼєкти"]
    page.select_option("#field-update_frequency", "once a month")
    page.fill("#field-maintainer", "Олена Коваль")
    page.fill("#field-maintainer_email", "olena.koval@")  # the deliberate error
    s.shot("form-filled")
    with page.expect_navigation():
        page.click("button[name=save]")
    s.shot("form-error")
    error = page.locator("#field-maintainer_email").locator(
        "xpath=ancestor::div[contains(@class,'form-group')]"
    )
    assert "«olena.koval@» — неправильна адреса електронної пошти." in error.inner_text()
    assert page.input_value("#field-title") == "Звіт про виконання бюджету громади", "input kept"

    page.fill("#field-maintainer_email", "finance@lutskrada.gov.ua")
    with page.expect_navigation():
        page.click("button[name=save]")
    s.shot("resource-form")
    if not page.locator("#field-resource-url").is_visible():
        page.get_by_text("Посилання", exact=True).click()  # "Link" rather than "Upload"
    page.fill("#field-resource-url", "https://lutskrada.gov.ua/opendata/budget-report.csv")
    page.fill("#field-name", "Звіт за жовтень")
    page.select_option("#field-format", "CSV")
    with page.expect_navigation():
        page.click("button[name=save][value=go-metadata]")
    s.shot("finished")
    assert "Звіт про виконання бюджету громади" in page.inner_text("h1")
    assert "Паспорт набору даних" in page.content()
    badge = page.locator(".lutsk-deadline .badge").first
    assert badge.inner_text() == "Не оприлюднено", "private by default: no deadline yet"
    with page.expect_navigation():
        page.click(".lutsk-make-public button")
    s.shot("published")
    badge = page.locator(".lutsk-deadline .badge").first
    assert badge.inner_text() == "Вчасно", "the deadline badge of a freshly published dataset"
    pkg = call_action("package_show", id="budget-report-browser")
    assert pkg["maintainer_email"] == "finance@lutskrada.gov.ua"
    assert pkg["resources"][0]["format"] == "CSV"

    page.click(".lutsk-language-switch a[hreflang=en]")
    page.wait_for_load_state()
    s.shot("english")
    assert re.search(r"/en/dataset/budget-report-browser", page.url)
    assert "Dataset passport" in page.content()
    page.context.close()


def test_editor_of_another_body_cannot_edit(browser, portal_server, world):
    dataset(owner_org=world["finance"]["id"], name="finance-only")
    page = _new_page(browser)
    s = Steps(page, portal_server.url, "other-body")
    s.login("editor-b")
    response = page.goto(portal_server.url + "/dataset/edit/finance-only")
    s.shot("edit-refused")
    assert response.status == 403
    page.goto(portal_server.url + "/dataset/finance-only")
    assert page.locator("a[href$='/dataset/edit/finance-only']").count() == 0, "no edit button"
    page.context.close()


STAFF_PAGES = [
    "/user/login",
    "/dashboard/datasets",
    "/organization/",
    "/organization/finance-budget",
    "/dataset/",
    "/dataset/new",
    "/dataset/a11y-budget",
    "/dataset/edit/a11y-budget",
    "/dataset/a11y-budget/resource/new",
]


def test_no_serious_accessibility_violations(browser, portal_server, world):
    dataset(owner_org=world["finance"]["id"], name="a11y-budget")
    page = _new_page(browser)
    s = Steps(page, portal_server.url, "a11y")
    s.login("editor-a")
    found = {}
    for path in STAFF_PAGES:
        s.go(path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
            s.shot("violation" + path.replace("/", "-"))
    page.context.close()
    report = "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in found.items())
    (ARTIFACTS / "a11y-report.txt").write_text(report or "no serious violations\n")
    assert not found, report


def _serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_ict_staff_menu(browser, portal_server, world):
    """The ICT department opens its pages from the site menu, by mouse or keyboard, and
    neither the open menu nor its pages have serious accessibility violations."""
    ict = body_org("ict")
    factories.User(name="ict-a", password=PASSWORD)
    call_action("organization_member_create", id=ict["id"], username="ict-a", role="member")
    dataset(owner_org=world["finance"]["id"], name="menu-budget")
    page = _new_page(browser)
    s = Steps(page, portal_server.url, "ict-menu")
    s.go("/dataset/")
    assert page.locator("#lutsk-staff-nav").count() == 0, "no staff menu for anonymous users"
    assert page.locator(".main-navbar a[href='/lutsk/timeliness']").count() == 1
    s.login("ict-a")
    s.go("/lutsk/deadlines")
    menu = page.locator(".lutsk-staff-nav .dropdown-menu")
    assert not menu.is_visible()
    page.click("#lutsk-staff-nav")
    assert menu.is_visible()
    assert page.get_attribute("#lutsk-staff-nav", "aria-expanded") == "true"
    s.shot("menu-open")
    found = {"/lutsk/deadlines (menu open)": _serious_violations(page)}
    # Keyboard: Escape closes it, Enter opens it again, the arrow keys walk its items.
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    page.focus("#lutsk-staff-nav")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/lutsk/coverage"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/lutsk/coverage")
    s.shot("coverage")
    for path in ("/lutsk/coverage", "/lutsk/audit-plan", "/lutsk/timeliness"):
        if path != "/lutsk/coverage":
            s.go(path)
        found[path] = _serious_violations(page)
    page.context.close()
    found = {path: v for path, v in found.items() if v}
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in found.items())


def test_ict_staff_menu_on_a_phone(browser, portal_server, world):
    """On a narrow screen the menu sits behind CKAN's navigation toggle; opened, its items
    are on screen and reachable, with no serious accessibility violation."""
    ict = body_org("ict")
    factories.User(name="ict-phone", password=PASSWORD)
    call_action("organization_member_create", id=ict["id"], username="ict-phone", role="member")
    page = _new_page(browser, width=390, height=844)
    s = Steps(page, portal_server.url, "ict-menu-phone")
    s.login("ict-phone")
    s.go("/lutsk/timeliness")
    assert not page.locator("#lutsk-staff-nav").is_visible(), "folded behind the toggle"
    page.click(".navbar-toggler")
    page.locator("#lutsk-staff-nav").wait_for(state="visible")
    page.click("#lutsk-staff-nav")
    items = page.locator(".lutsk-staff-nav .dropdown-menu a")
    items.first.wait_for(state="visible")
    assert items.count() == 5
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, "inside the screen"
    s.shot("menu-open")
    violations = _serious_violations(page)
    with page.expect_navigation():
        items.first.click()
    assert page.url.endswith("/lutsk/deadlines")
    page.context.close()
    assert not violations, "\n".join(violations)


def test_an_editor_revokes_an_api_token_under_the_pages_csp(browser, portal_server, world):
    """The API token page with the pages' Content-Security-Policy in force (no bypass):
    CKAN 2.12 ticks tokens and revokes them with one button, whose inline handlers the
    policy blocks (lutsk-csp.js does their work); 2.11 has a button per token."""
    from playwright.sync_api import expect

    from tests.ckan_compat import CKAN_2_12

    for name in ("script", "backup"):
        call_action("api_token_create", context={"user": "editor-a"}, user="editor-a", name=name)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="uk-UA")
    page = context.new_page()
    s = Steps(page, portal_server.url, "tokens")
    s.login("editor-a")
    s.go("/user/editor-a/api-tokens")
    rows = page.locator("tbody tr", has_text="script")
    expect(rows).to_have_count(1)
    if CKAN_2_12:
        button = page.locator("#revoke-tokens-button")
        expect(button).to_be_disabled()
        rows.locator("input[name=token]").check()
        expect(button).to_be_enabled()
        s.shot("ticked")
        button.click()
        page.click("#ckan-confirm-yes")
        expect(rows).to_have_count(0)
        expect(button).to_be_disabled()
    else:
        rows.locator("button[data-module=confirm-action]").click()
        with page.expect_navigation():
            page.click(".modal .btn-primary")
        expect(page.locator("tbody tr", has_text="script")).to_have_count(0)
    s.shot("revoked")
    left = call_action("api_token_list", context={"user": "editor-a"}, user_id="editor-a")
    assert [t["name"] for t in left] == ["backup"]
    context.close()
