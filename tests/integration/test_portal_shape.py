"""`bin/dev portal`'s production shape, run for real: `bin/dev supervise` (what `bin/dev portal`
starts) serves with gunicorn's gthread workers, runs the jobs worker and both harvest
consumers, answers concurrent requests, and stops every program it started on TERM.

It runs test.ini with this test process's CKAN_* environment (the test slot's database, Solr
core and Redis db) on 127.0.0.1:5050 + slot, never the dev portal's port."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PORT = 5050 + int(os.environ.get("LUTSK_TEST_SLOT") or 0)


def group(pgid: int) -> dict[int, str]:
    """pid → command line of every live process in the process group."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return found


def test_supervisor_runs_the_production_shape_and_stops_all_of_it(tmp_path):
    url = f"http://127.0.0.1:{PORT}"
    # A fresh storage, as on a new server: no web assets built yet (webassets builds a bundle
    # on its first use, and concurrent first uses raced to create its directory: 500s).
    storage = tmp_path / "storage"
    storage.mkdir()
    with contextlib.suppress(requests.ConnectionError):
        requests.get(url, timeout=2)
        raise AssertionError(f"port {PORT} is taken: stop what runs there")
    log = (ROOT / "var" / "log" / f"portal-shape-test-{PORT}.log").open("ab")
    env = dict(os.environ, CKAN_SITE_URL=url, CKAN_STORAGE_PATH=str(storage))
    proc = subprocess.Popen(
        [str(ROOT / "bin" / "dev"), "supervise", "test.ini", str(PORT)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, f"the supervisor exited, see {log.name}"
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/api/3/action/status_show", timeout=5).ok:
                    break
            assert time.monotonic() < deadline, f"the web part did not answer within 240 s, see {log.name}"
            time.sleep(0.5)

        # The first eight requests at once, on two workers of four threads: all served.
        def get(_: int) -> int:
            return requests.get(f"{url}/dataset/", timeout=120).status_code

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(get, range(8)))
        assert codes == [200] * 8

        programs = group(proc.pid)
        commands = list(programs.values())
        web = [c for c in commands if "gunicorn" in c and "ckanext.lutsk.wsgi:application" in c]
        assert len(web) == 3, commands  # the arbiter and its 2 workers
        assert all("--worker-class gthread" in c and "--preload" not in c for c in web), web
        for part in ("jobs worker default lutsk_publish lutsk_datacheck", "harvester gather-consumer",
                     "harvester fetch-consumer"):  # fmt: skip
            assert any(part in c for c in commands), (part, commands)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    deadline = time.monotonic() + 30
    while group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not group(proc.pid), f"left running after TERM: {group(proc.pid)}"
