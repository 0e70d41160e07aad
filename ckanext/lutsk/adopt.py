"""``ckan lutsk adopt``: bring the datasets of an existing CKAN portal (organizations of its
own, data.gov.ua-style extras, as data.lutskrada.gov.ua has) into the passport schema.

Per organization: the registry body it is (``domain.adopt.match_body``: the mapping file,
then name, ЄДРПОУ or title; never a guess). Per dataset: the passport fields its keys and
extras map onto (``domain.adopt.adopt``). ``apply`` moves each dataset of a matched
organization into its body's organization (its members come along), writes the mapped
values straight to the database (an incomplete passport could not pass the schema's
validation, and adoption must not lose it), keeps every replaced value in the extra
``lutsk_adopt_original``, leaves the values no rule maps where they are, and re-indexes what
changed. Running it again changes nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ckan import model
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk

from ckanext.lutsk import config
from ckanext.lutsk.domain import adopt as rules
from ckanext.lutsk.model import ckan_compat

__all__ = ["AdoptError", "Report", "load_mapping", "run"]


class AdoptError(ValueError):
    """Bad input: an unreadable mapping file, bodies not synced."""


@dataclass
class DatasetResult:
    name: str
    body: str | None
    moved_from: str | None
    changed: list[str]
    kept: dict[str, str]
    unmapped: dict[str, str]
    notes: list[str]
    lacks: list[str]


@dataclass
class Report:
    applied: bool
    organizations: dict[str, rules.BodyMatch] = field(default_factory=dict)
    datasets: list[DatasetResult] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for d in self.datasets if d.changed or d.moved_from)

    def lines(self) -> list[str]:
        verb = "adopted" if self.applied else "would adopt"
        out = [f"organizations: {len(self.organizations)}"]
        for org, m in sorted(self.organizations.items()):
            out.append(f"  {org} -> {m.slug} ({m.how})" if m.slug else f"  {org}: NOT MAPPED, {m.how}")
        out.append(f"datasets: {len(self.datasets)}, {verb}: {self.changed}")
        by_body: dict[str, list[DatasetResult]] = defaultdict(list)
        for d in self.datasets:
            by_body[d.body or "(no body)"].append(d)
        for body in sorted(by_body):
            out.append(f"body {body}:")
            for d in sorted(by_body[body], key=lambda d: d.name):
                what = "changes " + ", ".join(d.changed) if d.changed else "no change"
                out.append(f"  {d.name}: {what}")
                if d.moved_from:
                    out.append(f"    moved from organization {d.moved_from}")
                for key, value in sorted(d.kept.items()):
                    out.append(f"    kept original {key}: {value}")
                for key, value in sorted(d.unmapped.items()):
                    out.append(f"    not mapped (left as is) {key}: {value}")
                for note in d.notes:
                    out.append(f"    {note}")
                out.append("    lacks: " + (", ".join(d.lacks) if d.lacks else "nothing"))
        return out


def load_mapping(path: str | None) -> dict[str, str]:
    """The mapping file: YAML ``{old organization name: registry body slug}``."""
    if not path:
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise AdoptError(f"cannot read the mapping file {path}: {e}") from e
    pairs_ok = isinstance(data, dict) and all(isinstance(x, str) for pair in data.items() for x in pair)
    if not pairs_ok:
        raise AdoptError(f"{path}: expected lines «old-organization-name: body-slug»")
    return data


def _org_dict(group: model.Group) -> dict[str, Any]:
    return {"name": group.name, "title": group.title, "extras": dict(group.extras or {})}


def _licences() -> list[str]:
    return list(model.Package.get_license_register().keys())


def run(apply: bool, mapping: Mapping[str, str]) -> Report:
    registry = config.registry()
    bodies = [b for b in registry if b.active]
    body_slugs = {b.slug for b in bodies}
    frequencies, languages = config.vocabulary("frequencies"), config.vocabulary("languages")
    licences = _licences()
    report = Report(applied=apply)

    body_orgs = {
        g.name: g
        for g in model.Session.query(model.Group).filter(
            model.Group.is_organization.is_(True), model.Group.state == "active"
        )
    }
    if apply and not body_slugs & set(body_orgs):
        raise AdoptError("no registry body has its organization yet: run `ckan lutsk bodies sync` first")

    packages = (
        model.Session.query(model.Package)
        .filter(model.Package.type == "dataset", model.Package.state.in_(["active", "draft"]))
        .order_by(model.Package.name)
        .all()
    )
    to_index: list[str] = []
    moves: set[tuple[str, str]] = set()
    for pkg in packages:
        group = model.Session.get(model.Group, pkg.owner_org) if pkg.owner_org else None
        body: str | None = None
        moved_from: str | None = None
        if group is not None:
            if group.name in body_slugs:
                body = group.name
                report.organizations.setdefault(group.name, rules.BodyMatch(group.name, "already a body"))
            else:
                match = report.organizations.get(group.name) or rules.match_body(
                    _org_dict(group), bodies, mapping
                )
                report.organizations[group.name] = match
                body = match.slug
                if body:
                    moved_from = group.name
        extras = ckan_compat.package_extras(pkg)
        core = {
            "license_id": pkg.license_id,
            "license_title": pkg.license.title if pkg.license else None,
            "metadata_created": pkg.metadata_created.isoformat() if pkg.metadata_created else None,
            "metadata_modified": pkg.metadata_modified.isoformat() if pkg.metadata_modified else None,
        }
        result = rules.adopt(core, extras, frequencies=frequencies, languages=languages, licences=licences)
        changed = sorted([*result.extras, *result.core])
        merged: dict[str, Any] = {
            "title": pkg.title,
            "notes": pkg.notes,
            "maintainer": pkg.maintainer,
            "maintainer_email": pkg.maintainer_email,
            "tags": [t.name for t in pkg.get_tags()],
            **extras,
            **result.extras,
        }
        for key in result.unmapped:  # a value no rule maps is no passport value
            merged.pop(key, None)
        report.datasets.append(
            DatasetResult(
                name=pkg.name,
                body=body,
                moved_from=moved_from,
                changed=changed,
                kept=result.originals,
                unmapped=result.unmapped,
                notes=result.notes,
                lacks=rules.missing(merged),
            )
        )
        if not apply or not (changed or moved_from):
            continue
        updates = dict(result.extras)
        if result.originals:
            kept = json.loads(extras.get(rules.ORIGINALS_KEY) or "{}")
            for key, value in result.originals.items():
                kept.setdefault(key, value)  # the first original wins: nothing is lost
            updates[rules.ORIGINALS_KEY] = json.dumps(kept, ensure_ascii=False, sort_keys=True)
        if updates:
            ckan_compat.set_package_extras(pkg, updates)
        for key, value in result.core.items():
            setattr(pkg, key, value)
        if moved_from and body:
            target = body_orgs.get(body)
            if target is None:
                raise AdoptError(f"body {body} has no organization yet: run `ckan lutsk bodies sync` first")
            if group is not None:
                moves.add((group.id, target.id))
            pkg.owner_org = target.id
        to_index.append(pkg.id)
    if apply:
        model.repo.commit()
        for old_id, new_id in sorted(moves):
            _bring_members(old_id, new_id)
        for package_id in to_index:
            ckan_compat.index_package(package_id, defer_commit=True)
        if to_index:
            make_connection().commit(waitSearcher=True)
    else:
        model.Session.rollback()
    return report


def _bring_members(old_id: str, new_id: str) -> None:
    """The old organization's users become members of the body's, in the same role (a user
    already a member there keeps the role they have)."""
    def active_members(group_id: str) -> list[model.Member]:
        return (
            model.Session.query(model.Member)
            .filter(
                model.Member.group_id == group_id,
                model.Member.table_name == "user",
                model.Member.state == "active",
            )
            .all()
        )

    present = {m.table_id for m in active_members(new_id)}
    for member in active_members(old_id):
        user = model.User.get(member.table_id)
        if user is None or user.id in present:
            continue
        tk.get_action("organization_member_create")(
            {"ignore_auth": True},
            {"id": new_id, "username": user.name, "role": member.capacity},
        )
