"""The extension's actions, found here by ``tk.blanket.actions``."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p

from ckanext.lutsk.logic.action.datagovua import lutsk_publish_now, lutsk_sync_behind, lutsk_sync_status
from ckanext.lutsk.logic.action.datastore import datastore_search, datastore_search_sql
from ckanext.lutsk.logic.action.dcat import dcat_catalog_search, dcat_catalog_show
from ckanext.lutsk.logic.action.deadlines import lutsk_deadline_report
from ckanext.lutsk.logic.harvest_sources import package_create_action as package_create
from ckanext.lutsk.logic.harvest_sources import package_patch_action as package_patch
from ckanext.lutsk.logic.harvest_sources import package_update_action as package_update
from ckanext.lutsk.logic.harvest_sources import resource_create_action as resource_create
from ckanext.lutsk.logic.harvest_sources import resource_patch_action as resource_patch
from ckanext.lutsk.logic.harvest_sources import resource_update_action as resource_update

__all__ = [
    "dcat_catalog_search",
    "dcat_catalog_show",
    "lutsk_deadline_report",
    "lutsk_publish_now",
    "lutsk_sync_behind",
    "lutsk_sync_status",
    "package_create",
    "package_patch",
    "package_update",
    "resource_create",
    "resource_patch",
    "resource_update",
]


def get_actions() -> dict[str, Any]:
    """Every action of ``__all__``; with the datastore plugin loaded, also our
    datastore_search and datastore_search_sql (a chained action needs the one it wraps)."""
    actions = {name: globals()[name] for name in __all__}
    if p.plugin_loaded("datastore"):
        actions["datastore_search"] = datastore_search
        actions["datastore_search_sql"] = datastore_search_sql
    return actions
