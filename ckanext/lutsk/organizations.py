"""CKAN side of the registry: keep one organization per body (``ckan lutsk bodies sync``)
and move an abolished body's datasets to its successor (``ckan lutsk bodies move``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk.domain import org_plan
from ckanext.lutsk.domain.registry import Registry

_PAGE = 25  # CKAN caps organization_list(all_fields) at 25 rows by default


@dataclass
class ActionCounter:
    """Calls CKAN actions as the site user and counts reads and writes (for reports and benches)."""

    reads: int = 0
    writes: int = 0
    user: str = field(default="")

    def __post_init__(self) -> None:
        if not self.user:
            self.user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def call(self, action: str, data: dict[str, Any], write: bool = False) -> Any:
        if write:
            self.writes += 1
        else:
            self.reads += 1
        return tk.get_action(action)({"user": self.user, "ignore_auth": True}, data)


def all_organizations(api: ActionCounter) -> list[dict[str, Any]]:
    orgs: list[dict[str, Any]] = []
    while True:
        page = api.call(
            "organization_list",
            {"all_fields": True, "include_extras": True, "limit": _PAGE, "offset": len(orgs)},
        )
        orgs.extend(page)
        if len(page) < _PAGE:
            return orgs


def sync(
    registry: Registry,
    dry_run: bool = False,
    progress: Callable[[org_plan.Change], None] | None = None,
    api: ActionCounter | None = None,
) -> tuple[list[org_plan.Change], ActionCounter]:
    """Bring the organizations in step with the registry; returns the plan and the counts."""
    api = api or ActionCounter()
    existing = {o["name"]: o for o in all_organizations(api)}
    changes = org_plan.plan(registry, existing.values())
    if not dry_run:
        org_plan.apply(
            changes,
            existing,
            create=lambda data: api.call("organization_create", data, write=True),
            patch=lambda org_id, data: api.call("organization_patch", {"id": org_id, **data}, write=True),
            progress=progress,
        )
    return changes, api


def datasets_of(org_name: str, api: ActionCounter) -> list[dict[str, Any]]:
    """Every dataset of an organization, drafts and private ones included."""
    found: list[dict[str, Any]] = []
    while True:
        page = api.call(
            "package_search",
            {
                "fq": f'organization:"{org_name}"',
                "include_private": True,
                "include_drafts": True,
                "fl": "id,name",
                "rows": 500,
                "start": len(found),
                "sort": "name asc",
            },
        )
        found.extend(page["results"])
        if len(found) >= page["count"] or not page["results"]:
            return found


def move_datasets(
    registry: Registry,
    slug: str,
    to: str | None = None,
    dry_run: bool = False,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """Move the datasets of body ``slug`` to ``to`` (default: the end of its successor chain)."""
    body = registry.get(slug)
    if body is None:
        raise tk.ValidationError(
            {
                "slug": [
                    tk._("“{org}” is not in the registry of executive bodies of Lutsk City Council.").format(
                        org=slug
                    )
                ]
            }
        )
    target = registry.get(to) if to else registry.current(slug)
    if target is None or target.slug == slug:
        raise tk.ValidationError(
            {
                "to": [
                    tk._("Name the body that takes over the datasets of “{body}”.").format(
                        body=body.title("uk")
                    )
                ]
            }
        )
    if not target.active:
        raise tk.ValidationError(
            {
                "to": [
                    tk._("“{body}” was abolished on {date}.").format(
                        body=target.title("uk"), date=target.abolished
                    )
                ]
            }
        )
    api = ActionCounter()
    target_org = api.call("organization_show", {"id": target.slug})
    datasets = datasets_of(slug, api)
    if not dry_run:
        for ds in datasets:
            # The editor's rights follow the organization: moving is a change of owner_org.
            api.call("package_patch", {"id": ds["id"], "owner_org": target_org["id"]}, write=True)
            if progress:
                progress(ds)
    return target.slug, datasets
