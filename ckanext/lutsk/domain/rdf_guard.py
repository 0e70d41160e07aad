"""Checks on RDF documents that reach the portal, run before any RDF parser sees them.

Plain Python (no CKAN imports). Why it is needed (measured with rdflib 7.6 and expat 2.5):

* rdflib's RDF/XML and TriX parsers read DTDs. An external entity is not fetched (Python's
  SAX reader leaves ``feature_external_ges`` off) but silently becomes an empty text, and a
  billion-laughs document keeps the parser busy for about five minutes before expat's
  amplification limit stops it.
* rdflib's JSON-LD parser fetches every remote ``@context`` it meets, ``file:`` URLs included.

So a document with a DOCTYPE or entity declaration, a JSON-LD document that names a remote
context, or a document over the size limit is refused with a reason; nothing is parsed.
defusedxml's expat reader does the XML part: it stops at the DOCTYPE, before the internal
subset is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import defusedxml
import defusedxml.sax

__all__ = ["REASONS", "RDFRefused", "check_document", "looks_like_json", "looks_like_xml"]

#: Why a document was refused; the CKAN side turns each into a translated message.
REASONS = ("too_large", "doctype", "entity", "remote_context")

# rdflib format names (and the media types ckanext-dcat passes along) that are XML.
_XML_FORMATS = {"xml", "pretty-xml", "trix", "application/rdf+xml", "application/xml", "text/xml"}
_JSON_FORMATS = {"json-ld", "jsonld", "application/ld+json", "application/json"}


class RDFRefused(ValueError):
    """The document is refused before parsing; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, detail: str = "", limit: int | None = None) -> None:
        self.reason = reason
        self.detail = detail
        self.limit = limit
        super().__init__(f"{reason}: {detail}" if detail else reason)


class _RootReached(Exception):
    """Raised by the scanner at the first element: no DTD can follow the root element."""


class _StopAtRoot(ContentHandler):
    def startElement(self, name: str, attrs: Any) -> None:
        raise _RootReached

    def startElementNS(self, name: Any, qname: Any, attrs: Any) -> None:
        raise _RootReached


def _start(content: str | bytes) -> str:
    head = content[:64]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "ignore")
    return head.lstrip("\ufeff \t\r\n")[:1]


def looks_like_xml(content: str | bytes, rdf_format: str | None = None) -> bool:
    return (rdf_format or "").lower() in _XML_FORMATS or _start(content) == "<"


def looks_like_json(content: str | bytes, rdf_format: str | None = None) -> bool:
    return (rdf_format or "").lower() in _JSON_FORMATS or _start(content) in ("{", "[")


def _byte_size(content: str | bytes) -> int:
    return len(content) if isinstance(content, bytes) else len(content.encode("utf-8"))


def _check_xml(content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if isinstance(content, str) and data.lstrip().startswith(b"<?xml"):
        # The text is already decoded: a declared encoding (e.g. UTF-16) would now lie.
        end = data.find(b"?>")
        data = b"<?xml version='1.0' encoding='utf-8'" + data[end:] if end > 0 else data
    try:
        defusedxml.sax.parseString(
            data, _StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except _RootReached:
        return
    except defusedxml.DTDForbidden as exc:
        raise RDFRefused("doctype", str(exc.name or "")) from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise RDFRefused("entity", str(getattr(exc, "name", "") or "")) from None
    except SAXParseException:
        # Not well-formed before the root element: the RDF parser reports it properly.
        return


def _contexts(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield value
            yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def _remote_context(context: Any) -> str | None:
    """The first remote reference in a ``@context`` value (a URL string or ``@import``)."""
    items = context if isinstance(context, list) else [context]
    for item in items:
        if isinstance(item, str):
            return item
        if isinstance(item, dict):
            if isinstance(item.get("@import"), str):
                return item["@import"]
            for value in item.values():
                # A term definition may carry its own scoped context.
                if isinstance(value, dict) and "@context" in value:
                    found = _remote_context(value["@context"])
                    if found:
                        return found
    return None


def _check_json(content: str | bytes) -> None:
    try:
        document = json.loads(content)
    except ValueError:
        return  # not JSON after all: the RDF parser reports it
    for context in _contexts(document):
        url = _remote_context(context)
        if url:
            raise RDFRefused("remote_context", url)


def check_document(content: str | bytes, *, max_bytes: int, rdf_format: str | None = None) -> None:
    """Raise ``RDFRefused`` if ``content`` must not be parsed; return quietly otherwise.

    ``rdf_format`` is the rdflib format or media type the caller will parse with, if known;
    the content is also sniffed, since a harvest source can send any media type.
    """
    size = _byte_size(content)
    if size > max_bytes:
        raise RDFRefused("too_large", str(size), limit=max_bytes)
    # The XML check always runs: expat finds the encoding itself (a UTF-16 or UTF-32
    # document without a byte order mark does not look like "<" to a UTF-8 sniff), and
    # stops at once on a document that is not XML.
    _check_xml(content)
    if looks_like_json(content, rdf_format):
        _check_json(content)
