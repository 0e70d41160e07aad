"""The ICT department's report: every resource whose last data check found errors or could
not run, with its dataset and the body that holds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan import model

from ckanext.lutsk import config
from ckanext.lutsk.lang import current as current_lang
from ckanext.lutsk.model import data_check


def failing_rows(describe: Callable[[str], str]) -> list[dict[str, Any]]:
    """One dict per failing resource of an active dataset; ``describe`` turns an issue code
    into words (the caller's language)."""
    lang = current_lang()
    registry = config.registry()
    out = []
    for row in data_check.failing():
        pkg = model.Package.get(row.package_id)
        res = model.Resource.get(row.resource_id)
        if pkg is None or res is None or pkg.state != "active" or res.state != "active":
            continue
        org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        body = registry.get(org.name) if org is not None else None
        report = row.as_report()
        first = report.issues[0] if report.issues else None
        where = ""
        if first is not None and first.row is not None:
            where = f"{first.row}" + (f":{first.column}" if first.column is not None else "")
        out.append(
            {
                "body": org.name if org is not None else "",
                "body_title": body.name.get(lang)
                if body is not None
                else (org.title if org is not None else ""),
                "dataset": pkg.name,
                "dataset_title": pkg.title or pkg.name,
                "resource_id": res.id,
                "resource": res.name or res.url or res.id,
                "format": res.format or "",
                "status": row.status,
                "issue_count": row.issue_count,
                "first_issue": describe(first.code) if first is not None else "",
                "first_where": where,
                "checked_at": row.checked_at,
            }
        )
    out.sort(key=lambda r: (r["body_title"], r["dataset_title"], r["resource"]))
    return out


def failing_for_body(org_name: str, describe: Callable[[str], str]) -> list[dict[str, Any]]:
    return [r for r in failing_rows(describe) if r["body"] == org_name]
