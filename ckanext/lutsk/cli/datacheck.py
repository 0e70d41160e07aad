"""``ckan lutsk datacheck``: check datasets' data now, or queue the checks (after a deploy,
or when the worker was down), and print the counts."""

from __future__ import annotations

import click
from ckan import model

from ckanext.lutsk.datacheck import jobs


@click.command("datacheck", short_help="Check the data of tabular resources")
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every active dataset.")
@click.option("--queue", is_flag=True, help="Queue the checks for the worker instead of running them here.")
@click.option(
    "--summary",
    is_flag=True,
    help="Then print the counts of the current checks (valid, invalid, with a recommended structure).",
)
def datacheck(names: tuple[str, ...], all_: bool, queue: bool, summary: bool) -> None:
    """Check (only what changed since its last check) the datasets NAMES, or --all;
    --summary alone prints the counts over every active dataset without checking."""
    if not names and not all_:
        if summary:
            click.echo(jobs.summary().line())
            return
        raise click.UsageError("name datasets or pass --all (or --summary)")
    query = model.Session.query(model.Package.id, model.Package.name).filter(model.Package.state == "active")
    if not all_:
        query = query.filter(model.Package.name.in_(names))
    rows = query.order_by(model.Package.name).all()
    missing = set(names) - {r.name for r in rows}
    if missing:
        raise click.ClickException("no such dataset: " + ", ".join(sorted(missing)))
    counts: dict[str, int] = {}
    for package_id, _name in rows:
        if queue:
            jobs.enqueue(package_id)
            continue
        for status in jobs.check_package(package_id).values():
            counts[status] = counts.get(status, 0) + 1
    if queue:
        click.echo(f"queued {len(rows)} dataset(s) on {jobs.QUEUE}")
    else:
        counted = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing changed"
        click.echo(f"checked {len(rows)} dataset(s); resources {counted}")
    if summary:
        click.echo(jobs.summary([package_id for package_id, _name in rows]).line())
