"""``ckan lutsk passport check|migrate-licence``: stored datasets against the law's limits
(``domain.passport_law``). The check reports; only the licence is migrated, because the
law leaves no choice there. Over-long texts are for a person to shorten, never cut."""

from __future__ import annotations

import sys

import ckan.plugins.toolkit as tk
import click
from ckan.types import Context

from ckanext.lutsk.domain import passport_law
from ckanext.lutsk.logic import errors
from ckanext.lutsk.model import catalogue

_WHAT = {
    "licence": "licence {detail!r} (only {licence}: art. 10-1 of the access-to-public-information law)",
    "element3": "description + restricted information: {detail} characters (at most {element3})",
    "purpose": "purpose_of_collecting_information: {detail} characters (at most {purpose}, data.gov.ua)",
}


def _describe(code: str, detail: str) -> str:
    return _WHAT[code].format(
        detail=detail,
        licence=passport_law.LICENCE,
        element3=passport_law.ELEMENT3_MAX,
        purpose=passport_law.PURPOSE_MAX,
    )


def _offenders(code: str | None = None) -> list[tuple[dict, list[tuple[str, str]]]]:
    out = []
    for rec in sorted(catalogue.load_records(), key=lambda r: (r.get("body") or "", r["name"])):
        found = [p for p in passport_law.problems(rec) if code is None or p[0] == code]
        if found:
            out.append((rec, found))
    return out


@click.group("passport")
def passport() -> None:
    """Stored passports against the law's limits (licence, element 3, purpose)."""


@passport.command("check")
def passport_check() -> None:
    """List the datasets whose stored passport breaks a legal limit (exit 1 if any)."""
    offenders = _offenders()
    for rec, found in offenders:
        for code, detail in found:
            click.echo(f"{rec.get('body') or '-'}\t{rec['name']}\t{code}\t{_describe(code, detail)}")
    counts: dict[str, int] = {}
    for _rec, found in offenders:
        for code, _detail in found:
            counts[code] = counts.get(code, 0) + 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none"
    click.echo(f"{len(offenders)} datasets break a limit ({summary}).")
    if offenders:
        sys.exit(1)


@passport.command("migrate-licence")
@click.option("--dry-run", is_flag=True, help="List the datasets and their licences without changing them.")
def passport_migrate_licence(dry_run: bool) -> None:
    """Set every stored dataset's licence to CC BY 4.0 (one-off; idempotent)."""
    offenders = _offenders("licence")
    by_value: dict[str, int] = {}
    for rec, found in offenders:
        by_value[found[0][1]] = by_value.get(found[0][1], 0) + 1
        click.echo(
            f"{rec.get('body') or '-'}\t{rec['name']}\t{found[0][1] or '(none)'} -> {passport_law.LICENCE}"
        )
    summary = ", ".join(f"{k or '(none)'}: {v}" for k, v in sorted(by_value.items())) or "none"
    click.echo(f"{len(offenders)} datasets with another licence ({summary}).")
    if dry_run or not offenders:
        return
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    failed = 0
    for rec, _found in offenders:
        context: Context = {"user": site_user["name"], "ignore_auth": True}
        try:
            tk.get_action("package_patch")(context, {"id": rec["id"], "license_id": passport_law.LICENCE})
        except tk.ValidationError as e:
            failed += 1
            reasons = errors.error_text(e, with_fields=True)
            click.echo(f"NOT MOVED {rec['name']}: {reasons}", err=True)
    click.echo(f"Done: {len(offenders) - failed} moved to {passport_law.LICENCE}, {failed} not moved.")
    if failed:
        sys.exit(1)
