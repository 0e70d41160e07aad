"""Who may see a dataset's national copy and push it to data.gov.ua."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import Context

from ckanext.lutsk.logic.auth import datasets as auth


def _can_edit(context: Context, package_id: str) -> bool:
    user = context.get("user")
    if not user:
        return False
    pkg = model.Package.get(package_id)
    if pkg is None or not pkg.owner_org:
        return authz.is_sysadmin(user)
    return authz.has_user_permission_for_group_or_org(pkg.owner_org, user, "update_dataset")


def lutsk_sync_status(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The body's editors and the ICT department (sysadmins pass anyway)."""
    if auth.is_ict_staff(context.get("user")) or _can_edit(context, data_dict.get("id", "")):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only the body's editors and the ICT department see the sync state."),
    }


def lutsk_publish_now(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Editors of the dataset's body only."""
    if _can_edit(context, data_dict.get("id", "")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only editors of the dataset's body can publish it.")}
