"""RDF that reaches the portal: XXE, entity expansion and remote JSON-LD contexts are refused
before any parser runs, oversized documents are cut off; through ckanext-dcat's own RDF
harvester fetching real documents over HTTP on loopback."""

from __future__ import annotations

import configparser
import http.server
import json
import threading
import uuid
from pathlib import Path

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.exceptions import RDFParserException
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.processors import RDFParser
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject
from ckanext.harvest.tests.lib import run_harvest_job

from ckanext.lutsk.dcat import hooks as dcat_hooks
from ckanext.lutsk.domain.rdf_guard import RDFRefused, check_document
from tests.lutsk_factories import body_org

LIMIT = 10 * 1024 * 1024
SECRET = f"lutsk-xxe-canary-{uuid.uuid4().hex}"

RDF_HEAD = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">'
)


def xxe(path: Path) -> str:
    """An RDF/XML dataset whose title is an external entity pointing at a local file."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "file://{path}">]>\n'
        f'{RDF_HEAD}<dcat:Dataset rdf:about="http://evil.example/d1">'
        "<dct:title>&secret;</dct:title></dcat:Dataset></rdf:RDF>"
    )


def billion_laughs() -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{"".join(entities)}]>\n'
        f'{RDF_HEAD}<dcat:Dataset rdf:about="http://evil.example/d2">'
        "<dct:title>&lol9;</dct:title></dcat:Dataset></rdf:RDF>"
    )


VALID_XML = (
    f'<?xml version="1.0"?>{RDF_HEAD}<dcat:Dataset rdf:about="http://example.org/d">'
    "<dct:title>Бюджет</dct:title></dcat:Dataset></rdf:RDF>"
)


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("xxe") / "secret.txt"
    path.write_text(SECRET)
    return path


class TestCheckDocument:
    def test_external_entity_is_refused(self, secret_file):
        with pytest.raises(RDFRefused) as err:
            check_document(xxe(secret_file), max_bytes=LIMIT)
        assert err.value.reason == "doctype"

    def test_entity_expansion_is_refused(self):
        with pytest.raises(RDFRefused) as err:
            check_document(billion_laughs(), max_bytes=LIMIT, rdf_format="xml")
        assert err.value.reason == "doctype"

    def test_doctype_in_another_encoding_is_refused(self, secret_file):
        document = xxe(secret_file).replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
        with pytest.raises(RDFRefused):
            check_document(document, max_bytes=LIMIT)

    def test_oversized_document_is_refused(self):
        with pytest.raises(RDFRefused) as err:
            check_document(VALID_XML, max_bytes=100)
        assert (err.value.reason, err.value.limit) == ("too_large", 100)
        # The limit counts bytes, not characters: Cyrillic is two bytes in UTF-8.
        text = "@prefix dct: <http://purl.org/dc/terms/> . <http://x/d> dct:title " + '"ї"' * 40 + " ."
        assert len(text) < 200 < len(text.encode())
        with pytest.raises(RDFRefused):
            check_document(text, max_bytes=200)

    @pytest.mark.parametrize(
        "context",
        [
            "http://127.0.0.1:9/context.jsonld",
            ["file:///etc/passwd", {"dct": "http://purl.org/dc/terms/"}],
            {"@import": "https://example.org/context.jsonld"},
            {"t": {"@id": "http://purl.org/dc/terms/title", "@context": "http://127.0.0.1:9/scoped"}},
        ],
    )
    def test_remote_json_ld_context_is_refused(self, context):
        document = json.dumps({"@context": context, "@id": "http://x/d", "t": "x"})
        with pytest.raises(RDFRefused) as err:
            check_document(document, max_bytes=LIMIT)
        assert err.value.reason == "remote_context"

    @pytest.mark.parametrize(
        ("document", "rdf_format"),
        [
            (VALID_XML, "xml"),
            (
                json.dumps(
                    {"@context": {"t": "http://purl.org/dc/terms/title"}, "@id": "http://x/d", "t": "x"}
                ),
                None,
            ),
            # A DOCTYPE inside a Turtle literal is text, not a declaration.
            ('<http://x/d> <http://purl.org/dc/terms/description> "<!DOCTYPE html> <!ENTITY x>" .', "turtle"),
        ],
    )
    def test_ordinary_documents_pass(self, document, rdf_format):
        check_document(document, max_bytes=LIMIT, rdf_format=rdf_format)


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestSafeParse:
    def test_refusal_is_a_parser_error_with_a_clear_message(self, secret_file):
        parser = RDFParser()
        with pytest.raises(RDFParserException) as err:
            dcat_hooks.safe_parse(parser, xxe(secret_file), "xml")
        assert "DOCTYPE" in str(err.value)
        assert len(parser.g) == 0

    def test_a_valid_document_is_parsed(self):
        parser = RDFParser()
        dcat_hooks.safe_parse(parser, VALID_XML, "xml")
        assert len(parser.g) == 2


# --------------------------------------------------------------------------- the harvester


class _Documents(http.server.BaseHTTPRequestHandler):
    documents: dict[str, tuple[str, bytes]] = {}
    hits: list[str] = []

    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        self.hits.append(self.path)
        content_type, data = self.documents.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.documents else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def web():
    """A real HTTP server on loopback that serves the hostile documents."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Documents)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _gather(web: str, path: str, content_type: str, document: str | bytes) -> tuple[list[str], int]:
    """Serve ``document``, harvest it with ckanext-dcat's RDF harvester (gather, fetch,
    import); return the job's gather errors and the number of harvest objects."""
    _Documents.documents[path] = (
        content_type,
        document if isinstance(document, bytes) else document.encode(),
    )
    sysadmin = factories.Sysadmin()
    source = call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name=f"rdf-{uuid.uuid4().hex[:8]}",
        title="RDF",
        url=f"{web}{path}",
        source_type="dcat_rdf",
        owner_org=body_org("ict")["id"],
    )
    job = call_action("harvest_job_create", context={"user": sysadmin["name"]}, source_id=source["id"])
    run_harvest_job(HarvestJob.get(job["id"]), DCATRDFHarvester())
    errors = [e.message for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job["id"])]
    objects = model.Session.query(HarvestObject).filter_by(harvest_job_id=job["id"]).count()
    return errors, objects


def _plugins_with_the_rdf_harvester() -> str:
    """The portal's plugins (config/base.ini) plus ckanext-dcat's RDF harvester, which the
    portal does not enable by default."""
    base = configparser.ConfigParser(interpolation=None)
    base.read(Path(__file__).resolve().parents[2] / "config" / "base.ini")
    return f"{base['app:main']['ckan.plugins']} dcat_rdf_harvester"


harvester_plugins = pytest.mark.ckan_config("ckan.plugins", _plugins_with_the_rdf_harvester())


@harvester_plugins
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
class TestHarvester:
    def test_xxe_pointing_at_a_local_file_is_refused(self, web, secret_file):
        errors, objects = _gather(web, "/xxe.rdf", "application/rdf+xml", xxe(secret_file))
        assert objects == 0
        assert any("DOCTYPE" in e for e in errors), errors
        assert not any(SECRET in e for e in errors)
        assert call_action("package_search", q=SECRET)["count"] == 0

    def test_entity_expansion_is_refused_before_parsing(self, web):
        errors, objects = _gather(web, "/lol.rdf", "application/rdf+xml", billion_laughs())
        assert objects == 0
        assert errors == [dcat_hooks.refusal_message(RDFRefused("doctype"))]

    def test_remote_json_ld_context_is_not_fetched(self, web):
        document = json.dumps({"@context": f"{web}/context.jsonld", "@id": "http://x/d", "@type": "x"})
        _Documents.hits.clear()
        errors, objects = _gather(web, "/ctx.jsonld", "application/ld+json", document)
        assert objects == 0
        assert any(f"{web}/context.jsonld" in e for e in errors), errors
        assert "/context.jsonld" not in _Documents.hits

    @pytest.mark.ckan_config("ckanext.lutsk.rdf_max_bytes", 1000)
    def test_oversized_document_is_cut_off(self, web):
        big = VALID_XML.replace("<dct:title>", "<dct:title>" + "ї" * 1000)
        errors, objects = _gather(web, "/big.rdf", "application/rdf+xml", big)
        assert objects == 0
        assert any("1000" in e for e in errors), errors

    def test_a_clean_document_is_harvested(self, web):
        errors, objects = _gather(web, "/ok.rdf", "application/rdf+xml", VALID_XML)
        assert errors == []
        assert objects == 1

    def test_messages_are_ukrainian(self, web):
        errors, _objects = _gather(web, "/lol2.rdf", "application/rdf+xml", billion_laughs())
        assert errors and "DOCTYPE" in errors[0]
        assert any("\u0400" <= ch <= "\u04ff" for ch in errors[0]), errors[0]


def test_before_download_refuses_local_paths():
    url, errors = dcat_hooks.before_download("/etc/passwd", None)
    assert url is None and errors
    url, errors = dcat_hooks.before_download("file:///etc/passwd", None)
    assert url is None and errors
    assert dcat_hooks.before_download("https://data.gov.ua/catalog.ttl", None) == (
        "https://data.gov.ua/catalog.ttl",
        [],
    )


def test_messages_outside_a_request_use_the_default_locale():
    # Harvest consumers run without a request: the message is still Ukrainian (uk_UA).
    message = dcat_hooks.refusal_message(RDFRefused("too_large", "2048", limit=1024))
    assert message == "RDF-документ має 2048 байтів, більше за межу 1024 байтів."
