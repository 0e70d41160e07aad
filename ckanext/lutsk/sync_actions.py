"""Actions and auth of the sync with data.gov.ua: the state of a dataset's national copy
(``lutsk_sync_status``), "publish now" (``lutsk_publish_now``) and the list of datasets
whose national copy is behind (``lutsk_sync_behind``, for the ICT overview and reports).

Messages are in the user's language (Ukrainian by default); the stored error is a kind
plus the national portal's own words, turned into a sentence here.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.lutsk import auth, publisher, sync_state


def state_label(state: str) -> str:
    return {
        sync_state.IN_STEP: tk._("In step with data.gov.ua"),
        sync_state.STALE: tk._("National copy is stale"),
        sync_state.MISSING: tk._("Missing on data.gov.ua"),
        sync_state.PRIVATE: tk._("Private on data.gov.ua"),
        sync_state.DELETED: tk._("Deleted on data.gov.ua"),
        sync_state.FAILED: tk._("Publishing to data.gov.ua failed"),
        sync_state.NOT_PUBLISHED: tk._("Not published (private dataset)"),
    }.get(state, state)


def _rejection_text(detail: str) -> str:
    try:
        errors = json.loads(detail)
    except ValueError:
        return detail
    parts = []
    for field, messages in sorted(errors.items()):
        if isinstance(messages, list):
            messages = "; ".join(str(m) for m in messages)
        parts.append(f"{field}: {messages}")
    return "; ".join(parts)


def error_message(kind: str | None, detail: str | None, remote_org: str | None = None) -> str:
    """The reason of a failed push as a sentence for people."""
    if not kind:
        return ""
    detail = detail or ""
    if kind == publisher.UNAVAILABLE:
        return tk._(
            "data.gov.ua did not answer (timeout, dropped connection or server error); "
            "the portal will try again."
        )
    if kind == publisher.REMOTE_ERROR:
        return tk._("data.gov.ua answered with an error; the portal will try again.")
    if kind == publisher.REJECTED:
        return tk._("data.gov.ua rejected the dataset: {errors}").format(errors=_rejection_text(detail))
    if kind == publisher.UNAUTHORIZED:
        return tk._(
            "data.gov.ua refused access: check the city's API token and its editor rights "
            "in the national organization “{org}”."
        ).format(org=remote_org or "—")
    if kind == publisher.NO_ORGANIZATION:
        return tk._(
            "The organization “{org}” does not exist on data.gov.ua: ask the national portal to "
            "create it, or set datagovua_org of the body in the registry."
        ).format(org=detail)
    if kind == publisher.NAME_TAKEN:
        return tk._(
            "Another holder's dataset on data.gov.ua already has this name ({name}); rename the dataset."
        ).format(name=detail)
    if kind == publisher.BUSY:
        return tk._("Another push of this dataset did not finish in time; the portal will try again.")
    return tk._("Publishing to data.gov.ua failed.")


def status_dict(pkg: model.Package) -> dict[str, Any]:
    """The national copy's state of one dataset, for the page, the API and reports."""
    status = sync_state.national_status(pkg.id)
    row = (status.row if status else None) or {}
    state = status.state if status else sync_state.MISSING
    return {
        "package_id": pkg.id,
        "name": pkg.name,
        "title": pkg.title,
        "enabled": publisher.configured(),
        "state": state,
        "state_label": state_label(state),
        "behind": bool(status and status.behind),
        "behind_since": status.behind_since.isoformat() if status and status.behind_since else None,
        "remote_id": row.get("remote_id"),
        "remote_url": row.get("remote_url"),
        "remote_modified": row.get("remote_modified"),
        "last_pushed": row.get("last_pushed"),
        "last_attempt": row.get("last_attempt"),
        "attempts": row.get("attempts", 0),
        "error": error_message(row.get("error_kind"), row.get("error_detail"), row.get("remote_org"))
        if state == sync_state.FAILED
        else "",
    }


def _package(data_dict: dict[str, Any]) -> model.Package:
    pkg = model.Package.get(tk.get_or_bust(data_dict, "id"))
    if pkg is None or pkg.type != "dataset":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg


# --------------------------------------------------------------------------- actions


@tk.side_effect_free
def lutsk_sync_status(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """State of the national copy of dataset ``id``: ``state`` (in_step, stale, missing,
    private, deleted, failed, not_published), ``remote_url``, ``last_pushed``,
    ``remote_modified``, ``error`` (why the last push failed)."""
    pkg = _package(data_dict)
    tk.check_access("lutsk_sync_status", context, {"id": pkg.id})
    return status_dict(pkg)


def lutsk_publish_now(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queue a push of dataset ``id`` to data.gov.ua now (editors of its body)."""
    pkg = _package(data_dict)
    tk.check_access("lutsk_publish_now", context, {"id": pkg.id})
    if not publisher.configured():
        raise tk.ValidationError({"id": [tk._("Publishing to data.gov.ua is not configured.")]})
    job = publisher.enqueue(pkg.id, force=True)
    return {"package_id": pkg.id, "job_id": job.id, "queue": publisher.QUEUE}


@tk.side_effect_free
def lutsk_sync_behind(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Every public dataset whose national copy is behind, oldest change first
    (optionally of one ``organization``), with its state and reason."""
    tk.check_access("lutsk_reports", context, data_dict)
    org_ids = None
    if data_dict.get("organization"):
        org = model.Group.get(data_dict["organization"])
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(tk._("Organization not found"))
        org_ids = [org.id]
    out = []
    # No paging: a city has a few thousand datasets at most.
    for status in sync_state.behind(org_ids=org_ids):
        pkg = model.Package.get(status.package_id)
        item = status_dict(pkg)
        item["organization"] = pkg.owner_org and model.Group.get(pkg.owner_org).name
        out.append(item)
    return out


def get_actions() -> dict[str, Any]:
    return {
        "lutsk_sync_status": lutsk_sync_status,
        "lutsk_publish_now": lutsk_publish_now,
        "lutsk_sync_behind": lutsk_sync_behind,
    }


# --------------------------------------------------------------------------- auth


def _can_edit(context: dict[str, Any], package_id: str) -> bool:
    user = context.get("user")
    if not user:
        return False
    pkg = model.Package.get(package_id)
    if pkg is None or not pkg.owner_org:
        return authz.is_sysadmin(user)
    return authz.has_user_permission_for_group_or_org(pkg.owner_org, user, "update_dataset")


def lutsk_sync_status_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The body's editors and the ICT department (sysadmins pass anyway)."""
    if auth.is_ict_staff(context.get("user")) or _can_edit(context, data_dict.get("id", "")):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only the body's editors and the ICT department see the sync state."),
    }


def lutsk_publish_now_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Editors of the dataset's body only."""
    if _can_edit(context, data_dict.get("id", "")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only editors of the dataset's body can publish it.")}


def get_auth_functions() -> dict[str, Any]:
    return {"lutsk_sync_status": lutsk_sync_status_auth, "lutsk_publish_now": lutsk_publish_now_auth}
