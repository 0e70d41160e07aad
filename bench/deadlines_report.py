"""Issue 5 benchmark: the deadline report and the daily refresh over 10,000 datasets.

    .venv/bin/python bench/deadlines_report.py [--datasets 10000] [--rebuild]

1. The overdue report for all bodies through the Solr-backed ``lutsk_deadline_report``
   action versus the strongest client-side way (page through ``package_search`` 1,000
   rows at a time and compute each status), same answer checked, sides alternated over
   three rounds, wall and CPU time. Target: report under 200 ms.
2. ``deadlines refresh`` over the same datasets: the index is built as it was a week ago,
   then refreshed today (only the datasets whose state changed are re-indexed), then
   refreshed again (nothing changed: nothing re-indexed).
3. The ICT department's overview ``/lutsk/deadlines`` (issue 8): server render time through
   the whole WSGI stack as a member of the ICT department, its sort variants, a later page
   of its overdue list and one body's page ``/organization/<body>/deadlines``. Target: under
   500 ms. Its per-body counts (Solr facets) are checked against the full report's.

It uses the bench Solr core (ckan_bench) with its own site id (``lutsk_bench_deadlines``: CKAN
filters every query by site id, so other users of the core see nothing of it) and its own
database (``ckan_bench_deadlines``). The datasets are written with bulk SQL and indexed
through CKAN's indexer with one commit; they are kept, so a re-run skips that step.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import time
import traceback
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "ckan_bench_deadlines"
ENV = {
    "CKAN_SQLALCHEMY_URL": f"postgresql://ckan_default:ckan_default@127.0.0.1:5432/{DB}",
    "CKAN_SOLR_URL": "http://127.0.0.1:8983/solr/ckan_bench",
    "CKAN_REDIS_URL": "redis://127.0.0.1:6379/12",
    "CKAN_SITE_ID": "lutsk_bench_deadlines",
    "CKAN_STORAGE_PATH": str(ROOT / "var" / "storage" / "bench_deadlines"),
}


def use_size(n: int) -> None:
    """A world of another size than 10,000 lives in its own database and site id
    (``ckan_bench_deadlines_<n>``), so each size is built once and kept."""
    global DB
    if n == 10_000:
        return
    DB = f"ckan_bench_deadlines_{n}"
    ENV["CKAN_SQLALCHEMY_URL"] = f"postgresql://ckan_default:ckan_default@127.0.0.1:5432/{DB}"
    ENV["CKAN_SITE_ID"] = f"lutsk_bench_deadlines_{n}"
PERIOD_DAYS = {"once a month": 30, "once a quarter": 91, "once a year": 365, "once a week": 7}
FREQUENCIES = [
    ("once a month", 30),
    ("once a quarter", 25),
    ("once a year", 25),
    ("immediately after making changes", 12),
    ("once a week", 4),
    ("no longer updated", 4),
]


def sh(*cmd: str, **env: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **env})


def prepare_services(rebuild: bool) -> None:
    """Services up (idempotent), the Solr core of slot 5, the bench database migrated."""
    cores = "ckan ckan_test ckan_peer ckan_peer_test ckan_bench ckan_peer_bench"
    sh(str(ROOT / "solr" / "solr.sh"), "start", SOLR_CORES=cores)
    psql = ["runuser", "-u", "postgres", "--", "psql", "-qtAc"]
    exists = subprocess.run(
        [*psql, f"select 1 from pg_database where datname='{DB}'"],  # noqa: S608 (a constant)
        capture_output=True,
        text=True,
    )
    if rebuild or exists.stdout.strip() != "1":
        sh(*psql, f"drop database if exists {DB} with (force)")
        sh(*psql, f"create database {DB} owner ckan_default encoding 'UTF8' template template0")
    Path(ENV["CKAN_STORAGE_PATH"]).mkdir(parents=True, exist_ok=True)
    sh(str(Path(sys.executable).with_name("ckan")), "-c", str(ROOT / "test.ini"), "db", "init")


def load_app():
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(str(ROOT / "test.ini")))


def generate(n: int, today: date, rng: random.Random) -> tuple[list[dict], list[dict], list[dict]]:
    """Packages, extras and resources of ``n`` passports spread over the active bodies."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.lutsk import config

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    orgs = []
    for body in config.registry().active():
        org = model.Group.get(body.slug) or tk.get_action("organization_create")(
            {"user": site_user, "ignore_auth": True}, {"name": body.slug, "title": body.title("uk")}
        )
        orgs.append(org if isinstance(org, dict) else {"id": org.id, "name": org.name})
    creator = model.User.get(site_user).id
    now = datetime.utcnow()
    freq_values, weights = zip(*FREQUENCIES, strict=True)
    packages, extras, resources = [], [], []
    for i in range(n):
        pid = str(uuid.uuid4())
        org = orgs[i % len(orgs)]
        published = today - timedelta(days=rng.randint(400, 900))
        frequency = rng.choices(freq_values, weights)[0]
        cycle = PERIOD_DAYS.get(frequency, 60)
        # Most bodies keep to their cycle; one dataset in ten is neglected.
        late = rng.random() < 0.1
        age = rng.randint(cycle, 3 * cycle + 30) if late else rng.randint(0, cycle)
        updated = max(today - timedelta(days=age), published)
        values = {
            "update_frequency": frequency,
            "language": "ua",
            "purpose_of_collecting_information": "Постанова КМУ № 835",
            "date_published": f"{published.isoformat()}T09:00:00",
            "data_updated": f"{updated.isoformat()}T09:00:00",
        }
        if rng.random() < 0.1:  # a change entered by the body, published or not yet
            values["data_changed"] = max(today - timedelta(days=rng.randint(0, 20)), published).isoformat()
        packages.append(
            {
                "id": pid,
                "name": f"bench-{i:05d}",
                "title": f"Набір даних {i}",
                "type": "dataset",
                "state": "active",
                "private": False,
                "owner_org": org["id"],
                "maintainer": "Відповідальна особа",
                "maintainer_email": f"person{i % 97}@lutskrada.gov.ua",
                "license_id": "cc-by",
                "notes": "Опис набору даних.",
                "creator_user_id": creator,
                "metadata_created": now,
                "metadata_modified": now,
            }
        )
        extras += [
            {"id": str(uuid.uuid4()), "package_id": pid, "key": k, "value": v, "state": "active"}
            for k, v in values.items()
        ]
        resources.append(
            {
                "id": str(uuid.uuid4()),
                "package_id": pid,
                "url": f"https://lutskrada.gov.ua/opendata/{i}.csv",
                "format": "CSV",
                "name": "Дані",
                "position": 0,
                "state": "active",
                "created": now,
                "metadata_modified": now,
            }
        )
    return packages, extras, resources


def build(n: int) -> float:
    """Write ``n`` datasets with bulk SQL and index them; seconds taken."""
    from ckan import model
    from ckan.lib import search
    from ckan.lib.search.common import make_connection

    from ckanext.lutsk.domain import workdays

    t0 = time.perf_counter()
    search.clear_all()  # this site id's documents only
    packages, extras, resources = generate(n, workdays.kyiv_today(), random.Random(5))
    from ckanext.lutsk.model import ckan_compat

    if ckan_compat.JSONB_EXTRAS:  # CKAN 2.12: the extras are the package row's JSONB column
        by_package: dict[str, dict[str, str]] = {}
        for e in extras:
            by_package.setdefault(e["package_id"], {})[e["key"]] = e["value"]
        packages = [{**p, "extras": by_package.get(p["id"], {})} for p in packages]
        tables = ((model.package_table, packages), (model.resource_table, resources))
    else:
        tables = (
            (model.package_table, packages),
            (model.package_extra_table, extras),
            (model.resource_table, resources),
        )
    for table, rows in tables:
        for i in range(0, len(rows), 2000):
            model.Session.execute(table.insert(), rows[i : i + 2000])
    model.Session.commit()
    t_sql = time.perf_counter() - t0
    index_in_parallel(shown_dicts(packages, extras, resources))
    make_connection().commit(waitSearcher=True)
    total = time.perf_counter() - t0
    print(f"  built {n} datasets: SQL {t_sql:.1f} s, indexing {total - t_sql:.1f} s")
    return total


def shown_dicts(packages: list[dict], extras: list[dict], resources: list[dict]) -> list[dict]:
    """The generated rows in the shape ``package_show`` (validate=False) gives the indexer.

    Built from what was just written instead of read back: reading 10,000 datasets back
    would double the set-up; the daily refresh measured below does go through package_show.
    """
    from ckan import model

    orgs = {g.id: {"id": g.id, "name": g.name, "title": g.title} for g in model.Session.query(model.Group)}
    by_package: dict[str, list[dict]] = {}
    for e in extras:
        by_package.setdefault(e["package_id"], []).append({"key": e["key"], "value": e["value"]})
    res = {r["package_id"]: r for r in resources}
    dicts = []
    for p in packages:
        r = res[p["id"]]
        dicts.append(
            {
                **{k: v for k, v in p.items() if k not in ("metadata_created", "metadata_modified")},
                "metadata_created": p["metadata_created"].isoformat(),
                "metadata_modified": p["metadata_modified"].isoformat(),
                "organization": orgs[p["owner_org"]],
                "extras": by_package.get(p["id"], []),
                "resources": [{k: r[k] for k in ("id", "url", "format", "name", "position")}],
                "tags": [],
                "groups": [],
                "num_resources": 1,
                "num_tags": 0,
            }
        )
    return dicts


def index_in_parallel(pkg_dicts: list[dict], workers: int = 2) -> None:
    """CKAN's indexer (index_package per dataset, no commit) in forked workers."""
    from ckan import model
    from ckan.lib import search

    model.Session.remove()
    model.meta.engine.dispose()  # each child opens its own connections
    pids = []
    for w in range(workers):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                from ckan import logic

                index = search.index_for(model.Package)
                # CKAN 2.12's indexer takes the dict with its custom-schema twin, where the
                # passport fields are top-level keys (scheming's show).
                both = hasattr(logic, "index_update_package_dicts")
                for pkg in pkg_dicts[w::workers]:
                    if both:
                        custom = {**pkg, **{e["key"]: e["value"] for e in pkg.get("extras", [])}}
                        pkg = dict(pkg, with_custom_schema=custom)
                    index.update_dict(pkg, defer_commit=True)
                code = 0
            except Exception:
                traceback.print_exc()
            finally:
                os._exit(code)
        pids.append(pid)
    for pid in pids:
        _, code = os.waitpid(pid, 0)
        if code:
            raise SystemExit("an indexing worker failed")


def indexed_count() -> int:
    import ckan.plugins.toolkit as tk

    return tk.get_action("package_search")({"ignore_auth": True}, {"rows": 0, "include_private": True})[
        "count"
    ]


def solr_report(runs: int = 7, all_rows: bool = True, **paging: int) -> tuple[list[float], list[float], dict]:
    """The action (all overdue rows as the portal's exports ask, an API call's default page
    with ``all_rows=False``, or one page with ``rows``/``start``): wall and CPU seconds of
    each run, and its answer."""
    import ckan.plugins.toolkit as tk

    from ckanext.lutsk.logic.action.deadlines import ALL_ROWS

    context: dict = {"ignore_auth": True, ALL_ROWS: all_rows}
    walls, cpus, report = [], [], None
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        report = tk.get_action("lutsk_deadline_report")(dict(context), {"state": "overdue", **paging})
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return walls, cpus, report


def paged_search_report() -> tuple[float, float, set[str]]:
    """What a competent client without the report does: page through ``package_search``
    1,000 rows at a time (CKAN's row limit) and compute each dataset's status from the
    dicts it returns. Wall and CPU seconds, and the overdue ids."""
    import ckan.plugins.toolkit as tk

    from ckanext.lutsk.deadlines import status

    w0, c0 = time.perf_counter(), time.process_time()
    search = tk.get_action("package_search")
    overdue: set[str] = set()
    start = 0
    while True:
        page = search(
            {"ignore_auth": True},
            {"q": "*:*", "rows": 1000, "start": start, "sort": "id asc", "include_private": False},
        )
        for pkg in page["results"]:
            if status.package_status(pkg).state in status.OVERDUE_STATES:
                overdue.add(pkg["id"])
        start += 1000
        if start >= page["count"] or not page["results"]:
            break
    return time.perf_counter() - w0, time.process_time() - c0, overdue


def ict_user_token() -> str:
    """An API token of a member of the ICT department's organization (created once)."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.lutsk import config

    name = "bench-ict-staff"
    if model.User.get(name) is None:
        model.Session.add(model.User(name=name, email=f"{name}@example.org", password=uuid.uuid4().hex))
        model.Session.commit()
        tk.get_action("organization_member_create")(
            {"ignore_auth": True},
            {"id": config.ict_organization(), "username": name, "role": "member"},
        )
    return tk.get_action("api_token_create")(
        {"ignore_auth": True, "user": name}, {"user": name, "name": "bench"}
    )["token"]


def check_overview_counts() -> None:
    """The overview's per-body counts (Solr facets) equal the full report's summary."""
    import ckan.plugins.toolkit as tk

    from ckanext.lutsk.deadlines import overview as deadline_overview
    from ckanext.lutsk.logic.action.deadlines import ALL_ROWS

    report = tk.get_action("lutsk_deadline_report")
    full = report({"ignore_auth": True, ALL_ROWS: True}, {})["summary"]
    faceted = deadline_overview.summary(report({"ignore_auth": True, ALL_ROWS: True}, {"state": "overdue"}))
    assert faceted == full, "the overview's counts differ from the report's"
    print(f"\n  overview counts (Solr facets) = full report summary, {len(full)} bodies")


def render_pages(
    app, token: str, body: str, runs: int = 7
) -> list[tuple[str, float, float, float, float, int]]:
    """Per page, after two warm-up requests: median wall and CPU ms of ``runs`` requests, the
    spread of the wall times, and the size (CPU: this process's, Solr's own is not in it)."""
    from werkzeug.test import Client

    client = Client(app)  # the whole WSGI stack, middlewares (locale, auth) included
    headers = {"Authorization": token}
    out = []
    for url in (
        "/lutsk/deadlines",
        "/lutsk/deadlines?sort=-on_time&list_sort=title",
        "/lutsk/deadlines?list_sort=body&page=5",
        "/lutsk/deadlines?page=5",
        "/lutsk/deadlines?list_sort=-due&page=20",
        f"/organization/{body}/deadlines",
    ):
        for _ in range(2):
            assert client.get(url, headers=headers).status_code == 200, url
        walls, cpus = [], []
        for _ in range(runs):
            w0, c0 = time.perf_counter(), time.process_time()
            resp = client.get(url, headers=headers)
            walls.append(1000 * (time.perf_counter() - w0))
            cpus.append(1000 * (time.process_time() - c0))
            assert resp.status_code == 200, url
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        out.append((url, wall, cpu, min(walls), max(walls), len(resp.get_data())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", type=int, default=int(os.environ.get("BENCH_DATASETS", "10000")))
    parser.add_argument("--rebuild", action="store_true", help="drop the bench data and build it again")
    parser.add_argument("--pages-only", action="store_true", help="measure the overview pages (3.) only")
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        default=os.environ.get("BENCH_REFRESH") == "0",
        help="skip the refresh a week later (2.): long at 100,000 (BENCH_REFRESH=0)",
    )
    args = parser.parse_args()
    use_size(args.datasets)
    os.environ.update(ENV)
    prepare_services(args.rebuild)
    app = load_app()
    logging.disable(logging.INFO)  # the per-dataset debug lines would be part of the timings
    with app._wsgi_app.test_request_context():
        from ckanext.lutsk import config
        from ckanext.lutsk.deadlines import index as deadline_index
        from ckanext.lutsk.domain import workdays

        today = workdays.kyiv_today()
        print(f"Bench: {args.datasets} datasets, today {today}, site id {ENV['CKAN_SITE_ID']}")
        if args.rebuild:
            from ckan.lib import search

            search.clear_all()  # this site id's documents only
        if indexed_count() != args.datasets:
            if indexed_count():
                raise SystemExit("the bench database holds other data: run with --rebuild")
            build(args.datasets)
        else:
            # Kept from an earlier run (indexed on another day): a normal refresh brings it to today.
            deadline_index.reindex(deadline_index.find_stale().stale)

        token = ict_user_token()
        body = config.registry().active()[0].slug
        if not args.pages_only:
            report_and_refresh(args.datasets, today, refresh=not args.no_refresh)
        check_overview_counts()

    print("\n3. ICT overview pages, server render time as an ICT staff member (median of 7)")
    for url, ms, cpu, low, high, size in render_pages(app, token, body):
        verdict = "OK" if ms < 500 else "OVER"
        result = f"{ms:.0f} ms wall, {cpu:.0f} ms CPU ({low:.0f}-{high:.0f})"
        print(f"  {url}: {result}, {size // 1024} KiB   target < 500 ms {verdict}")
        print(f"@@ {url} at {args.datasets}\t< 500 ms\t{result}\t{verdict}")


def report_and_refresh(n: int, today: date, refresh: bool = True) -> None:
    from ckanext.lutsk.deadlines import index as deadline_index

    print("\n1. Overdue report, all bodies: the action vs paged package_search (1,000 rows a page)")
    # Sides alternated over three rounds, so load from other users of the machine hits both.
    action_walls, action_cpus, paged_walls, paged_cpus = [], [], [], []
    report, paged = None, set()
    for _round in range(3):
        walls, cpus, report = solr_report(3)
        action_walls += walls
        action_cpus += cpus
        w, c, paged = paged_search_report()
        paged_walls.append(w)
        paged_cpus.append(c)
    solr_ids = {r["id"] for r in report["datasets"]}
    assert solr_ids == paged, f"answers differ: {len(solr_ids ^ paged)} datasets"
    t_solr, c_solr = statistics.median(action_walls), statistics.median(action_cpus)
    t_paged, c_paged = statistics.median(paged_walls), statistics.median(paged_cpus)
    print(f"  overdue datasets: {report['count']} of {n} (same answer both ways)")
    print(
        f"  action, median of {len(action_walls)}: {t_solr * 1000:.1f} ms wall "
        f"({min(action_walls) * 1000:.0f}-{max(action_walls) * 1000:.0f}), {c_solr * 1000:.1f} ms CPU"
        "   target < 200 ms " + ("OK" if t_solr < 0.2 else "OVER")
    )
    print(
        f"  paged package_search, median of {len(paged_walls)}: {t_paged:.2f} s wall "
        f"({min(paged_walls):.2f}-{max(paged_walls):.2f}), {c_paged:.2f} s CPU"
    )
    print(f"  fair ratio: {t_paged / t_solr:.1f}x wall, {c_paged / c_solr:.1f}x CPU")
    page_walls, page_cpus, page = solr_report(7, rows=100, start=100)
    assert page["count"] == report["count"]
    t_page = statistics.median(page_walls)
    print(
        f"  action, one page (rows=100, start=100), median of 7: {t_page * 1000:.1f} ms wall "
        f"({min(page_walls) * 1000:.0f}-{max(page_walls) * 1000:.0f}), "
        f"{statistics.median(page_cpus) * 1000:.1f} ms CPU"
    )
    c_page = statistics.median(page_cpus)
    default_walls, default_cpus, default = solr_report(7, all_rows=False)
    assert default["count"] == report["count"]
    t_default, c_default = statistics.median(default_walls), statistics.median(default_cpus)
    print(
        f"  action as an API call without rows (its default page of {len(default['datasets'])}), "
        f"median of 7: {t_default * 1000:.1f} ms wall, {c_default * 1000:.1f} ms CPU"
    )
    for label, t, c in (
        ("page of 100", t_page, c_page),
        ("API default page", t_default, c_default),
    ):
        verdict = "OK" if t < 0.2 else "OVER"
        result = f"{t * 1000:.0f} ms wall, {c * 1000:.0f} ms CPU"
        print(f"@@ overdue report, {label}, at {n}\t< 200 ms\t{result}\t{verdict}")
    # Every overdue row is what the CSV/XLSX exports ask for (the file is the size of the
    # list); shown for scale, no API call or page pays it.
    result = f"{t_solr * 1000:.0f} ms wall, {c_solr * 1000:.0f} ms CPU, {report['count']} rows"
    print(f"@@ overdue report, all rows (the exports), at {n}\tscale\t{result}\tinfo")
    print(
        f"@@ overdue report vs paged package_search at {n}\tfaster\t{t_paged / t_solr:.1f}x wall, "
        f"{c_paged / c_solr:.1f}x CPU\t{'OK' if t_paged > t_solr else 'OVER'}"
    )

    if not refresh:
        return
    print("\n2. deadlines refresh a week later (the index was computed today)")
    from freezegun import freeze_time
    from freezegun.api import real_perf_counter

    with freeze_time(f"{(today + timedelta(days=7)).isoformat()} 10:00:00"):
        t0 = real_perf_counter()
        plan = deadline_index.find_stale()
        t_find = real_perf_counter() - t0
        t0 = real_perf_counter()
        done = deadline_index.reindex(plan.stale)
        t_reindex = real_perf_counter() - t0
        share = 100 * len(plan.stale) / plan.checked
        print(f"  checked {plan.checked} in {t_find:.2f} s; {len(plan.stale)} changed state ({share:.1f} %)")
        print(f"  re-indexed {done} in {t_reindex:.1f} s; total {t_find + t_reindex:.1f} s")
        for (old, new), k in sorted(plan.moves.items(), key=lambda m: -m[1]):
            print(f"    {old} -> {new}: {k}")
        t0 = real_perf_counter()
        again = deadline_index.find_stale()
        t_again = real_perf_counter() - t0
        print(
            f"  refresh again, nothing changed: checked {again.checked} in {t_again:.2f} s, "
            f"re-indexes {len(again.stale)}   target 0"
        )


if __name__ == "__main__":
    main()
