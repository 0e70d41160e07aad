"""Issue 14, journeys in the real browser (Playwright + Debian's Chromium), written as a
person works: a body's editor publishes a new dataset from scratch and keeps it current,
on a desktop and on a phone-sized screen. Screenshots of every step go to
test-artifacts/journey/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.lutsk.domain import identifiers
from tests.browser.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.unit.test_identifiers import TITLES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "journey"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _page(browser, width: int = 1280, height: int = 1000):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, locale="uk-UA")
    return context.new_page()


def test_slug_preview_follows_the_official_transliteration(browser, portal_server):  # noqa: F811
    """The form's JavaScript makes the same name as the server (translitua, CMU No. 55)."""
    page = _page(browser)
    page.goto(portal_server.url + "/dataset/")
    titles = [*TITLES, "Їжак і йорж: юні ягідки", "М`ясо, м‘ясо та мʼясо", "Зграя ЗГРАЯ", "ОСВІТА 2026"]
    made = page.evaluate("titles => titles.map(t => jQuery.url.slugify(t))", titles)
    assert made == [identifiers.slug(t) for t in titles]
    page.context.close()
