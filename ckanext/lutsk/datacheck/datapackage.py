"""A Frictionless Data Package (v1 descriptor) of a dataset: the passport mapped onto its
properties, each resource with the Table Schema its last check found (or the recommended
structure of the annex row), as data.gov.ua offers «Datapackage» for every dataset."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import config
from ckanext.lutsk.datacheck import jobs
from ckanext.lutsk.model import data_check

_NAME_RE = re.compile(r"[^-a-z0-9._/]+")

#: Passport elements (resolution 835) with no Data Package property, kept under "passport".
_PASSPORT_KEYS = (
    "purpose_of_collecting_information",
    "language",
    "update_frequency",
    "date_published",
    "data_updated",
    "data_current_as_of",
    "data_changed",
    "annex835_row",
    "restricted_info",
)


def _name(text: str, fallback: str) -> str:
    name = _NAME_RE.sub("-", (text or "").lower()).strip("-")
    return name or fallback


def build(pkg: dict[str, Any]) -> dict[str, Any]:
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    org = pkg.get("organization") or {}
    body = (pkg.get("owner_body") or {}) if isinstance(pkg.get("owner_body"), dict) else {}
    descriptor: dict[str, Any] = {
        "profile": "data-package",
        "name": pkg["name"],
        "id": pkg["id"],
        "title": pkg.get("title") or pkg["name"],
        "description": pkg.get("notes") or "",
        "homepage": f"{site}/dataset/{pkg['name']}",
        "version": pkg.get("version") or "1.0",
        "created": pkg.get("metadata_created"),
        "keywords": [t["name"] for t in pkg.get("tags") or ()],
        "contributors": [],
        "passport": {k: pkg[k] for k in _PASSPORT_KEYS if pkg.get(k) not in (None, "", [])},
        "resources": [],
    }
    if pkg.get("license_id"):
        licence = {"name": pkg["license_id"], "title": pkg.get("license_title") or pkg["license_id"]}
        if pkg.get("license_url"):
            licence["path"] = pkg["license_url"]
        descriptor["licenses"] = [licence]
    if org:
        publisher: dict[str, Any] = {"role": "publisher", "title": org.get("title") or org.get("name")}
        if body.get("edrpou"):
            publisher["organization"] = body["edrpou"]
        descriptor["contributors"].append(publisher)
    if pkg.get("maintainer"):
        maintainer = {"role": "maintainer", "title": pkg["maintainer"]}
        if pkg.get("maintainer_email"):
            maintainer["email"] = pkg["maintainer_email"]
        descriptor["contributors"].append(maintainer)
    checks = data_check.for_package(pkg["id"])
    recommended = config.structures().get(pkg.get("annex835_row") or "")
    tabular = {r["id"] for r in jobs.data_resources(pkg)}
    used: set[str] = set()
    for index, res in enumerate(
        r for r in pkg.get("resources") or () if r.get("state", "active") == "active"
    ):
        name = _name(res.get("name") or "", f"resource-{index + 1}")
        while name in used:
            name = f"{name}-{index + 1}"
        used.add(name)
        item: dict[str, Any] = {
            "profile": "tabular-data-resource" if res["id"] in tabular else "data-resource",
            "name": name,
            "title": res.get("name") or "",
            "path": res.get("url") or "",
        }
        if res.get("description"):
            item["description"] = res["description"]
        if res.get("format"):
            item["format"] = res["format"].lower()
        if res.get("mimetype"):
            item["mediatype"] = res["mimetype"]
        if res.get("size"):
            item["bytes"] = res["size"]
        if jobs._is_true(res.get("structure")):
            item["role"] = "structure"
        if res["id"] in tabular:
            row = checks.get(res["id"])
            report = row.as_report() if row is not None else None
            if row is not None and report is not None and report.fields:
                item["schema"] = {"fields": report.fields}
                item["encoding"] = "utf-8" if report.encoding in (None, "utf-8") else report.encoding
                item["validation"] = {"status": row.status, "errors": row.issue_count}
            elif recommended is not None:
                item["schema"] = recommended.table_schema()
            else:
                # A tabular resource without a known schema is a plain data resource.
                item["profile"] = "data-resource"
        descriptor["resources"].append(item)
    return descriptor
