"""Fixtures shared by the suite. Tests run against real PostgreSQL, Redis and Solr
started by bin/dev; nothing of CKAN, the database or Solr is mocked."""

from __future__ import annotations

import pytest
from ckan import plugins

from tests.ckan_compat import unload_plugins

# Plugins whose alembic migrations the suite needs after every database reset:
# CKAN's reset drops every table, theirs included.
MIGRATED_PLUGINS = ("activity", "harvest", "lutsk")


def _migrate(migrate_db_for) -> None:
    # Migrations are looked up through the loaded plugin objects. lutsk chains helpers and
    # actions of scheming and dcat, so it cannot load alone: load the configured set.
    loaded_here = not all(plugins.plugin_loaded(name) for name in MIGRATED_PLUGINS)
    if loaded_here:
        plugins.load_all()
    try:
        for name in MIGRATED_PLUGINS:
            migrate_db_for(name)
    finally:
        if loaded_here:
            unload_plugins()


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the plugin tables (harvest, activity) it drops."""
    reset_db()
    _migrate(migrate_db_for)


@pytest.fixture(scope="session")
def reset_db_once(reset_db, migrate_db_for):
    reset_db()
    _migrate(migrate_db_for)


@pytest.fixture(scope="module")
def fresh_portal(reset_db, reset_index, migrate_db_for):
    """A module's own world: every configured plugin loaded, an empty database with every
    migration and an empty index (module-scoped data built once for many tests)."""
    plugins.load_all()
    reset_db()
    _migrate(migrate_db_for)
    reset_index()
    yield
    unload_plugins()


@pytest.fixture(scope="session")
def peer():
    """The data.gov.ua stand-in: a real second CKAN on 127.0.0.1:5011 (its own database,
    Solr core and Redis db), started once per test session."""
    from tests.peer import server

    running = server.start()
    yield running
    server.stop(running)


@pytest.fixture(scope="session")
def portal_server():
    """Our portal as a real server on 127.0.0.1:5020+slot (test.ini, the tests' database and
    Solr core), for the peer's harvesters and the browser tests. Started once per session."""
    from tests import portal_server as server

    running = server.start()
    yield running
    running.stop()


@pytest.fixture
def publishing(peer, ckan_config, monkeypatch):
    """Publishing to data.gov.ua turned on for one test, against the peer."""
    from tests import sync_support

    sync_support.configure(monkeypatch, ckan_config, peer.url, peer.city_token)
    return peer


@pytest.fixture
def org():
    """The finance department's organization (registry body ``finance-budget``)."""
    from tests.lutsk_factories import body_org

    return body_org("finance-budget")
