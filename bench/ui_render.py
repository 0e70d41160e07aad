"""Issue 8 benchmark, run with ``bin/dev bench bench/ui_render.py``.

Server time to render the dataset page and the dataset form with ckanext-lutsk versus
stock CKAN (no lutsk plugin, ckanext-scheming's stock schema), on the same dataset, each
stack in its own process on the bench database. The sides alternate over BENCH_ROUNDS
rounds (default 3, order flipped each round); per round the median wall and CPU time of
N requests; printed: the median ratio over the rounds and its spread. Target ≤ 1.3.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from schema_and_registry import (  # noqa: E402
    STOCK_KEYS,
    alternate,
    fresh_database,
    run_child,
    spread,
    stock_ini,
)

N = int(os.environ.get("BENCH_N", "40"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
STOCK_PLUGINS = "activity dcat harvest ckan_harvester scheming_datasets"


def _get_times(client, url: str, headers: dict[str, str], runs: int, warmups: int = 3) -> tuple[float, float]:
    """Median wall and CPU ms of ``runs`` GETs (in-process: the CPU is the server's)."""
    import statistics
    import time

    for _ in range(warmups):
        assert client.get(url, headers=headers).status_code == 200, url
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        resp = client.get(url, headers=headers)
        resp.get_data()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        assert resp.status_code == 200, url
    return 1000 * statistics.median(walls), 1000 * statistics.median(cpus)


def measure(ini: Path, stock: bool, round_: int = 0) -> dict:
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.lib import search
    from ckan.tests import factories

    passport = sys.modules["tests.lutsk_factories"].passport
    app = make_app(load_config(str(ini)))
    with app._wsgi_app.test_request_context():
        search.clear_all()
        from ckanext.lutsk import config, organizations

        organizations.sync(config.registry())
        user = factories.SysadminWithToken()
        name = f"render-bench-{'stock' if stock else 'lutsk'}-{round_}"
        data = passport(name=name, owner_org="finance-budget")
        if stock:
            data = {k: data[k] for k in STOCK_KEYS}
        tk.get_action("package_create")({"user": user["name"]}, data)
    from werkzeug.test import Client

    client = Client(app)  # the whole WSGI stack, middlewares (locale, auth) included
    headers = {"Authorization": user["token"]}
    timings = {}
    for label, url in (
        ("dataset page", f"/dataset/{name}"),
        ("dataset form", f"/dataset/edit/{name}"),
    ):
        timings[label], timings[f"{label} cpu"] = _get_times(client, url, headers, N)
    return timings


def _child(kind: str, ini: Path) -> dict:
    return run_child(__file__, kind, ini)


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
    print(f"server render time, median of {N} requests a round, {ROUNDS} rounds, sides alternated:")
    for label in ("dataset page", "dataset form"):
        for kind, key in (("wall", label), ("CPU", f"{label} cpu")):
            lutsk = [r[key] for r in results["lutsk"]]
            stock = [r[key] for r in results["stock"]]
            ratio = [a / b for a, b in zip(lutsk, stock, strict=True)]
            verdict = "OK" if statistics.median(ratio) <= 1.3 else "OVER"
            print(
                f"  {label:13} {kind:4}: lutsk {statistics.median(lutsk):.1f} ms "
                f"({min(lutsk):.1f}-{max(lutsk):.1f}), stock {statistics.median(stock):.1f} ms "
                f"({min(stock):.1f}-{max(stock):.1f}), ratio {spread(ratio)} (target <= 1.3) {verdict}"
            )
            print(f"@@ {label} render lutsk/stock ({kind})\t<= 1.3\t{spread(ratio)}\t{verdict}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        import tests.lutsk_factories  # noqa: F401 - before CKAN aliases the name ``tests``

        round_ = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        print(json.dumps(measure(Path(sys.argv[3]), stock=sys.argv[2] == "stock", round_=round_)))
    else:
        main()
