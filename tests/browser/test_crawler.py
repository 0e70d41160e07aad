"""A crawler over the portal as four people see it: an anonymous visitor, a body's editor,
ICT staff and a sysadmin, on the demo data.

From the home page (and, for staff, their start pages) it follows every same-origin link
breadth-first, bounded per role and per URL pattern, skipping logout and anything that
deletes, purges, revokes or clears, and the English mirror (/en/...). It fails on:

- any 5xx answer;
- any page of the Ukrainian UI showing a CKAN English UI string from ``ENGLISH`` (strings
  CKAN's uk_UA catalogue leaves untranslated, or that CKAN writes without gettext);
- axe-core serious or critical violations, checked once per distinct page pattern
  (``/dataset/*``, ``/dataset/*/resource/*``, …: one template each).

A report of pages per role, 5xx, English strings and axe results goes to
test-artifacts/crawler/report.txt.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.browser.test_journeys import DEMO_PASSWORD, chromium, demo_portal  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "crawler"
AXE = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [pytest.mark.browser]

#: Pages per role, and URLs per pattern (facet and sort variants of one page are many).
MAX_PAGES = 110
PER_PATTERN = 3

#: (user, password) per role; the body editor is the finance department's (demo data).
ROLES = {
    "anonymous": None,
    "editor": ("finance-budget-editor", DEMO_PASSWORD),
    "ict": ("ict-staff", DEMO_PASSWORD),
    "sysadmin": ("admin", "lutsk-admin-dev"),
}
START = {
    "anonymous": ["/"],
    "editor": ["/", "/dashboard/datasets", "/organization/finance-budget/deadlines"],
    "ict": ["/", "/lutsk/deadlines", "/lutsk/coverage", "/lutsk/audit-plan", "/lutsk/datagovua/behind"],
    "sysadmin": ["/", "/ckan-admin", "/harvest"],
}

#: Links never followed: they end the session or change data on GET, or are not pages.
SKIP = re.compile(
    r"/user/(_)?logout|/delete|/purge|/revoke|/trash|/clear|/refresh|/abort|/follow|/unfollow|"
    r"/api/|/download/|/export\.|/register\.(csv|xlsx)|\.(atom|rdf|ttl|jsonld|xml|csv|xlsx|docx|pdf|json)(\?|$)|"
    r"/passport\.|/webassets/|/base/|/uploads/"
)

#: The anonymous dataset history answers 500 until issue 14's blocker («Anonymous GET
#: /dataset/activity/<any> → 500», auth.user_labels given "") is merged from the branch that
#: fixes it; a 5xx there is reported as that known blocker, not hidden, and nothing else is.
KNOWN_BLOCKER = re.compile(r"^/dataset/activity/[^/?]+$")

#: CKAN English UI strings that must not show on a Ukrainian page: the ones issue 14 saw,
#: and strings CKAN's uk_UA catalogue leaves untranslated or writes without gettext.
ENGLISH = (
    "updated the",
    "created the",
    "deleted the",
    "View this version",
    "Changed Package",
    "New Package",
    "Deleted Package",
    "Username or Email",
    "Follow",
    "Unfollow",
    "Forbidden",
    "Not Found",
    "Internal server error",
    "Unauthorized to read package",
    "not authorized to",
    "Has views",
    "Url type",
    "Open Database License",
    "Last access",
    "Revoke",
    "haven't created any",
    "Welcome to CKAN",
    "Powered by",
    "This is a featured section",
    "Newer activities",
    "Older activities",
    "No activity found",
    "Activity type",
    "All activity types",
    "Additional Information",
    "Data last updated",
    "Metadata last updated",
    "Show more",
    "Show More",
    "Read more",
    "Last Modified",
    "Last Active",
    "View dashboard",
    "Manage resource",
    "Collaborators",
    "No Organization",
    "No organization",
    "Reorder resources",
    "You can rearrange",
    "Log in",
    "Log out",
    "Register",
    "Search datasets",
    "Order by",
    "Relevance",
    "Name Ascending",
    "Name Descending",
    "Datasets",
    "Organizations",
    "Groups",
    "Resources",
    "Explore",
    "Preview",
    "Download",
    "Dashboard",
    "Edit",
    "Manage",
    "Members",
    "Followers",
    "Activity Stream",
    "Changes",
    "License",
    "Licenses",
    "Formats",
    "Tags",
    "unknown",
    "Private",
    "Draft",
    "Field",
    "Value",
    "Close",
    "Next",
    "Previous",
    "Home",
    "About",
    "Sysadmin settings",
    "Profile settings",
    "API Tokens",
    "Create API Token",
    "Save",
    "Cancel",
    "Submit",
    "Update",
    "Add",
    "Remove",
    "Required",
)
_ENGLISH_RE = [(s, re.compile(r"(?<![A-Za-z])" + re.escape(s) + r"(?![A-Za-z])")) for s in ENGLISH]

OBJECTS = {
    "dataset", "organization", "group", "user", "resource", "activity", "edit", "changes",
    "history", "source", "job", "groups", "followers", "members", "member_new", "views",
    "new_view", "bulk_process", "read", "resources", "collaborators", "about", "admin",
}  # fmt: skip
VERBS = {
    "edit", "new", "activity", "changes", "changes_multiple", "history", "resource", "resources",
    "groups", "followers", "members", "member_new", "bulk_process", "about", "api-tokens",
    "deadlines", "quality", "views", "new_view", "read", "collaborators", "datasets",
    "organizations", "job", "jobs", "admin", "login", "register", "reset",
}  # fmt: skip


def pattern(path: str) -> str:
    """The page pattern of a path: names and ids after an object word become ``*``."""
    out, prev = [], ""
    for seg in path.strip("/").split("/"):
        if not seg:
            continue
        out.append("*" if prev in OBJECTS and seg not in VERBS else seg)
        prev = seg
    return "/" + "/".join(out)


class _Page(HTMLParser):
    """Links and visible text (text nodes plus title, placeholder, aria-label, alt)."""

    HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for key in ("title", "placeholder", "aria-label", "alt"):
            if a.get(key):
                self.text.append(a[key])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def english_on(html: str) -> list[str]:
    parser = _Page()
    parser.feed(html)
    text = "\n".join(parser.text)
    # The language switch names English in English, on purpose.
    text = text.replace("English", "")
    return [s for s, rx in _ENGLISH_RE if rx.search(text)]


#: Patterns already checked with axe (one check per distinct page across roles).
_AXE_DONE: dict[str, list[str]] = {}
_REPORT: dict[str, dict] = {}


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _login(page, base: str, user: str, password: str) -> None:
    page.goto(base + "/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.press("#field-password", "Enter")
    assert page.locator(".account.authed").count() == 1, f"{user} could not log in"


def crawl(context, page, base: str, role: str) -> dict:
    origin = urlsplit(base)
    queue = deque(START[role])
    seen: set[str] = set(queue)
    per_pattern: dict[str, int] = {}
    found = {"pages": 0, "5xx": [], "blocker": [], "english": {}, "axe": {}, "4xx": []}
    while queue and found["pages"] < MAX_PAGES:
        path = queue.popleft()
        pat = pattern(urlsplit(path).path)
        if per_pattern.get(pat, 0) >= PER_PATTERN:
            continue
        per_pattern[pat] = per_pattern.get(pat, 0) + 1
        resp = context.request.get(base + path, max_redirects=5, timeout=60_000)
        found["pages"] += 1
        if resp.status >= 500:
            if role == "anonymous" and KNOWN_BLOCKER.match(urlsplit(path).path):
                found["blocker"].append(f"{resp.status} {path}")
            else:
                found["5xx"].append(f"{resp.status} {path}")
            continue
        if resp.status >= 400:
            found["4xx"].append(f"{resp.status} {path}")
        if "text/html" not in resp.headers.get("content-type", ""):
            continue
        html = resp.text()
        english = english_on(html)
        if english:
            found["english"][path] = english
        if pat not in _AXE_DONE and resp.status < 400:
            page.goto(base + path)
            _AXE_DONE[pat] = _axe(page)
            if _AXE_DONE[pat]:
                found["axe"][f"{pat} ({path})"] = _AXE_DONE[pat]
        parser = _Page()
        parser.feed(html)
        for href in parser.links:
            url = urldefrag(urljoin(resp.url, href))[0]
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc != origin.netloc:
                continue
            rel = parts.path + (f"?{parts.query}" if parts.query else "")
            if rel.startswith("/en/") or rel == "/en" or SKIP.search(rel):
                continue
            if rel not in seen:
                seen.add(rel)
                queue.append(rel)
    return found


def _write_report() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = []
    for role, f in _REPORT.items():
        lines.append(
            f"{role}: {f['pages']} pages, {len(f['5xx'])} 5xx, {len(f['blocker'])} known-blocker 5xx, "
            f"{len(f['4xx'])} 4xx, {len(f['english'])} pages with English, "
            f"{len(f['axe'])} patterns with serious axe violations"
        )
        for key in ("5xx", "blocker", "4xx"):
            lines += [f"  {key}: {x}" for x in f[key]]
        lines += [f"  english {p}: {', '.join(s)}" for p, s in f["english"].items()]
        for p, v in f["axe"].items():
            lines.append(f"  axe {p}:")
            lines += [f"    {x}" for x in v]
    lines.append(f"axe: {len(_AXE_DONE)} distinct patterns checked")
    lines += [f"  {p}" for p in sorted(_AXE_DONE)]
    (ARTIFACTS / "report.txt").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("role", list(ROLES))
def test_crawl(role, chromium, portal_server, demo_portal):  # noqa: F811 (fixtures imported above)
    # axe-core is injected as an inline script; bypass_csp lets it in (the pages keep their CSP).
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="uk-UA", bypass_csp=True)
    page = context.new_page()
    if ROLES[role]:
        _login(page, portal_server.url, *ROLES[role])
    try:
        found = crawl(context, page, portal_server.url, role)
    finally:
        context.close()
    _REPORT[role] = found
    _write_report()
    problems = []
    problems += [f"5xx {x}" for x in found["5xx"]]
    problems += [f"English on {p}: {s}" for p, s in found["english"].items()]
    problems += [f"axe {p}: {v}" for p, v in found["axe"].items()]
    assert found["pages"] >= 20, f"{role}: only {found['pages']} pages reached"
    assert not problems, f"{role}: {len(problems)} problems\n" + "\n".join(problems)


def test_the_crawler_sees_english_and_patterns():
    """The checks themselves: English found in text and attributes, not in scripts or in the
    language switch; ids and names folded into one pattern."""
    html = (
        '<p>Іван updated the <a href="/x" title="View this version">набір</a></p>'
        "<script>var s = 'Follow';</script><a lang=en>English</a><label>Ім’я користувача або e-mail</label>"
    )
    assert english_on(html) == ["updated the", "View this version"]
    assert english_on("<p>Username or Email</p>") == ["Username or Email"]
    assert english_on("<button>Стежити</button>") == []
    assert pattern("/dataset/budget-2026/resource/1f2e") == "/dataset/*/resource/*"
    assert pattern("/dataset/activity/budget") == "/dataset/activity/*"
    assert pattern("/organization/finance-budget/deadlines") == "/organization/*/deadlines"
    assert pattern("/lutsk/timeliness") == "/lutsk/timeliness"
