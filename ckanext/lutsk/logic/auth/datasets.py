"""Authorization: body editors act only for their own body (CKAN organization roles do
that); the ICT department's staff read everything, drafts included, and run reports
without being sysadmins. Built on CKAN auth functions and permission labels."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.lutsk import config

ICT_LABEL = "lutsk-ict"
_default_labels = DefaultPermissionLabels()


def is_ict_staff(user_name: str | None) -> bool:
    """Members of the ICT department's organization, in any role."""
    if not user_name:
        return False
    org = model.Group.get(config.ict_organization())
    if org is None or not org.is_organization:
        return False
    return authz.has_user_permission_for_group_or_org(org.id, user_name, "read")


def dataset_labels(dataset_obj: model.Package) -> list[str]:
    return [*_default_labels.get_dataset_labels(dataset_obj), ICT_LABEL]


def user_labels(user_obj: model.User | str | None) -> list[str]:
    """CKAN's labels, plus the ICT department's. CKAN passes ``""`` (or an anonymous
    user object) for a visitor who is not logged in (e.g. the activity stream)."""
    if not isinstance(user_obj, model.User) or getattr(user_obj, "is_anonymous", False):
        return _default_labels.get_user_dataset_labels(None)  # type: ignore[arg-type]
    labels = _default_labels.get_user_dataset_labels(user_obj)
    if is_ict_staff(user_obj.name):
        labels.append(ICT_LABEL)
    return labels


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> AuthResult:
    if is_ict_staff(context.get("user")):
        return {"success": True}
    return next_auth(context, data_dict or {})


def lutsk_reports(context: Context, data_dict: dict[str, Any] | None = None) -> dict[str, Any]:
    """Reports on all bodies: the ICT department (sysadmins pass anyway)."""
    if is_ict_staff(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the ICT department can see reports on all bodies.")}


@tk.auth_allow_anonymous_access
def lutsk_deadline_report(context: Context, data_dict: dict[str, Any] | None = None) -> dict[str, Any]:
    """The deadline report: all bodies for the ICT department (sysadmins pass anyway); one
    body for its own staff, i.e. members of its organization in any role (the report lists
    public datasets only, which they help keep current)."""
    user = context.get("user")
    if is_ict_staff(user):
        return {"success": True}
    body = (data_dict or {}).get("body")
    org = model.Group.get(body) if body else None
    if user and org is not None and org.is_organization:
        if authz.has_user_permission_for_group_or_org(org.id, user, "read"):
            return {"success": True}
        return {
            "success": False,
            "msg": tk._("Only this body's staff and the ICT department can see its report."),
        }
    return {"success": False, "msg": tk._("Only the ICT department can see reports on all bodies.")}
