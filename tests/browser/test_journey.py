"""Issue 14, journeys in the real browser (Playwright + Debian's Chromium), written as a
person works: a body's editor publishes a new dataset from scratch and keeps it current,
on a desktop and on a phone-sized screen. Screenshots of every step go to
test-artifacts/journey/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.lutsk.domain import identifiers
from tests.browser import keywords
from tests.browser.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.unit.test_identifiers import TITLES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "journey"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _page(browser, width: int = 1280, height: int = 1000):  # noqa: F811
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="uk-UA",
        bypass_csp=True,  # axe-core is injected as an inline script; the pages keep their CSP
    )
    return context.new_page()


def test_slug_preview_follows_the_official_transliteration(browser, portal_server):  # noqa: F811
    """The form's JavaScript makes the same name as the server (translitua, CMU No. 55)."""
    page = _page(browser)
    page.goto(portal_server.url + "/dataset/")
    titles = [*TITLES, "Їжак і йорж: юні ягідки", "М`ясо, м‘ясо та мʼясо", "Зграя ЗГРАЯ", "ОСВІТА 2026"]
    made = page.evaluate("titles => titles.map(t => jQuery.url.slugify(t))", titles)
    assert made == [identifiers.slug(t) for t in titles]
    page.context.close()


PASSWORD = "journey-test-pass"
TITLE = "Відвідуваність закладів культури Луцька"
NAME = "vidviduvanist-zakladiv-kultury-lutska"


class Journey:
    """The browser as a person uses it: every input and every page load counted, a
    screenshot after each step."""

    def __init__(self, page, base: str, name: str) -> None:
        self.page, self.base, self.name = page, base, name
        self.inputs = self.loads = self.n = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    def shot(self, what: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.n:02d}-{what}.png"), full_page=True)

    def go(self, path: str) -> None:
        """Typing an address (or following a bookmark): one input, one page load."""
        self.inputs += 1
        self.page.goto(self.base + path)

    def fill(self, selector: str, value: str) -> None:
        self.inputs += 1
        self.page.fill(selector, value)

    def select(self, selector: str, value: str) -> None:
        self.inputs += 1
        self.page.select_option(selector, value)

    def files(self, selector: str, path: Path) -> None:
        self.inputs += 1
        self.page.set_input_files(selector, str(path))

    def click(self, selector: str, navigates: bool = True) -> None:
        self.inputs += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.click(selector)
        else:
            self.page.click(selector)

    def tag(self, word: str) -> None:
        """A keyword in the select2 widget: click, type, Enter (three inputs)."""
        keywords.add(self.page, word)
        self.inputs += 3

    def text(self, selector: str) -> str:
        loc = self.page.locator(selector)
        return loc.first.inner_text().strip() if loc.count() else ""

    def passport(self, key: str) -> str:
        return self.text(f"tr.lutsk-passport-{key} td.dataset-details")

    def badge(self) -> str:
        return self.text(".lutsk-deadline .badge")


def _editor():
    from ckan.tests import factories
    from ckan.tests.helpers import call_action

    from tests.lutsk_factories import body_org

    org = body_org("culture")
    factories.User(name="culture-editor", password=PASSWORD, fullname="Редактор культури")
    call_action("organization_member_create", id=org["id"], username="culture-editor", role="editor")
    return org


def _kyiv_now() -> str:
    from ckanext.lutsk.domain import workdays

    return f"{workdays.kyiv_today():%d.%m.%Y}"


def _publish_a_dataset_from_scratch(browser, base: str, width: int, name: str, tmp_path: Path):  # noqa: F811
    """Journey (a): a body's editor publishes a new dataset and keeps it current."""
    import datetime as dt

    from ckan.tests.helpers import call_action

    from ckanext.lutsk.domain import workdays

    _editor()
    csv_1 = tmp_path / "vidviduvanist-2026.csv"
    csv_1.write_text("заклад,відвідувачі\nБібліотека № 1,1200\n", encoding="utf-8")
    csv_2 = tmp_path / "vidviduvanist-2026-12.csv"
    csv_2.write_text("заклад,відвідувачі\nБібліотека № 1,1350\n", encoding="utf-8")
    page = _page(browser, width=width, height=900)
    j = Journey(page, base, name)
    today = _kyiv_now()
    changed = workdays.kyiv_today() - dt.timedelta(days=4)

    # Log in.
    j.go("/user/login")
    j.fill("#field-login", "culture-editor")
    j.fill("#field-password", PASSWORD)
    j.inputs += 1  # Enter
    with page.expect_navigation():
        page.press("#field-password", "Enter")
    j.shot("logged-in")
    assert page.url.endswith("/organization/culture/deadlines"), "the body deadlines, no empty dashboard"
    start_inputs, start_loads = j.inputs, j.loads

    # Step 1 of the form, with a deliberate mistake (the e-mail).
    j.go("/dataset/new")
    page.wait_for_selector(".slug-preview")  # CKAN's modules start after their translations load
    j.fill("#field-title", TITLE)
    assert page.input_value("#field-name") == NAME, "the identifier by the official transliteration"
    j.fill("#field-notes", "Кількість відвідувачів бібліотек, музеїв і театрів громади за місяць.")
    j.fill("#field-purpose_of_collecting_information", "Постанова КМУ № 835")
    j.tag("культура")
    j.select("#field-update_frequency", "once a month")
    j.fill("#field-data_changed", changed.isoformat())
    j.fill("#field-maintainer", "Ірина Мельник")
    j.fill("#field-maintainer_email", "culture@")
    j.shot("form-filled")
    j.click("button[name=save]")
    j.shot("form-mistake")
    assert "«culture@» — неправильна адреса електронної пошти." in page.content()
    j.fill("#field-maintainer_email", "culture@lutskrada.gov.ua")
    j.click("button[name=save]")
    j.shot("resource-form")

    # Step 2: an uploaded CSV, then a link.
    j.files("#field-resource-upload", csv_1)
    j.click("button[name=save][value=again]")
    j.shot("first-file-saved")
    assert "Збережено. Додайте ще один файл чи посилання" in page.content()
    if not page.locator("#field-resource-url").is_visible():
        j.inputs += 1
        page.get_by_text("Посилання", exact=True).click()
    j.fill("#field-resource-url", "https://lutskrada.gov.ua/opendata/kultura.json")
    j.fill("#field-name", "Відвідуваність (API)")
    j.click("button[name=save][value=go-metadata]")
    j.shot("finished-private")
    assert j.badge() == "Не оприлюднено"
    assert j.passport("date_published") == ""
    assert ".0 %" not in page.inner_text("body"), "«81 %», not «81.0 %»"
    pkg = call_action("package_show", id=NAME)
    assert pkg["private"] is True and pkg["state"] == "active"
    assert [r["format"] for r in pkg["resources"]] == ["CSV", "JSON"], "formats guessed"

    # «Оприлюднити»: one step; the change made before it is carried by the publication.
    j.click(".lutsk-make-public button")
    j.shot("published")
    assert "Набір даних оприлюднено" in page.content()
    assert j.badge() == "Вчасно"
    assert j.passport("date_published").startswith(today)
    assert j.passport("data_updated").startswith(today)
    published_inputs, published_loads = j.inputs - start_inputs, j.loads - start_loads

    # Ten days pass (the test moves the dates back; no input).
    ago = (dt.datetime.utcnow() - dt.timedelta(days=10)).replace(microsecond=0).isoformat()
    from tests.lutsk_factories import site_user

    call_action(
        "package_patch",
        context={"user": site_user()},
        id=NAME,
        date_published=ago,
        data_updated=ago,
        data_changed="",
    )
    page.reload()
    old = j.passport("data_updated")
    assert j.badge() == "Вчасно"

    # The data change at the body is recorded: the deadline (3 working days) starts.
    j.click("a[href$='/dataset/edit/" + NAME + "']")
    j.fill("#field-data_changed", workdays.kyiv_today().isoformat())
    j.click("button[name=save]")
    j.shot("change-recorded")
    assert j.badge() in ("Вчасно", "Незабаром строк"), "the change is due in three working days"
    assert "робоч" in j.text(".lutsk-deadline-detail")
    assert j.passport("data_updated") == old, "recording a change is not a data update"

    # The new file: element 9 moves, the change is published.
    res_id = call_action("package_show", id=NAME)["resources"][0]["id"]
    j.go(f"/dataset/{NAME}/resource/{res_id}/edit")
    j.files("#field-resource-upload", csv_2)
    j.click("button[name=save]")
    j.go(f"/dataset/{NAME}")
    j.shot("new-file")
    assert j.passport("data_updated").startswith(today)
    assert j.badge() == "Вчасно"
    updated = call_action("package_show", id=NAME)["data_updated"]

    # Only the description: nothing moves.
    j.click("a[href$='/dataset/edit/" + NAME + "']")
    j.fill("#field-notes", "Кількість відвідувачів бібліотек, музеїв, театрів і клубів громади за місяць.")
    j.click("button[name=save]")
    j.shot("description-edited")
    shown = call_action("package_show", id=NAME)
    assert shown["data_updated"] == updated, "a description edit is not a data update"
    assert shown["date_published"] == ago
    assert j.badge() == "Вчасно"
    page.context.close()
    return published_inputs, published_loads, j.inputs - start_inputs, j.loads - start_loads


def test_editor_publishes_a_new_dataset_and_keeps_it_current(browser, portal_server, tmp_path):  # noqa: F811
    counts = _publish_a_dataset_from_scratch(browser, portal_server.url, 1280, "a-desktop", tmp_path)
    (ARTIFACTS / "a-desktop-counts.txt").write_text(
        "to publication: {} inputs, {} page loads; whole journey: {} inputs, {} page loads\n".format(*counts)
    )


def test_the_same_on_a_phone(browser, portal_server, tmp_path):  # noqa: F811
    counts = _publish_a_dataset_from_scratch(browser, portal_server.url, 390, "b-phone", tmp_path)
    (ARTIFACTS / "b-phone-counts.txt").write_text(
        "to publication: {} inputs, {} page loads; whole journey: {} inputs, {} page loads\n".format(*counts)
    )
