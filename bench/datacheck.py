"""Issue 19 benchmark: the data check of a CSV (domain.datacheck, Frictionless), run with
``bin/dev bench bench/datacheck.py`` or ``.venv/bin/python bench/datacheck.py`` (it needs
no database).

1. Generated CSVs of 1, 10 and 50 MB (UTF-8, a realistic mix of text, integers, decimals
   and dates; the 50 MB one also as cp1251, which takes the recoding path), each checked in
   a fresh child process: wall time, time per MB and the child's peak memory (ru_maxrss).
2. The demo data (data/demo.yaml + data/structures + data/demo_files): tabular resources, how
   many belong to an annex row with a recommended structure, and the check of the sample files
   that `ckan lutsk demo load` uploads (valid / invalid, against the recommended structure).
   The other demo resources are links to lutskrada.gov.ua, unreachable here: not checked.
   The same counts from the portal's stored checks: `ckan lutsk datacheck --summary`.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SIZES_MB = [int(x) for x in os.environ.get("BENCH_SIZES_MB", "1,10,50").split(",")]
SEED = 835

CHILD = """
import json, resource, sys, time
from ckanext.lutsk.domain import datacheck
t0 = time.perf_counter()
r = datacheck.check_file(sys.argv[1], "CSV")
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "status": r.status, "rows": r.rows, "issues": r.issue_count,
                  "encoding": r.encoding,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _make_csv(path: Path, mb: int, encoding: str = "utf-8") -> int:
    rnd = random.Random(SEED)
    streets = ["Лесі Українки", "Володимирська", "Шевченка", "Винниченка", "Кравчука", "Соборності"]
    target = mb * 1024 * 1024
    with path.open("w", encoding=encoding, newline="") as f:
        f.write("id,name,address,amount,count,date\n")
        i = 0
        size = 0
        while size < target:
            i += 1
            line = (
                f"{i},Заклад освіти № {rnd.randint(1, 60)},"
                f"\"вул. {rnd.choice(streets)}, {rnd.randint(1, 200)}\","
                f"{rnd.randint(0, 10_000_000) / 100:.2f},{rnd.randint(0, 5000)},"
                f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}\n"
            )
            f.write(line)
            size += len(line.encode(encoding))
    return path.stat().st_size


def _child(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_files() -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="lutsk-bench-") as tmp:
        cases = [(mb, "utf-8") for mb in SIZES_MB] + [(max(SIZES_MB), "cp1251")]
        for mb, enc in cases:
            path = Path(tmp) / f"data-{mb}-{enc}.csv"
            size = _make_csv(path, mb, enc)
            r = _child(path)
            r.update(file_mb=round(size / 1024 / 1024, 1), written_as=enc)
            r["seconds_per_mb"] = round(r["seconds"] / (size / 1024 / 1024), 3)
            r["seconds"] = round(r["seconds"], 2)
            r["maxrss_mb"] = round(r["maxrss_mb"], 1)
            results.append(r)
            print(json.dumps(r, ensure_ascii=False), flush=True)
            path.unlink()
    return results


def bench_demo() -> dict:
    import yaml

    from ckanext.lutsk.domain import datacheck, structures

    demo = yaml.safe_load((ROOT / "ckanext/lutsk/data/demo.yaml").read_text(encoding="utf-8"))
    recommended = structures.load_structures()
    datasets = demo["datasets"]
    tabular = [d for d in datasets if datacheck.is_tabular(d.get("format"))]
    with_rec = [d for d in tabular if d.get("annex835_row") in recommended]
    samples = ROOT / "ckanext/lutsk/data/demo_files"
    summary = datacheck.Summary()
    files = {}
    for d in tabular:
        path = samples / f"{d['name']}.csv"
        rec = recommended.get(d.get("annex835_row") or "")
        if not path.exists():
            summary.add(None, rec is not None)
            continue
        # `demo load` uploads the recommended schema as the structure resource of a dataset
        # that declares one, so the portal counts its check as "declared".
        source = ("declared" if d.get("structure") else "recommended") if rec else None
        t0 = time.perf_counter()
        report = datacheck.check_file(path, "CSV", rec.table_schema() if rec else None, source)
        summary.add(report.status, rec is not None, report.schema_source)
        files[d["name"]] = {
            "status": report.status,
            "issues": [i.code for i in report.issues],
            "ms": round((time.perf_counter() - t0) * 1000, 1),
        }
    return {
        "demo_datasets": len(datasets),
        "tabular_resources": len(tabular),
        "with_recommended_structure": [d["name"] for d in with_rec],
        "annex_rows_in_demo": sorted({d["annex835_row"] for d in datasets if d.get("annex835_row")}),
        "structures": sorted(recommended),
        "sample_files": files,
        "summary": summary.to_dict(),
        "note": "'not checked yet' = demo links to lutskrada.gov.ua (unreachable here)",
    }


def main() -> None:
    t0 = time.perf_counter()
    files = bench_files()
    demo = bench_demo()
    print(json.dumps(demo, ensure_ascii=False, indent=2))
    print(
        json.dumps(
            {"total_seconds": round(time.perf_counter() - t0, 1), "cpu": os.cpu_count(), "files": files},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
