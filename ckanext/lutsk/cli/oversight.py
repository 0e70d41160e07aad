"""``ckan lutsk coverage|history|audit-plan|register …``: the ICT department's oversight
commands. Every input is checked whole before anything is written, and files are
written atomically (a failed run leaves the previous file in place)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ckanext.lutsk import config
from ckanext.lutsk.domain import annex835, dataset_register, workdays
from ckanext.lutsk.domain.audit_plan import AuditParamError
from ckanext.lutsk.model import catalogue, history
from ckanext.lutsk.oversight import service as oversight
from ckanext.lutsk.oversight import stored

__all__ = ["audit_plan_cmd", "coverage_group", "history_group", "oversight_group", "register_group"]

# The CLI option of each audit parameter, for messages that name it.
_OPTION = {"year": "--year", "deadline": "--deadline", "start": "--start", "per_day": "--per-day"}


@click.group("coverage")
def coverage_group() -> None:
    """The annex of resolution 835: which body publishes which mandatory dataset."""


@coverage_group.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def coverage_check(path: str | None) -> None:
    """Validate an annex file (default: the configured one) against the registry."""
    try:
        annex = annex835.load_annex(path or settings_path(), registry=config.registry())
    except annex835.AnnexError as e:
        raise click.ClickException(str(e)) from e
    rows = annex.applicable()
    bodies = {b for r in rows for b in r.bodies}
    click.echo(
        f"OK: {len(annex)} rows, {len(rows)} apply, {len(annex) - len(rows)} not applicable, "
        f"{len(bodies)} bodies responsible"
    )


def settings_path() -> str | None:
    return config.annex_file()


@coverage_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="File to write (default: coverage-DATE.FMT).")
def coverage_export(fmt: str, output: str | None) -> None:
    """Export the coverage matrix: per body and annex row, published, late, draft or missing."""
    cells = oversight.coverage_cells(oversight.load())
    data = oversight.coverage_file(cells, fmt, "uk")
    target = output or f"coverage-{workdays.kyiv_today().isoformat()}.{fmt}"
    oversight.write_atomically(target, data)
    click.echo(f"Wrote {target}: {len(cells)} rows")


@click.group("history")
def history_group() -> None:
    """The daily history of deadline states (for the audit plan and the public page)."""


@history_group.command("snapshot")
def history_snapshot() -> None:
    """Record today's state of every public dataset (idempotent: run daily from cron)."""
    try:
        result = oversight.take_snapshot()
    except history.HistoryError as e:
        raise click.ClickException(str(e)) from e
    click.echo(
        f"Snapshot of {result.day.isoformat()}: {result.datasets} public datasets, "
        f"{result.opened} state changes recorded, {result.closed} closed"
    )


@click.command("audit-plan")
@click.option("--year", required=True, help="The year of the audits, e.g. 2027.")
@click.option(
    "--deadline", help="Last day of the audits, YYYY-MM-DD (default: ckanext.lutsk.audit_deadline)."
)
@click.option("--start", help="First day of the audits, YYYY-MM-DD (default: 1 February of the year).")
@click.option(
    "--per-day", help="At most this many audits on one working day (default: ckanext.lutsk.audits_per_day)."
)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True)
@click.option("--lang", type=click.Choice(["uk", "en"]), default="uk", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False), help="File to write (default: audit-plan-YEAR.FMT)."
)
def audit_plan_cmd(
    year: str,
    deadline: str | None,
    start: str | None,
    per_day: str | None,
    fmt: str,
    lang: str,
    output: str | None,
) -> None:
    """Draw up the year's information audit plan (mayor's order, item 4.1)."""
    try:
        params = oversight.audit_params(year, deadline, start, per_day)
        target = Path(output or f"audit-plan-{params.year}.{fmt}")
        if not target.parent.is_dir():
            raise click.BadParameter(f"directory {target.parent} does not exist", param_hint="--output")
        # From the stored facts, brought up to date first when a dataset changed since.
        result = stored.current_audit_plan(params)
        if result is None:
            raise click.ClickException("the oversight figures could not be computed")
        plan = result.value
    except AuditParamError as e:
        raise click.UsageError(
            "\n".join(f"{_OPTION.get(p.field, p.field)}: {p.message}" for p in e.problems)
        ) from e
    data = oversight.audit_plan_file(plan, fmt, lang)
    oversight.write_atomically(target, data)
    first, last = (
        plan.bodies[0].audit_date if plan.bodies else None,
        plan.bodies[-1].audit_date if plan.bodies else None,
    )
    click.echo(
        f"Wrote {target}: {len(plan.bodies)} bodies, audits {_day(first)}–{_day(last)}, "
        f"{plan.totals['missing']} mandatory datasets missing, "
        f"history {_day(plan.window[0])}–{_day(plan.window[1])}"
    )


@click.group("oversight")
def oversight_group() -> None:
    """The stored computations behind the oversight pages and the public register."""


@oversight_group.command("refresh")
def oversight_refresh() -> None:
    """Recompute the register, the coverage matrix, the audit plan's facts and every body's
    completeness (run nightly from cron: deadline states move with the date)."""
    counts = stored.refresh()
    click.echo(
        f"Stored: {counts['datasets']} datasets of {counts['bodies']} bodies, "
        f"{counts['public']} in the register, {counts['linked']} linked to annex rows"
    )


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


@click.group("register")
def register_group() -> None:
    """The register of datasets (annex row A6) in the national portal's format."""


@register_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="File to write (default: register-DATE.FMT).")
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False),
    help="Last year's register (CSV or XLSX, same columns): the difference is added.",
)
def register_export(fmt: str, output: str | None, previous: str | None) -> None:
    """Export the register of public datasets, with the difference from a previous one."""
    diff = None
    previous_rows = None
    if previous:
        try:
            previous_rows = dataset_register.read_register(Path(previous).read_bytes(), previous)
        except dataset_register.RegisterError as e:
            raise click.ClickException(str(e)) from e
    rows = oversight.register_rows(catalogue.load_records(public_only=True))
    target = Path(output or f"register-{workdays.kyiv_today().isoformat()}.{fmt}")
    if previous_rows is not None:
        diff = dataset_register.diff_registers(previous_rows, rows)
    if fmt == "xlsx":
        oversight.write_atomically(target, dataset_register.to_xlsx(rows, diff))
    else:
        changes = target.with_name(f"{target.stem}-changes.csv")
        data = dataset_register.to_csv(rows)
        change_data = dataset_register.diff_to_csv(diff) if diff is not None else None
        oversight.write_atomically(target, data)
        if change_data is not None:
            oversight.write_atomically(changes, change_data)
            click.echo(f"Wrote {changes}")
    click.echo(f"Wrote {target}: {len(rows)} datasets")
    if diff is not None:
        click.echo(
            f"Since the previous register: {len(diff.added)} added, "
            f"{len(diff.removed)} removed, {len(diff.changed)} changed"
        )
