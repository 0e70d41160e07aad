"""Our portal as a real HTTP server process on loopback, for clients that cannot use the
Flask test app: the peer's harvesters, the browser tests. It runs test.ini with the
test process's own CKAN_* environment (test slots), so it sees the same database and
Solr core as the tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BASE_PORT = 5020


@dataclass
class PortalServer:
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_ckan(
    ini: Path,
    port: int,
    env: dict[str, str],
    what: str,
    log_name: str,
    timeout: float = 90,
    ckan: Path | None = None,
):
    """Start ``ckan -c INI run`` on 127.0.0.1:PORT and wait until its API answers.

    Returns the process; raises with the log's path if it exits or never answers."""
    log_dir = ROOT / "var" / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / log_name, "ab")  # noqa: SIM115 - lives as long as the process
    ckan = ckan or Path(sys.executable).with_name("ckan")
    proc = subprocess.Popen(
        [str(ckan), "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader", "-t"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the {what} exited during start-up, see {log.name}")
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                return proc
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise RuntimeError(f"the {what} did not answer on {url} within {timeout} s, see {log.name}")


def start(timeout: float = 90, ini: Path | None = None, port: int | None = None) -> PortalServer:
    """The test portal (test.ini on 5020 + slot), or another configuration on ``port``."""
    slot = int(os.environ.get("LUTSK_TEST_SLOT") or 0)
    port = port or BASE_PORT + slot
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    # The server's own links point at itself (harvesters follow them).
    env["CKAN_SITE_URL"] = url
    proc = run_ckan(ini or ROOT / "test.ini", port, env, "test portal", f"portal-test-{port}.log", timeout)
    return PortalServer(url=url, process=proc)
