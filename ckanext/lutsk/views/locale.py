"""``/uk/...`` → the Ukrainian page. CKAN names a locale by its full code (``/uk_UA/``; the
default locale has no prefix at all), but people type the short one: without this it is 404."""

from __future__ import annotations

from flask import Blueprint, redirect, request
from werkzeug.wrappers import Response

locale_bp = Blueprint("lutsk_locale", __name__)


@locale_bp.route("/uk/", defaults={"path": ""})
@locale_bp.route("/uk/<path:path>")
def short_ukrainian(path: str) -> Response:
    query = request.query_string.decode("latin-1")
    return redirect("/" + path + ("?" + query if query else ""), code=301)
