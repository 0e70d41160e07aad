"""Start and stop the data.gov.ua stand-in CKAN as a real server process on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_INI = ROOT / "tests" / "peer" / "peer-test.ini"
TEST_PORT = 5011
# The stand-in for data.gov.ua (which runs an old CKAN) stays on CKAN 2.11 when the suite
# runs on 2.12: bin/dev points LUTSK_PEER_PYTHON at .venv's python then.
PYTHON = Path(os.environ.get("LUTSK_PEER_PYTHON") or sys.executable)
CKAN = PYTHON.with_name("ckan")


@dataclass
class Peer:
    url: str
    admin: str
    city_user: str
    city_token: str = field(repr=False)
    organizations: list[str]
    process: subprocess.Popen | None = None
    admin_token: str = field(default="", repr=False)
    ini: Path = TEST_INI
    port: int = 0

    def api(self, token: str | None = None):
        """A ckanapi client for the peer (the city's token by default)."""
        import ckanapi

        return ckanapi.RemoteCKAN(self.url, apikey=token or self.city_token)


def _slot() -> int:
    """LUTSK_TEST_SLOT (set by ``bin/dev test`` for parallel runs), 0 when unset."""
    return int(os.environ.get("LUTSK_TEST_SLOT") or 0)


def _peer_env() -> dict[str, str]:
    # CKAN_* variables override any ini, and the test process may carry its own
    # (test slots): the peer sees only its own.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN")}
    slot = _slot()
    # bin/dev's suffix for a CKAN 2.12 run (_212): its own database, core and site id.
    tail = os.environ.get("LUTSK_DB_SUFFIX", "") + (f"_{slot}" if slot else "")
    if tail:
        env.update(
            CKAN_SQLALCHEMY_URL=f"postgresql://ckan_default:ckan_default@127.0.0.1:5432/ckan_peer_test{tail}",
            CKAN_SOLR_URL=f"http://127.0.0.1:8983/solr/ckan_peer_test{tail}",
            CKAN_SITE_ID=f"datagovua_peer_test{tail}",
            CKAN_SITE_URL=f"http://127.0.0.1:{TEST_PORT + slot}",
        )
    if slot:
        env["CKAN_REDIS_URL"] = f"redis://127.0.0.1:6379/{3 + 2 * slot}"
    return env


def start(ini: Path = TEST_INI, port: int | None = None, timeout: float = 90) -> Peer:
    port = port or TEST_PORT + _slot()
    env = _peer_env()
    python = str(PYTHON)
    setup = subprocess.run(
        [python, "-m", "tests.peer.setup_peer", "--ini", str(ini)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if setup.returncode:
        raise RuntimeError(f"peer setup failed:\n{setup.stderr[-3000:]}")
    from tests.portal_server import run_ckan

    url = f"http://127.0.0.1:{port}"
    proc = run_ckan(ini, port, env, "peer CKAN", f"peer-{port}.log", timeout, ckan=CKAN)
    site_id = env.get("CKAN_SITE_ID") or ("datagovua_peer_test" if ini == TEST_INI else "datagovua_peer")
    creds = json.loads((ROOT / "var" / "peer" / site_id / "credentials.json").read_text())
    return Peer(
        url=url,
        admin=creds["admin"],
        city_user=creds["city_user"],
        city_token=creds["city_token"],
        organizations=creds["organizations"],
        process=proc,
        admin_token=creds.get("admin_token", ""),
        ini=ini,
        port=port,
    )


def stop(peer: Peer) -> None:
    if peer.process and peer.process.poll() is None:
        peer.process.terminate()
        try:
            peer.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            peer.process.kill()


def restart(peer: Peer) -> None:
    """Start a stopped peer again on the same port and database (the fault tests stop it
    mid-run); ``peer`` keeps pointing at the running process."""
    stop(peer)
    peer.process = start(peer.ini, peer.port).process
