"""rdf_guard.check_document without a format: the XML check finds a DOCTYPE in any encoding."""

from __future__ import annotations

import pytest

from ckanext.lutsk.domain import rdf_guard

DOC = (
    '<?xml version="1.0" encoding="{enc}"?>\n'
    '<!DOCTYPE rdf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><x>&b;</x></rdf:RDF>'
)


@pytest.mark.parametrize(
    ("codec", "declared"),
    [
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-16", "UTF-16"),  # with BOM
        ("utf-8-sig", "UTF-8"),
        ("utf-8", "UTF-8"),
    ],
)
@pytest.mark.parametrize("rdf_format", [None, "json-ld", "turtle"])
def test_doctype_refused_whatever_the_encoding_and_format(codec, declared, rdf_format):
    data = DOC.format(enc=declared).encode(codec)
    with pytest.raises(rdf_guard.RDFRefused):
        rdf_guard.check_document(data, max_bytes=10**6, rdf_format=rdf_format)


def test_utf16_text_decoded_as_latin1_is_still_refused():
    text = DOC.format(enc="UTF-16").encode("utf-16-le").decode("latin-1")
    with pytest.raises(rdf_guard.RDFRefused):
        rdf_guard.check_document(text, max_bytes=10**6)


def test_plain_turtle_and_json_ld_pass():
    rdf_guard.check_document(b"@prefix dcat: <http://www.w3.org/ns/dcat#> .", max_bytes=10**6)
    rdf_guard.check_document('{"@context": {"a": "http://x/"}}', max_bytes=10**6)
