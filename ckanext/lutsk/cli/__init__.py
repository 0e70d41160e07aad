"""``ckan lutsk …`` commands."""

from __future__ import annotations

import click

from ckanext.lutsk import adopt, config, demo, organizations
from ckanext.lutsk.cli import datacheck as datacheck_cli
from ckanext.lutsk.cli import datastore as datastore_cli
from ckanext.lutsk.cli import deadlines as deadline_cli
from ckanext.lutsk.cli import national as national_cli
from ckanext.lutsk.cli import oversight as oversight_cli
from ckanext.lutsk.cli import passport as passport_cli
from ckanext.lutsk.cli import publish as publish_cli
from ckanext.lutsk.domain.registry import RegistryError, load_registry
from ckanext.lutsk.logic import errors
from ckanext.lutsk.oversight import stored as oversight_stored

__all__ = ["lutsk"]


@click.group(short_help="Lutsk open-data portal commands")
def lutsk() -> None:
    """Commands of the Lutsk City Council open-data portal."""


lutsk.add_command(deadline_cli.deadlines)
lutsk.add_command(publish_cli.publish)
lutsk.add_command(passport_cli.passport)
lutsk.add_command(national_cli.national)
lutsk.add_command(datacheck_cli.datacheck)
lutsk.add_command(datastore_cli.xloader_token)
# The ICT department's oversight: annex coverage, history, audit plan, register.
for _command in (
    oversight_cli.coverage_group,
    oversight_cli.history_group,
    oversight_cli.oversight_group,
    oversight_cli.audit_plan_cmd,
    oversight_cli.register_group,
):
    lutsk.add_command(_command)


@lutsk.group("demo")
def demo_group() -> None:
    """Demo data for the development portal (never run it on production)."""


@demo_group.command("load")
def demo_load() -> None:
    """Create the dev sysadmin, users, bodies and demo datasets (idempotent)."""
    report = demo.load()
    for line in report:
        click.echo(line)
    # The register, coverage and audit-plan figures are served from storage: compute them now,
    # so the demo portal's downloads work before any dataset changes.
    seen = oversight_stored.refresh()
    click.echo(f"demo: oversight figures computed ({seen['datasets']} datasets read)")


@lutsk.group("bodies")
def bodies() -> None:
    """The registry of executive bodies and their organizations."""


def _registry(path: str | None):
    try:
        return load_registry(path) if path else config.registry()
    except RegistryError as e:
        raise click.ClickException(str(e)) from e


@bodies.command("check")
@click.argument("path", required=False)
def bodies_check(path: str | None) -> None:
    """Validate the registry file (default: the configured one)."""
    reg = _registry(path)
    click.echo(f"OK: {len(reg)} entries, {len(reg.active())} active")


@bodies.command("sync")
@click.option("--dry-run", is_flag=True, help="Print the changes without writing anything.")
@click.option("--registry", "path", help="Registry file (default: ckanext.lutsk.registry_file).")
def bodies_sync_cmd(dry_run: bool, path: str | None) -> None:
    """Create and update one organization per body of the registry (idempotent)."""
    reg = _registry(path)
    plan, _api = organizations.sync(reg, dry_run=True)
    for change in plan:
        for line in change.describe():
            click.echo(line)
    if not plan:
        click.echo("Nothing to change: every body has its organization.")
        return
    if dry_run:
        click.echo(f"Dry run: {len(plan)} organizations would change.")
        return
    with click.progressbar(length=len(plan), label="Syncing organizations") as bar:
        _plan, api = organizations.sync(reg, progress=lambda _c: bar.update(1))
    click.echo(f"Done: {api.writes} organizations created or updated.")


@bodies.command("move")
@click.argument("slug")
@click.option("--to", "to", help="The receiving body (default: the successor in the registry).")
@click.option("--dry-run", is_flag=True, help="List the datasets without moving them.")
def bodies_move(slug: str, to: str | None, dry_run: bool) -> None:
    """Move every dataset of an abolished body to its successor."""
    import ckan.plugins.toolkit as tk

    reg = _registry(None)
    try:
        target, datasets = organizations.move_datasets(reg, slug, to, dry_run=True)
        click.echo(f"{len(datasets)} datasets of {slug} -> {target}")
        if dry_run or not datasets:
            return
        with click.progressbar(length=len(datasets), label="Moving datasets") as bar:
            organizations.move_datasets(reg, slug, to, progress=lambda _d: bar.update(1))
    except tk.ValidationError as e:
        raise click.ClickException(errors.error_text(e)) from e
    click.echo("Done.")


@lutsk.command("adopt")
@click.option("--dry-run", "mode", flag_value="dry-run", help="Print what would change; write nothing.")
@click.option("--apply", "mode", flag_value="apply", help="Write the changes and re-index.")
@click.option(
    "--mapping",
    "mapping_path",
    help="YAML file «old-organization-name: body-slug» for organizations no rule matches.",
)
def adopt_cmd(mode: str | None, mapping_path: str | None) -> None:
    """Bring an existing portal's datasets into the passport schema (idempotent).

    Maps organizations to registry bodies (name, ЄДРПОУ, title, or the mapping file; never a
    guess) and data.gov.ua-style keys and extras onto the passport; keeps every value it
    replaces or cannot map, and prints per body what each dataset still lacks."""
    if mode is None:
        raise click.UsageError("give --dry-run or --apply")
    try:
        report = adopt.run(apply=mode == "apply", mapping=adopt.load_mapping(mapping_path))
    except adopt.AdoptError as e:
        raise click.ClickException(str(e)) from e
    for line in report.lines():
        click.echo(line)
