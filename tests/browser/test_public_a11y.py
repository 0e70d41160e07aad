"""Accessibility of what issue 14 found wanting, measured in the browser on the demo data:
form errors' contrast and their ties to the fields, the log-out icon's contrast and focus
ring, no sideways scrolling at 390 px, facet labels told apart."""

from __future__ import annotations

import pytest

from tests.browser.test_journeys import DEMO_PASSWORD, Journey, chromium, demo_portal  # noqa: F401

pytestmark = [pytest.mark.browser]

CONTRAST_JS = """
([fg, bg]) => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lin = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
  const lum = c => { const v = c.map(lin); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const a = lum(rgb(fg)), b = lum(rgb(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


def _contrast(page, fg: str, bg: str) -> float:
    return page.evaluate(CONTRAST_JS, [fg, bg])


def _style(locator, prop: str) -> str:
    return locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")


def test_form_errors_are_readable_and_tied_to_their_fields(chromium, portal_server, demo_portal):  # noqa: F811
    j = Journey(chromium, portal_server.url, "a11y-form-errors")
    page = j.page
    j.login("finance-budget-editor", DEMO_PASSWORD)
    j.go("/dataset/new")
    page.fill("#field-title", "Перевірка помилок")
    page.fill("#field-maintainer_email", "olena.koval@")
    with page.expect_navigation():
        page.click("button[name=save]")
    j.shot("errors")
    message = page.locator("#field-maintainer_email-error")
    assert message.is_visible()
    field = page.locator("#field-maintainer_email")
    assert field.get_attribute("aria-invalid") == "true"
    assert "field-maintainer_email-error" in field.get_attribute("aria-describedby").split()
    ratio = _contrast(page, _style(message, "color"), _style(message, "background-color"))
    assert ratio >= 4.5, f"inline error {ratio:.2f}:1"
    summary = page.locator(".error-explanation").first
    ratio = _contrast(page, _style(summary, "color"), _style(summary, "background-color"))
    assert ratio >= 4.5, f"error summary {ratio:.2f}:1"
    j.close()


def test_log_out_icon_contrast_and_focus_ring(chromium, portal_server, demo_portal):  # noqa: F811
    j = Journey(chromium, portal_server.url, "a11y-logout")
    page = j.page
    j.login("finance-budget-editor", DEMO_PASSWORD)
    button = page.locator(".account-masthead form[action$='logout'] button")
    icon_color = _style(button, "color")
    bar = _style(page.locator(".account-masthead"), "background-color")
    assert _contrast(page, icon_color, bar) >= 3, f"log-out icon {icon_color} on {bar}"
    # Reach it by keyboard: Tab until it has focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest(\"form[action$='logout']\") !== null"):
            break
    else:
        raise AssertionError("the log-out button is not reachable by Tab")
    j.shot("logout-focused")
    assert _style(button, "outline-style") != "none"
    assert float(_style(button, "outline-width").rstrip("px")) >= 2
    ring = _style(button, "outline-color")
    assert _contrast(page, ring, bar) >= 3, f"focus ring {ring} on {bar}"
    j.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _overflowing(page) -> list[str]:
    """The innermost elements that reach past the right edge of the screen (for the message)."""
    return page.evaluate(
        """() => {
          const edge = document.documentElement.clientWidth + 0.5;
          const wide = [...document.querySelectorAll("body *")].filter(
            (e) => e.getBoundingClientRect().right > edge);
          return wide.filter((e) => !wide.some((o) => o !== e && e.contains(o))).slice(0, 6).map(
            (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
              + (typeof e.className === "string" && e.className.trim()
                 ? "." + e.className.trim().split(/\\s+/).join(".") : ""));
        }"""
    )


def test_no_sideways_scrolling_on_a_phone(chromium, portal_server, demo_portal):  # noqa: F811
    j = Journey(chromium, portal_server.url, "a11y-phone", width=390, height=844)
    page = j.page
    j.login("finance-budget-editor", DEMO_PASSWORD)
    for path in (
        "/dataset/budget-lutsk-community",
        "/organization/finance-budget/deadlines",
        "/dataset/",
        "/",
    ):
        j.go(path)
        j.shot(path.strip("/").replace("/", "-") or "home")
        width = _scroll_width(page)
        assert width <= 390, f"{path}: the page is {width} px wide: {_overflowing(page)}"
    j.close()


def test_facet_labels_are_told_apart(chromium, portal_server, demo_portal):  # noqa: F811
    j = Journey(chromium, portal_server.url, "a11y-facets")
    page = j.page
    j.go("/dataset/")
    j.shot("facets")
    labels = page.locator(".nav-facet .item-label").all_inner_texts()
    late = [label for label in labels if label.startswith("Прострочено")]
    assert len(late) >= 2, labels
    assert len(set(late)) == len(late) and not any(label.endswith("...") for label in late), late
    j.close()


EFFECTIVE_BG_JS = """
e => {
  for (let n = e; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
  }
  return 'rgb(255, 255, 255)';
}
"""


def test_home_page_text_is_readable(chromium, portal_server, demo_portal):  # noqa: F811
    """Every text block of the home page against the background it sits on (the on-time
    share once sat, white on white, inside the search card)."""
    j = Journey(chromium, portal_server.url, "a11y-home")
    page = j.page
    j.go("/")
    j.shot("home")
    for selector in (
        ".lutsk-home-intro p",
        ".lutsk-home-on-time h2",
        ".lutsk-home-on-time p",
        ".lutsk-home-newest h2",
        ".lutsk-home-bodies li",
    ):
        node = page.locator(selector).first
        assert node.is_visible(), selector
        ratio = _contrast(page, _style(node, "color"), node.evaluate(EFFECTIVE_BG_JS))
        assert ratio >= 4.5, f"{selector}: {ratio:.2f}:1"
    j.close()
