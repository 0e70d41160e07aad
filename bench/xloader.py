"""Issue 19 benchmark: ckanext-xloader's load of a CSV into the DataStore, per MB, against the
physical limit of this machine in the same run: PostgreSQL's COPY of the same file into a
plain table (``psql \\copy``, no indexes, no triggers). Run with
``bin/dev bench bench/xloader.py`` (the bench database, its DataStore datastore_bench).

xloader's part is what its job does after the download (``direct_load``): ``load_csv``
(encoding check and re-encoding to UTF-8, datastore_create, COPY, the full-text column),
then ``calculate_record_count`` (ANALYZE) and ``create_column_indexes``. The download over
HTTP is not counted (it is the network's, not the loader's). The CSV is the data-check
bench's generator (UTF-8, text, integers, decimals, dates). COPY runs ``BENCH_ROUNDS``
times (default 3); its best time is the limit. Options: ``BENCH_XLOADER_MB`` (default 10).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datacheck import _make_csv  # noqa: E402 - after the path is set
from tests.lutsk_factories import passport  # noqa: E402 - before CKAN loads (tabulator ships a 'tests')

MB = float(os.environ.get("BENCH_XLOADER_MB", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
COLUMNS = ("id", "name", "address", "amount", "count", "date")
COPY_TABLE = "lutsk_bench_copy"


def _psql(url: str, *commands: str) -> float:
    """Run psql commands on ``url``; returns the wall time of the whole call."""
    args = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAX"]
    for command in commands:
        args += ["-c", command]
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, text=True)
    return time.perf_counter() - t0


def copy_limit(url: str, path: Path) -> float:
    """The best of ROUNDS COPYs of ``path`` into a fresh plain table of text columns."""
    columns = ", ".join(f'"{c}" text' for c in COLUMNS)
    best = float("inf")
    for _ in range(ROUNDS):
        _psql(url, f"DROP TABLE IF EXISTS {COPY_TABLE}", f"CREATE TABLE {COPY_TABLE} ({columns})")
        took = _psql(url, f"\\copy {COPY_TABLE} FROM '{path}' WITH (FORMAT csv, HEADER true)")
        best = min(best, took)
    _psql(url, f"DROP TABLE IF EXISTS {COPY_TABLE}")
    return best


def xloader_load(path: Path) -> tuple[float, float, int]:
    """xloader's load of ``path`` into the DataStore table of a new resource: seconds in all,
    seconds until the rows are viewable, rows."""
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckanext.xloader import loader

    app = make_app(load_config(str(ROOT / "test.ini")))
    with app._wsgi_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

        def ctx() -> dict:
            return {"user": site, "ignore_auth": True}

        try:
            tk.get_action("organization_show")(ctx(), {"id": "finance-budget"})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(ctx(), {"name": "finance-budget", "title": "Фінанси"})
        link = {"url": "https://lutskrada.gov.ua/opendata/bench.csv", "format": "CSV", "name": "bench"}
        pkg = tk.get_action("package_create")(
            ctx(),
            passport(name=f"bench-xloader-{int(time.time())}", owner_org="finance-budget", resources=[link]),
        )
        res_id = pkg["resources"][0]["id"]
        log = logging.getLogger("bench.xloader")
        log.setLevel(logging.INFO)
        marks = _Marks()
        log.addHandler(marks)
        t0 = time.perf_counter()
        fields = loader.load_csv(str(path), resource_id=res_id, mimetype="CSV", logger=log)
        loader.calculate_record_count(resource_id=res_id, logger=log)
        loader.create_column_indexes(fields=fields, resource_id=res_id, logger=log)
        took = time.perf_counter() - t0
        viewable = marks.report(t0, took)
        rows = tk.get_action("datastore_search")(ctx(), {"resource_id": res_id, "limit": 0})["total"]
        tk.get_action("datastore_delete")(ctx(), {"resource_id": res_id, "force": True})
        tk.get_action("package_delete")(ctx(), {"id": pkg["id"]})
        return took, viewable, rows


class _Marks(logging.Handler):
    """The times of xloader's own progress messages: where its load spends its time."""

    PHASES = (
        ("Determining column names", "read the header and sample (tabulator)"),
        ("Ensuring character coding", "re-encode to UTF-8 (tabulator, row by row)"),
        ("Copying to database", "COPY into the DataStore table"),
        ("Creating search index", "the full-text column (_full_text)"),
        ("Calculating record count", "ANALYZE"),
        ("Creating column indexes", "column indexes"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.getMessage(), time.perf_counter()))

    def report(self, t0: float, total: float) -> float:
        """Print each phase's time; returns the seconds until the rows are viewable (xloader
        sets datastore_active after ANALYZE, before it builds the column indexes)."""
        starts = []
        for prefix, label in self.PHASES:
            at = next((t for m, t in self.seen if m.startswith(prefix)), None)
            if at is not None:
                starts.append((label, at))
        ends = [t for _, t in starts[1:]] + [t0 + total]
        viewable = total
        for (label, start), end in zip(starts, ends, strict=True):
            print(f"  xloader phase: {label}: {end - start:.2f} s")
            if label == "column indexes":
                viewable = start - t0
        return viewable


def main() -> None:
    url = os.environ.get("CKAN_DATASTORE_WRITE_URL")
    if not url:
        raise SystemExit("run with bin/dev bench bench/xloader.py (it sets the bench DataStore)")
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lutsk-bench-") as tmp:
        path = Path(tmp) / "data.csv"
        size_mb = _make_csv(path, int(MB)) / 1024 / 1024
        path.chmod(0o644)
        # Same run, same file: COPY first and last, xloader between them.
        copy_before = copy_limit(url, path)
        xl_seconds, viewable, rows = xloader_load(path)
        copy_after = copy_limit(url, path)
    copy_seconds = min(copy_before, copy_after)
    xl_per_mb = xl_seconds / size_mb
    copy_per_mb = copy_seconds / size_mb
    ratio = xl_seconds / copy_seconds
    print(
        f"CSV {size_mb:.1f} MB, {rows} rows; xloader {xl_seconds:.2f} s ({xl_per_mb:.3f} s/MB); "
        f"COPY best of {2 * ROUNDS}: {copy_seconds:.2f} s ({copy_per_mb:.3f} s/MB; before "
        f"{copy_before:.2f} s, after {copy_after:.2f} s); ratio {ratio:.1f}x; cpu {os.cpu_count()}"
    )
    print(f"@@ xloader load per MB ({size_mb:.0f} MB CSV)\t(measure)\t{xl_per_mb:.3f} s/MB\tinfo")
    print(f"@@ xloader until the rows are viewable, per MB\t(measure)\t{viewable / size_mb:.3f} s/MB\tinfo")
    print(f"@@ psql COPY per MB, same CSV (the limit)\t(measure)\t{copy_per_mb:.3f} s/MB\tinfo")
    print(f"@@ xloader / COPY\t(measure)\t{ratio:.1f}x\tinfo")
    print(f"@@ xloader until viewable / COPY\t(measure)\t{viewable / copy_seconds:.1f}x\tinfo")
    print(f"(whole bench {time.perf_counter() - t_start:.0f} s)")


if __name__ == "__main__":
    main()
