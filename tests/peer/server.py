"""Start and stop the data.gov.ua stand-in CKAN as a real server process on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
TEST_INI = ROOT / "tests" / "peer" / "peer-test.ini"
TEST_PORT = 5011


@dataclass
class Peer:
    url: str
    admin: str
    city_user: str
    city_token: str
    organizations: list[str]
    process: subprocess.Popen | None = None

    def api(self, token: str | None = None):
        """A ckanapi client for the peer (the city's token by default)."""
        import ckanapi

        return ckanapi.RemoteCKAN(self.url, apikey=token or self.city_token)


def _clean_env() -> dict[str, str]:
    # CKAN_* variables override any ini: the peer must see only its own.
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN")}


def start(ini: Path = TEST_INI, port: int = TEST_PORT, timeout: float = 90) -> Peer:
    python = sys.executable
    setup = subprocess.run(
        [python, "-m", "tests.peer.setup_peer", "--ini", str(ini)],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        raise RuntimeError(f"peer setup failed:\n{setup.stderr[-3000:]}")
    log_dir = ROOT / "var" / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / f"peer-{port}.log", "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        [
            str(Path(python).with_name("ckan")),
            "-c",
            str(ini),
            "run",
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
            "--disable-reloader",
            "-t",
        ],
        cwd=ROOT,
        env=_clean_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the peer CKAN exited during start-up, see {log.name}")
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    else:
        proc.kill()
        raise RuntimeError(f"the peer CKAN did not answer on {url} within {timeout} s, see {log.name}")
    site_id = "datagovua_peer_test" if ini == TEST_INI else "datagovua_peer"
    creds = json.loads((ROOT / "var" / "peer" / site_id / "credentials.json").read_text())
    return Peer(
        url=url,
        admin=creds["admin"],
        city_user=creds["city_user"],
        city_token=creds["city_token"],
        organizations=creds["organizations"],
        process=proc,
    )


def stop(peer: Peer) -> None:
    if peer.process and peer.process.poll() is None:
        peer.process.terminate()
        try:
            peer.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            peer.process.kill()
