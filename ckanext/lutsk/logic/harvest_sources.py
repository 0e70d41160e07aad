"""Who may create or change harvest sources, and which URLs they may point at.

A harvest source is a dataset of type ``harvest``: the form and ``harvest_source_*``
actions both go through ``package_create``/``package_update``, so the rules are chained
onto those (for sources only) and onto ckanext-harvest's own auth functions.

* Only sysadmins and the ICT department's staff create, change, delete or run sources
  (data.gov.ua's own fork made sources sysadmin-only); an ICT member still needs the
  usual rights in the organization that owns the source.
* Source URLs are http(s) only: ckanext-dcat's RDF harvester reads a local file when the
  URL does not start with ``http`` (``file:``, a bare path).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.lutsk.datagovua import messages
from ckanext.lutsk.logic.auth import datasets as auth

SOURCE_TYPE = "harvest"


def _is_source(data_dict: dict[str, Any], context: Context | None = None) -> bool:
    if data_dict.get("type") == SOURCE_TYPE or data_dict.get("source_type"):
        return True
    pkg = (context or {}).get("package")
    ref = data_dict.get("id") or data_dict.get("name")
    if pkg is None and isinstance(ref, str) and ref:
        pkg = model.Package.get(ref)
    return pkg is not None and getattr(pkg, "type", None) == SOURCE_TYPE


def _allowed(context: Context) -> bool:
    user = context.get("user")
    return bool(user) and (authz.is_sysadmin(user) or auth.is_ict_staff(user))


def _denied() -> AuthResult:
    return {
        "success": False,
        "msg": tk._("Only sysadmins and the ICT department can manage harvest sources."),
    }


def _guard(next_auth, context: Context, data_dict: dict[str, Any], only_sources: bool) -> Any:
    if (not only_sources or _is_source(data_dict or {}, context)) and not _allowed(context):
        return _denied()
    return next_auth(context, data_dict or {})


@tk.chained_auth_function
def harvest_source_create(next_auth, context, data_dict):
    return _guard(next_auth, context, data_dict, only_sources=False)


@tk.chained_auth_function
def harvest_source_update(next_auth, context, data_dict):
    return _guard(next_auth, context, data_dict, only_sources=False)


@tk.chained_auth_function
def harvest_source_delete(next_auth, context, data_dict):
    return _guard(next_auth, context, data_dict, only_sources=False)


@tk.chained_auth_function
def package_create(next_auth, context, data_dict):
    return _guard(next_auth, context, data_dict, only_sources=True)


@tk.chained_auth_function
def package_update(next_auth, context, data_dict):
    return _guard(next_auth, context, data_dict, only_sources=True)


@tk.chained_auth_function
def package_delete(next_auth, context, data_dict):
    return _guard(next_auth, context, data_dict, only_sources=True)


def _bulk_guard(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    """The organization's bulk actions (delete, make private/public) act on datasets by id:
    a harvest source among them needs the same rights as ``harvest_source_delete``."""
    ids = (data_dict or {}).get("datasets") or []
    if isinstance(ids, str):
        ids = [ids]
    for ref in ids if isinstance(ids, list) else []:
        pkg = model.Package.get(ref) if isinstance(ref, str) and ref else None
        if pkg is not None and pkg.type == SOURCE_TYPE and not _allowed(context):
            return _denied()
    return next_auth(context, data_dict or {})


@tk.chained_auth_function
def bulk_update_delete(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    return _bulk_guard(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_private(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    return _bulk_guard(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_public(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    return _bulk_guard(next_auth, context, data_dict)


def _check_url(data_dict: dict[str, Any], context: Context) -> None:
    if "url" in data_dict and _is_source(data_dict, context):
        error = messages.harvest_url_error(data_dict["url"])
        if error:
            raise tk.ValidationError({"url": [error]})


def _not_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return None
    return tk._("Must be text, not {kind}.").format(kind=type(value).__name__)


def _check_types(data_dict: dict[str, Any]) -> None:
    """What CKAN reads before validation must have the right JSON type: ``owner_org``
    (auth) and each resource's ``url`` (the uploader). A list or number there would be a
    500, so it is refused as a validation error first."""
    if not isinstance(data_dict, dict):
        return
    problem = _not_text(data_dict.get("owner_org"))
    if problem:
        raise tk.ValidationError({"owner_org": [problem]})
    resources = data_dict.get("resources")
    if resources is not None and not isinstance(resources, list):
        raise tk.ValidationError({"resources": [tk._("Must be a list.")]})
    errors = []
    for resource in resources or []:
        if not isinstance(resource, dict):
            errors.append({"url": [tk._("Must be a list.")]})
            continue
        problem = _not_text(resource.get("url"))
        errors.append({"url": [problem]} if problem else {})
    if any(errors):
        raise tk.ValidationError({"resources": errors})


def _check_resource_types(data_dict: dict[str, Any]) -> None:
    problem = _not_text(data_dict.get("url")) if isinstance(data_dict, dict) else None
    if problem:
        raise tk.ValidationError({"url": [problem]})


@tk.chained_action
def resource_create_action(up_func, context, data_dict):
    _check_resource_types(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_update_action(up_func, context, data_dict):
    _check_resource_types(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_patch_action(up_func, context, data_dict):
    _check_resource_types(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_create_action(up_func, context, data_dict):
    _check_types(data_dict)
    _check_url(data_dict, context)
    return up_func(context, data_dict)


@tk.chained_action
def package_update_action(up_func, context, data_dict):
    _check_types(data_dict)
    _check_url(data_dict, context)
    return up_func(context, data_dict)


@tk.chained_action
def package_patch_action(up_func, context, data_dict):
    _check_types(data_dict)
    _check_url(data_dict, context)
    return up_func(context, data_dict)
