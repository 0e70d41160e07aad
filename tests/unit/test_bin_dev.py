"""The developer commands fail with one clear line and a non-zero exit on bad input."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [str(ROOT / "bin" / "dev"), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unknown_command_prints_usage():
    result = _run("frobnicate")
    assert result.returncode == 2
    assert "bin/dev portal" in result.stderr


def test_bad_test_slot_is_refused():
    result = _run("test", env={"LUTSK_TEST_SLOT": "12"})
    assert result.returncode == 1
    assert result.stderr.strip() == "bin/dev: ERROR: LUTSK_TEST_SLOT must be 1 to 9, not '12'"


def test_portal_port_taken_fails_fast_with_one_clear_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("portal", env={"LUTSK_PORTAL_PORT": str(port)})
    assert result.returncode == 1
    assert f"port {port} is taken by another program" in result.stderr
    assert result.stderr.count("ERROR") == 1


def test_bench_needs_a_script():
    result = _run("bench", "bench/no-such.py")
    assert result.returncode == 1
    assert "usage: bin/dev bench" in result.stderr


def test_dev_servers_run_without_the_interactive_debugger():
    """Werkzeug's debugger (/console) runs code for whoever has its PIN: never on a portal."""
    lines = (ROOT / "bin" / "dev").read_text().splitlines()
    serve_lines = [line for line in lines if '"$venv/bin/ckan"' in line and " run " in line]
    assert serve_lines, "bin/dev starts the portal with `ckan run`"
    assert all("--disable-debugger" in line for line in serve_lines)
