"""``ckan lutsk …`` commands."""

from __future__ import annotations

import click

from ckanext.lutsk import demo

__all__ = ["lutsk"]


@click.group(short_help="Lutsk open-data portal commands")
def lutsk() -> None:
    """Commands of the Lutsk City Council open-data portal."""


@lutsk.group("demo")
def demo_group() -> None:
    """Demo data for the development portal (never run it on production)."""


@demo_group.command("load")
def demo_load() -> None:
    """Create the dev sysadmin, users, bodies and demo datasets (idempotent)."""
    report = demo.load()
    for line in report:
        click.echo(line)
