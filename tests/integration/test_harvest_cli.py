"""Issue 17: an administrator's harvest on our portal, `ckan harvester run-test`, in its own
process as the README's cron/consumers would run it: a data.gov.ua source (the stand-in)
gathered, fetched and imported. It passes on CKAN 2.12 too: ckanext-harvest 1.6.3's
`KeyError: 'source_type'` there shows on a stock CKAN's DCAT source (the stand-in's
client, tests/peer/dcat-client.ini), not with our portal's configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from tests import sync_support
from tests.lutsk_factories import body_org, site_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.peer
@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_harvester_run_test_on_our_portal(peer):
    ict = body_org("ict")
    source = call_action(
        "harvest_source_create",
        context={"user": site_user()},
        name=sync_support.unique("cli-src"),
        url=peer.url,
        source_type="lutsk_datagovua",
        owner_org=ict["id"],
    )
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ckan")), "-c", str(ROOT / "test.ini"), "harvester", "run-test",
         source["id"]],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=300, input="n\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    jobs = call_action("harvest_job_list", source_id=source["id"])
    assert [j["status"] for j in jobs] == ["Finished"], jobs
