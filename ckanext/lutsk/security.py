"""Response headers on every page (the plugin registers
:func:`add_headers` on the Flask app through IMiddleware).

* every response: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, frame
  protection (``X-Frame-Options: SAMEORIGIN`` and CSP ``frame-ancestors 'self'``);
* pages: a Content-Security-Policy they work under (scripts from the portal only; CKAN's
  and our templates have no inline script);
* a stored upload (CKAN's resource download view): an attachment that is neither sniffed
  nor run (``default-src 'none'; sandbox``), whatever its stored media type;
* the content-negotiated answers of ckanext-dcat (``/``, ``/dataset/<id>``, ``/catalog``):
  ``Vary: Accept``, so that a shared cache never gives Turtle to a browser.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from flask import request

from ckanext.lutsk import config
from ckanext.lutsk.domain import web_safety

REFERRER_POLICY = "strict-origin-when-cross-origin"
_NEGOTIATED = re.compile(r"^/(?:dataset/[^/.]+|catalog)?/?$")


def _is_upload_download() -> bool:
    endpoint = request.endpoint or ""
    return endpoint.endswith("resource.download")


def add_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    if _is_upload_download() and response.status_code == 200 and "Location" not in headers:
        filename = (request.view_args or {}).get("filename") or posixpath.basename(request.path)
        for name, value in web_safety.download_headers(filename, headers.get("Content-Type")).items():
            headers[name] = value
        return response
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = _page_csp()
    if request.method in ("GET", "HEAD") and _NEGOTIATED.match(request.path):
        response.vary.add("Accept")
    return response


def _page_csp() -> str:
    try:
        return web_safety.page_csp(config.content_security_policy_extra())
    except Exception:  # a bad option must not take pages down: the default policy
        return web_safety.page_csp()


def register(app: Any) -> Any:
    """Install the headers on CKAN's Flask app (IMiddleware.make_middleware)."""
    if hasattr(app, "after_request"):
        app.after_request(add_headers)
    return app


__all__ = ["REFERRER_POLICY", "add_headers", "register"]
