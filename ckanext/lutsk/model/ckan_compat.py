"""The few places where CKAN 2.11 and 2.12 differ underneath us, answered once.

2.12 replaced the ``package_extra`` table (PackageExtra rows with a state) with a JSONB
column ``package.extras``, and its search indexer wants each dataset with both the
default and the custom show schema applied. Everything of ours asks here instead of
touching either shape.
"""

from __future__ import annotations

from typing import Any

from ckan import logic, model
from ckan.lib import search
from ckan.plugins import toolkit as tk

__all__ = ["JSONB_EXTRAS", "index_package", "package_extras", "set_package_extras"]

#: CKAN 2.12+: a dataset's extras are the JSONB column ``package.extras``.
JSONB_EXTRAS: bool = "extras" in model.package_table.c


def package_extras(pkg: model.Package) -> dict[str, str]:
    """The stored (active) extras of a dataset as a plain dict, on 2.11 and 2.12."""
    if JSONB_EXTRAS:
        return dict(pkg.extras or {})
    rows = pkg._extras  # CKAN 2.11: PackageExtra rows by key, each with a state
    return {key: row.value for key, row in rows.items() if row.state == "active"}


def set_package_extras(pkg: model.Package, updates: dict[str, str]) -> None:
    """Set (add or replace) extras of a dataset in the session; the caller commits."""
    if JSONB_EXTRAS:
        pkg.extras = {**(pkg.extras or {}), **updates}
        return
    rows = pkg._extras
    for key, value in updates.items():
        if key in rows:
            rows[key].value = value
            rows[key].state = "active"
        else:
            pkg.extras[key] = value


def index_package(package_id: str, *, defer_commit: bool = True) -> None:
    """Index one dataset the way CKAN's own save does. Raises tk.ObjectNotFound if it is gone."""
    context: Any = {"ignore_auth": True, "validate": False, "use_cache": False}
    index_update_package = getattr(logic, "index_update_package", None)
    if index_update_package is not None:  # CKAN 2.12: default + custom schema dicts
        index_update_package(context, package_id, defer_commit)
        return
    pkg = tk.get_action("package_show")(context, {"id": package_id})
    search.index_for(model.Package).update_dict(pkg, defer_commit=defer_commit)
