"""The extension's auth functions (``tk.blanket.auth_functions`` calls ``get_auth_functions``:
the guards on ckanext-harvest's own functions exist only when that plugin is loaded)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.lutsk.logic import harvest_sources
from ckanext.lutsk.logic.auth import datagovua, datasets


def get_auth_functions() -> dict[str, Any]:
    functions: dict[str, Any] = {
        "package_show": datasets.package_show,
        "lutsk_reports": datasets.lutsk_reports,
        "lutsk_deadline_report": datasets.lutsk_deadline_report,
        "lutsk_sync_status": datagovua.lutsk_sync_status,
        "lutsk_publish_now": datagovua.lutsk_publish_now,
        "package_create": harvest_sources.package_create,
        "package_update": harvest_sources.package_update,
        "package_delete": harvest_sources.package_delete,
        "bulk_update_delete": harvest_sources.bulk_update_delete,
        "bulk_update_private": harvest_sources.bulk_update_private,
        "bulk_update_public": harvest_sources.bulk_update_public,
    }
    if p.plugin_loaded("harvest"):  # chaining onto a missing auth function is an error
        functions.update(
            harvest_source_create=harvest_sources.harvest_source_create,
            harvest_source_update=harvest_sources.harvest_source_update,
            harvest_source_delete=harvest_sources.harvest_source_delete,
        )
    return functions
