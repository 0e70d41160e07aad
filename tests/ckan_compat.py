"""The test suite's few differences between CKAN 2.11 and 2.12, in one place."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ckan
from ckan import plugins

CKAN_2_12 = tuple(int(p) for p in ckan.__version__.split(".")[:2]) >= (2, 12)


def unload_plugins() -> None:
    """Unload the configured plugins (2.11 keeps its system plugin synchronous_search)."""
    unload = getattr(plugins, "unload_non_system_plugins", None)
    (unload or plugins.unload_all)()


def browser_login(app: Any, user: dict[str, Any]) -> dict[str, str]:
    """A browser session of ``user`` (not an API token) for the ``app`` test client: the
    environ to pass as ``extra_environ`` (CKAN 2.11 reads REMOTE_USER; 2.12 dropped it and
    its test client keeps the user in its session)."""
    if hasattr(app, "set_session_user"):
        # The session of the site's own host (test.ini's ckan.site_url), which CKAN's
        # set_session_user (host "localhost") does not reach.
        from ckan.common import config

        with app.client.session_transaction(base_url=config["ckan.site_url"]) as session:
            session["_user_id"] = user["id"]
            session["_fresh"] = True
        return {}
    return {"REMOTE_USER": user["name"]}


def browser_logout(app: Any) -> None:
    """Forget the session :func:`browser_login` gave the ``app`` test client (2.11 keeps
    none: its logins are per request)."""
    if hasattr(app, "set_session_user"):
        from ckan.common import config

        with app.client.session_transaction(base_url=config["ckan.site_url"]) as session:
            session.clear()


@contextlib.contextmanager
def without_search_indexing() -> Iterator[None]:
    """Datasets created inside are not indexed (2.11: unload synchronous_search; 2.12 indexes
    inline unless the context defers the commit, so nothing is switched off there and the
    caller's datasets are indexed: slower, same result)."""
    if CKAN_2_12 or not plugins.plugin_loaded("synchronous_search"):
        yield
        return
    plugins.unload("synchronous_search")
    try:
        yield
    finally:
        plugins.load("synchronous_search")

