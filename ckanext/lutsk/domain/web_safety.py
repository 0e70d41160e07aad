"""What the portal refuses to upload and how it serves what it stores (plain Python).

A file a browser renders as a page (HTML, SVG, XHTML, JavaScript) uploaded as a resource
would run its script on the portal's own origin, with the session of whoever opens it.
Such files are refused at upload (:func:`upload_problem`); whatever is stored is served
as a download (:func:`download_headers`) that the browser neither renders nor sniffs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from urllib.parse import quote

__all__ = [
    "ACTIVE_EXTENSIONS",
    "ACTIVE_MIMETYPES",
    "DOWNLOAD_CSP",
    "download_headers",
    "page_csp",
    "upload_problem",
]

#: File name endings a browser may render as a document that runs script.
ACTIVE_EXTENSIONS = frozenset(
    {".html", ".htm", ".shtml", ".xhtml", ".xht", ".svg", ".svgz", ".js", ".mjs", ".xsl", ".xslt", ".swf"}
)
#: Media types a browser renders as a document that runs script.
ACTIVE_MIMETYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "text/ecmascript",
        "text/xsl",
        "application/xslt+xml",
        "application/x-shockwave-flash",
    }
)
#: The policy of a stored file: nothing loads, nothing runs, even if it is opened.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _mimetype(value: object) -> str:
    return str(value or "").split(";", 1)[0].strip().lower()


def upload_problem(filename: str, mimetype: object = None) -> str | None:
    """Why an uploaded file may not be stored (its ending or media type), or None."""
    ext = posixpath.splitext((filename or "").strip().lower())[1]
    if ext in ACTIVE_EXTENSIONS:
        return ext
    kind = _mimetype(mimetype)
    if kind in ACTIVE_MIMETYPES:
        return kind
    return None


def download_headers(filename: str, mimetype: object = None) -> dict[str, str]:
    """Headers that make a stored file a download: attachment, no sniffing, a sandbox."""
    safe_name = "".join(c for c in (filename or "download") if c.isprintable() and c not in '"\\;')
    ascii_name = safe_name.encode("ascii", "replace").decode().replace("?", "_") or "download"
    headers = {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe_name)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DOWNLOAD_CSP,
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if _mimetype(mimetype) in ACTIVE_MIMETYPES:
        headers["Content-Type"] = "application/octet-stream"
    return headers


def page_csp(extra_sources: Mapping[str, str] | None = None) -> str:
    """The Content-Security-Policy of the portal's pages: scripts and styles from the
    portal only (inline styles allowed: CKAN's templates use style attributes), no
    plugins, no framing by other sites, forms posted to the portal only."""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: https:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "frame-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }
    for name, value in (extra_sources or {}).items():
        directives[name] = f"{directives.get(name, '')} {value}".strip()
    return "; ".join(f"{k} {v}" for k, v in directives.items())
