"""CSRF protection holds for every browser session, whatever other clients did before.

CKAN exempts a request from the CSRF check when it is not session-authenticated (an API
token or an anonymous request). CKAN 2.11 does it for that request only; CKAN 2.12.0 calls
Flask-WTF's ``csrf.exempt(view)``, which exempts the view for every later request of the
process: one anonymous POST switched CSRF off for that form, for every logged-in user, until
the worker restarts. security.scope_csrf_exemptions keeps such an exemption to its request.
"""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests import ckan_compat
from tests.lutsk_factories import body_org, passport, staff

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor():
    org = body_org("finance-budget")
    return {"user": staff(editor=(org, "editor"))["editor"], "org": org}


def _private(editor) -> dict:
    return call_action(
        "package_create",
        context={"user": editor["user"]["name"]},
        **passport(owner_org=editor["org"]["id"], private=True),
    )


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
@pytest.mark.parametrize("first", ["anonymous", "api token"])
def test_a_request_without_a_session_does_not_open_the_form_to_forgery(app, editor, first):
    pkg = _private(editor)
    url = f"/dataset/{pkg['name']}/make-public"
    # Someone posts to «Оприлюднити» without a session: anonymous (refused) or with an API
    # token (exempt from CSRF for that request, as CKAN intends).
    headers = {"Authorization": editor["user"]["token"]} if first == "api token" else {}
    app.post(url, headers=headers, follow_redirects=False)
    if first == "api token":
        call_action("package_patch", context={"user": editor["user"]["name"]}, id=pkg["id"], private=True)

    # Then a forged form in the editor's browser: refused, nothing published.
    session = ckan_compat.browser_login(app, editor["user"])
    resp = app.post(url, data={}, extra_environ=session, status=400)
    assert "CSRF" in resp.body
    assert call_action("package_show", id=pkg["id"])["private"] is True


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_ckan_s_own_forms_keep_their_protection_too(app, editor):
    pkg = _private(editor)
    url = f"/dataset/edit/{pkg['name']}"
    app.post(url, data={"title": "Anonymous"}, follow_redirects=False)

    session = ckan_compat.browser_login(app, editor["user"])
    form = {"title": "Підроблена назва", "name": pkg["name"], "save": ""}
    resp = app.post(url, data=form, extra_environ=session, status=400)
    assert "CSRF" in resp.body
    assert call_action("package_show", id=pkg["id"])["title"] == pkg["title"]


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_an_api_token_still_needs_no_csrf_token(app, editor):
    pkg = _private(editor)
    resp = app.post(
        f"/dataset/{pkg['name']}/make-public",
        headers={"Authorization": editor["user"]["token"]},
        follow_redirects=False,
    )
    assert resp.status_code == 302
    assert call_action("package_show", id=pkg["id"])["private"] is False
