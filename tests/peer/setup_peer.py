"""Prepare the data.gov.ua stand-in CKAN: database, admin, the city's user and API token,
one organization per Lutsk body. Idempotent.

    python -m tests.peer.setup_peer --ini tests/peer/peer.ini

Writes ``var/peer/<site_id>/credentials.json`` (dev/test-only secrets) that tests and
bin/dev read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITY_USER = "lutsk-city"
ADMIN_USER = "peer-admin"
PASSWORD = "peer-only-password"  # dev/test-only stand-in


def national_org_name(body, registry=None) -> str:
    """The body's organization name on the national portal: the rule of
    ``ckanext.lutsk.datagovua.national_org`` (the registry's, else the body's slug)."""
    from ckanext.lutsk.domain.mapping import national_org
    from ckanext.lutsk.domain.registry import load_registry

    return national_org(registry or load_registry(), body.slug)


def init_db(ini: Path) -> None:
    ckan = Path(sys.executable).with_name("ckan")
    subprocess.run([str(ckan), "-c", str(ini), "db", "init"], check=True, capture_output=True)


def setup(ini: Path) -> dict:
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    # tk.config, not load_config's result: CKAN_* environment overrides apply in make_app.
    with app._wsgi_app.test_request_context():
        return _setup_in_app(tk.config)


def _setup_in_app(config) -> dict:
    import ckan.plugins.toolkit as tk
    from ckan import model

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    ctx = lambda: {"user": site_user["name"], "ignore_auth": True}  # noqa: E731

    for name, sysadmin in ((ADMIN_USER, True), (CITY_USER, False)):
        if model.User.get(name) is None:
            tk.get_action("user_create")(
                ctx(), {"name": name, "email": f"{name}@peer.local", "password": PASSWORD}
            )
        user = model.User.get(name)
        if sysadmin and not user.sysadmin:
            user.sysadmin = True
            model.Session.commit()

    out_dir = ROOT / "var" / "peer" / config["ckan.site_id"]
    out_dir.mkdir(parents=True, exist_ok=True)
    cred_file = out_dir / "credentials.json"
    creds = json.loads(cred_file.read_text()) if cred_file.exists() else {}
    token = creds.get("city_token")
    if not token or not _token_valid(token):
        token = tk.get_action("api_token_create")(ctx(), {"user": CITY_USER, "name": "lutsk-portal"})["token"]
    # The national portal's staff: they register harvest sources (tests of the national pull).
    admin_token = creds.get("admin_token")
    if not admin_token or not _token_valid(admin_token):
        admin_token = tk.get_action("api_token_create")(ctx(), {"user": ADMIN_USER, "name": "peer-staff"})[
            "token"
        ]

    orgs = []
    try:
        from ckanext.lutsk.domain.registry import load_registry
    except ImportError:  # the registry module arrives with the passport issue
        bodies, reg = [], None
    else:
        reg = load_registry()
        bodies = reg.active()
    for body in bodies:
        name = national_org_name(body, reg)
        if name in orgs:  # bodies under an ancestor's national organization share it
            continue
        orgs.append(name)
        if model.Group.get(name) is None:
            members = [{"name": CITY_USER, "capacity": "editor"}]
            tk.get_action("organization_create")(
                ctx(), {"name": name, "title": body.title("uk"), "users": members}
            )
    creds = {
        "url": config["ckan.site_url"],
        "admin": ADMIN_USER,
        "city_user": CITY_USER,
        "password": PASSWORD,
        "city_token": token,
        "admin_token": admin_token,
        "organizations": orgs,
    }
    cred_file.write_text(json.dumps(creds, ensure_ascii=False, indent=2))
    return creds


def _token_valid(token: str) -> bool:
    from ckan.lib import api_token

    return api_token.get_user_from_token(token) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", type=Path, default=ROOT / "tests" / "peer" / "peer.ini")
    args = parser.parse_args()
    ini = args.ini.resolve()
    init_db(ini)
    creds = setup(ini)
    print(f"peer: {creds['url']}  admin {creds['admin']} / {creds['password']}  (dev only)")
    print(f"peer: city user {creds['city_user']}, {len(creds['organizations'])} organizations")


if __name__ == "__main__":
    main()
