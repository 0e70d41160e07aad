"""«Оприлюднити»: a private or draft dataset made public in one step from its page (POST,
CKAN's CSRF protection; editors of its body). The first publication sets passport element 8
and starts the update deadlines."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.lutsk.logic import errors
from ckanext.lutsk.logic.context import context

publication_bp = Blueprint("lutsk_publication", __name__)


def make_public(id: str):
    try:
        pkg = tk.get_action("package_show")(context(), {"id": id})
        tk.check_access("package_update", context(), {"id": pkg["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the dataset's body can publish it."))
    if not pkg.get("resources"):
        tk.h.flash_error(tk._("Add at least one data file or link before publishing."))
        return tk.redirect_to("dataset_resource.new", id=pkg["name"])
    try:
        tk.get_action("package_patch")(
            {**context(), "allow_state_change": True}, {"id": pkg["id"], "private": False, "state": "active"}
        )
    except tk.ValidationError as e:
        tk.h.flash_error(
            tk._("The dataset could not be published: {errors}").format(
                errors=errors.error_text(e)
            )
        )
        return tk.redirect_to("dataset.edit", id=pkg["name"])
    tk.h.flash_success(tk._("The dataset is published: everyone can see it now."))
    return tk.redirect_to("dataset.read", id=pkg["name"])


@publication_bp.after_app_request
def confirm_resource_added(response):
    """«Зберегти і додати ще один» (CKAN's resource form, ``save=again``) confirms what was
    saved before the empty form comes back; CKAN itself says nothing."""
    request = tk.request
    if (
        request.method == "POST"
        and (request.endpoint or "").endswith("_resource.new")
        and response.status_code in (302, 303)
        and request.form.get("save") == "again"
    ):
        tk.h.flash_success(tk._("Saved. Add another file or link, or press «Finish»."))
    return response


publication_bp.add_url_rule("/dataset/<id>/make-public", view_func=make_public, methods=["POST"])
