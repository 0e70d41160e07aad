"""Issue 17 benchmark: the portal under concurrent clients, gunicorn against ``ckan run``.

Run with ``LUTSK_BENCH_DB=ckan_bench_load bin/dev bench bench/load.py [--clients 10]
[--requests 200]``: bin/dev points it at a database and Solr core of its own, loads the demo
data there (33 passports, 20 bodies; idempotent), then serves the SAME data twice, one server after the other:

1. ``ckan run`` (Flask's threaded development server, what ``bin/dev portal`` ran before);
2. gunicorn with 2 workers on ``ckanext.lutsk.wsgi:application`` (production's shape).

Against each: ``--clients`` concurrent clients, each making ``--requests`` requests that
cycle through the dataset page, the search page, ``/catalog.ttl`` and ``/lutsk/timeliness``
(after one warm-up pass per page). It prints per page the p50 and p95 latency on each server
and the ratio ``ckan run / gunicorn`` (above 1: gunicorn is faster). One run, wall clock, on a
machine that other work shares: read the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
INI = ROOT / "test.ini"
CKAN = Path(sys.executable).with_name("ckan")
GUNICORN = Path(sys.executable).with_name("gunicorn")
PORT = 5060
PAGES = {
    "dataset page": "/dataset/{name}",
    "search": "/dataset/?q=бюджет",
    "catalog.ttl": "/catalog.ttl",
    "timeliness": "/lutsk/timeliness",
}


def sh(*args: str | Path) -> str:
    proc = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{args} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return proc.stdout


def start(kind: str) -> subprocess.Popen:
    try:
        requests.get(f"http://127.0.0.1:{PORT}/", timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise SystemExit(f"port {PORT} is taken by another server: stop it first")
    env = dict(os.environ, CKAN_INI=str(INI), CKAN_SITE_URL=f"http://127.0.0.1:{PORT}")
    if kind == "ckan run":
        cmd = [CKAN, "-c", INI, "run", "-H", "127.0.0.1", "-p", str(PORT), "--disable-reloader", "-t"]
    else:
        cmd = [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--timeout", "300",
               "ckanext.lutsk.wsgi:application"]  # fmt: skip
    log = open(ROOT / "var" / "log" / f"bench-load-{kind.replace(' ', '-')}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop(proc)
            raise SystemExit(f"{kind} exited during start-up, see {log.name}")
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/api/3/action/status_show", timeout=10).ok:
                return proc
        except requests.RequestException:  # not listening yet, or its workers still booting
            pass
        time.sleep(0.5)
    stop(proc)
    raise SystemExit(f"{kind} did not answer within 120 s")


def stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 15)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)


def load(urls: dict[str, str], clients: int, per_client: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {page: [] for page in urls}
    errors: list[str] = []
    lock = threading.Lock()
    names = list(urls)

    def client(n: int) -> None:
        session = requests.Session()
        for i in range(per_client):
            page = names[(n + i) % len(names)]
            t0 = time.perf_counter()
            response = session.get(urls[page], timeout=300)
            elapsed = time.perf_counter() - t0
            with lock:
                if response.status_code != 200:
                    errors.append(f"{page}: {response.status_code}")
                times[page].append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200, help="per client, cycling through the pages")
    args = parser.parse_args()
    if not GUNICORN.exists() or not shutil.which(str(CKAN)):
        raise SystemExit("gunicorn or ckan missing from the venv: run bin/dev once to install them")
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    sh(CKAN, "-c", INI, "lutsk", "demo", "load")
    sh(CKAN, "-c", INI, "search-index", "rebuild")
    base = f"http://127.0.0.1:{PORT}"
    results: dict[str, dict[str, list[float]]] = {}
    for kind in ("ckan run", "gunicorn"):
        proc = start(kind)
        try:
            name = requests.get(f"{base}/api/3/action/package_search?rows=1", timeout=60).json()["result"][
                "results"
            ][0]["name"]
            urls = {page: base + path.format(name=name) for page, path in PAGES.items()}
            for url in urls.values():  # warm-up: templates, caches, the first Solr query
                requests.get(url, timeout=300).raise_for_status()
            t0 = time.monotonic()
            results[kind] = load(urls, args.clients, args.requests)
            took = time.monotonic() - t0
            print(f"{kind}: {args.clients} clients x {args.requests} requests in {took:.0f} s", flush=True)
        finally:
            stop(proc)
    head = f"{'ckan run p50/p95 (ms)':>24}{'gunicorn p50/p95 (ms)':>24}{'ratio p50':>11}{'p95':>7}"
    print(f"\n{'page':<14}{head}")
    for page in PAGES:
        a, b = results["ckan run"][page], results["gunicorn"][page]
        a50, a95, b50, b95 = pct(a, 50), pct(a, 95), pct(b, 50), pct(b, 95)
        print(f"{page:<14}{a50 * 1000:>12.0f}/{a95 * 1000:<11.0f}{b50 * 1000:>12.0f}/{b95 * 1000:<11.0f}"
              f"{a50 / b50:>11.2f}{a95 / b95:>7.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
