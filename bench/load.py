"""Issue 17 benchmark: the portal under concurrent clients, gunicorn against ``ckan run``.

Run with ``LUTSK_TEST_SLOT=N LUTSK_BENCH_DB=ckan_bench_load bin/dev bench bench/load.py
[--clients 10] [--requests 200] [--rounds 4] [--servers ckan-run,gunicorn,gunicorn-sync]``.
bin/dev points it at a database and Solr core of its own and loads the demo data there (33
passports, 20 bodies; idempotent). The servers, all on the SAME data, each on its own port
(5060 + 10 × slot and up, or ``LUTSK_BENCH_PORT``; never the portal's 5000):

- ``ckan-run``: ``ckan run -t``, Flask's threaded development server: one process, a thread
  per connection (what ``bin/dev portal`` ran before issue 17);
- ``gunicorn``: production's web part exactly as ``bin/dev portal`` runs it (2 workers and
  bin/dev's ``GUNICORN_OPTS``, handed over in ``LUTSK_GUNICORN_OPTS``);
- ``gunicorn-sync`` (only when named): 2 sync workers, the shape measured before the change.

All servers start first and stay up (an idle one takes no CPU); each gets one concurrent
warm-up pass. Then ``--rounds`` rounds: in each, every server in turn (the order rotates
from round to round, so no server always goes first or last on a machine other work shares)
serves ``--clients`` concurrent clients making ``--requests / --rounds`` requests each,
cycling through the dataset page, search, ``/catalog.ttl`` and ``/lutsk/timeliness``. So each
server gets clients × requests requests in all.

Printed: per server the requests/s; per request the CPU time of the server's processes and
of the PostgreSQL backends on the bench database, and the time they were runnable but waiting
for a core (the kernel's schedstat: a machine short of CPU shows there); the cores the server
used and how busy the whole machine was. Per page and server p50 and p95 over all rounds with
the spread of the per-round p50s (min–max), and the ratios ``ckan run ÷ server`` (above 1:
that server is faster).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
INI = ROOT / "test.ini"
CKAN = Path(sys.executable).with_name("ckan")
GUNICORN = Path(sys.executable).with_name("gunicorn")
APP = "ckanext.lutsk.wsgi:application"
SLOT = int(os.environ.get("LUTSK_TEST_SLOT") or 0)
BASE_PORT = int(os.environ.get("LUTSK_BENCH_PORT") or 5060 + 10 * SLOT)
CORES = os.cpu_count() or 1
TICK = os.sysconf("SC_CLK_TCK")
PAGES = {
    "dataset page": "/dataset/{name}",
    "search": "/dataset/?q=бюджет",
    "catalog.ttl": "/catalog.ttl",
    "timeliness": "/lutsk/timeliness",
}


def commands(port: int) -> dict[str, list[str]]:
    production = shlex.split(os.environ.get("LUTSK_GUNICORN_OPTS", ""))
    if not production:
        raise SystemExit("LUTSK_GUNICORN_OPTS is not set: run this through bin/dev bench")
    bind = ["--bind", f"127.0.0.1:{port}"]
    return {
        "ckan-run": [str(CKAN), "-c", str(INI), "run", "-H", "127.0.0.1", "-p", str(port),
                     "--disable-reloader", "--disable-debugger", "-t"],
        "gunicorn": [str(GUNICORN), "--workers", "2", *production, *bind, APP],
        "gunicorn-sync": [str(GUNICORN), "--workers", "2", "--worker-class", "sync", "--timeout", "300",
                          *bind, APP],
    }  # fmt: skip


def sh(*args: str | Path) -> str:
    proc = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{args} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return proc.stdout


@dataclass
class Server:
    kind: str
    port: int
    proc: subprocess.Popen
    times: dict[str, list[float]] = field(default_factory=lambda: {page: [] for page in PAGES})
    round_p50: dict[str, list[float]] = field(default_factory=lambda: {page: [] for page in PAGES})
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds by role, see Sampler
    queued: dict[str, float] = field(default_factory=dict)  # seconds runnable but waiting for a core
    workers: dict[int, float] = field(default_factory=dict)  # CPU seconds by server process
    machine_busy: float = 0.0  # CPU seconds the whole machine spent busy during this server's blocks
    client_cpu: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def machine_busy() -> float:
    """CPU seconds all cores have spent busy (not idle, not waiting for I/O) since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK


class Sampler(threading.Thread):
    """The CPU account of one block, for the server's process group ("server") and for the
    PostgreSQL backends on the bench's database ("postgres").

    CPU time: each process's utime + stime (/proc/PID/stat) at the start and the end, exact:
    it includes threads that ended meanwhile (``ckan run`` starts one per connection). Time
    runnable but waiting for a core: the scheduler's per-thread account (/proc/.../schedstat),
    sampled every 0.25 s, so the part of a thread's life after its last sample is missed; it is
    scaled by exact CPU ÷ sampled CPU, i.e. a missed stretch is taken to queue as the rest did."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.db = os.environ.get("CKAN_SQLALCHEMY_URL", "").rsplit("/", 1)[-1]
        self.done = threading.Event()
        self.cpu0 = self.processes()
        self.first = self.threads()
        self.last: dict[tuple[int, int], tuple[str, int, int]] = {}

    def role(self, proc: Path) -> tuple[str, list[str]] | None:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        if int(fields[2]) == self.server.proc.pid:  # its process group (start_new_session)
            return "server", fields
        cmdline = (proc / "cmdline").read_bytes()
        if self.db and cmdline.startswith(b"postgres: ") and f" {self.db} ".encode() in cmdline:
            return "postgres", fields
        return None

    def processes(self) -> dict[int, tuple[str, float]]:
        found: dict[int, tuple[str, float]] = {}
        for proc in Path("/proc").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                if proc.name.isdigit() and (known := self.role(proc)):
                    found[int(proc.name)] = (known[0], (int(known[1][11]) + int(known[1][12])) / TICK)
        return found

    def threads(self) -> dict[tuple[int, int], tuple[str, int, int]]:
        found: dict[tuple[int, int], tuple[str, int, int]] = {}
        for proc in Path("/proc").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                if not (proc.name.isdigit() and (known := self.role(proc))):
                    continue
                for task in (proc / "task").iterdir():
                    run, wait = (task / "schedstat").read_text().split()[:2]
                    found[(int(proc.name), int(task.name))] = (known[0], int(run), int(wait))
        return found

    def run(self) -> None:
        while True:
            for key, value in self.threads().items():
                self.last[key] = value
            if self.done.wait(0.25):
                return

    def finish(self) -> None:
        self.done.set()
        self.join()
        cpu: dict[str, float] = {}
        for pid, (role, used) in self.processes().items():
            spent = used - self.cpu0.get(pid, (role, 0.0))[1]
            cpu[role] = cpu.get(role, 0.0) + spent
            if role == "server":
                self.server.workers[pid] = self.server.workers.get(pid, 0.0) + spent
        sampled_run: dict[str, float] = {}
        sampled_wait: dict[str, float] = {}
        for key, (role, run, wait) in self.last.items():
            _, run0, wait0 = self.first.get(key, (role, 0, 0))
            sampled_run[role] = sampled_run.get(role, 0.0) + (run - run0) / 1e9
            sampled_wait[role] = sampled_wait.get(role, 0.0) + (wait - wait0) / 1e9
        for role, used in cpu.items():
            self.server.cpu[role] = self.server.cpu.get(role, 0.0) + used
            scale = used / sampled_run[role] if sampled_run.get(role) else 1.0
            self.server.queued[role] = self.server.queued.get(role, 0.0) + sampled_wait.get(role, 0.0) * scale


def start(kind: str, port: int, cmd: list[str]) -> Server:
    with contextlib.suppress(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
        raise SystemExit(f"port {port} is taken by another server: stop it, or set LUTSK_BENCH_PORT")
    env = dict(os.environ, CKAN_INI=str(INI), CKAN_SITE_URL=f"http://127.0.0.1:{port}")
    log = open(ROOT / "var" / "log" / f"bench-load-{kind}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    return Server(kind, port, proc)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise SystemExit(f"{server.kind} exited during start-up: var/log/bench-load-{server.kind}.log")
        with contextlib.suppress(requests.RequestException):  # not listening yet, or still booting
            if requests.get(f"{server.base}/api/3/action/status_show", timeout=10).ok:
                return
        time.sleep(0.5)
    raise SystemExit(f"{server.kind} did not answer within 180 s")


def stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 15)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)


def load(urls: dict[str, str], clients: int, per_client: int) -> dict[str, list[float]]:
    """``clients`` threads, ``per_client`` requests each, one connection per request: what nginx
    does in front of the web part (its upstream connections are HTTP/1.0 unless told otherwise),
    and so no client stays tied to one gunicorn worker by a kept-alive connection."""
    times: dict[str, list[float]] = {page: [] for page in urls}
    errors: list[str] = []
    lock = threading.Lock()
    names = list(urls)

    def client(n: int) -> None:
        session = requests.Session()
        session.headers["Connection"] = "close"
        for i in range(per_client):
            page = names[(n + i) % len(names)]
            t0 = time.perf_counter()
            try:
                response = session.get(urls[page], timeout=300)
                status = str(response.status_code)
            except requests.RequestException as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - t0
            with lock:
                if status != "200":
                    errors.append(f"{page}: {status}")
                times[page].append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")
    return times


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def block(server: Server, urls: dict[str, str], clients: int, per_client: int) -> None:
    sampler = Sampler(server)
    sampler.start()
    busy0, client0, t0 = machine_busy(), time.process_time(), time.monotonic()
    times = load(urls, clients, per_client)
    server.wall += time.monotonic() - t0
    sampler.finish()
    server.machine_busy += machine_busy() - busy0
    server.client_cpu += time.process_time() - client0
    for page, values in times.items():
        server.times[page] += values
        server.round_p50[page].append(pct(values, 50))


def report(servers: list[Server], args: argparse.Namespace) -> None:
    n = args.clients * args.requests
    print(f"\n{args.clients} clients x {args.requests} requests per server ({args.rounds} rounds, "
          f"order rotating), {CORES} cores, load average now: {os.getloadavg()[0]:.2f}")  # fmt: skip
    print("\nper request: CPU ms on a core, and ms runnable but waiting for a core (the run queue)")
    print(f"{'server':<15}{'req/s':>7}{'server CPU':>12}{'queued':>8}{'PostgreSQL CPU':>16}{'queued':>8}"
          f"{'server cores':>14}{'machine busy':>14}{'CPU split over processes':>26}")  # fmt: skip
    for s in servers:
        per = {role: s.cpu.get(role, 0.0) / n * 1000 for role in ("server", "postgres")}
        waits = {role: s.queued.get(role, 0.0) / n * 1000 for role in ("server", "postgres")}
        total = sum(s.workers.values()) or 1.0
        split = "/".join(
            f"{v / total * 100:.0f}" for v in sorted(s.workers.values(), reverse=True) if v / total > 0.01
        )
        print(f"{s.kind:<15}{n / s.wall:>7.1f}{per['server']:>12.0f}{waits['server']:>8.0f}"
              f"{per['postgres']:>16.0f}{waits['postgres']:>8.0f}{s.cpu.get('server', 0.0) / s.wall:>14.2f}"
              f"{s.machine_busy / s.wall / CORES * 100:>13.0f}%{split + ' %':>26}")  # fmt: skip
    print(f"(server cores: CPU seconds per second of the server's processes, of {CORES}; machine busy: every "
          "core, with Solr, the bench's own clients and whatever else runs)")  # fmt: skip
    print(f"\nlatency in ms: p50 [min-max of the {args.rounds} per-round p50s] / p95")
    print(f"{'page':<14}" + "".join(f"{s.kind:>30}" for s in servers))
    for page in PAGES:
        cells = []
        for s in servers:
            lo, hi = min(s.round_p50[page]) * 1000, max(s.round_p50[page]) * 1000
            p50, p95 = pct(s.times[page], 50) * 1000, pct(s.times[page], 95) * 1000
            cells.append(f"{p50:.0f} [{lo:.0f}-{hi:.0f}] / {p95:.0f}")
        print(f"{page:<14}" + "".join(f"{c:>30}" for c in cells))
    ref = servers[0]
    for s in servers[1:]:
        print(f"\nratio {ref.kind} ÷ {s.kind} (above 1: {s.kind} is faster)")
        print(f"{'page':<14}{'p50':>7}{'p95':>7}")
        for page in PAGES:
            a, b = ref.times[page], s.times[page]
            print(f"{page:<14}{pct(a, 50) / pct(b, 50):>7.2f}{pct(a, 95) / pct(b, 95):>7.2f}")
        all_a = [t for v in ref.times.values() for t in v]
        all_b = [t for v in s.times.values() for t in v]
        r50, r95 = pct(all_a, 50) / pct(all_b, 50), pct(all_a, 95) / pct(all_b, 95)
        print(f"{'all pages':<14}{r50:>7.2f}{r95:>7.2f}   requests/s: {ref.wall / s.wall:.2f} x {ref.kind}'s")
    busy = sum(s.machine_busy for s in servers) / sum(s.wall for s in servers) / CORES * 100
    for s in servers[1:]:
        ratio = ref.wall / s.wall
        print(f"@@ {s.kind} requests/s ÷ {ref.kind}'s, {args.clients} clients\t> 1\t{ratio:.2f} "
              f"(machine {busy:.0f} % busy)\t{'OK' if ratio > 1 else 'OVER'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200, help="per client and server, cycling the pages")
    parser.add_argument("--rounds", type=int, default=4, help="blocks per server, the servers taking turns")
    parser.add_argument("--servers", default="ckan-run,gunicorn", help="the first is the ratios' reference")
    args = parser.parse_args()
    if not GUNICORN.exists() or not shutil.which(str(CKAN)):
        raise SystemExit("gunicorn or ckan missing from the venv: run bin/dev once to install them")
    kinds = args.servers.split(",")
    known = commands(BASE_PORT)
    if unknown := set(kinds) - set(known):
        raise SystemExit(f"unknown servers {sorted(unknown)}; choose from {sorted(known)}")
    if args.requests % args.rounds:
        raise SystemExit("--requests must be a multiple of --rounds")
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    sh(CKAN, "-c", INI, "lutsk", "demo", "load")
    sh(CKAN, "-c", INI, "search-index", "rebuild")
    sh(CKAN, "-c", INI, "asset", "build")  # as bin/dev supervise does before serving
    servers: list[Server] = []
    try:
        for i, kind in enumerate(kinds):
            port = BASE_PORT + i
            servers.append(start(kind, port, commands(port)[kind]))
        for server in servers:
            wait_ready(server)
            print(f"{server.kind}: {shlex.join(server.proc.args[1:])}", flush=True)  # type: ignore[index]
        first = servers[0].base
        found = requests.get(f"{first}/api/3/action/package_search?rows=1", timeout=60).json()["result"]
        name = found["results"][0]["name"]
        urls = {s.kind: {pg: s.base + path.format(name=name) for pg, path in PAGES.items()} for s in servers}
        for server in servers:  # warm-up: every worker and thread, templates, caches, the first Solr queries
            load(urls[server.kind], args.clients, len(PAGES))
        for r in range(args.rounds):
            order = servers[r % len(servers) :] + servers[: r % len(servers)]
            for server in order:
                block(server, urls[server.kind], args.clients, args.requests // args.rounds)
            print(f"round {r + 1}/{args.rounds}: " + ", ".join(s.kind for s in order), flush=True)
    finally:
        for server in servers:
            stop(server.proc)
    report(servers, args)


if __name__ == "__main__":
    main()
