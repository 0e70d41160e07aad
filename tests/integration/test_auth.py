"""Permissions as a matrix: every role × every action × own/other body.

Body editors act only for their own body (CKAN organization roles); the ICT department's
staff read everything, drafts included, and run reports without being sysadmins;
anonymous users see public datasets only.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.lutsk_factories import body_org, dataset

ROLES = ("anonymous", "sysadmin", "ict_member", "a_admin", "a_editor", "a_member", "b_editor")

#: action → the roles allowed. "A" is the body the datasets belong to, "B" another body.
MATRIX = {
    "create_in_A": {"sysadmin", "a_admin", "a_editor"},
    "update_A_dataset": {"sysadmin", "a_admin", "a_editor"},
    "delete_A_dataset": {"sysadmin", "a_admin", "a_editor"},
    "show_A_public": set(ROLES),
    "show_A_draft": {"sysadmin", "ict_member", "a_admin", "a_editor", "a_member"},
    "search_finds_A_draft": {"sysadmin", "ict_member", "a_admin", "a_editor", "a_member"},
    "show_A_draft_resource": {"sysadmin", "ict_member", "a_admin", "a_editor", "a_member"},
    "move_A_dataset_to_B": {"sysadmin"},
    "run_reports": {"sysadmin", "ict_member"},
}


@pytest.fixture
def world(clean_db, clean_index, with_plugins):
    a = body_org("finance-budget")
    b = body_org("education")
    ict = body_org("ict")
    users = {
        "sysadmin": factories.Sysadmin(),
        "ict_member": factories.User(),
        "a_admin": factories.User(),
        "a_editor": factories.User(),
        "a_member": factories.User(),
        "b_editor": factories.User(),
    }
    for role, org, capacity in (
        ("ict_member", ict, "member"),
        ("a_admin", a, "admin"),
        ("a_editor", a, "editor"),
        ("a_member", a, "member"),
        ("b_editor", b, "editor"),
    ):
        call_action(
            "organization_member_create",
            id=org["id"],
            username=users[role]["name"],
            role=capacity,
        )
    public = dataset(owner_org=a["id"], name="a-public")
    draft = dataset(owner_org=a["id"], name="a-draft", private=True)
    return {"a": a, "b": b, "users": users, "public": public, "draft": draft}


def _can(action: str, user: str | None, data: dict) -> bool:
    try:
        tk.check_access(action, {"user": user}, data)
    except tk.NotAuthorized:
        return False
    return True


def _allowed(what: str, user: str | None, world: dict) -> bool:
    a, b, public, draft = world["a"], world["b"], world["public"], world["draft"]
    if what == "create_in_A":
        return _can("package_create", user, {"owner_org": a["id"], "name": "new"})
    if what == "update_A_dataset":
        return _can("package_update", user, {"id": public["id"]})
    if what == "delete_A_dataset":
        return _can("package_delete", user, {"id": public["id"]})
    if what == "show_A_public":
        return _can("package_show", user, {"id": public["id"]})
    if what == "show_A_draft":
        return _can("package_show", user, {"id": draft["id"]})
    if what == "show_A_draft_resource":
        return _can("resource_show", user, {"id": draft["resources"][0]["id"]})
    if what == "search_finds_A_draft":
        found = call_action(
            "package_search",
            context={"user": user, "ignore_auth": False},
            q="name:a-draft",
            include_private=True,
        )
        return found["count"] == 1
    if what == "move_A_dataset_to_B":
        # Editors may change a dataset of their body but not hand it to another body.
        try:
            call_action(
                "package_patch",
                context={"user": user, "ignore_auth": False},
                id=public["id"],
                owner_org=b["id"],
            )
        except (tk.NotAuthorized, tk.ValidationError):
            return False
        return True
    if what == "run_reports":
        return _can("lutsk_reports", user, {})
    raise AssertionError(what)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    user = None if role == "anonymous" else world["users"][role]["name"]
    got = {what: _allowed(what, user, world) for what in MATRIX}
    want = {what: role in allowed for what, allowed in MATRIX.items()}
    wrong = {
        what: f"allowed={got[what]}, expected={want[what]}" for what in MATRIX if got[what] != want[what]
    }
    assert not wrong, f"{role}: {wrong}"
