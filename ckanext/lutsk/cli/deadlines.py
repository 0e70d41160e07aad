"""``ckan lutsk deadlines …``: refresh the indexed states, report, remind, digest (cron-able)."""

from __future__ import annotations

import sys

import ckan.plugins.toolkit as tk
import click

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import index as deadline_index
from ckanext.lutsk.deadlines import mail as deadline_mail
from ckanext.lutsk.deadlines import report as deadline_report
from ckanext.lutsk.deadlines.status import REPORT_STATES
from ckanext.lutsk.logic import errors

__all__ = ["deadlines"]


def _strict_calendar() -> None:
    """Commands that write or send refuse to run on a fallback calendar."""
    error = config.calendar_error()
    if error is not None:
        raise click.ClickException(f"the working-day calendar file is invalid, fix it first: {error}")


def _in_request(ctx: click.Context):
    # Translations (uk_UA by default) and CKAN helpers need a request context.
    return ctx.meta["flask_app"].test_request_context()


@click.group("deadlines")
def deadlines() -> None:
    """Update deadlines of datasets (three working days after a change, or by frequency)."""


@deadlines.command("refresh")
@click.option("--dry-run", is_flag=True, help="Only count the datasets whose state changed.")
@click.pass_context
def refresh(ctx: click.Context, dry_run: bool) -> None:
    """Re-index the datasets whose deadline state changed since they were indexed (daily cron)."""
    _strict_calendar()
    with _in_request(ctx):
        plan = deadline_index.find_stale()
        click.echo(f"Checked {plan.checked} datasets; {len(plan.stale)} changed state.")
        for (old, new), n in sorted(plan.moves.items()):
            click.echo(f"  {old or '(not indexed)'} -> {new}: {n}")
        if dry_run or not plan.stale:
            return
        with click.progressbar(length=len(plan.stale), label="Re-indexing") as bar:
            done = deadline_index.reindex(plan.stale, progress=lambda: bar.update(1))
    click.echo(f"Re-indexed {done} datasets.")


@deadlines.command("report")
@click.option("--body", help="A body's organization name (default: all bodies).")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice([*REPORT_STATES, *deadline_report.STATE_ALIASES]),
    help="Only these states (repeat the option); 'overdue' = both overdue states.",
)
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="The day (default today).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File (default stdout).")
@click.pass_context
def report(
    ctx: click.Context, body: str | None, states: tuple[str, ...], as_of, fmt: str, output: str | None
) -> None:
    """The deadline report of public datasets, as a table, CSV or XLSX."""
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs --output FILE")
    with _in_request(ctx):
        data: dict = {}
        if body:
            data["body"] = body
        if states:
            data["state"] = list(states)
        if as_of:
            data["as_of"] = as_of.date().isoformat()
        try:
            result = tk.get_action("lutsk_deadline_report")({"ignore_auth": True}, data)
        except tk.ValidationError as exc:
            raise click.ClickException(errors.error_text(exc, with_fields=True)) from exc
        if fmt == "table":
            content: bytes = (deadline_report.to_table(result) + "\n").encode()
        elif fmt == "csv":
            content = deadline_report.to_csv(result)
        else:
            content = deadline_report.to_xlsx(result)
    if output:
        with open(output, "wb") as f:
            f.write(content)
        click.echo(f"{result['count']} datasets written to {output}", err=True)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()


def _echo_outcomes(outcomes: list[deadline_mail.Outcome], dry_run: bool) -> None:
    for o in outcomes:
        if o.error:
            click.echo(f"{o.recipient}: FAILED ({o.error})", err=True)
        elif o.datasets:
            verb = "would get" if dry_run else "sent"
            click.echo(f"{o.recipient}: {verb} {o.datasets} datasets ({o.already_sent} already told)")
        else:
            click.echo(f"{o.recipient}: nothing new ({o.already_sent} already told)")
    failed = [o for o in outcomes if o.error]
    if failed:
        raise click.ClickException(
            f"{len(failed)} of {len(outcomes)} mails failed; they are retried next run"
        )


@deadlines.command("remind")
@click.option(
    "--days", type=int, help="Due within this many working days (default ckanext.lutsk.remind_days)."
)
@click.option("--dry-run", is_flag=True, help="List who would get what; send nothing.")
@click.pass_context
def remind(ctx: click.Context, days: int | None, dry_run: bool) -> None:
    """E-mail the responsible persons their datasets due soon or overdue, once per state (daily cron)."""
    _strict_calendar()
    with _in_request(ctx):
        outcomes = deadline_mail.send_reminders(days=days, dry_run=dry_run)
    _echo_outcomes(outcomes, dry_run)


@deadlines.command("digest")
@click.option("--dry-run", is_flag=True, help="List who would get it; send nothing.")
@click.pass_context
def digest(ctx: click.Context, dry_run: bool) -> None:
    """The weekly digest to the ICT department (at most once per week; weekly cron)."""
    _strict_calendar()
    with _in_request(ctx):
        outcomes = deadline_mail.send_digest(dry_run=dry_run)
    if not outcomes:
        raise click.ClickException(
            "no recipient: set ckanext.lutsk.ict_email or give the ICT organization members with e-mails"
        )
    _echo_outcomes(outcomes, dry_run)


@deadlines.command("prune-mail-log")
@click.option("--keep-days", type=click.IntRange(min=1), help="Default ckanext.lutsk.mail_log_keep_days.")
@click.pass_context
def prune_mail_log(ctx: click.Context, keep_days: int | None) -> None:
    """Delete old records of sent deadline mails that no longer prevent a repeat (monthly cron)."""
    with _in_request(ctx):
        removed = deadline_mail.prune_log(keep_days)
    click.echo(f"{removed} old mail records deleted.")
