"""Demo data for the development portal, loaded by ``ckan lutsk demo load``.

Idempotent: what exists is left as is, so a re-run takes seconds. The passwords are
dev-only and documented in README.md. Dates are relative to the day of loading, so some
datasets are late whatever the day.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from ckan import model
from ckan.types import Context
from werkzeug.datastructures import FileStorage

from ckanext.lutsk import config, organizations

DEMO_FILE = os.path.join(os.path.dirname(__file__), "data", "demo.yaml")
#: Small data files uploaded as the data of the demo dataset of the same name (README.md there).
SAMPLES_DIR = os.path.join(os.path.dirname(__file__), "data", "demo_files")


def _context() -> Context:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def ensure_user(name: str, email: str, password: str, fullname: str = "", sysadmin: bool = False) -> bool:
    """Create the user unless it exists; return True when created."""
    user = model.User.get(name)
    created = False
    if user is None:
        tk.get_action("user_create")(
            _context(), {"name": name, "email": email, "password": password, "fullname": fullname}
        )
        user = model.User.get(name)
        created = True
    if user is None:
        raise RuntimeError(f"user {name} was not created")
    if sysadmin and not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()
    return created


def ensure_member(user: str, org: str, capacity: str) -> None:
    tk.get_action("organization_member_create")(_context(), {"id": org, "username": user, "role": capacity})


def _stamp(days_ago: int) -> str:
    moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)  # noqa: UP017
    return moment.replace(tzinfo=None, microsecond=0).isoformat()


def dataset_dict(spec: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """A passport from a demo.yaml entry."""
    resource = {
        "name": spec["title"],
        "url": f"https://lutskrada.gov.ua/opendata/{spec['name']}.{spec['format'].lower()}",
        "format": spec["format"],
    }
    if spec.get("compression"):
        resource["compression"] = spec["compression"]
    resources = [resource]
    if spec.get("structure"):
        resources.append(
            {
                "name": "Структура набору даних",
                "url": f"https://lutskrada.gov.ua/opendata/{spec['name']}-structure.json",
                "format": "JSON",
                "structure": "true",
            }
        )
    updated = _stamp(spec["updated_days_ago"]) if spec.get("updated_days_ago") is not None else None
    data = {
        "name": spec["name"],
        "title": spec["title"],
        "title_en": spec.get("title_en", ""),
        "notes": spec["notes"],
        "notes_en": spec.get("notes_en", ""),
        "owner_org": spec["body"],
        "purpose_of_collecting_information": spec["purpose"],
        "language": spec.get("language", defaults["language"]),
        "license_id": spec.get("license_id", defaults["license_id"]),
        "update_frequency": spec.get("frequency", defaults["update_frequency"]),
        "tag_string": spec["tags"],
        "maintainer": spec["maintainer"],
        "maintainer_email": spec["email"],
        "private": bool(spec.get("private", False)),
        "resources": resources,
    }
    if updated:
        # Published and last updated back then, as if the body had kept the dataset since.
        data["date_published"] = _stamp(spec["updated_days_ago"] + 365)
        data["data_updated"] = updated
        data["data_current_as_of"] = updated[:10]
    if spec.get("changed_days_ago") is not None:
        data["data_changed"] = _stamp(spec["changed_days_ago"])[:10]
    if spec.get("annex835_row"):
        data["annex835_row"] = spec["annex835_row"]  # the resolution-835 row it fulfils
    return data


def load(path: str = DEMO_FILE) -> list[str]:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    report: list[str] = []
    admin = data["sysadmin"]
    ensure_user(admin["name"], admin["email"], admin["password"], admin.get("fullname", ""), sysadmin=True)
    report.append(f"sysadmin: {admin['name']} / {admin['password']}  (dev only)")

    registry = config.registry()
    _plan, api = organizations.sync(registry)
    report.append(f"demo: {len(registry.active())} bodies, {api.writes} organizations created or updated")

    password = data["users"]["password"]
    created = 0
    wanted = [
        {
            "name": f"{b.slug}-editor",
            "body": b.slug,
            "capacity": "editor",
            "fullname": f"Редактор: {b.title('uk')}",
        }
        for b in registry.active()
        if not b.is_council
    ] + data["users"]["extra"]
    for u in wanted:
        if ensure_user(u["name"], f"{u['name']}@portal.lutsk.local", password, u.get("fullname", "")):
            ensure_member(u["name"], u["body"], u["capacity"])
            created += 1
    report.append(
        f"user: <body>-editor, ict-staff, ict-admin, … / {password}  ({len(wanted)} users, {created} new)"
    )

    created = 0
    for spec in data["datasets"]:
        if model.Package.get(spec["name"]) is None:
            tk.get_action("package_create")(_context(), dataset_dict(spec, data["defaults"]))
            created += 1
    report.append(f"demo: {len(data['datasets'])} datasets ({created} new)")
    attached = attach_samples()
    report.append(f"demo: {len(sample_names())} datasets with a sample file ({attached} files uploaded now)")
    return report


def sample_names(directory: str = SAMPLES_DIR) -> list[str]:
    """The demo datasets that have a sample file (``<name>.csv``)."""
    return sorted(f[: -len(".csv")] for f in os.listdir(directory) if f.endswith(".csv"))


def _upload(resource: dict[str, Any], filename: str, body: bytes) -> None:
    tk.get_action("resource_patch")(
        _context(),
        {
            "id": resource["id"],
            "url": filename,
            "url_type": "upload",
            "upload": FileStorage(stream=io.BytesIO(body), filename=filename),
        },
    )


def attach_samples(directory: str = SAMPLES_DIR) -> int:
    """Upload each sample file as the data of its demo dataset, in place of the link to
    lutskrada.gov.ua (unreachable from a development machine), so the data check reports on
    real files; a dataset whose structure resource is still a link gets its annex row's
    recommended Table Schema uploaded as it. Idempotent: what is an upload already is left
    alone. Returns how many files were uploaded."""
    uploaded = 0
    for name in sample_names(directory):
        try:
            pkg = tk.get_action("package_show")(_context(), {"id": name})
        except tk.ObjectNotFound:
            continue
        resources = pkg.get("resources") or []
        is_structure = [str(r.get("structure")).lower() == "true" for r in resources]
        data = next((r for r, s in zip(resources, is_structure, strict=True) if not s), None)
        if data is not None and data.get("url_type") != "upload":
            with open(os.path.join(directory, f"{name}.csv"), "rb") as f:
                _upload(data, f"{name}.csv", f.read())
            uploaded += 1
        declared = next((r for r, s in zip(resources, is_structure, strict=True) if s), None)
        recommended = config.structures().get(pkg.get("annex835_row") or "")
        if declared is not None and recommended is not None and declared.get("url_type") != "upload":
            schema = json.dumps(recommended.table_schema(), ensure_ascii=False, indent=2)
            _upload(declared, f"{name}-structure.json", schema.encode("utf-8"))
            uploaded += 1
    return uploaded
