"""Issue 8 benchmark, run with ``bin/dev bench bench/ui_render.py``.

Server time to render the dataset page and the dataset form with ckanext-lutsk versus
stock CKAN with ckanext-scheming's stock schema, on the same dataset, each stack in its
own process on the bench database, measured in one run. Target ratio ≤ 1.3.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from schema_and_registry import STOCK_KEYS, fresh_database, median_get_ms, run_child, stock_ini  # noqa: E402

N = int(os.environ.get("BENCH_N", "40"))
STOCK_PLUGINS = "activity dcat harvest ckan_harvester scheming_datasets"


def measure(ini: Path, stock: bool) -> dict:
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
        data = passport(name="render-bench", owner_org="finance-budget")
        if stock:
            data = {k: data[k] for k in STOCK_KEYS}
        tk.get_action("package_create")({"user": user["name"]}, data)
    from werkzeug.test import Client

    client = Client(app)  # the whole WSGI stack, middlewares (locale, auth) included
    headers = {"Authorization": user["token"]}
    timings = {}
    for label, url in (
        ("dataset page", "/dataset/render-bench"),
        ("dataset form", "/dataset/edit/render-bench"),
    ):
        timings[label] = median_get_ms(client, url, headers, N, warmups=3)[0]
    return timings


def _child(kind: str, ini: Path) -> dict:
    return run_child(__file__, kind, ini)


def main() -> None:
    stock_config = stock_ini(f"ckan.plugins = {STOCK_PLUGINS}\n")
    fresh_database()
    lutsk = _child("lutsk", ROOT / "test.ini")
    fresh_database()
    stock = _child("stock", stock_config)
    print(f"server render time, median of {N} requests:")
    for label in lutsk:
        ratio = lutsk[label] / stock[label]
        verdict = "OK" if ratio <= 1.3 else "OVER"
        print(
            f"  {label:13}: lutsk {lutsk[label]:.1f} ms, stock {stock[label]:.1f} ms, "
            f"ratio {ratio:.2f} (target <= 1.3) {verdict}"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        import tests.lutsk_factories  # noqa: F401 - before CKAN aliases the name ``tests``

        print(json.dumps(measure(Path(sys.argv[3]), stock=sys.argv[2] == "stock")))
    else:
        main()
