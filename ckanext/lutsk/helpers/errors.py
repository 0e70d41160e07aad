"""The error page (``h.lutsk_error_page``): a friendly title and text in the user's
language instead of werkzeug's English ("403 Forbidden", "Internal server error"), and a
refused dataset edit that names the dataset by its title, with a link."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.exceptions import default_exceptions

from ckanext.lutsk.logic.context import context

_ = tk._

#: Endpoints whose ``id`` is a dataset a refusal can name.
DATASET_ENDPOINTS = {
    ("dataset", "edit"),
    ("dataset", "delete"),
    ("dataset", "groups"),
    ("dataset", "collaborators_read"),
    ("resource", "new"),
    ("resource", "edit"),
    ("resource", "delete"),
    ("resource", "views"),
    ("lutsk_passport", "edit"),
}


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The portal could not understand this request. Check the address or the form and try again."),
        ),
        401: (_("Access denied"), _("You do not have permission to open this page.")),
        403: (_("Access denied"), _("You do not have permission to open this page.")),
        404: (_("Page not found"), _("The page may have been moved or removed, or the address has a typo.")),
        405: (_("Not allowed"), _("This page cannot be opened this way.")),
        409: (
            _("Conflict"),
            _("The request conflicts with the current state of the data. Reload the page and try again."),
        ),
        413: (_("File too large"), _("The file is larger than the portal accepts.")),
        429: (_("Too many requests"), _("Please wait a moment and try again.")),
        500: (
            _("Internal server error"),
            _("Something went wrong on our side. The error has been logged; please try again later."),
        ),
        503: (
            _("Service temporarily unavailable"),
            _("The portal is being maintained. Please try again in a few minutes."),
        ),
    }


def _is_stock_text(code: int, content: str) -> bool:
    """Whether ``content`` is werkzeug's or CKAN's generic English text, not a message."""
    exc = default_exceptions.get(code)
    stock = {"Internal server error", (exc.description if exc else None)}
    return not content or content.strip() in stock


def _refused_dataset(code: int) -> dict[str, str] | None:
    """The dataset of a refused edit (title and link), when the user may read it."""
    if code not in (401, 403):
        return None
    endpoint = tk.get_endpoint()
    if tuple(endpoint) not in DATASET_ENDPOINTS:
        return None
    ident = (tk.request.view_args or {}).get("id")
    if not ident:
        return None
    try:
        pkg = tk.get_action("package_show")(context(), {"id": ident})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return {"title": tk.h.dataset_display_name(pkg), "url": tk.h.url_for("dataset.read", id=pkg["name"])}


def lutsk_error_page(code: Any, content: Any = "") -> dict[str, Any]:
    """``title``, ``text``, ``detail`` (the message the view gave, if it is not a generic
    English one) and ``dataset`` (a refused dataset edit: its title and link)."""
    try:
        number = int(code[0] if isinstance(code, (list, tuple)) else code)
    except (TypeError, ValueError, IndexError):
        number = 500
    title, text = _titles().get(number, (_("Something went wrong"), _("Please go back and try again.")))
    detail = "" if _is_stock_text(number, str(content or "")) else str(content)
    try:
        dataset = _refused_dataset(number)
    except Exception:  # the error page itself must never fail
        dataset = None
    if dataset:
        # "User 'x' not authorized to edit slug": the dataset is named below, by its title.
        detail = ""
    return {"code": number, "title": title, "text": text, "detail": detail, "dataset": dataset}
