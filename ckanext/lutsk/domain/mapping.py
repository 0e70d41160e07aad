"""Field mapping between a Lutsk passport and a data.gov.ua dataset, both directions.

Plain Python (no CKAN imports): the publisher pushes ``to_remote(...)`` with ckanapi, the
``lutsk_datagovua`` harvester imports ``to_local(...)``, and ``decide_import`` says what
the harvester may do with a local copy. data.gov.ua uses the passport keys our schema
already uses (``update_frequency``, ``purpose_of_collecting_information``, ``language``,
``tag_string``, ``maintainer``…), so most fields go across unchanged; what differs is
listed here and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.lutsk.domain import passport_law
from ckanext.lutsk.domain.registry import Body, Registry

__all__ = [
    "HOLDER_KEYS",
    "PASSPORT_KEYS",
    "RESTRICTED_HEADING",
    "ImportDecision",
    "body_for_author",
    "body_for_remote_org",
    "decide_import",
    "fingerprint",
    "holder_fields",
    "join_notes",
    "national_org",
    "org_edrpou",
    "projection",
    "resource_id_map",
    "split_notes",
    "stamp",
    "to_local",
    "to_remote",
]

#: Top-level passport fields data.gov.ua has under the same key and vocabulary.
PASSPORT_KEYS = (
    "title",
    "language",
    "purpose_of_collecting_information",
    "update_frequency",
    "maintainer",
    "maintainer_email",
    "license_id",
)

#: The holder body on the national copy when every body publishes into the city's one
#: cabinet: keys data.gov.ua's CKAN keeps and shows (``author``, ``author_email``), and the
#: holder's ЄДРПОУ as ``publisherIdentifier`` (what data.gov.ua's uploader scripts send)
#: where the registry knows it. Our ``package_show`` carries them (``holder_fields``).
HOLDER_KEYS = ("author", "author_email", "publisherIdentifier")

#: data.gov.ua has no field for restricted information (passport element 3 covers both
#: the description and what is withheld), so it travels at the end of ``notes``.
RESTRICTED_HEADING = "Інформація з обмеженим доступом, що не оприлюднюється:"

_RESOURCE_KEYS = ("url", "name", "description", "format")
# Keys of an organization where a national portal may keep the holder's ЄДРПОУ code.
_EDRPOU_KEYS = ("edrpou", "edrpou_code", "code_edrpou", "lutsk_edrpou")


# --------------------------------------------------------------------------- organizations


def national_org(registry: Registry, slug: str) -> str:
    """The data.gov.ua organization a body publishes under: its own or its nearest
    ancestor's (``Registry.datagovua_org_for``), else the body's slug, which is the name
    a national organization gets when the registry does not know the real one."""
    try:
        return registry.datagovua_org_for(slug) or slug
    except KeyError:
        return slug


def holder_fields(body: Body | None) -> dict[str, str]:
    """``author`` (the body's Ukrainian name), ``author_email`` and ``publisherIdentifier``
    (ЄДРПОУ) of the holder, each only where the registry knows it."""
    if body is None:
        return {}
    out = {"author": body.title("uk")}
    if body.email:
        out["author_email"] = body.email
    if body.edrpou:
        out["publisherIdentifier"] = body.edrpou
    return out


def body_for_author(registry: Registry, remote: Mapping[str, Any]) -> Body | None:
    """The body named as ``author`` (its Ukrainian name) or by ``publisherIdentifier`` on a
    national copy in the city's one cabinet; abolished bodies hand over to their successor."""
    code = remote.get("publisherIdentifier")
    body = registry.by_edrpou(code) if isinstance(code, str) and code else None
    author = _text(remote.get("author"))
    if body is None and author:
        body = next((b for b in registry if b.title("uk") == author), None)
    if body is not None and not body.active:
        current = registry.current(body.slug)
        body = current if current.active else None
    return body


def org_edrpou(org: Mapping[str, Any]) -> str | None:
    """The ЄДРПОУ code a national organization carries (a field or an extra), if any."""
    for key in _EDRPOU_KEYS:
        if isinstance(org.get(key), str) and org[key].strip():
            return org[key].strip()
    for extra in org.get("extras") or []:
        if extra.get("key") in _EDRPOU_KEYS and str(extra.get("value") or "").strip():
            return str(extra["value"]).strip()
    return None


def body_for_remote_org(registry: Registry, org: Mapping[str, Any] | None) -> Body | None:
    """The active body that owns a national organization: the body whose ``datagovua_org``
    it is, then the body whose national organization name it is (slug fallback), then the
    body with the organization's ЄДРПОУ code. Abolished bodies hand over to their
    successor."""
    if not org:
        return None
    name = org.get("name") or ""
    body = registry.by_datagovua_org(name) if name else None
    if body is None and name:
        body = next((b for b in registry.active() if national_org(registry, b.slug) == name), None)
        body = body or registry.get(name)
    if body is None:
        code = org_edrpou(org)
        body = registry.by_edrpou(code) if code else None
    if body is not None and not body.active:
        current = registry.current(body.slug)
        body = current if current.active else None
    return body


# --------------------------------------------------------------------------- local → national


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _tags(pkg: Mapping[str, Any]) -> list[str]:
    tags = [t.get("name", "") for t in pkg.get("tags") or [] if t.get("state", "active") == "active"]
    if not tags and isinstance(pkg.get("tag_string"), str):
        tags = pkg["tag_string"].split(",")
    return sorted({t.strip() for t in tags if t and t.strip()})


def _active_resources(pkg: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [r for r in pkg.get("resources") or [] if r.get("state", "active") == "active" and r.get("url")]


def join_notes(notes: str, restricted: str) -> str:
    if not restricted:
        return notes
    return f"{notes}\n\n{RESTRICTED_HEADING} {restricted}" if notes else f"{RESTRICTED_HEADING} {restricted}"


def split_notes(notes: str) -> tuple[str, str]:
    """``notes`` as data.gov.ua holds them → (description, restricted information)."""
    marker = f"\n\n{RESTRICTED_HEADING} "
    if marker in notes:
        head, _sep, tail = notes.rpartition(marker)
        return head, tail.strip()
    if notes.startswith(f"{RESTRICTED_HEADING} "):
        return "", notes[len(RESTRICTED_HEADING) + 1 :].strip()
    return notes, ""


def projection(pkg: Mapping[str, Any]) -> dict[str, Any]:
    """What the two portals share of a dataset, in one comparable shape (either side's
    ``package_show`` dict, or a dict made by ``to_local``)."""
    notes, restricted = split_notes(_text(pkg.get("notes")))
    restricted = _text(pkg.get("restricted_info")) or restricted
    out: dict[str, Any] = {key: _text(pkg.get(key)) for key in PASSPORT_KEYS}
    out["notes"] = notes.strip()
    out["restricted_info"] = restricted
    out["tags"] = _tags(pkg)
    out["resources"] = [
        {
            "url": _text(r.get("url")),
            "name": _text(r.get("name")),
            "description": _text(r.get("description")),
            "format": _text(r.get("format")).upper(),
        }
        for r in _active_resources(pkg)
    ]
    return out


def to_remote(
    pkg: Mapping[str, Any],
    *,
    owner_org: str,
    resource_ids: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The data.gov.ua dataset for a local passport (a ``package_show`` dict).

    Resources become links to our files (uploads are already absolute download URLs in
    ``package_show``). ``resource_ids`` maps local resource ids to the national copy's,
    so an update keeps the national resources instead of replacing them.
    """
    shared = projection(pkg)
    ids = resource_ids or {}
    resources = []
    for res, mapped in zip(_active_resources(pkg), shared["resources"], strict=True):
        remote = {k: v for k, v in mapped.items() if v}
        if res.get("id") in ids:
            remote["id"] = ids[res["id"]]
        resources.append(remote)
    remote_pkg: dict[str, Any] = {
        "name": pkg["name"],
        "owner_org": owner_org,
        "private": False,
        "notes": join_notes(shared["notes"], shared["restricted_info"]),
        "tag_string": ",".join(shared["tags"]),
        "resources": resources,
    }
    remote_pkg.update({key: shared[key] for key in PASSPORT_KEYS if shared[key]})
    remote_pkg.update({key: _text(pkg.get(key)) for key in HOLDER_KEYS if _text(pkg.get(key))})
    return remote_pkg


def fingerprint(remote_pkg: Mapping[str, Any]) -> str:
    """A hash of what would be sent, without the national resource ids: equal
    fingerprints mean there is nothing to push."""
    data = dict(remote_pkg)
    data["resources"] = [{k: v for k, v in r.items() if k != "id"} for r in data.get("resources", [])]
    data.pop("id", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def resource_id_map(local_pkg: Mapping[str, Any], remote_pkg: Mapping[str, Any]) -> dict[str, str]:
    """Pair local and national resource ids by position (``to_remote`` keeps the order)."""
    local = [r["id"] for r in _active_resources(local_pkg) if r.get("id")]
    remote = [r["id"] for r in remote_pkg.get("resources") or [] if r.get("id")]
    return dict(zip(local, remote, strict=False))


# --------------------------------------------------------------------------- national → local


def to_local(remote: Mapping[str, Any], *, owner_org: str) -> dict[str, Any]:
    """A local passport dict for a data.gov.ua dataset (``package_show`` dict), for
    ``package_create``/``package_update`` through our schema, whose validators then
    check it like any other input."""
    shared = projection(remote)
    local: dict[str, Any] = {key: shared[key] for key in PASSPORT_KEYS if shared[key]}
    local.update(
        name=remote["name"],
        owner_org=owner_org,
        notes=shared["notes"],
        tag_string=",".join(shared["tags"]),
        resources=[{k: v for k, v in r.items() if v} for r in shared["resources"]],
    )
    if shared["restricted_info"]:
        local["restricted_info"] = shared["restricted_info"]
    # The council's public information has one reuse condition by law (art. 10-1): a
    # national copy marked "not specified" or share-alike comes home as CC BY 4.0.
    local["license_id"] = passport_law.LICENCE
    return local


@dataclass(frozen=True)
class ImportDecision:
    """What the harvester does with one national dataset."""

    action: str  # "create" | "update" | "unchanged" | "keep_local"
    reason: str


def stamp(value: Any) -> str:
    """A CKAN timestamp (naive UTC ISO) cut to the millisecond, comparable as text:
    ``package_show`` gives microseconds, the search index milliseconds and a ``Z``."""
    text = str(value or "").rstrip("Z")
    head, _dot, fraction = text.partition(".")
    return f"{head}.{(fraction + '000')[:3]}" if head else ""


def decide_import(
    local: Mapping[str, Any] | None,
    remote: Mapping[str, Any],
    *,
    last_pushed_remote_modified: str | None = None,
) -> ImportDecision:
    """Whether the national copy may replace the local one.

    Never overwrites newer local data: a local dataset modified at or after the national
    copy's last modification is kept (the publisher will push it). The national copy as
    our own last push left it is "unchanged", as is one whose shared fields already
    equal ours.
    """
    if local is None:
        return ImportDecision("create", "new")
    if last_pushed_remote_modified and stamp(remote.get("metadata_modified")) == stamp(
        last_pushed_remote_modified
    ):
        return ImportDecision("unchanged", "our own push")
    if projection(local) == projection(remote):
        return ImportDecision("unchanged", "same values")
    if stamp(local.get("metadata_modified")) >= stamp(remote.get("metadata_modified")):
        return ImportDecision("keep_local", "local copy is newer")
    return ImportDecision("update", "national copy is newer")
