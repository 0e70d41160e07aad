"""Issue 18 benchmark: pages that cost what they show, run with
``bin/dev bench bench/oversight_pages.py [--datasets 10000] [--rebuild] [--runs 5]``.

The world (40 bodies, N datasets with the gaps of real passports, a year of daily
history: ``bench/audit_plan.py``'s generator) is built once per size in its own database
``ckan_bench_oversight_<N>`` (bulk SQL) and kept, so a re-run measures only; the time it
took to build is printed (and remembered in the database).

Measured in child processes, through the whole WSGI stack as a sysadmin:

* the background refresh that stores the register, coverage, audit facts and every
  body's completeness (time, CPU, peak memory);
* "after": ``/lutsk/coverage``, ``/organization/<largest body>/quality``,
  ``/lutsk/audit-plan?year=…``, ``/lutsk/register.csv|xlsx`` (anonymous), served from
  storage: median wall and CPU time over the runs, their spread (min–max), and the growth
  of the process's peak memory during the page's requests;
* "before": what those requests computed before (every dataset read and scored:
  ``service.load`` + coverage, ``build_audit_plan``, the register from
  ``catalogue.load_records``), in the same process on the same data;
* ``ckan lutsk audit-plan`` (plan + XLSX + DOCX) from the stored facts and the old way,
  each in a fresh process (time, peak memory); the daily history snapshot.

Lines starting with ``@@`` are the summary rows ``bin/dev bench all`` collects:
measure, target, result, verdict (tab-separated).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def _db(n: int) -> str:
    return f"ckan_bench_oversight_{n}"


def _world_dir(n: int) -> Path:
    return ROOT / "var" / "bench" / f"oversight-{n}"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-d", db, "-qtAc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip()


def prepare(n: int, rebuild: bool) -> tuple[Path, float | None]:
    """The world's database and files; returns the ini and, when built now, the seconds."""
    import audit_plan as world

    world.DATASETS = n
    db = _db(n)
    wdir = _world_dir(n)
    wdir.mkdir(parents=True, exist_ok=True)
    os.environ["CKAN_SQLALCHEMY_URL"] = f"postgresql://ckan_default:ckan_default@127.0.0.1:5432/{db}"
    os.environ["CKAN_SITE_ID"] = f"lutsk_bench_oversight_{n}"
    world._write_registry_and_annex(wdir)
    ini = world._bench_ini(wdir)
    exists = _psql(f"select 1 from pg_database where datname='{db}'")  # noqa: S608 (our own name)
    # A world is kept when its database holds the datasets, whichever checkout built it
    # (the build's facts travel with the database, as its comment).
    built = exists == "1" and _psql("select count(*) from package where type = 'dataset'", db) == str(n)
    ckan = str(Path(sys.executable).with_name("ckan"))
    if built and not rebuild:
        # Migrations added since the world was built (a no-op when current).
        subprocess.run([ckan, "-c", str(ini), "db", "init"], check=True, capture_output=True)
        if not (wdir / "built.json").exists():
            remembered = _psql(
                f"select shobj_description(oid, 'pg_database') from pg_database where datname='{db}'"  # noqa: S608
            )
            (wdir / "built.json").write_text(remembered or json.dumps({"build_s": None}))
        return ini, None
    _psql(f"drop database if exists {db} with (force)")
    _psql(f"create database {db} owner ckan_default encoding 'UTF8' template template0")
    subprocess.run([ckan, "-c", str(ini), "db", "init"], check=True, capture_output=True)
    t0 = time.perf_counter()
    gen = _child("generate", ini, wdir, str(n))
    took = time.perf_counter() - t0
    facts = json.dumps({**gen, "build_s": took})
    (wdir / "built.json").write_text(facts)
    _psql(f"comment on database {db} is '{facts}'")
    return ini, took


def _child(kind: str, ini: Path, wdir: Path, *args: str) -> dict:
    from schema_and_registry import run_child

    return run_child(__file__, kind, ini, str(wdir), *args)


# --------------------------------------------------------------------------- children


def child_generate(ini: Path, wdir: Path, n: int) -> dict:
    import audit_plan as world

    world.DATASETS = n
    world.THROUGH_CKAN = int(os.environ.get("BENCH_CKAN", "20"))
    return world.generate(ini, wdir)


def _app(ini: Path):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(str(ini)))


def _timed(fn) -> tuple[float, float, float]:
    """(wall s, CPU s, growth of the process's peak memory in MB) of one call."""
    rss0 = _rss_mb()
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0, _rss_mb() - rss0


def _series(fn, runs: int, warmups: int = 1) -> dict:
    """Median wall and CPU of ``runs`` calls after ``warmups``, their spread, and the peak
    of Python memory during one more call (tracemalloc: the request's own allocations,
    whatever the process held before)."""
    import tracemalloc

    for _ in range(warmups):
        fn()
    walls, cpus = [], []
    for _ in range(runs):
        w, c, _g = _timed(fn)
        walls.append(w)
        cpus.append(c)
    tracemalloc.start()
    fn()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "wall_ms": 1000 * statistics.median(walls),
        "cpu_ms": 1000 * statistics.median(cpus),
        "min_ms": 1000 * min(walls),
        "max_ms": 1000 * max(walls),
        "rss_growth_mb": peak / 2**20,
        "runs": runs,
    }


def child_measure(ini: Path, wdir: Path, runs: int, before: bool = True) -> dict:
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa

    app = _app(ini)
    flask_app = app._wsgi_app
    out: dict = {"rss_idle_mb": _rss_mb()}
    with flask_app.test_request_context():
        from ckan import model

        from ckanext.lutsk import config
        from ckanext.lutsk.domain import workdays
        from ckanext.lutsk.oversight import stored

        config.reload()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        token = tk.get_action("api_token_create")(
            {"ignore_auth": True, "user": site_user}, {"user": site_user, "name": "bench"}
        )["token"]
        largest = (
            model.Session.connection()
            .execute(
                sa.text(
                    """SELECT g.name FROM package p JOIN "group" g ON g.id = p.owner_org
                       WHERE p.state = 'active' GROUP BY g.name ORDER BY count(*) DESC LIMIT 1"""
                )
            )
            .scalar()
        )
        model.Session.commit()
        w, c, g = _timed(stored.refresh)
        out["refresh"] = {"wall_s": w, "cpu_s": c, "rss_growth_mb": g, "rss_peak_mb": _rss_mb()}
        today = workdays.kyiv_today()
        year = today.year + 1
        model.Session.remove()

    from werkzeug.test import Client

    client = Client(app)  # the whole WSGI stack, middlewares (locale, auth) included
    auth = {"Authorization": token}
    # label -> (url, headers): the register CSV as a browser asks for it (gzip accepted: the
    # stored compressed bytes as they are) and as a client that takes no compression.
    pages = {
        "/lutsk/coverage": ("/lutsk/coverage", auth),
        f"/organization/{largest}/quality": (f"/organization/{largest}/quality", auth),
        f"/lutsk/audit-plan?year={year}": (f"/lutsk/audit-plan?year={year}", auth),
        "/lutsk/register.csv (gzip)": ("/lutsk/register.csv", {"Accept-Encoding": "gzip, deflate, br"}),
        "/lutsk/register.csv (plain)": ("/lutsk/register.csv", {}),
        "/lutsk/register.xlsx": ("/lutsk/register.xlsx", {}),
    }
    out["after"] = {}
    out["size"] = {}
    for label, (url, headers) in pages.items():

        def get(label=label, url=url, headers=headers):
            # Read as a client reads a download: slice by slice, counted, not joined (joined,
            # the test client's own copy of 36 MB would count as the server's memory).
            resp = client.get(url, headers=headers, buffered=False)
            try:
                assert resp.status_code == 200, (url, resp.status_code)
                out["size"][label] = sum(len(piece) for piece in resp.response)
            finally:
                resp.close()

        out["after"][label] = _series(get, runs)
    out["largest"] = largest
    if not before:
        with flask_app.test_request_context():
            from ckanext.lutsk.oversight import service

            w, c, _g = _timed(lambda: service.take_snapshot(today))
            out["snapshot"] = {"wall_s": w, "cpu_s": c}
        return out

    # Before: what those requests computed on every call, on the same data.
    with flask_app.test_request_context():
        from ckanext.lutsk.domain import annex835, dataset_register
        from ckanext.lutsk.model import catalogue
        from ckanext.lutsk.oversight import service

        def coverage():
            annex835.body_summary(service.coverage_cells(service.load()))

        def quality():
            recs = service.load(body=largest)
            recs.sort(key=lambda r: (r["score"].percent, r["name"]))
            service.coverage_cells(recs)

        def plan():
            service.build_audit_plan(service.audit_params(year))

        def register_csv():
            dataset_register.to_csv(service.register_rows(catalogue.load_records(public_only=True)))

        def register_xlsx():
            dataset_register.to_xlsx(service.register_rows(catalogue.load_records(public_only=True)))

        before_runs = max(1, runs // 3)
        out["before"] = {  # the plain CSV was the same work as the gzip one: one measure
            "/lutsk/coverage": _series(coverage, before_runs, warmups=0),
            f"/organization/{largest}/quality": _series(quality, before_runs, warmups=0),
            f"/lutsk/audit-plan?year={year}": _series(plan, before_runs, warmups=0),
            "/lutsk/register.csv (gzip)": _series(register_csv, before_runs, warmups=0),
            "/lutsk/register.xlsx": _series(register_xlsx, before_runs, warmups=0),
        }
        out["before"]["/lutsk/register.csv (plain)"] = out["before"]["/lutsk/register.csv (gzip)"]
        w, c, _g = _timed(lambda: service.take_snapshot(today))
        out["snapshot"] = {"wall_s": w, "cpu_s": c}
    return out


def child_cli(ini: Path, wdir: Path, how: str) -> dict:
    """``ckan lutsk audit-plan`` in a fresh process: from storage ("stored") or as before."""
    app = _app(ini)
    base = _rss_mb()
    with app._wsgi_app.test_request_context():
        from ckanext.lutsk import config
        from ckanext.lutsk.domain import workdays
        from ckanext.lutsk.oversight import service, stored

        config.reload()
        params = service.audit_params(workdays.kyiv_today().year + 1)
        if how == "changed":
            # A dataset changed since the last refresh: the CLI brings the figures up to date first.
            from ckan import model

            from ckanext.lutsk.model import computed

            computed.mark_changed(model.Session.connection(), [stored.FACTS], stored._now())
            model.Session.commit()
        w0, c0 = time.perf_counter(), time.process_time()
        if how in ("stored", "changed"):
            result = stored.current_audit_plan(params)  # what the CLI does
            assert result is not None, "the refresh stored no figures"
            plan = result.value
        else:
            plan = service.build_audit_plan(params)
        service.audit_plan_file(plan, "xlsx")
        service.audit_plan_file(plan, "docx")
        return {
            "wall_s": time.perf_counter() - w0,
            "cpu_s": time.process_time() - c0,
            "rss_peak_mb": _rss_mb(),
            "rss_base_mb": base,
            "bodies": len(plan.bodies),
        }


# --------------------------------------------------------------------------- report


def row(measure: str, target: str, result: str, ok: bool | None) -> str:
    verdict = "n/a" if ok is None else ("OK" if ok else "OVER")
    return f"@@ {measure}\t{target}\t{result}\t{verdict}"


def main() -> None:
    if not os.environ.get("CKAN_SQLALCHEMY_URL", "").endswith("/ckan_bench"):
        os.execv(str(ROOT / "bin" / "dev"), [str(ROOT / "bin" / "dev"), "bench", __file__, *sys.argv[1:]])  # noqa: S606
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=int(os.environ.get("BENCH_DATASETS", "10000")))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="build or keep the world only")
    parser.add_argument(
        "--no-before",
        action="store_true",
        default=os.environ.get("BENCH_BEFORE") == "0",
        help="skip the old ways (minutes at 100,000; BENCH_BEFORE=0)",
    )
    args = parser.parse_args()
    n = args.datasets
    t0 = time.perf_counter()
    ini, built_now = prepare(n, args.rebuild)
    info = json.loads((_world_dir(n) / "built.json").read_text())
    print(
        f"world: {n} datasets, 40 bodies, a year of history; "
        + (
            f"built now in {built_now:.0f} s"
            if built_now
            else "kept (built once"
            + (f" in {info['build_s']:.0f} s)" if info.get("build_s") is not None else ", time not recorded)")
        )
    )
    if args.build_only:
        return
    res = _child("measure", ini, _world_dir(n), str(args.runs), "0" if args.no_before else "1")
    cli_new = _child("cli", ini, _world_dir(n), "stored")
    cli_changed = _child("cli", ini, _world_dir(n), "changed")
    cli_old = None if args.no_before else _child("cli", ini, _world_dir(n), "old")
    r = res["refresh"]
    print(
        f"background refresh (register, coverage, audit facts, every body's completeness): "
        f"{r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, process peak {r['rss_peak_mb']:.0f} MB"
    )
    print(
        f"{'page':<44} {'before wall/CPU ms':>20} {'after wall/CPU ms':>18} {'spread':>13} "
        f"{'MB':>5} {'size':>9}"
    )
    none = {"wall_ms": float("nan"), "cpu_ms": float("nan")}
    lines = []
    for url, after in res["after"].items():
        before = res.get("before", {}).get(url, none)
        shown = url.replace(res["largest"], "<largest>")
        print(
            f"{shown:<44} {before['wall_ms']:>11.0f}/{before['cpu_ms']:<8.0f} "
            f"{after['wall_ms']:>9.1f}/{after['cpu_ms']:<8.1f} "
            f"{after['min_ms']:>6.1f}-{after['max_ms']:<6.1f} {after['rss_growth_mb']:>5.0f} "
            f"{res['size'][url] / 1024:>7.0f}KB"
        )
        was = f"; before {before['wall_ms']:.0f} ms" if "before" in res else ""
        lines.append(
            row(
                f"{shown} at {n}",
                "< 500 ms",
                f"{after['wall_ms']:.0f} ms wall, {after['cpu_ms']:.0f} ms CPU "
                f"({after['min_ms']:.0f}-{after['max_ms']:.0f}){was}",
                after["wall_ms"] < 500,
            )
        )
        lines.append(
            row(
                f"{shown} memory at {n}",
                "< 100 MB",
                f"+{after['rss_growth_mb']:.0f} MB",
                after["rss_growth_mb"] < 100,
            )
        )

    def cli(c: dict) -> str:
        return f"{c['wall_s']:.1f} s wall, {c['cpu_s']:.1f} s CPU, {c['rss_peak_mb']:.0f} MB"

    print(
        "ckan lutsk audit-plan (+XLSX, DOCX): from storage "
        + cli(cli_new)
        + "; after a change (refresh first) "
        + cli(cli_changed)
        + ("; before " + cli(cli_old) if cli_old else "")
    )
    s = res["snapshot"]
    print(f"daily history snapshot: {s['wall_s']:.1f} s wall, {s['cpu_s']:.1f} s CPU")
    old = f" (before {cli_old['wall_s']:.1f} s, {cli_old['rss_peak_mb']:.0f} MB)" if cli_old else ""
    lines += [
        row(
            f"audit plan CLI, figures stored, at {n}",
            "< 30 s, < 500 MB",
            cli(cli_new) + old,
            cli_new["wall_s"] < 30 and cli_new["rss_peak_mb"] < 500,
        ),
        row(
            f"audit plan CLI after a change (refresh first) at {n}",
            "< 30 s, < 500 MB",
            cli(cli_changed),
            cli_changed["wall_s"] < 30 and cli_changed["rss_peak_mb"] < 500,
        ),
        row(
            f"background refresh memory at {n}",
            "< 500 MB",
            f"{r['rss_peak_mb']:.0f} MB process peak",
            r["rss_peak_mb"] < 500,
        ),
        row(
            f"background refresh time at {n}",
            "< 30 s",
            f"{r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU",
            r["wall_s"] < 30,
        ),
        row(
            f"history snapshot at {n}",
            "< 30 s",
            f"{s['wall_s']:.1f} s wall, {s['cpu_s']:.1f} s CPU",
            s["wall_s"] < 30,
        ),
    ]
    print("\n".join(lines))
    print(f"bench took {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, ini, wdir = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        sys.path.insert(0, str(ROOT))
        import tests.lutsk_factories  # noqa: F401  (before CKAN aliases the name ``tests``)

        if kind == "generate":
            result = child_generate(ini, wdir, int(sys.argv[5]))
        elif kind == "measure":
            result = child_measure(ini, wdir, int(sys.argv[5]), before=sys.argv[6] == "1")
        else:
            result = child_cli(ini, wdir, sys.argv[5])
        print(json.dumps(result, default=str))
    else:
        main()
