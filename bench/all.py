"""``bin/dev bench all``: run every benchmark in ``bench/`` one after the other (on the
bench database and Solr core bin/dev prepared) and print one table of their summary rows:
measure, target, result, verdict.

Each bench prints its summary rows as lines ``@@ measure<TAB>target<TAB>result<TAB>verdict``;
its whole output goes to ``var/log/bench/<name>.log``. A bench that fails is a row too.
Benches with options take them from the environment (BENCH_DATASETS, BENCH_ROUNDS, ...);
``BENCH_ONLY=name,name`` runs only those.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Quick ones first; the ones that build large worlds last.
ORDER = (
    "schema_and_registry",
    "ui_render",
    "dcat_catalog",
    "publish",
    "audit_plan",
    "deadlines_report",
    "oversight_pages",
    # ckanext-xloader's DataStore load vs psql COPY of the same CSV (issue 19).
    "xloader",
)


def table(rows: list[tuple[str, str, str, str, str]]) -> str:
    headers = ("bench", "measure", "target", "result", "verdict")
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main() -> int:
    logs = ROOT / "var" / "log" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    names = [n for n in ORDER if (ROOT / "bench" / f"{n}.py").exists()]
    names += sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem not in (*ORDER, "all"))
    only = [n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()]
    if only:
        names = [n for n in names if n in only]
    rows: list[tuple[str, str, str, str, str]] = []
    failed = 0
    for name in names:
        t0 = time.perf_counter()
        print(f"bench {name} ...", flush=True)
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / f"{name}.py")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - t0
        (logs / f"{name}.log").write_text(proc.stdout + "\n--- stderr ---\n" + proc.stderr, encoding="utf-8")
        found = [line[3:].split("\t") for line in proc.stdout.splitlines() if line.startswith("@@ ")]
        for cells in found:
            rows.append((name, *[*cells, "", "", "", ""][:4]))
        if proc.returncode:
            failed += 1
            rows.append(
                (name, "(bench failed)", "", f"exit {proc.returncode}, see var/log/bench/{name}.log", "FAIL")
            )
        elif not found:
            rows.append((name, "(no summary rows)", "", f"see var/log/bench/{name}.log", "n/a"))
        print(f"  {took:.0f} s", flush=True)
    print("\n" + table(rows))
    over = sum(1 for r in rows if r[4] in ("OVER", "FAIL"))
    print(f"\n{len(rows)} rows, {over} over target or failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
