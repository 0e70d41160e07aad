"""ckanext-xloader, which loads tabular resources into CKAN's DataStore for the preview
(datatables_view) and the DataStore API (issue 19, item 4), set up for Ukrainian files."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import api_token

from ckanext.lutsk import config

log = logging.getLogger(__name__)
#: xloader's value for "no token configured".
_UNSET = ("", "NOT_SET")

#: What a CSV that is not UTF-8 is read as. Here that file comes from Excel on a Ukrainian
#: Windows: Windows-1251 (the data check reports it and asks for UTF-8).
SINGLE_BYTE_ENCODING = "cp1251"


def read_single_byte_files_as_cp1251() -> None:
    """xloader 2.5 reads a CSV as the encoding chardet names only when chardet is more than
    70% sure, which it seldom is of Windows-1251 Ukrainian text; otherwise as UTF-8, and
    when that fails, as its fixed single-byte fallback Windows-1252 - a Ukrainian file
    would reach the DataStore as «Íàçâà». It offers no option for the fallback, so its
    module constant is set here, once, at start-up (web and worker processes alike)."""
    if not p.plugin_loaded("xloader"):
        return
    from ckanext.xloader import loader

    loader.SINGLE_BYTE_ENCODING = SINGLE_BYTE_ENCODING


def token_from_file() -> None:
    """``ckanext.xloader.api_token`` from ``ckanext.lutsk.xloader_token_file`` when the ini
    sets no token. A missing or unreadable file is logged: the portal serves, but xloader
    then loads nothing (it logs that the token is NOT_SET)."""
    path = config.xloader_token_file()
    if not path or str(tk.config.get("ckanext.xloader.api_token") or "") not in _UNSET:
        return
    try:
        token = Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        log.error("ckanext.lutsk.xloader_token_file %s cannot be read (%s): no DataStore loads", path, error)
        return
    if token:
        tk.config["ckanext.xloader.api_token"] = token


def write_token_file(path: str) -> bool:
    """Keep a valid API token of the site user in ``path`` (mode 0600) for xloader: the one
    there if CKAN still accepts it, else a new one. Returns whether a new token was written."""
    target = Path(path)
    if target.exists():
        token = target.read_text(encoding="ascii", errors="replace").strip()
        if token and api_token.get_user_from_token(token, update_access_time=False) is not None:
            return False
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    token = tk.get_action("api_token_create")(
        {"user": site, "ignore_auth": True}, {"user": site, "name": "xloader"}
    )["token"]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(token + "\n")
    return True
