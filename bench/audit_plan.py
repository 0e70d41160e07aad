"""Issue 9 benchmark, run with ``bin/dev bench bench/audit_plan.py``.

The information audit plan for 40 bodies and 10,000 datasets with a year of daily
history, on the bench database (dropped and re-created first):

1. 40 bodies (a generated registry) and their organizations; 10,000 datasets, of which
   a realistic share (BENCH_CKAN, default 150) goes through package_create and the rest
   is bulk-inserted as the same rows (package, extras, tags, resources); a year of
   simulated daily deadline states bulk-inserted into the history tables.
2. In a fresh child process: the plan end to end (catalogue read, states, scores,
   coverage, history, schedule) plus its XLSX and DOCX — time and peak memory
   (targets: under 30 s and 500 MB); then today's history snapshot (the daily cron).
3. The history tables' size for that year (pg_total_relation_size), against the size
   of one row per dataset per day holding the same facts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BODIES = 40
DATASETS = int(os.environ.get("BENCH_DATASETS", "10000"))
THROUGH_CKAN = int(os.environ.get("BENCH_CKAN", "150"))
DAYS = 365
SEED = 835


def _bench_ini(tmp: Path) -> Path:
    """test.ini with the generated registry and annex files."""
    ini = tmp / "bench.ini"
    ini.write_text(
        f"[DEFAULT]\n[app:main]\nuse = config:{ROOT / 'test.ini'}\n"
        f"ckanext.lutsk.registry_file = {tmp / 'registry.yaml'}\n"
        f"ckanext.lutsk.annex835_file = {tmp / 'annex.yaml'}\n"
        + (ROOT / "test.ini").read_text().split("[loggers]", 1)[1].join(["[loggers]", ""])
    )
    return ini


def _write_registry_and_annex(tmp: Path) -> list[str]:
    import yaml

    from ckanext.lutsk.domain.annex835 import load_annex

    slugs = [f"body-{i:02d}" for i in range(1, BODIES)]
    registry = {
        "kinds": {
            "council": {"uk": "міська рада", "en": "city council"},
            "department": {"uk": "департамент", "en": "department"},
            "municipal_enterprise": {"uk": "комунальне підприємство", "en": "municipal enterprise"},
        },
        "council": {"slug": "lutsk-city-council", "name": {"uk": "Луцька міська рада"}, "kind": "council"},
        "bodies": [
            {
                "slug": s,
                "name": {"uk": f"Орган {s}", "en": f"Body {s}"},
                "kind": "municipal_enterprise" if i % 5 == 4 else "department",
                "parent": "lutsk-city-council",
            }
            for i, s in enumerate(slugs)
        ],
    }
    (tmp / "registry.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    # The real annex rows, assigned round-robin to the generated bodies.
    annex = yaml.safe_load((ROOT / "ckanext/lutsk/data/annex835.yaml").read_text(encoding="utf-8"))
    rnd = random.Random(SEED)
    for row in annex["rows"]:
        if row.get("bodies"):
            row["bodies"] = rnd.sample(slugs, k=min(len(row["bodies"]), 3))
    (tmp / "annex.yaml").write_text(yaml.safe_dump(annex, allow_unicode=True), encoding="utf-8")
    load_annex(tmp / "annex.yaml")  # fail early on a bad generated file
    return ["lutsk-city-council", *slugs]


def fresh_database() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from schema_and_registry import fresh_database as reset

    reset()


def _passport(rnd: random.Random, name: str, today: dt.date) -> dict:
    """A passport as package_create takes it, with the usual gaps of real ones."""
    freq = rnd.choices(
        [
            "once a month",
            "once a quarter",
            "once a year",
            "immediately after making changes",
            "no longer updated",
        ],
        weights=[30, 25, 30, 10, 5],
    )[0]
    published = today - dt.timedelta(days=rnd.randint(400, 2000))
    updated = today - dt.timedelta(days=rnd.randint(1, 200))
    fmt = rnd.choices(["CSV", "XLSX", "JSON", "PDF"], weights=[50, 25, 15, 10])[0]
    data = {
        "name": name,
        "title": f"Набір даних {name}",
        "notes": "Опис набору даних для перевірки плану інформаційного аудиту.",
        "purpose_of_collecting_information": "Постанова КМУ № 835",
        "language": "ua",
        "update_frequency": freq,
        "tag_string": "відкриті дані,аудит",
        "maintainer": "Відповідальна особа",
        "maintainer_email": "opendata@lutskrada.gov.ua",
        "license_id": "cc-by",
        "date_published": f"{published.isoformat()}T09:00:00",
        "data_updated": f"{updated.isoformat()}T09:00:00",
        "resources": [{"url": f"https://lutskrada.gov.ua/opendata/{name}.{fmt.lower()}", "format": fmt}],
    }
    if rnd.random() < 0.6:
        data["title_en"] = f"Dataset {name}"
        data["notes_en"] = "Description of the dataset."
    if rnd.random() < 0.5:
        data["resources"].append(
            {
                "url": f"https://lutskrada.gov.ua/opendata/{name}-structure.json",
                "format": "JSON",
                "structure": "true",
            }
        )
    if rnd.random() < 0.3:
        data["data_current_as_of"] = updated.isoformat()
    return data


def generate(ini: Path, tmp: Path) -> dict:
    """Organizations, datasets and a year of history on the bench database."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        from ckanext.lutsk import config, organizations
        from ckanext.lutsk.domain import workdays

        config.reload()
        reg = config.registry()
        organizations.sync(reg)
        orgs = {g.name: g.id for g in model.Session.query(model.Group).filter(model.Group.is_organization)}
        annex = config.annex()
        today = workdays.kyiv_today()
        rnd = random.Random(SEED)
        slugs = [b.slug for b in reg]
        # Uneven sizes, as in a city: a few bodies hold most of the datasets.
        weights = [1 / (i + 1) ** 0.8 for i in range(len(slugs))]
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        t0 = time.perf_counter()
        plan = []
        # About a third of the mandatory datasets are not on the portal yet.
        linked = {(r.id, b) for r in annex.applicable() for b in r.bodies if rnd.random() < 0.3}
        missing = len(linked)
        for i in range(DATASETS):
            body = rnd.choices(slugs, weights=weights)[0]
            data = _passport(rnd, f"bench-{i:05d}", today)
            rows = [r.id for r in annex.for_body(body) if (r.id, body) not in linked]
            if rows and rnd.random() < 0.35:
                data["annex835_row"] = rows[0]
                linked.add((rows[0], body))
            data["owner_org"] = orgs[body]
            data["private"] = rnd.random() < 0.05
            plan.append(data)
        for data in plan[:THROUGH_CKAN]:
            tk.get_action("package_create")({"user": user}, dict(data, owner_org=data["owner_org"]))
        ckan_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        _bulk_insert(model, plan[THROUGH_CKAN:])
        bulk_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        intervals, daily = _simulate_history(rnd, model, today)
        history_s = time.perf_counter() - t2
    return {
        "ckan_datasets": THROUGH_CKAN,
        "missing_planted": missing,
        "ckan_s": ckan_s,
        "bulk_datasets": DATASETS - THROUGH_CKAN,
        "bulk_s": bulk_s,
        "intervals": intervals,
        "daily_rows": daily,
        "history_s": history_s,
    }


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(_pg(v) for v in row) + "\n")
    buf.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


def _pg(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _bulk_insert(model, datasets: list[dict]) -> None:
    """The rows package_create would write, with COPY (the bench needs volume, not the API)."""
    raw = model.Session.connection().connection
    cur = raw.cursor()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017
    core = ("name", "title", "notes", "maintainer", "maintainer_email", "license_id", "owner_org", "private")
    packages, extras, resources, links = [], [], [], []
    cur.execute("SELECT id, name FROM tag WHERE vocabulary_id IS NULL")
    tags = {name: tid for tid, name in cur.fetchall()}
    new_tags = []
    for d in datasets:
        pid = str(uuid.uuid4())
        packages.append((pid, *(d.get(k) for k in core), "dataset", "active", now, now))
        for key, value in d.items():
            if key not in core and key not in ("resources", "tag_string"):
                extras.append((str(uuid.uuid4()), pid, key, value, "active"))
        for pos, res in enumerate(d["resources"]):
            extra = json.dumps({k: v for k, v in res.items() if k not in ("url", "format")})
            resources.append((str(uuid.uuid4()), pid, res["url"], res["format"], pos, "active", extra, now))
        for tag in d["tag_string"].split(","):
            if tag not in tags:
                tags[tag] = str(uuid.uuid4())
                new_tags.append((tags[tag], tag))
            links.append((str(uuid.uuid4()), pid, tags[tag], "active"))
    _copy(cur, "tag", ("id", "name"), new_tags)
    from ckanext.lutsk.model import ckan_compat

    columns = ("id", *core, "type", "state", "metadata_created", "metadata_modified")
    if ckan_compat.JSONB_EXTRAS:  # CKAN 2.12: the extras are the package row's JSONB column
        by_package: dict[str, dict[str, str]] = {}
        for _eid, pid, key, value, _state in extras:
            by_package.setdefault(pid, {})[key] = value
        rows = [(*p, json.dumps(by_package.get(p[0], {}), ensure_ascii=False)) for p in packages]
        _copy(cur, "package", (*columns, "extras"), rows)
    else:
        _copy(cur, "package", columns, packages)
        _copy(cur, "package_extra", ("id", "package_id", "key", "value", "state"), extras)
    _copy(
        cur,
        "resource",
        ("id", "package_id", "url", "format", "position", "state", "extras", "created"),
        resources,
    )
    _copy(cur, "package_tag", ("id", "package_id", "tag_id", "state"), links)
    model.Session.commit()


def _simulate_history(rnd: random.Random, model, today: dt.date) -> tuple[int, int]:
    """A year of daily states for every public dataset: each body has its own habit of
    updating late; every period a dataset goes on time → due soon → (late) → on time."""
    from ckanext.lutsk.model import catalogue, history

    records = catalogue.load_records(public_only=True)
    start = today - dt.timedelta(days=DAYS)
    bodies = sorted({r["body"] for r in records})
    lateness = {b: rnd.random() * 0.6 for b in bodies}  # chance a period ends late
    periods = {"once a month": 30, "once a quarter": 91, "once a year": 365}
    intervals = []
    counts: dict[tuple[dt.date, str], dict[str, int]] = {}
    for rec in records:
        freq = rec.get("update_frequency")
        body = rec["body"]
        if freq == "no longer updated":
            stretches = [(start, today, "discontinued")]
        elif freq not in periods:
            # "Immediately after making changes": late only after an unpublished change.
            stretches = _stretches(rnd, start, today, rnd.randint(20, 120), lateness[body], soon=0)
        else:
            stretches = _stretches(rnd, start, today, periods[freq], lateness[body], soon=4)
        for since, until, state in stretches:
            intervals.append((rec["id"], since, until, body, state))
            day = since
            while day < until:
                per = counts.setdefault((day, body), {})
                per[state] = per.get(state, 0) + 1
                day += dt.timedelta(days=1)
    conn = model.Session.connection()
    cur = conn.connection.cursor()
    # The last stretch stays open, as after a real snapshot of yesterday.
    _copy(
        cur,
        "lutsk_status_history",
        ("package_id", "since", "until", "body", "state"),
        ((pid, s, None if u >= today else u, b, st) for pid, s, u, b, st in intervals),
    )
    states = history.STATES
    _copy(
        cur,
        "lutsk_timeliness_daily",
        ("day", "body", *states),
        ((day, body, *(c.get(s, 0) for s in states)) for (day, body), c in counts.items()),
    )
    model.Session.commit()
    return len(intervals), len(counts)


def _stretches(rnd, start, end, period, late_chance, soon):
    out = []
    day = start - dt.timedelta(days=rnd.randint(0, period - 1))
    while day < end:
        due = day + dt.timedelta(days=period)
        late = rnd.randint(1, 25) if rnd.random() < late_chance else 0
        parts = [(day, due - dt.timedelta(days=soon), "on_time")]
        if soon:
            parts.append((due - dt.timedelta(days=soon), due, "due_soon"))
        if late:
            parts.append(
                (due, due + dt.timedelta(days=late), "overdue_frequency" if soon else "overdue_change")
            )
        for since, until, state in parts:
            since, until = max(since, start), min(until, end)
            if since < until:
                out.append((since, until, state))
        day = due + dt.timedelta(days=late)
    return out


def measure_plan(ini: Path, out_dir: Path) -> dict:
    """Child process: the plan, its two files, then today's snapshot."""
    import resource

    import sqlalchemy as sa
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        from ckan import model

        from ckanext.lutsk.domain import workdays
        from ckanext.lutsk.model import history
        from ckanext.lutsk.oversight import service as oversight

        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        today = workdays.kyiv_today()
        t0 = time.perf_counter()
        params = oversight.audit_params(today.year + 1, f"{today.year + 1}-11-30", today=today)
        plan = oversight.build_audit_plan(params, today)
        t1 = time.perf_counter()
        xlsx = oversight.audit_plan_file(plan, "xlsx")
        docx = oversight.audit_plan_file(plan, "docx")
        t2 = time.perf_counter()
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        (out_dir / "plan.xlsx").write_bytes(xlsx)
        (out_dir / "plan.docx").write_bytes(docx)
        t3 = time.perf_counter()
        snap = oversight.take_snapshot(today)
        t4 = time.perf_counter()
        conn = model.Session.connection()
        t5 = time.perf_counter()
        series = history.daily_counts(conn, today - dt.timedelta(days=364), today)
        t6 = time.perf_counter()
        sizes = {
            t: conn.execute(sa.text(f"SELECT pg_total_relation_size('{t}')")).scalar()
            for t in ("lutsk_status_history", "lutsk_timeliness_daily")
        }
        rows = {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608 (fixed names)
            for t in ("lutsk_status_history", "lutsk_timeliness_daily")
        }
        # The same facts as one row per public dataset per day, for comparison.
        conn.execute(
            sa.text(
                """
                CREATE TABLE bench_naive_daily AS
                SELECT h.package_id, d::date AS day, h.body, h.state
                FROM lutsk_status_history h,
                     generate_series(h.since, COALESCE(h.until, :today) - 1, interval '1 day') d
                """
            ),
            {"today": today + dt.timedelta(days=1)},
        )
        conn.execute(sa.text("ALTER TABLE bench_naive_daily ADD PRIMARY KEY (package_id, day)"))
        naive_rows = conn.execute(sa.text("SELECT count(*) FROM bench_naive_daily")).scalar()
        naive = conn.execute(sa.text("SELECT pg_total_relation_size('bench_naive_daily')")).scalar()
        model.Session.commit()
    return {
        "bodies": len(plan.bodies),
        "datasets": plan.totals["datasets"],
        "missing": plan.totals["missing"],
        "plan_s": t1 - t0,
        "files_s": t2 - t1,
        "xlsx_kb": len(xlsx) / 1024,
        "docx_kb": len(docx) / 1024,
        "rss_base_mb": base_rss,
        "rss_peak_mb": peak_rss,
        "snapshot_s": t4 - t3,
        "snapshot_changes": snap.opened,
        "public_page_series_s": t6 - t5,
        "series_bodies": len(series),
        "sizes": sizes,
        "rows": rows,
        "naive_rows": naive_rows,
        "naive_bytes": naive,
    }


def _child(kind: str, ini: Path, tmp: Path) -> dict:
    from schema_and_registry import run_child

    return run_child(__file__, kind, ini, str(tmp))


def main() -> None:
    if not os.environ.get("CKAN_SQLALCHEMY_URL", "").endswith("/ckan_bench"):
        # Start what it needs: bin/dev bench sets up the services and the bench database.
        os.execv(str(ROOT / "bin" / "dev"), [str(ROOT / "bin" / "dev"), "bench", __file__, *sys.argv[1:]])  # noqa: S606
    tmp = Path(tempfile.mkdtemp(prefix="lutsk-bench-"))
    sys.path.insert(0, str(ROOT))
    _write_registry_and_annex(tmp)
    ini = _bench_ini(tmp)
    fresh_database()
    gen = _child("generate", ini, tmp)
    res = _child("plan", ini, tmp)
    mb = 2**20
    hist = res["sizes"]["lutsk_status_history"] + res["sizes"]["lutsk_timeliness_daily"]
    total = res["plan_s"] + res["files_s"]
    rss = res["rss_peak_mb"]
    lines = [
        f"data: {BODIES} bodies, {res['datasets']} datasets "
        f"({gen['ckan_datasets']} through package_create in {gen['ckan_s']:.1f} s, "
        f"{gen['bulk_datasets']} bulk-inserted in {gen['bulk_s']:.1f} s), {DAYS} days of history "
        f"({gen['intervals']} state stretches, {gen['daily_rows']} body-days) in {gen['history_s']:.1f} s",
        "audit plan (catalogue, states, scores, coverage, history, schedule) + XLSX + DOCX:",
        f"  plan        : {res['plan_s']:.2f} s for {res['bodies']} bodies "
        f"({res['missing']} mandatory datasets missing, {gen['missing_planted']} left out on purpose)",
        f"  files       : {res['files_s']:.2f} s "
        f"(XLSX {res['xlsx_kb']:.0f} KB, DOCX {res['docx_kb']:.0f} KB)",
        f"  total       : {total:.2f} s, ratio to the 30 s target {total / 30:.2f} "
        + ("OK" if total < 30 else "OVER"),
        f"  peak memory : {rss:.0f} MB (process; {res['rss_base_mb']:.0f} MB with CKAN loaded), "
        f"ratio to the 500 MB target {rss / 500:.2f} " + ("OK" if rss < 500 else "OVER"),
        f"daily snapshot (cron) of the public datasets: {res['snapshot_s']:.2f} s, "
        f"{res['snapshot_changes']} stretches opened",
        f"public page, a year of series for {res['series_bodies']} bodies: "
        f"{1000 * res['public_page_series_s']:.0f} ms",
        "history of one year at this scale (pg_total_relation_size):",
    ]
    for table in ("lutsk_status_history", "lutsk_timeliness_daily"):
        lines.append(f"  {table:<22} : {res['sizes'][table] / mb:6.1f} MB, {res['rows'][table]} rows")
    lines += [
        f"  {'total':<22} : {hist / mb:6.1f} MB per year",
        f"  one row per dataset per day instead: {res['naive_bytes'] / mb:.1f} MB, {res['naive_rows']} rows; "
        f"ratio ours/that {hist / res['naive_bytes']:.2f}",
    ]
    print("\n".join(lines))
    verdict = "OK" if total < 30 else "OVER"
    print(f"@@ audit plan + files, read from the catalogue, at {DATASETS}\t< 30 s\t{total:.1f} s\t{verdict}")
    print(f"@@ audit plan peak memory at {DATASETS}\t< 500 MB\t{rss:.0f} MB\t{'OK' if rss < 500 else 'OVER'}")
    snap = res["snapshot_s"]
    print(f"@@ daily history snapshot at {DATASETS}\t< 30 s\t{snap:.1f} s\t{'OK' if snap < 30 else 'OVER'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, ini, tmp = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        sys.path.insert(0, str(ROOT))
        import tests.lutsk_factories  # noqa: F401  (before CKAN aliases the name ``tests``)

        result = generate(ini, tmp) if kind == "generate" else measure_plan(ini, tmp)
        print(json.dumps(result, default=str))
    else:
        main()
