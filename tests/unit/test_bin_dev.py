"""The developer commands fail with one clear line and a non-zero exit on bad input."""

from __future__ import annotations

import re
import shlex
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


def _gunicorn_opts() -> list[str]:
    text = (ROOT / "bin" / "dev").read_text()
    match = re.search(r'^GUNICORN_OPTS="([^"]+)"$', text, re.MULTILINE)
    assert match, "bin/dev defines the web part's gunicorn options once, in GUNICORN_OPTS"
    return shlex.split(match.group(1))


def test_portal_bench_and_readme_run_one_gunicorn_shape():
    """`bin/dev portal`, bench/load.py and README's ckan-web unit serve with the same options
    (only the worker count and the address differ): what is measured is what is documented."""
    opts = _gunicorn_opts()
    text = (ROOT / "bin" / "dev").read_text()
    web = re.search(r"^\s*\[web\]=\"(.*)\"$", text, re.MULTILINE)
    assert web and "$venv/bin/gunicorn --workers 2 $GUNICORN_OPTS --bind" in web.group(1)
    assert 'export LUTSK_GUNICORN_OPTS="$GUNICORN_OPTS"' in text  # bench/load.py's "gunicorn"

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    units = [line for line in readme.splitlines() if line.startswith("ExecStart=") and "/gunicorn " in line]
    assert len(units) == 1, units
    args = shlex.split(units[0].removeprefix("ExecStart="))[1:]
    assert args[-1] == "ckanext.lutsk.wsgi:application"
    for flag in ("--workers", "--bind"):
        i = args.index(flag)
        del args[i : i + 2]
    assert args[:-1] == opts
    # The assets are built before the workers serve (see test_portal_shape.py for why).
    assert "ExecStartPre=/usr/lib/ckan/venv/bin/ckan -c /etc/ckan/production.ini asset build" in readme
    assert '"$venv/bin/ckan" -c "$ini" asset build' in text


def test_gunicorn_shape_threads_and_no_preload():
    """gthread workers (a quick page does not queue behind a slow one in the same worker) and
    the app loaded in each worker, never before the fork: the SQLAlchemy pool and the Redis
    connection must not be shared between processes (CKAN's own image: uWSGI --lazy-apps)."""
    opts = _gunicorn_opts()
    assert opts[opts.index("--worker-class") + 1] == "gthread"
    assert int(opts[opts.index("--threads") + 1]) > 1
    assert not {"--preload", "--preload-app"} & set(opts)


def test_portal_writes_the_xloader_token_before_the_demo_uploads():
    # The demo load's uploads queue xloader's jobs with the token it reads at start-up; a
    # token written after it left the demo's sample files out of the DataStore.
    body = (ROOT / "bin" / "dev").read_text().split("cmd_portal() {", 1)[1].split("\n}\n", 1)[0]
    token = body.index("lutsk xloader-token")
    demo = body.index("lutsk demo load")
    assert token < demo
