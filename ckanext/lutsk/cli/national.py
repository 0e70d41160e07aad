"""``ckan lutsk national match --dry-run|--apply``: adopt the council's hand-uploaded
datasets on data.gov.ua (``domain.national_match``). Lists every old national dataset
of the bodies' national organizations with its local counterpart (or none, for a person
to decide); ``--apply`` marks the matched ones «Більше не оновлюється» with a link to the
copy harvested from (or pushed by) this portal. Idempotent; nothing is deleted."""

from __future__ import annotations

import sys
from typing import Any

import click

from ckanext.lutsk import config
from ckanext.lutsk.datagovua.publisher import PublishError, Remote
from ckanext.lutsk.domain import mapping, national_match
from ckanext.lutsk.model import catalogue, sync_state

_PAGE = 1000


def _national_orgs() -> list[str]:
    """The bodies' own national organizations (abolished bodies' too: their old uploads)
    and the city's cabinet."""
    reg = config.registry()
    names = [mapping.national_org(reg, b.slug) for b in reg]
    if config.datagovua_org():
        names.append(config.datagovua_org())
    return list(dict.fromkeys(names))


def _national_datasets(remote: Remote, org: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = remote.call(
            "package_search",
            {"fq": f'organization:"{org}"', "rows": _PAGE, "start": len(found), "include_private": True},
        )
        found += page["results"]
        if len(found) >= page["count"] or not page["results"]:
            return found


def _ours(national: dict[str, Any], local_ids: set[str]) -> bool:
    """A copy of this portal's dataset (harvested keeps our id; pushed ones are linked)."""
    return national["id"] in local_ids or sync_state.by_remote_id(national["id"]) is not None


def _link(remote: Remote, local: dict[str, Any]) -> str:
    row = sync_state.get(local["id"])
    if row is not None and row.remote_url:
        return row.remote_url
    # data.gov.ua's harvester keeps our id: the harvested copy is there under it.
    return f"{remote.cfg.url}/dataset/{local['id']}"


@click.group("national")
def national() -> None:
    """The council's datasets already on data.gov.ua."""


@national.command("match")
@click.option("--dry-run", "mode", flag_value="dry-run", default=True, help="List the pairs only (default).")
@click.option("--apply", "mode", flag_value="apply", help="Mark the matched old copies as no longer updated.")
def national_match_cmd(mode: str) -> None:
    """Pair hand-uploaded national datasets with local ones; --apply marks the old copies."""
    cfg = config.PublishSettings.from_config()
    if cfg is None:
        raise click.ClickException("ckanext.lutsk.datagovua.url/token are not set")
    remote = Remote(cfg)
    local = catalogue.load_records()
    local_ids = {rec["id"] for rec in local}
    try:
        old = [
            nat
            for org in _national_orgs()
            for nat in _national_datasets(remote, org)
            if not _ours(nat, local_ids) and nat.get("state", "active") == "active"
        ]
        pairs = national_match.pair(old, local, config.annex())
        counts = {"matched": 0, "marked": 0, "already": 0, "unmatched": 0}
        for m in pairs:
            nat = m.national
            org = (nat.get("organization") or {}).get("name", "-")
            if m.local is None:
                counts["unmatched"] += 1
                click.echo(f"UNMATCHED\t{org}\t{nat['name']}\t{nat.get('title', '')}")
                continue
            counts["matched"] += 1
            link = _link(remote, dict(m.local))
            if national_match.is_marked(nat):
                counts["already"] += 1
                click.echo(f"ALREADY\t{org}\t{nat['name']}\t-> {m.local['name']}")
                continue
            click.echo(f"MATCH\t{org}\t{nat['name']}\t-> {m.local['name']} (by {m.by})\t{link}")
            if mode == "apply":
                full = remote.call("package_show", {"id": nat["id"]})
                tags = ",".join(t["name"] for t in full.get("tags") or [])
                data = {**full, **national_match.marking(full, link), "tag_string": tags}
                remote.call("package_update", data, write=True)
                counts["marked"] += 1
    except PublishError as e:
        raise click.ClickException(f"data.gov.ua: {e.kind} {e.detail}") from e
    click.echo(
        "{matched} matched ({already} already marked, {marked} marked now), {unmatched} unmatched.".format(
            **counts
        )
    )
    if mode != "apply" and counts["matched"] - counts["already"]:
        click.echo("Dry run: nothing changed; --apply marks the matched copies.")
    sys.exit(0)
