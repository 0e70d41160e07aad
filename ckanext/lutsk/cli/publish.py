"""``ckan lutsk publish``: push datasets to data.gov.ua from the command line, with the
same code the ``lutsk_publish`` workers run (``publisher.publish_many``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.lutsk.datagovua import messages, publisher

SUMMARY_ORDER = (
    "created",
    "adopted",
    "updated",
    "unchanged",
    "withdrawn",
    "deleted",
    "skipped",
    "failed",
    "would_create",
    "would_update",
    "would_withdraw",
    "would_delete",
)


@click.command("publish")
@click.option(
    "--all", "all_", is_flag=True, help="Every public dataset, and every withdrawn one with a copy."
)
@click.option("--body", help="The datasets of one body (its organization name).")
@click.option("--dataset", help="One dataset (name or id).")
@click.option(
    "--retry",
    is_flag=True,
    help="The datasets whose push failed for a passing reason and whose back-off has run out.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing anywhere.")
@click.pass_context
def publish(
    ctx: click.Context, all_: bool, body: str | None, dataset: str | None, retry: bool, dry_run: bool
) -> None:
    """Bring the national copies on data.gov.ua in step now.

    Idempotent: a dataset whose national copy is already in step costs no write. From cron,
    --retry every few minutes retries failed pushes with back-off (the background jobs do
    not retry themselves), and --all nightly catches up with anything else.
    """
    if sum(map(bool, (all_, body, dataset, retry))) != 1:
        raise click.UsageError("Give exactly one of --all, --body B, --dataset D or --retry.")
    if not publisher.configured():
        raise click.ClickException(
            "Publishing is off: set ckanext.lutsk.datagovua.url and ckanext.lutsk.datagovua.token."
        )
    with ctx.meta["flask_app"].test_request_context():
        try:
            ids = publisher.retry_due() if retry else publisher.select(all_=all_, body=body, dataset=dataset)
        except tk.ObjectNotFound as e:
            raise click.ClickException(str(e)) from e
        if not ids:
            click.echo("Nothing due for a retry." if retry else "Nothing to publish.")
            return
        label = "Checking (dry run)" if dry_run else "Publishing to data.gov.ua"
        with click.progressbar(length=len(ids), label=label) as bar:
            report = publisher.publish_many(ids, dry_run=dry_run, progress=lambda _o: bar.update(1))
        counts = report.summary()
        parts = [f"{counts[a]} {a.replace('_', ' ')}" for a in SUMMARY_ORDER if counts.get(a)]
        click.echo(f"{len(ids)} datasets: " + ", ".join(parts))
        click.echo(f"Requests to data.gov.ua: {report.reads} reads, {report.writes} writes.")
        for outcome in report.failed:
            reason = messages.error_message(outcome.error_kind, outcome.error_detail)
            click.echo(f"FAILED {outcome.package_id}: {reason}", err=True)
    if report.failed:
        ctx.exit(1)
