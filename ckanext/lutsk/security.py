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

And CKAN's CSRF exemptions kept to the request that makes them (:func:`scope_csrf_exemptions`).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from flask import g, has_request_context, request

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


_EXEMPT_FLAG = "lutsk_csrf_exempt_request"


def scope_csrf_exemptions(csrf: Any) -> bool:
    """Make CKAN's per-request CSRF exemption per request again (CKAN 2.12.0).

    CKAN exempts a request that is not session-authenticated (an API token, or anonymous)
    from the CSRF check. CKAN 2.11 marks only that request (its ``exempt_this_request``);
    CKAN 2.12.0 calls Flask-WTF's ``csrf.exempt(view)``, which exempts the view for every
    later request of the process, so one anonymous POST to a form switches its CSRF
    protection off for every logged-in user until the worker restarts.

    Here ``exempt(view)`` called while a request is served marks that request only, and
    ``protect`` lets that request through; an exemption declared outside a request (a
    decorator at import time) stays for good, as Flask-WTF intends. A no-op where CKAN has
    its own per-request exemption (2.11) or it is installed already. True when installed.
    """
    if hasattr(csrf, "exempt_this_request") or getattr(csrf, "lutsk_scoped_exemptions", False):
        return False
    exempt_for_good = csrf.exempt
    protect = csrf.protect

    def exempt(view: Any) -> Any:
        if has_request_context() and isinstance(view, str):
            setattr(g, _EXEMPT_FLAG, True)
            return view
        return exempt_for_good(view)

    def protect_unless_exempt(*args: Any, **kwargs: Any) -> Any:
        if has_request_context() and g.get(_EXEMPT_FLAG):
            return None
        return protect(*args, **kwargs)

    csrf.exempt = exempt
    csrf.protect = protect_unless_exempt
    csrf.lutsk_scoped_exemptions = True
    return True


def register(app: Any) -> Any:
    """Install the headers on CKAN's Flask app (IMiddleware.make_middleware), and keep its
    CSRF exemptions to their request."""
    if hasattr(app, "after_request"):
        app.after_request(add_headers)
        csrf = getattr(app, "extensions", {}).get("csrf")
        if csrf is not None:
            scope_csrf_exemptions(csrf)
    return app


__all__ = ["REFERRER_POLICY", "add_headers", "register", "scope_csrf_exemptions"]
