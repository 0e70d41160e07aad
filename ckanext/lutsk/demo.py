"""Demo data for the development portal, loaded by ``ckan lutsk demo load``.

Idempotent: what exists is left as is, so a re-run takes seconds. The passwords
are dev-only and documented in README.md.
"""

from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from ckan import model

DEMO_FILE = os.path.join(os.path.dirname(__file__), "data", "demo.yaml")


def _context() -> dict[str, Any]:
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
    if sysadmin and not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()
    return created


def load(path: str = DEMO_FILE) -> list[str]:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    report: list[str] = []
    admin = data["sysadmin"]
    ensure_user(admin["name"], admin["email"], admin["password"], admin.get("fullname", ""), sysadmin=True)
    report.append(f"sysadmin: {admin['name']} / {admin['password']}  (dev only)")
    return report
