"""CKAN glue around ckanext-dcat: stable publisher URIs, public-only catalogue pages, and the
checks on RDF that reaches the portal (``rdf_guard``) with their messages."""

from __future__ import annotations

import gettext
import json
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.exceptions import RDFParserException
from ckanext.dcat.processors import RDFParser
from flask import has_request_context

from ckanext.lutsk import config
from ckanext.lutsk.dcat.profile import organization_uri
from ckanext.lutsk.domain import rdf_guard, source_urls

I18N_DIR = str(Path(__file__).resolve().parents[1] / "i18n")

__all__ = [
    "after_download",
    "before_download",

    "max_bytes",
    "publisher_uri",
    "refusal_message",
    "safe_parse",
]


def publisher_uri(dataset_dict: dict[str, Any]) -> str | None:
    """``<site>/organization/<slug>``: the body's slug never changes (registry rule), its id
    changes whenever the organization is re-created."""
    org = dataset_dict.get("organization") or {}
    return organization_uri(org["name"]) if org.get("name") else None


# --------------------------------------------------------------------------- RDF input


def max_bytes() -> int:
    return config.rdf_max_bytes()


def _(message: str) -> str:
    """``tk._`` in a request; elsewhere (harvest consumers) the portal's default locale."""
    if has_request_context():
        return tk._(message)
    locale = tk.config.get("ckan.locale_default") or "uk_UA"
    return gettext.translation("ckanext-lutsk", I18N_DIR, languages=[locale], fallback=True).gettext(message)


def refusal_message(error: rdf_guard.RDFRefused) -> str:
    """The clear, translated reason a document was refused."""
    if error.reason == "too_large":
        return _("The RDF document is {size} bytes, more than the limit of {limit} bytes.").format(
            size=error.detail, limit=error.limit
        )
    if error.reason == "doctype":
        return _(
            "The RDF document declares a DOCTYPE. Documents with a DTD or entity declarations "
            "are refused: they can read local files or exhaust the server."
        )
    if error.reason == "entity":
        return _(
            "The RDF document declares or references XML entities. Documents with a DTD or entity "
            "declarations are refused: they can read local files or exhaust the server."
        )
    return _(
        "The JSON-LD document loads a remote context ({url}). Remote contexts are not fetched: "
        "put the context into the document."
    ).format(url=error.detail)


def safe_parse(parser: RDFParser, content: str | bytes, rdf_format: str | None = None) -> None:
    """``parser.parse`` behind the checks: raises ``RDFParserException`` with the reason."""
    try:
        rdf_guard.check_document(content, max_bytes=max_bytes(), rdf_format=rdf_format)
    except rdf_guard.RDFRefused as exc:
        raise RDFParserException(refusal_message(exc)) from exc
    parser.parse(content, _format=rdf_format)


def before_download(url: str, harvest_job: Any) -> tuple[str | None, list[str]]:
    """IDCATRDFHarvester: only web sources, also for sources saved before the URL rule
    (harvest_sources); ckanext-dcat would otherwise open a server path."""
    if not (isinstance(url, str) and url.strip().lower().startswith(("http://", "https://"))):
        return None, [_("A harvest source must be an http:// or https:// address.")]
    # The address the host resolves to now, not only the text of the URL (a public name
    # may point at 127.0.0.1 or the cloud metadata service).
    if source_urls.fetch_refusal(url, config.harvest_internal_hosts()):
        return None, [
            _(
                "A harvest source may not point at an internal address (this server, its local "
                "network or a cloud metadata service). An administrator can allow a trusted internal "
                "source with ckanext.lutsk.harvest_internal_hosts."
            )
        ]
    return url, []


def after_download(content: Any, harvest_job: Any) -> tuple[Any, list[str]]:
    """IDCATRDFHarvester: check the downloaded document before ckanext-dcat parses it."""
    if not content:
        return content, []
    rdf_format = None
    config = getattr(getattr(harvest_job, "source", None), "config", None)
    if config:
        try:
            rdf_format = json.loads(config).get("rdf_format")
        except (ValueError, AttributeError):
            rdf_format = None
    try:
        rdf_guard.check_document(content, max_bytes=max_bytes(), rdf_format=rdf_format)
    except rdf_guard.RDFRefused as exc:
        return None, [refusal_message(exc)]
    return content, []
