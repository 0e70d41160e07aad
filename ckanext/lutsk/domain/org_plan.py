"""One CKAN organization per registry body: plan the changes (plain functions) and apply
them through CKAN's actions (``ckan lutsk bodies sync``).

The plan compares what the registry says with what the organizations hold and lists
only real differences, so a re-run with nothing changed writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckanext.lutsk.domain.registry import Body, Registry


def desired_org(body: Body) -> dict[str, Any]:
    """The organization fields a body should have (``title`` in Ukrainian, the rest as extras)."""
    extras = {
        "lutsk_kind": body.kind,
        "lutsk_parent": body.parent or "",
        "lutsk_edrpou": body.edrpou or "",
        "lutsk_email": body.email or "",
        "lutsk_title_en": body.name.en or "",
        "lutsk_short_title_uk": body.short_name.uk if body.short_name else "",
        "lutsk_short_title_en": (body.short_name.en or "") if body.short_name else "",
        "lutsk_datagovua_org": body.datagovua_org or "",
        "lutsk_website": body.website or "",
        "lutsk_active": "true" if body.active else "false",
        "lutsk_abolished": body.abolished.isoformat() if body.abolished else "",
        "lutsk_successor": body.successor or "",
    }
    return {"name": body.slug, "title": body.name.uk, "extras": extras}


@dataclass(frozen=True)
class Change:
    """One organization to create or update; ``fields`` maps field → (old, new)."""

    action: str  # "create" | "update"
    slug: str
    fields: Mapping[str, tuple[str, str]]
    org: Mapping[str, Any] = field(repr=False)

    def describe(self) -> list[str]:
        head = f"{'+' if self.action == 'create' else '~'} {self.slug}"
        return [head] + [f"    {k}: {old!r} -> {new!r}" for k, (old, new) in sorted(self.fields.items())]


def existing_view(org: Mapping[str, Any]) -> dict[str, Any]:
    """The comparable part of an ``organization_list(all_fields, include_extras)`` row."""
    extras = {e["key"]: e["value"] for e in org.get("extras") or [] if e.get("state", "active") == "active"}
    return {"name": org["name"], "title": org.get("title") or "", "extras": extras}


def plan(registry: Registry, existing: Iterable[Mapping[str, Any]]) -> list[Change]:
    """The creates and updates that bring the organizations in step with ``registry``.

    Organizations that are not registry bodies are left alone (the portal may have
    others); abolished bodies keep their organization (their datasets' history) with
    ``lutsk_active = false``.
    """
    current = {o["name"]: existing_view(o) for o in existing}
    changes: list[Change] = []
    for body in registry:
        want = desired_org(body)
        have = current.get(body.slug)
        if have is None:
            fields = {"title": ("", want["title"])}
            fields.update({k: ("", v) for k, v in want["extras"].items() if v})
            changes.append(Change("create", body.slug, fields, want))
            continue
        fields = {}
        if have["title"] != want["title"]:
            fields["title"] = (have["title"], want["title"])
        for key, value in want["extras"].items():
            old = have["extras"].get(key, "")
            if old != value:
                fields[key] = (old, value)
        if fields:
            changes.append(Change("update", body.slug, fields, want))
    return changes


def org_data_dict(want: Mapping[str, Any], have_extras: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``organization_create``/``_patch`` data: ours replace their keys, other extras are kept."""
    extras = dict(have_extras or {})
    extras.update(want["extras"])
    return {
        "name": want["name"],
        "title": want["title"],
        "extras": [{"key": k, "value": v} for k, v in sorted(extras.items())],
    }


def apply(
    changes: Iterable[Change],
    existing: Mapping[str, Mapping[str, Any]],
    create: Callable[[dict[str, Any]], Any],
    patch: Callable[[str, dict[str, Any]], Any],
    progress: Callable[[Change], None] | None = None,
) -> int:
    """Apply the plan through the given action callables; returns the number of writes."""
    writes = 0
    for change in changes:
        if change.action == "create":
            create(org_data_dict(change.org))
        else:
            have = existing[change.slug]
            patch(have["id"], org_data_dict(change.org, existing_view(have)["extras"]))
        writes += 1
        if progress:
            progress(change)
    return writes
