"""Actions of the sync with data.gov.ua: the state of a dataset's national copy
(``lutsk_sync_status``), "publish now" (``lutsk_publish_now``) and the list of datasets
whose national copy is behind (``lutsk_sync_behind``, for the ICT overview and reports).

Messages are in the user's language (Ukrainian by default); the stored error is a kind
plus the national portal's own words, turned into a sentence here.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.datagovua.messages import error_message, state_label
from ckanext.lutsk.model import sync_state


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
def lutsk_sync_status(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """State of the national copy of dataset ``id``: ``state`` (in_step, stale, missing,
    private, deleted, failed, not_published), ``remote_url``, ``last_pushed``,
    ``remote_modified``, ``error`` (why the last push failed)."""
    pkg = _package(data_dict)
    tk.check_access("lutsk_sync_status", context, {"id": pkg.id})
    return status_dict(pkg)


def lutsk_publish_now(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queue a push of dataset ``id`` to data.gov.ua now (editors of its body)."""
    pkg = _package(data_dict)
    tk.check_access("lutsk_publish_now", context, {"id": pkg.id})
    if not publisher.configured():
        raise tk.ValidationError({"id": [tk._("Publishing to data.gov.ua is not configured.")]})
    job = publisher.enqueue(pkg.id, force=True)
    return {"package_id": pkg.id, "job_id": job.id, "queue": publisher.QUEUE}


@tk.side_effect_free
def lutsk_sync_behind(context: Context, data_dict: dict[str, Any]) -> list[dict[str, Any]]:
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
        if pkg is None:
            continue  # purged since the sync row was written
        org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        item = status_dict(pkg)
        item["organization"] = org.name if org else None
        out.append(item)
    return out
