"""ckanext-xloader for real in tests: the job the jobs worker runs, performed here as RQ's
worker would, against the live test portal (``portal_server``): xloader downloads the
uploaded file from it and reports back to it (``xloader_hook``) over HTTP on 127.0.0.1, as
it does in production. Nothing is mocked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ckan.lib import jobs as ckan_jobs
from ckan.tests.helpers import call_action

from tests.lutsk_factories import site_user

ROOT = Path(__file__).resolve().parents[1]
XLOADER_JOB = "ckanext.xloader.jobs.xloader_data_into_datastore"


def portal_storage() -> str:
    """The storage path of the live test portal (bin/dev's CKAN_STORAGE_PATH, else test.ini's)."""
    return os.environ.get("CKAN_STORAGE_PATH") or str(ROOT / "var" / "storage" / "test")


def enable(monkeypatch: Any, ckan_config: Any, portal_url: str) -> str:
    """xloader's per-database settings for one test: an API token of the site user (the
    database was just reset) and the portal's loopback address; uploads go to the portal's
    storage, which serves them to xloader (CKAN's create_with_upload fixture points the
    storage at a temporary directory: request this after it). Returns the token."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", portal_storage())
    user = site_user()
    token = call_action(
        "api_token_create", context={"user": user, "ignore_auth": True}, user=user, name="xloader"
    )["token"]
    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", token)
    monkeypatch.setitem(ckan_config, "ckanext.xloader.site_url", portal_url)
    return token


def queued() -> list[Any]:
    """xloader's jobs waiting on the ``default`` queue (the queue the jobs worker serves)."""
    return [job for job in ckan_jobs.get_queue().jobs if job.func_name == XLOADER_JOB]


def run_queued() -> int:
    """Perform every queued xloader job, oldest first; returns how many ran."""
    done = 0
    while waiting := queued():
        job = waiting[0]
        job.perform()
        job.delete()
        done += 1
    return done
