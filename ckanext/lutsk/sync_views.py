"""Pages of the sync with data.gov.ua: "publish now" on a dataset (POST, editors of its
body) and the ICT department's list of datasets whose national copy is behind."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.lutsk import sync_actions

datagovua = Blueprint("lutsk_datagovua", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def publish_now(id: str):
    """Queue a push of the dataset now; CKAN's CSRF protection covers this POST."""
    try:
        tk.get_action("lutsk_publish_now")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the dataset's body can publish it."))
    except tk.ValidationError as e:
        tk.h.flash_error("; ".join(m for msgs in e.error_dict.values() for m in msgs))
    else:
        tk.h.flash_success(tk._("The dataset is queued for publishing to data.gov.ua."))
    return tk.redirect_to("dataset.read", id=id)


def behind():
    """Every public dataset whose national copy is behind (the ICT department)."""
    try:
        rows = tk.get_action("lutsk_sync_behind")(_context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the ICT department can see reports on all bodies."))
    return tk.render("lutsk/datagovua/behind.html", {"rows": rows})


datagovua.add_url_rule("/dataset/<id>/datagovua/publish", view_func=publish_now, methods=["POST"])
datagovua.add_url_rule("/datagovua/behind", view_func=behind)


# --------------------------------------------------------------------------- template helpers


def lutsk_sync_status(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The national copy's state for the dataset page, or None for those who may not see it
    (anyone but the body's editors and the ICT department) or when publishing is off."""
    try:
        status = tk.get_action("lutsk_sync_status")(_context(), {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return status if status["enabled"] else None


def lutsk_can_publish_now(pkg: dict[str, Any]) -> bool:
    return tk.h.check_access("lutsk_publish_now", {"id": pkg["id"]})


def get_helpers() -> dict[str, Any]:
    return {
        "lutsk_sync_status": lutsk_sync_status,
        "lutsk_can_publish_now": lutsk_can_publish_now,
        "lutsk_sync_state_label": sync_actions.state_label,
    }
