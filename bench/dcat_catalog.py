"""Issue 7 benchmark: the DCAT catalogue. Run with ``.venv/bin/python bench/dcat_catalog.py``.

It works on a database and Solr core of its own (``ckan_bench_dcat``), created if missing and
reset first, so it never touches the dev portal or a test slot. Every figure is measured in this
one run, in-process through CKAN's own Flask app (the same view, action, profiles and serializer
as /catalog.ttl). Times are wall clock; the page comparison also gives the CPU time of the
portal process, which other work on a shared machine disturbs less:

1. ``/catalog.ttl``, a page of 100 datasets, with the configured ``lutsk`` profile
   (``euro_dcat_ap_3`` with the passport) versus stock ``euro_dcat_ap_3`` alone
   (``?profiles=euro_dcat_ap_3``) on the same page: median of alternating runs. Target ratio
   <= 1.2.
2. The whole catalogue page by page (100 a page) at 1,000 and at 5,000 datasets: total time
   and the growth of the time per dataset. Target: linear (ratio ~ 1).
3. One graph of 1,000 datasets against one of 100 (``ckanext.dcat.datasets_per_page``), both
   profiles: the per-dataset time ratio shows what grows with the size of one graph. For the
   stock profile it is mostly rdflib's namespace tree, which gets every dataset's URI
   namespace (no prefix names them) and is scanned at every lookup; the ``lutsk`` profile
   binds ``ds:`` and answers the nodes within a dataset without that tree
   (``dcat_profile._remember_misses``). Garbage collection, over a bigger heap, adds some
   growth to both.

``--page-only [N]`` builds a catalogue of N datasets (200 unless given) and measures only
item 1, for quick iterations; ``--profile DIR`` (with it or without) also writes a cProfile of
one request of each (``DIR/lutsk.prof``, ``DIR/stock.prof``, read with ``pstats``).

Datasets: ten real passports made with package_create (the DCAT tests' set, every vocabulary
branch), then cloned in bulk: their rows copied in PostgreSQL under new ids and names, and
each clone indexed by CKAN's own indexer (package_create for 5,000 would take five minutes).
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import datetime as dt
import importlib
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Its own database, Solr core and site id: the bench resets them, so they are nobody else's.
NAME = "ckan_bench_dcat"
BENCH_ENV = {
    "CKAN_SQLALCHEMY_URL": f"postgresql://ckan_default:ckan_default@127.0.0.1:5432/{NAME}",
    "CKAN_SOLR_URL": f"http://127.0.0.1:8983/solr/{NAME}",
    "CKAN_REDIS_URL": "redis://127.0.0.1:6379/0",  # keys and queues are site-id scoped
    "CKAN_SITE_ID": "lutsk_bench_dcat",
    "CKAN_STORAGE_PATH": str(ROOT / "var" / "storage" / "bench-dcat"),
}
PAGE = 100
START = dt.datetime(2026, 1, 1)  # clones are older than the templates, one second apart
SMALL, LARGE = 1000, 5000
REPEATS = 5
# The page compared: the configured profile (lutsk) and the stock one.
PAGE_URLS = {"lutsk": "/catalog.ttl?page=2", "stock": "/catalog.ttl?page=2&profiles=euro_dcat_ap_3"}


def _package_tables() -> dict[str, str]:
    """Rows that make a dataset besides its package row, keyed by the column naming the
    package (see _clone_rows). CKAN 2.12 keeps the extras in the package row (JSONB)."""
    from ckanext.lutsk.model import ckan_compat

    tables = {"resource": "package_id", "package_tag": "package_id"}
    return tables if ckan_compat.JSONB_EXTRAS else {"package_extra": "package_id", **tables}


def _sh(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def prepare() -> None:
    """A fresh bench database and Solr core (created if missing), with CKAN's migrations."""
    os.environ.update(BENCH_ENV)
    Path(BENCH_ENV["CKAN_STORAGE_PATH"]).mkdir(parents=True, exist_ok=True)
    for sql in (f"drop database if exists {NAME} with (force)", f"create database {NAME} owner ckan_default"):
        _sh("runuser", "-u", "postgres", "--", "psql", "-qc", sql)
    cores = f"ckan ckan_test ckan_peer ckan_peer_test {NAME}"
    _sh(str(ROOT / "solr" / "solr.sh"), "start", env={**os.environ, "SOLR_CORES": cores})
    # The CKAN of the interpreter running the bench (.venv: 2.11, .venv-2.12: 2.12).
    _sh(str(Path(sys.executable).with_name("ckan")), "-c", str(ROOT / "test.ini"), "db", "init", cwd=ROOT)


def _clone_rows(conn, template_ids: list[str], start: int, count: int) -> list[tuple[str, str, dict]]:
    """Copy the template datasets' rows ``count`` times; returns (template id, new id, ids map)."""
    import sqlalchemy as sa
    from ckan import model

    package_tables = _package_tables()
    tables = {name: getattr(model, f"{name}_table") for name in ("package", "member", *package_tables)}
    rows = {
        name: {
            tid: [dict(r._mapping) for r in conn.execute(sa.select(table).where(table.c[col] == tid))]
            for tid in template_ids
        }
        for name, table, col in [
            ("package", tables["package"], "id"),
            ("member", tables["member"], "table_id"),
            *((n, tables[n], c) for n, c in package_tables.items()),
        ]
    }
    out: dict[str, list[dict]] = {name: [] for name in rows}
    clones = []
    for i in range(start, start + count):
        template = template_ids[i % len(template_ids)]
        new_id = str(uuid.uuid4())
        ids = {template: new_id}
        # Distinct times, so that pages (newest first) mix the templates as a real catalogue would.
        modified = START - dt.timedelta(seconds=i)
        for row in rows["package"][template]:
            out["package"].append(
                {
                    **row,
                    "id": new_id,
                    "name": f"bench-{i:05d}",
                    "title": f"{row['title']} · {i}",
                    "metadata_modified": modified,
                }
            )
        for row in rows["member"][template]:
            out["member"].append({**row, "id": str(uuid.uuid4()), "table_id": new_id})
        for name, col in package_tables.items():
            for row in rows[name][template]:
                ids[row["id"]] = str(uuid.uuid4())
                out[name].append({**row, "id": ids[row["id"]], col: new_id})
        clones.append((template, new_id, ids | {"name": f"bench-{i:05d}", "index": i, "modified": modified}))
    for name in ("package", "member", *package_tables):
        if out[name]:
            conn.execute(tables[name].insert(), out[name])
    return clones


def _index_clones(templates: dict[str, dict], clones: list[tuple[str, str, dict]]) -> None:
    """Index each clone as CKAN indexes a package_show dict (same ids as its rows)."""
    from ckan import logic
    from ckan.lib import search

    indexer = search.index_for("package")
    # CKAN 2.12's indexer takes the dict with its custom-schema twin (the same here).
    both = hasattr(logic, "index_update_package_dicts")
    for template_id, new_id, ids in clones:
        pkg = copy.deepcopy(templates[template_id])
        pkg["id"] = new_id
        pkg["name"] = ids["name"]
        pkg["title"] = f"{pkg['title']} · {ids['index']}"
        pkg["metadata_modified"] = ids["modified"].isoformat()
        for resource in pkg.get("resources", []):
            resource["id"] = ids.get(resource["id"], str(uuid.uuid4()))
            resource["package_id"] = new_id
        indexer.index_package(dict(pkg, with_custom_schema=pkg) if both else pkg, defer_commit=True)
    search.commit()


def grow_to(app, templates: dict[str, dict], have: int, want: int) -> None:
    from ckan import model

    with model.meta.engine.begin() as conn:
        clones = _clone_rows(conn, list(templates), have, want - have)
    with app._wsgi_app.test_request_context():
        _index_clones(templates, clones)


def _timed(client, url: str) -> tuple[float, float]:
    """Wall and CPU seconds of one request."""
    wall, cpu = time.perf_counter(), time.process_time()
    resp = client.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if resp.status_code != 200:
        raise SystemExit(f"{url} answered {resp.status_code}: {resp.get_data(as_text=True)[:500]}")
    return wall, cpu


def _get(client, url: str) -> float:
    return _timed(client, url)[0]


def page_ratio(client) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds for one page, lutsk profile and stock euro_dcat_ap_3."""
    for url in PAGE_URLS.values():
        _timed(client, url)  # warm-up: caches, first Solr query
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in PAGE_URLS}
    for _ in range(REPEATS):
        for name, url in PAGE_URLS.items():
            runs[name].append(_timed(client, url))
    return {
        name: (statistics.median(r[0] for r in times), statistics.median(r[1] for r in times))
        for name, times in runs.items()
    }


def profile_page(client, directory: Path) -> None:
    """One request of each, under cProfile (after page_ratio's warm-up)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, url in PAGE_URLS.items():
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        profiler.dump_stats(directory / f"{name}.prof")


def print_page(pages: dict[str, tuple[float, float]]) -> None:
    (lutsk_wall, lutsk_cpu), (stock_wall, stock_cpu) = pages["lutsk"], pages["stock"]
    ratio, cpu_ratio = lutsk_wall / stock_wall, lutsk_cpu / stock_cpu
    verdict = "OK" if ratio <= 1.2 else "OVER"  # on wall time
    print(f"/catalog.ttl, one page of {PAGE} datasets (median of {REPEATS}, wall / CPU):")
    print(f"  lutsk profile                        : {lutsk_wall * 1000:.0f} ms / {lutsk_cpu * 1000:.0f} ms")
    print(f"  stock euro_dcat_ap_3                 : {stock_wall * 1000:.0f} ms / {stock_cpu * 1000:.0f} ms")
    print(f"  ratio lutsk/stock                    : {ratio:.2f} / {cpu_ratio:.2f} (target <= 1.2) {verdict}")
    print(f"@@ /catalog.ttl page lutsk/stock (wall / CPU)\t<= 1.2\t{ratio:.2f} / {cpu_ratio:.2f}\t{verdict}")


def whole_catalogue(client, total: int) -> float:
    pages = -(-total // PAGE)
    return sum(_get(client, f"/catalog.ttl?page={page}") for page in range(1, pages + 1))


def one_graph(client, size: int, profiles: str, runs: int) -> float:
    """Median seconds per dataset for a single page of ``size`` datasets (after a warm-up)."""
    import ckan.plugins.toolkit as tk

    tk.config["ckanext.dcat.datasets_per_page"] = size
    try:
        url = f"/catalog.ttl?profiles={profiles}"
        _get(client, url)
        return statistics.median(_get(client, url) for _ in range(runs)) / size
    finally:
        tk.config["ckanext.dcat.datasets_per_page"] = PAGE


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--page-only",
        nargs="?",
        type=int,
        const=200,
        metavar="N",
        help="only the page ratio, on a catalogue of N datasets (200 unless given)",
    )
    parser.add_argument("--profile", type=Path, metavar="DIR", help="write cProfile stats of one page each")
    return parser.parse_args()


def main() -> None:
    args = _args()
    small_size = args.page_only or SMALL
    t0 = time.perf_counter()
    prepare()
    sys.path.insert(0, str(ROOT))
    # Before CKAN: an installed package aliases the top-level name ``tests``.
    support = importlib.import_module("tests.dcat_support")
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ROOT / "test.ini")))
    import ckan.plugins.toolkit as tk

    with app._wsgi_app.test_request_context():
        from ckan.lib import search

        from ckanext.lutsk import config, organizations

        search.clear_all()
        organizations.sync(config.registry())
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        made = [
            tk.get_action("package_create")({"user": user}, spec)
            for batch in ("t0", "t1")
            for spec in support.specs(batch)
        ]
        templates = {d["id"]: tk.get_action("package_show")({"user": user}, {"id": d["id"]}) for d in made}
        tk.config["ckanext.dcat.datasets_per_page"] = PAGE
    grow_to(app, templates, len(templates), small_size)
    setup_small = time.perf_counter() - t0
    client = app._wsgi_app.test_client()

    pages = page_ratio(client)
    if args.profile:
        profile_page(client, args.profile)
    if args.page_only:
        print_page(pages)
        whole = time.perf_counter() - t0
        print(f"(catalogue of {small_size}; setup {setup_small:.0f} s; whole run {whole:.0f} s)")
        return
    small = whole_catalogue(client, SMALL)
    per_graph = {
        profiles: (one_graph(client, 100, profiles, 3), one_graph(client, 1000, profiles, 1))
        for profiles in ("lutsk", "euro_dcat_ap_3")
    }
    grow_to(app, templates, SMALL, LARGE)
    large = whole_catalogue(client, LARGE)

    growth = (large / LARGE) / (small / SMALL)
    print_page(pages)
    print(f"whole catalogue, page by page ({PAGE} a page, lutsk profile):")
    print(f"  {SMALL:>5} datasets : {small:6.1f} s  ({small / SMALL * 1000:.1f} ms/dataset)")
    print(f"  {LARGE:>5} datasets : {large:6.1f} s  ({large / LARGE * 1000:.1f} ms/dataset)")
    print(
        f"  growth of time per dataset 1,000 -> 5,000 : {growth:.2f}  (target ~1, linear) "
        f"{'OK' if growth <= 1.2 else 'OVER'}"
    )
    print("one graph of 1,000 datasets vs one of 100, time per dataset (Turtle):")
    for profiles, (hundred, thousand) in per_graph.items():
        print(
            f"  {profiles:<22}: {hundred * 1000:.1f} -> {thousand * 1000:.1f} ms/dataset, "
            f"ratio {thousand / hundred:.2f}"
        )
    print(f"(setup: {setup_small:.0f} s; whole run {time.perf_counter() - t0:.0f} s; database {NAME})")


if __name__ == "__main__":
    main()
