"""Issue 17: an administrator installs the built wheel (not editable) into a fresh CKAN and
follows README's "Install into an existing CKAN" section to the letter (this test runs that
section's shell block itself), then the served portal speaks Ukrainian.

Bounded: the fresh venv installs from a local wheelhouse (var/wheelhouse/<hash>, built once
from PyPI with the versions of the running venv), so a re-run takes about a minute."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import ckan
import requests
from ckan.plugins import toolkit as tk

from tests import lutsk_factories

ROOT = Path(__file__).resolve().parents[2]
PY = shutil.which("python3.11") or sys.executable
SLOT = int(os.environ.get("LUTSK_TEST_SLOT") or 0)
PORT = 5040 + SLOT
STEP_TIMEOUT = 600


def readme_block() -> str:
    """The first ```sh block of README's "Install into an existing CKAN" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Install into an existing CKAN\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "README's install section has no ```sh block"
    return match.group(1)


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def build_wheel(dist: Path) -> Path:
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT)
    (wheel,) = dist.glob("ckanext_lutsk-*.whl")
    return wheel


def constraints(work: Path) -> Path:
    """The running venv's versions (minus this package), so the fresh venv is the same stack."""
    frozen = run(sys.executable, "-m", "pip", "freeze", "--exclude-editable").splitlines()
    pins = [line for line in frozen if "==" in line and not line.lower().startswith("ckanext-lutsk")]
    path = work / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


def wheelhouse(ckan_req: str, wheel: Path, pins: Path) -> Path:
    """Wheels for CKAN and our dependencies, downloaded/built once per stack."""
    key = hashlib.sha256((ckan_req + pins.read_text()).encode()).hexdigest()[:12]
    house = ROOT / "var" / "wheelhouse" / key
    if not (house / ".complete").exists():
        house.mkdir(parents=True, exist_ok=True)
        run(sys.executable, "-m", "pip", "wheel", "-q", "-w", house, "-c", pins, ckan_req, wheel)
        (house / ".complete").write_text("")
    return house


def install_db_url() -> str:
    """The database bin/dev keeps for this test (ckan_install_test[_212][_<slot>])."""
    url = tk.config["sqlalchemy.url"]
    tail = os.environ.get("LUTSK_DB_SUFFIX", "") + (f"_{SLOT}" if SLOT else "")
    return url.rsplit("/", 1)[0] + "/ckan_install_test" + tail


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the installed portal exited:\n{log.read_text()[-3000:]}"
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the installed portal did not answer on {url}:\n{log.read_text()[-3000:]}")


def test_wheel_installed_as_readme_says_speaks_ukrainian(tmp_path):
    started = time.monotonic()
    ckan_req = f"ckan[requirements]=={ckan.__version__}"

    # The wheel carries both compiled catalogues.
    wheel = build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("uk_UA", "en"):
        assert f"ckanext/lutsk/i18n/{lang}/LC_MESSAGES/ckanext-lutsk.mo" in names, sorted(names)

    # An existing CKAN: a fresh venv with CKAN from PyPI (via the wheelhouse), a fresh database.
    pins = constraints(tmp_path)
    house = wheelhouse(ckan_req, wheel, pins)
    venv = tmp_path / "ckan-venv"
    run(PY, "-m", "venv", venv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(house), PIP_CONSTRAINT=str(pins))
    run(venv / "bin" / "pip", "install", "-q", ckan_req, env=env)
    ckan_bin = venv / "bin" / "ckan"
    ini = tmp_path / "ckan.ini"
    storage = tmp_path / "storage"
    storage.mkdir()
    url = f"http://127.0.0.1:{PORT}"
    run(ckan_bin, "generate", "config", ini, env=env)
    run(
        ckan_bin, "config-tool", ini,
        f"sqlalchemy.url = {install_db_url()}",
        f"solr_url = {tk.config['solr_url']}",
        f"ckan.redis.url = {tk.config['ckan.redis.url']}",
        f"ckan.site_id = {tk.config['ckan.site_id']}_install",
        f"ckan.site_url = {url}",
        f"ckan.storage_path = {storage}",
        env=env,
    )  # fmt: skip
    run(ckan_bin, "-c", ini, "db", "clean", "--yes", env=env)
    run(ckan_bin, "-c", ini, "db", "init", env=env)

    # README, to the letter.
    env.update(CKAN_VENV=str(venv), CKAN_INI=str(ini), LUTSK_WHEEL=str(wheel))
    run("bash", "-euo", "pipefail", "-c", readme_block(), env=env, cwd=tmp_path)
    site = next((venv / "lib").glob("python*/site-packages"))
    assert not list(site.glob("__editable__*lutsk*")), "installed editable, not from the wheel"
    assert (site / "ckanext/lutsk/i18n/uk_UA/LC_MESSAGES/ckanext-lutsk.mo").is_file()

    run(ckan_bin, "-c", ini, "user", "add", "admin", "email=admin@install.test", "password=install-test-pw1",
        env=env)  # fmt: skip
    run(ckan_bin, "-c", ini, "sysadmin", "add", "admin", env=env)
    token = run(ckan_bin, "-c", ini, "user", "token", "add", "admin", "install-test", env=env).split()[-1]

    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ckan_bin), "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(PORT), "--disable-reloader"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(url, proc, log)
        auth = {"Authorization": token}
        data = lutsk_factories.passport(name="installed-budget", owner_org="finance-budget")
        created = requests.post(f"{url}/api/3/action/package_create", json=data, headers=auth, timeout=60)
        assert created.ok, created.text

        form = requests.get(f"{url}/dataset/new", headers=auth, timeout=60)
        assert form.status_code == 200
        assert "Перейти до основного вмісту" in form.text  # the extension's catalogue
        assert "Skip to main content" not in form.text

        page = requests.get(f"{url}/dataset/installed-budget", timeout=60)
        assert page.status_code == 200
        assert "Елемент паспорта" in page.text
        assert "Passport element" not in page.text

        csv = requests.get(f"{url}/dataset/installed-budget/passport.csv", timeout=60)
        assert csv.status_code == 200
        assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("№,Елемент паспорта")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"admin install test: {time.monotonic() - started:.0f} s")
