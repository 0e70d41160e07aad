"""Helpers shared by the data.gov.ua sync tests (publisher, faults, harvesters, CLI)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.lutsk_factories import dataset

#: Fast retries for tests; production defaults are in config_declaration.yaml.
TEST_SETTINGS = {
    "ckanext.lutsk.datagovua.retries": 2,
    "ckanext.lutsk.datagovua.backoff_ms": 50,
    "ckanext.lutsk.datagovua.connect_timeout": 2,
    "ckanext.lutsk.datagovua.timeout": 20,
    "ckanext.lutsk.datagovua.lock_timeout": 30,
}


def configure(monkeypatch, ckan_config, url: str, token: str, **overrides: Any) -> None:
    """Turn publishing on for one test (``ckan_config`` is CKAN's own config object)."""
    settings = {
        "ckanext.lutsk.datagovua.url": url,
        "ckanext.lutsk.datagovua.token": token,
        **TEST_SETTINGS,
    }
    settings.update({f"ckanext.lutsk.datagovua.{k}": v for k, v in overrides.items()})
    for key, value in settings.items():
        monkeypatch.setitem(ckan_config, key, value)


def unique(prefix: str = "sync") -> str:
    """A dataset name no earlier run left on the peer (the peer keeps its data)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def datasets(org: dict[str, Any], count: int, prefix: str | None = None, **overrides: Any) -> list[dict]:
    prefix = prefix or unique("bulk")
    return [dataset(owner_org=org["id"], name=f"{prefix}-{i:03d}", **overrides) for i in range(count)]


def peer_names(peer, prefix: str) -> list[str]:
    """Names of the peer's datasets (private ones included) starting with ``prefix``, as
    the national portal's own staff would count them.

    CKAN indexes a dataset before its transaction commits, so a peer stopped at the wrong
    moment leaves a search entry for a dataset its database never kept; entries whose
    dataset does not exist are not datasets and are left out."""
    import ckanapi

    api = peer.api(peer.admin_token)
    found: list[tuple[str, str]] = []
    while True:
        page = api.action.package_search(
            q=f"name:{prefix}*",
            include_private=True,
            include_drafts=True,
            rows=1000,
            start=len(found),
            fl="id,name",
        )
        found.extend((r["name"], r["id"]) for r in page["results"])
        if len(found) >= page["count"] or not page["results"]:
            break
    counts: dict[str, int] = {}
    for name, _id in found:
        counts[name] = counts.get(name, 0) + 1
    names = []
    for name, id_ in found:
        if counts[name] > 1:
            try:
                api.action.package_show(id=id_)
            except ckanapi.NotFound:
                continue
        names.append(name)
    return names
