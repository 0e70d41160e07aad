"""Issue 4 benchmark, run with ``bin/dev bench bench/schema_and_registry.py``.

1. package_create + package_show with the Lutsk passport schema versus stock CKAN
   (ckanext-scheming's ``ckan_dataset`` schema, same fields where both have them, and
   *without* the lutsk plugin), each side in its own process on the bench database. The
   sides alternate over ROUNDS rounds (BENCH_ROUNDS, default 3; the order flips each
   round), so load from other users of the machine falls on both; wall and CPU time per
   dataset, the median ratio and its spread over the rounds. Target ratio ≤ 1.3.
2. Registry sync of 100 bodies: first run, then a no-op re-run (target: zero writes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("BENCH_N", "150"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
#: Stock CKAN: the same plugins as test.ini but lutsk.
STOCK_PLUGINS = "activity dcat harvest ckan_harvester scheming_datasets"
STOCK_KEYS = (
    "name",
    "title",
    "notes",
    "owner_org",
    "tag_string",
    "license_id",
    "maintainer",
    "maintainer_email",
    "resources",
)


def _app(ini: Path):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(str(ini)))


def _reset() -> None:
    from ckan.lib import search

    search.clear_all()


def fresh_database() -> None:
    """Drop and re-create the bench database (bin/dev bench points CKAN_SQLALCHEMY_URL at it)."""
    db = os.environ["CKAN_SQLALCHEMY_URL"].rsplit("/", 1)[1]
    if not db.startswith("ckan_bench"):
        raise SystemExit(f"refusing to reset {db}: run this with bin/dev bench")
    for sql in (f"drop database if exists {db} with (force)", f"create database {db} owner ckan_default"):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-qc", sql], check=True, capture_output=True
        )
    subprocess.run(
        [str(Path(sys.executable).with_name("ckan")), "-c", str(ROOT / "test.ini"), "db", "init"],
        check=True,
        capture_output=True,
    )


def measure_schema(ini: Path, stock: bool, round_: int = 0) -> dict:
    """In a child process: create and show N datasets; wall and CPU ms per dataset."""
    import ckan.plugins.toolkit as tk

    app = _app(ini)
    with app._wsgi_app.test_request_context():
        _reset()
        from ckanext.lutsk import config, organizations

        passport = sys.modules["tests.lutsk_factories"].passport
        organizations.sync(config.registry())
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        dicts = []
        for i in range(N):
            d = passport(
                name=f"bench-{'stock' if stock else 'lutsk'}-{round_}-{i}", owner_org="finance-budget"
            )
            dicts.append({k: d[k] for k in STOCK_KEYS} if stock else d)
        # Warm-up outside the clock (template/schema caches, first Solr commit).
        tk.get_action("package_create")({"user": user}, dict(dicts[0], name=f"{dicts[0]['name']}-warm"))
        start, cpu = time.perf_counter(), time.process_time()
        for d in dicts:
            created = tk.get_action("package_create")({"user": user}, d)
            tk.get_action("package_show")({"user": user}, {"id": created["id"]})
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"per_dataset_ms": 1000 * elapsed / N, "cpu_per_dataset_ms": 1000 * cpu / N, "total_s": elapsed}


def measure_registry_sync(ini: Path) -> dict:
    import yaml

    app = _app(ini)
    with app._wsgi_app.test_request_context():
        _reset()
        from ckanext.lutsk import organizations
        from ckanext.lutsk.domain.registry import load_registry

        bodies = [
            {
                "slug": f"body-{i:03d}",
                "name": {"uk": f"Орган {i}", "en": f"Body {i}"},
                "kind": "department",
                "parent": "lutsk-city-council",
            }
            for i in range(100)
        ]
        data = {
            "kinds": {
                "council": {"uk": "рада", "en": "council"},
                "department": {"uk": "департамент", "en": "dep"},
            },
            "council": {
                "slug": "lutsk-city-council",
                "name": {"uk": "Луцька міська рада"},
                "kind": "council",
            },
            "bodies": bodies,
        }
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            yaml.safe_dump(data, f, allow_unicode=True)
        reg = load_registry(f.name)
        t0 = time.perf_counter()
        _plan, first = organizations.sync(reg)
        t1 = time.perf_counter()
        plan2, again = organizations.sync(reg)
        t2 = time.perf_counter()
    return {
        "first_s": t1 - t0,
        "first_writes": first.writes,
        "noop_s": t2 - t1,
        "noop_reads": again.reads,
        "noop_writes": again.writes,
        "noop_changes": len(plan2),
    }


def run_child(script: str, kind: str, ini: Path, *args: str) -> dict:
    """Run ``script --child KIND INI [ARGS]`` in its own process (its own CKAN config and
    plugins) and return the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, script, "--child", kind, str(ini), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"bench child {kind} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_get_ms(client, url: str, headers: dict[str, str], runs: int, warmups: int = 2):
    """Median server time (ms) of ``runs`` GETs of ``url`` after ``warmups`` (template and
    query caches), each checked for 200; and the last response."""
    import statistics

    for _ in range(warmups):
        assert client.get(url, headers=headers).status_code == 200, url
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = client.get(url, headers=headers)
        samples.append(time.perf_counter() - t0)
        assert resp.status_code == 200, url
    return 1000 * statistics.median(samples), resp


def stock_ini(extra: str = "") -> Path:
    """test.ini with ckanext-scheming's stock dataset schema (and ``extra`` options)."""
    path = Path(tempfile.mkdtemp()) / "stock.ini"
    loggers = (ROOT / "test.ini").read_text().split("[loggers]", 1)[1]
    path.write_text(
        f"[DEFAULT]\n[app:main]\nuse = config:{ROOT / 'test.ini'}\n{extra}"
        "scheming.dataset_schemas = ckanext.scheming:ckan_dataset.yaml\n"
        "[loggers]" + loggers
    )
    return path


def _child(kind: str, ini: Path) -> dict:
    return run_child(__file__, kind, ini)


def alternate(measure, rounds: int) -> dict[str, list[dict]]:
    """``measure(side, round)`` for both sides, ``rounds`` times, the order flipping each
    round (lutsk first, then stock first, ...)."""
    out: dict[str, list[dict]] = {"lutsk": [], "stock": []}
    for r in range(rounds):
        for side in ("lutsk", "stock") if r % 2 == 0 else ("stock", "lutsk"):
            out[side].append(measure(side, r))
    return out


def ratios(results: dict[str, list[dict]], key: str) -> list[float]:
    """Per round: lutsk / stock."""
    return [a[key] / b[key] for a, b in zip(results["lutsk"], results["stock"], strict=True)]


def spread(values: list[float]) -> str:
    import statistics

    return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    import statistics

    stock_config = stock_ini(f"ckan.plugins = {STOCK_PLUGINS}\n")
    fresh_database()
    results = alternate(
        lambda side, r: run_child(
            __file__, side, ROOT / "test.ini" if side == "lutsk" else stock_config, str(r)
        ),
        ROUNDS,
    )
    wall, cpu = ratios(results, "per_dataset_ms"), ratios(results, "cpu_per_dataset_ms")
    print(f"package_create+package_show, {N} datasets, {ROUNDS} rounds, sides alternated:")
    for side, label in (("lutsk", "lutsk passport schema"), ("stock", "stock CKAN (no lutsk)")):
        walls = [r["per_dataset_ms"] for r in results[side]]
        cpus = [r["cpu_per_dataset_ms"] for r in results[side]]
        print(
            f"  {label:<22}: wall {statistics.median(walls):.1f} ms/dataset "
            f"({min(walls):.1f}-{max(walls):.1f}), CPU {statistics.median(cpus):.1f} ms/dataset"
        )
    verdict = "OK" if statistics.median(wall) <= 1.3 else "OVER"
    print(f"  ratio lutsk/stock, wall : {spread(wall)}  (target <= 1.3) {verdict}")
    print(f"  ratio lutsk/stock, CPU  : {spread(cpu)}")
    print(f"@@ schema create+show lutsk/stock (wall)\t<= 1.3\t{spread(wall)}\t{verdict}")
    print(
        f"@@ schema create+show lutsk/stock (CPU)\t<= 1.3\t{spread(cpu)}\t"
        f"{'OK' if statistics.median(cpu) <= 1.3 else 'OVER'}"
    )
    fresh_database()
    reg = _child("registry", ROOT / "test.ini")
    print("registry sync of 100 bodies:")
    print(f"  first run   : {reg['first_s']:.2f} s, {reg['first_writes']} writes")
    print(
        f"  no-op rerun : {reg['noop_s']:.2f} s, {reg['noop_reads']} reads, {reg['noop_writes']} writes "
        f"(target 0) {'OK' if reg['noop_writes'] == 0 else 'OVER'}"
    )
    noop_verdict = "OK" if reg["noop_writes"] == 0 else "OVER"
    print(f"@@ registry sync no-op rerun writes\t0\t{reg['noop_writes']}\t{noop_verdict}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, ini = sys.argv[2], Path(sys.argv[3])
        sys.path.insert(0, str(ROOT))
        # Before CKAN loads: one of its plugins aliases the top-level name ``tests``.
        import tests.lutsk_factories  # noqa: F401

        round_ = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        result = (
            measure_registry_sync(ini)
            if kind == "registry"
            else measure_schema(ini, stock=kind == "stock", round_=round_)
        )
        print(json.dumps(result))
    else:
        main()
