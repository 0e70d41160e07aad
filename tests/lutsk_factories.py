"""Test data: organizations that are registry bodies, and complete passports."""

from __future__ import annotations

import itertools
from typing import Any

from ckan.tests import factories

from ckanext.lutsk import config

_seq = itertools.count(1)


def body_org(slug: str = "finance-budget", **kwargs: Any) -> dict[str, Any]:
    """The CKAN organization of registry body ``slug`` (created as the bodies sync would)."""
    body = config.registry().get(slug)
    title = body.title("uk") if body else slug
    return factories.Organization(name=slug, title=title, **kwargs)


def passport(**overrides: Any) -> dict[str, Any]:
    """A complete, valid passport of resolution 835 (override any field)."""
    n = next(_seq)
    data = {
        "name": f"budget-{n}",
        "title": f"Бюджет Луцької міської територіальної громади {n}",
        "title_en": f"Budget of the Lutsk city community {n}",
        "notes": "Показники бюджету за кодами класифікації доходів і видатків.",
        "notes_en": "Budget figures by revenue and expenditure codes.",
        "purpose_of_collecting_information": "Бюджетний кодекс України, ст. 28; постанова КМУ № 835",
        "language": "ua",
        "update_frequency": "once a month",
        "tag_string": "бюджет,фінанси",
        "maintainer": "Олена Коваль",
        "maintainer_email": "finance@lutskrada.gov.ua",
        "license_id": "cc-by",
        "resources": [
            {"url": "https://lutskrada.gov.ua/opendata/budget.csv", "format": "CSV", "name": "Бюджет"}
        ],
    }
    data.update(overrides)
    return data


def site_user() -> str:
    from ckan.tests.helpers import call_action

    return call_action("get_site_user", context={"ignore_auth": True})["name"]


def dataset(user: str | None = None, **overrides: Any) -> dict[str, Any]:
    """Create a dataset with a complete passport (as ``user``, default the site user)."""
    from ckan.tests.helpers import call_action

    return call_action("package_create", context={"user": user or site_user()}, **passport(**overrides))


def staff(
    sysadmin: bool = False, **memberships: tuple[dict[str, Any], str] | None
) -> dict[str, dict[str, Any]]:
    """Users with API tokens by role name: ``who=(organization, role)`` makes a member of that
    body, ``who=None`` a user of no body; ``sysadmin=True`` adds one as ``"sysadmin"``."""
    from ckan.tests.helpers import call_action

    users = {who: factories.UserWithToken() for who in memberships}
    for who, membership in memberships.items():
        if membership is not None:
            org, role = membership
            call_action("organization_member_create", id=org["id"], username=users[who]["name"], role=role)
    if sysadmin:
        users["sysadmin"] = factories.SysadminWithToken()
    return users
