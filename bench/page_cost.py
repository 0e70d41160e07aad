"""Where one request's time goes: each page of bench/load.py served in-process, one request
at a time, split by the kernel's account of this process's threads into CPU, run-queue wait
(runnable, no free core) and the rest (waiting on PostgreSQL, Solr, Redis).

Run with ``LUTSK_BENCH_DB=ckan_bench_load bin/dev bench bench/page_cost.py [--requests 20]``
after bench/load.py has loaded its data there. A page whose time is mostly CPU gains nothing
from more threads, only from more cores; one that waits on services gains from threads.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("CKAN_INI", str(ROOT / "test.ini"))

PAGES = {
    "dataset page": "/dataset/{name}",
    "search": "/dataset/?q=бюджет",
    "catalog.ttl": "/catalog.ttl",
    "timeliness": "/lutsk/timeliness",
}


def sched_ms() -> tuple[float, float]:
    """(on a core, runnable but waiting) in ms, summed over this process's threads."""
    run = wait = 0
    for task in Path("/proc/self/task").iterdir():
        a, b = (task / "schedstat").read_text().split()[:2]
        run, wait = run + int(a), wait + int(b)
    return run / 1e6, wait / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="per page, after 3 warm-up requests")
    args = parser.parse_args()
    from werkzeug.test import Client

    from ckanext.lutsk.wsgi import application

    client = Client(application)
    found = client.get("/api/3/action/package_search?rows=1").get_json()["result"]["results"]
    if not found:
        raise SystemExit("no dataset in this database: run bench/load.py on it first")
    print(f"per request, ms (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'page':<14}{'wall':>7}{'CPU':>7}{'queued':>8}{'services':>10}")
    total = {"cpu": 0.0, "services": 0.0}
    for page, path in PAGES.items():
        url = path.format(name=found[0]["name"])
        for _ in range(3):
            if (status := client.get(url).status_code) != 200:
                raise SystemExit(f"{url}: {status}")
        t0, (run0, wait0) = time.perf_counter(), sched_ms()
        for _ in range(args.requests):
            client.get(url)
        wall = (time.perf_counter() - t0) * 1000 / args.requests
        run1, wait1 = sched_ms()
        cpu, queued = (run1 - run0) / args.requests, (wait1 - wait0) / args.requests
        print(f"{page:<14}{wall:>7.0f}{cpu:>7.0f}{queued:>8.0f}{wall - cpu - queued:>10.0f}", flush=True)
        total["cpu"] += cpu
        total["services"] += wall - cpu - queued
    share = total["services"] / (total["cpu"] + total["services"]) * 100
    print(f"@@ waiting on services, share of CPU + waiting, 4 pages\tinfo\t{share:.0f} %\tinfo")


if __name__ == "__main__":
    main()
