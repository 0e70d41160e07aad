"""``ckan lutsk xloader-token FILE``: the API token ckanext-xloader reports back with."""

from __future__ import annotations

import click

from ckanext.lutsk.datacheck import datastore


@click.command("xloader-token", short_help="Keep xloader's API token in a file")
@click.argument("path", type=click.Path(dir_okay=False))
def xloader_token(path: str) -> None:
    """Write the site user's API token for ckanext-xloader to PATH (mode 0600), unless the one
    there is still valid; point ckanext.lutsk.xloader_token_file at PATH."""
    if datastore.write_token_file(path):
        click.echo(f"xloader token: new, written to {path}")
    else:
        click.echo(f"xloader token: the one in {path} is valid")
