"""Every active dataset of the portal as a plain dict in package_show shape, read in a
few bulk queries (package, extras, tags, resources): the oversight reports look at
thousands of datasets at once, where package_show one by one would take minutes.

Only the keys the reports use are filled: core fields, the passport extras
(scheming keeps them as package extras), ``tags``, ``resources`` (with their extras
such as ``compression`` and ``structure``), ``organization`` and ``body`` (the
organization's name, i.e. the registry slug).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from ckan import model
from sqlalchemy.sql.elements import TextClause

from ckanext.lutsk.domain.workdays import iso
from ckanext.lutsk.model import ckan_compat

__all__ = ["load_records", "passport_fields", "recently_updated", "records_by_body"]

_PACKAGE_SQL = """
    SELECT p.id, p.name, p.title, p.notes, p.private, p.license_id, p.maintainer,
           p.maintainer_email, p.metadata_created, p.metadata_modified, g.name AS body,
           g.title AS org_title
    FROM package p LEFT JOIN "group" g ON g.id = p.owner_org
    WHERE p.state = 'active' AND p.type = 'dataset' {scope}
    """
# Extras: rows of package_extra on CKAN 2.11, the JSONB column package.extras on 2.12.
_EXTRAS_SQL = (
    """
    SELECT p.id AS package_id, e.key, e.value FROM package p, jsonb_each_text(p.extras) e
    WHERE p.state = 'active' AND p.type = 'dataset' {scope}
    """
    if ckan_compat.JSONB_EXTRAS
    else """
    SELECT e.package_id, e.key, e.value FROM package_extra e
    JOIN package p ON p.id = e.package_id
    WHERE e.state = 'active' AND p.state = 'active' AND p.type = 'dataset' {scope}
    """
)
_TAGS_SQL = """
    SELECT pt.package_id, t.name FROM package_tag pt
    JOIN tag t ON t.id = pt.tag_id
    JOIN package p ON p.id = pt.package_id
    WHERE pt.state = 'active' AND t.vocabulary_id IS NULL
      AND p.state = 'active' AND p.type = 'dataset' {scope}
    ORDER BY pt.package_id, t.name
    """
_RESOURCES_SQL = """
    SELECT r.package_id, r.id, r.url, r.url_type, r.format, r.name, r.extras
    FROM resource r JOIN package p ON p.id = r.package_id
    WHERE r.state = 'active' AND p.state = 'active' AND p.type = 'dataset' {scope}
    ORDER BY r.package_id, r.position
    """
# One body's datasets only: the organization named :body.
_SCOPE = """AND p.owner_org IN (SELECT id FROM "group" WHERE name = :body AND is_organization)"""
# Core columns win over an extra of the same name (as in package_show).
_CORE = frozenset({"id", "name", "title", "notes", "private", "license_id", "maintainer", "maintainer_email"})


def _query(template: str, body: str | None) -> TextClause:
    return sa.text(template.format(scope=_SCOPE if body else ""))


def load_records(
    connection: sa.engine.Connection | None = None, *, public_only: bool = False, body: str | None = None
) -> list[dict[str, Any]]:
    """Active datasets (drafts included unless ``public_only``; only those of the
    organization ``body`` if given) as plain dicts."""
    conn = connection if connection is not None else model.Session.connection()
    params = {"body": body} if body else {}
    records: dict[str, dict[str, Any]] = {}
    for row in conn.execute(_query(_PACKAGE_SQL, body), params):
        if public_only and row.private:
            continue
        records[row.id] = _record(row)
    _fill(records, conn.execute(_query(_EXTRAS_SQL, body), params), _add_extra)
    tags = conn.execute(_query(_TAGS_SQL, body), params)
    _fill(records, tags, lambda rec, row: rec["tags"].append({"name": row.name}))
    _fill(records, conn.execute(_query(_RESOURCES_SQL, body), params), _add_resource)
    return list(records.values())


# A few passport extras of every public dataset with a body, one row per dataset: what the
# daily history snapshot needs, without the rest of the dataset (tags, resources, every
# other extra). {columns}: one ``max(e.value) FILTER (WHERE e.key = :k<i>)`` per key.
_FIELDS_SQL = (
    """
    SELECT p.id, g.name AS body, {columns}
    FROM package p JOIN "group" g ON g.id = p.owner_org
    LEFT JOIN LATERAL jsonb_each_text(p.extras) e ON e.key = ANY(:keys)
    WHERE p.state = 'active' AND p.type = 'dataset' AND NOT p.private
    GROUP BY p.id, g.name
    """
    if ckan_compat.JSONB_EXTRAS
    else """
    SELECT p.id, g.name AS body, {columns}
    FROM package p JOIN "group" g ON g.id = p.owner_org
    LEFT JOIN package_extra e ON e.package_id = p.id AND e.state = 'active' AND e.key = ANY(:keys)
    WHERE p.state = 'active' AND p.type = 'dataset' AND NOT p.private
    GROUP BY p.id, g.name
    """
)


def passport_fields(
    keys: Iterable[str], connection: sa.engine.Connection | None = None
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """``(package_id, body, {key: value})`` of every active public dataset with a body,
    holding only the passport extras named by ``keys`` (absent ones left out); one query,
    one row per dataset, read as they come: the snapshot of a hundred thousand datasets
    reads five values of each, not whole datasets."""
    conn = connection if connection is not None else model.Session.connection()
    wanted = [k for k in dict.fromkeys(keys) if k not in _CORE]
    columns = ", ".join(f"max(e.value) FILTER (WHERE e.key = :k{i}) AS k{i}" for i in range(len(wanted)))
    query = sa.text(_FIELDS_SQL.format(columns=columns or "NULL AS k"))
    params: dict[str, Any] = {"keys": wanted, **{f"k{i}": k for i, k in enumerate(wanted)}}
    # Streamed per statement: ``Connection.execution_options`` would change the session's own
    # connection on SQLAlchemy 2 (CKAN 2.12) and stream every later statement, DELETE included.
    for row in conn.execute(query.execution_options(stream_results=True), params):
        values = row[2:]
        yield row.id, row.body, {k: v for k, v in zip(wanted, values, strict=False) if v is not None}


# The whole catalogue body by body (bodies by name), each query read once as a stream:
# four scans of the catalogue, not four per body.
_BY_BODY_SQL = {
    "packages": """
        SELECT g.name AS body, p.id, p.name, p.title, p.notes, p.private, p.license_id, p.maintainer,
               p.maintainer_email, p.metadata_created, p.metadata_modified, g.title AS org_title
        FROM package p JOIN "group" g ON g.id = p.owner_org AND g.is_organization
        WHERE p.state = 'active' AND p.type = 'dataset'
        ORDER BY g.name, p.id
        """,
    "extras": (
        """
        SELECT g.name AS body, p.id AS package_id, e.key, e.value
        FROM package p JOIN "group" g ON g.id = p.owner_org AND g.is_organization, jsonb_each_text(p.extras) e
        WHERE p.state = 'active' AND p.type = 'dataset'
        ORDER BY g.name, p.id
        """
        if ckan_compat.JSONB_EXTRAS
        else """
        SELECT g.name AS body, e.package_id, e.key, e.value
        FROM package_extra e JOIN package p ON p.id = e.package_id
        JOIN "group" g ON g.id = p.owner_org AND g.is_organization
        WHERE e.state = 'active' AND p.state = 'active' AND p.type = 'dataset'
        ORDER BY g.name, e.package_id
        """
    ),
    "tags": """
        SELECT g.name AS body, pt.package_id, t.name
        FROM package_tag pt JOIN tag t ON t.id = pt.tag_id
        JOIN package p ON p.id = pt.package_id JOIN "group" g ON g.id = p.owner_org AND g.is_organization
        WHERE pt.state = 'active' AND t.vocabulary_id IS NULL AND p.state = 'active' AND p.type = 'dataset'
        ORDER BY g.name, pt.package_id, t.name
        """,
    "resources": """
        SELECT g.name AS body, r.package_id, r.id, r.url, r.url_type, r.format, r.name, r.extras
        FROM resource r JOIN package p ON p.id = r.package_id
        JOIN "group" g ON g.id = p.owner_org AND g.is_organization
        WHERE r.state = 'active' AND p.state = 'active' AND p.type = 'dataset'
        ORDER BY g.name, r.package_id, r.position
        """,
}


class _Stream:
    """Rows of one query, sorted by body, handed out one body at a time."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = iter(rows)
        self._next = next(self._rows, None)

    def of(self, body: str) -> Iterator[Any]:
        while self._next is not None and self._next.body == body:
            yield self._next
            self._next = next(self._rows, None)


def records_by_body(
    connection: sa.engine.Connection | None = None,
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """``(body, records)`` for every organization with active datasets, by body name: the
    records as ``load_records(body=…)`` gives them, read in four streamed queries over the
    whole catalogue. Memory holds one body's datasets at a time."""
    conn = connection if connection is not None else model.Session.connection()

    def streamed(key: str) -> Any:  # per statement (see ``passport_fields``)
        return conn.execute(sa.text(_BY_BODY_SQL[key]).execution_options(stream_results=True))

    packages = streamed("packages")
    extras, tags, resources = (_Stream(streamed(k)) for k in ("extras", "tags", "resources"))
    for body, rows in itertools.groupby(packages, key=lambda r: r.body):
        records = {row.id: _record(row) for row in rows}
        _fill(records, extras.of(body), _add_extra)
        _fill(records, tags.of(body), lambda rec, row: rec["tags"].append({"name": row.name}))
        _fill(records, resources.of(body), _add_resource)
        yield body, list(records.values())


_RECENT_SQL = sa.text(
    """
    SELECT p.id, p.name, p.title, p.notes, g.name AS body, e.value AS data_updated
    FROM package p
    JOIN {extras} e ON e.package_id = p.id AND e.key = 'data_updated'
    LEFT JOIN "group" g ON g.id = p.owner_org
    WHERE p.state = 'active' AND p.type = 'dataset' AND NOT p.private AND e.value <> ''
    ORDER BY e.value DESC, p.name
    LIMIT :limit
    """.format(  # noqa: S608 - two constant table expressions, no input
        extras="(SELECT q.id AS package_id, x.key, x.value FROM package q, jsonb_each_text(q.extras) x)"
        if ckan_compat.JSONB_EXTRAS
        else "(SELECT package_id, key, value FROM package_extra WHERE state = 'active')"
    )
)


def recently_updated(limit: int = 20, connection: sa.engine.Connection | None = None) -> list[dict[str, Any]]:
    """Public datasets by their last data update (passport element 9), newest first.

    ``data_updated`` moves only with new data, not with metadata edits, so this is
    what changed in the data; ISO timestamps sort as text.
    """
    conn = connection if connection is not None else model.Session.connection()
    return [dict(row._mapping) for row in conn.execute(_RECENT_SQL, {"limit": limit})]


def _record(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "title": row.title or "",
        "notes": row.notes or "",
        "private": bool(row.private),
        "license_id": row.license_id,
        "maintainer": row.maintainer,
        "maintainer_email": row.maintainer_email,
        "metadata_created": iso(row.metadata_created),
        "metadata_modified": iso(row.metadata_modified),
        "body": row.body,
        "organization": {"name": row.body, "title": row.org_title} if row.body else None,
        "tags": [],
        "resources": [],
    }


def _fill(records: dict[str, dict[str, Any]], rows: Iterable[Any], add) -> None:
    for row in rows:
        rec = records.get(row.package_id)
        if rec is not None:
            add(rec, row)


def _add_extra(rec: dict[str, Any], row: Any) -> None:
    if row.key not in _CORE:
        rec[row.key] = row.value


def _add_resource(rec: dict[str, Any], row: Any) -> None:
    extras = row.extras
    if isinstance(extras, str):
        try:
            extras = json.loads(extras)
        except ValueError:
            extras = {}
    res = dict(extras or {})
    res.update(id=row.id, url=row.url or "", url_type=row.url_type, format=row.format or "", name=row.name)
    rec["resources"].append(res)

