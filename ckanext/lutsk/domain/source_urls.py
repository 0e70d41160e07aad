"""Which addresses a harvest source may point at (plain rules; the messages are glue)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

#: Why a URL is refused.
NOT_HTTP = "not_http"


def refusal(url: Any) -> str | None:
    """Why a harvest source URL is refused (a code), or None. An empty URL passes: the
    harvest extension's own validator reports a missing one."""
    if not isinstance(url, str) or not url.strip():
        return None
    parts = urlsplit(url.strip())
    # ckanext-dcat's RDF harvester reads a local file when the URL is not http(s).
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return NOT_HTTP
    return None
