"""Stored oversight computations: what must look at every dataset is computed here by a
background job (``refresh_job``, queued when a dataset changes) or by the nightly cron
(``ckan lutsk oversight refresh``), kept in ``lutsk_computed`` and served from there, so
no page or export reads the whole catalogue to answer one request.

Keys:

* ``coverage``: the datasets linked to an annex-835 row (brief records): the matrix is
  drawn from them at once (a few hundred cells).
* ``facts``: per body, what the audit plan needs (``audit_plan.BodyFacts``).
* ``quality:<body>``: the body's datasets with their passport completeness, worst first.
* ``register.csv.gz`` / ``register.xlsx``: the public register, as files streamed to the
  reader in slices. The CSV is kept gzip-compressed (a tenth of its size): a client that
  accepts gzip gets those bytes as they are, any other the text inflated on the way; the
  36 MB of plain text at 100,000 datasets would cost the database more to hand out
  than the request is allowed to take.

A change of a dataset (``note_change``, from IPackageController) marks the keys it
touches as changed in the same transaction and, once committed, queues one refresh.
Pages show when the value was computed and that a newer one is on the way.
The refresh reads the catalogue in four streamed queries, one body at a time
(``catalogue.records_by_body``), so its memory stays that of the largest body, not of
the whole catalogue; the register waits in per-body files on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import heapq
import io
import json
import logging
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from ckanext.lutsk import config
from ckanext.lutsk.domain import annex835, audit_plan, completeness, dataset_register, workdays
from ckanext.lutsk.model import catalogue, computed, history
from ckanext.lutsk.oversight import service

log = logging.getLogger(__name__)

__all__ = [
    "COVERAGE",
    "FACTS",
    "REGISTER",
    "Stored",
    "audit_plan_of",
    "body_quality",
    "coverage_cells",
    "current_audit_plan",
    "enqueue",
    "note_change",
    "refresh",
    "refresh_job",
    "register_meta",
    "register_stream",
]

COVERAGE = "coverage"
FACTS = "facts"
REGISTER = {"csv": "register.csv.gz", "xlsx": "register.xlsx"}
#: Stored files kept gzip-compressed (``register_stream(..., inflate=True)`` gives the text).
GZIPPED = frozenset({"csv"})
#: Keys of earlier versions, removed by the next refresh.
_RETIRED = ("register.csv",)
JOB_ID = "lutsk-oversight-refresh"
_PENDING = "lutsk_oversight_refresh"


def quality_key(body: str) -> str:
    return f"quality:{body}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)  # noqa: UP017


@dataclass(frozen=True)
class Stored:
    """A stored value with when it was computed and whether a change waits for it."""

    value: Any
    computed_at: dt.datetime
    stale: bool


# --------------------------------------------------------------------------- computing


def _brief(rec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": rec["name"],
        "title": rec.get("title") or "",
        "private": bool(rec.get("private")),
        "state": rec.get("state"),
        "body": rec.get("body"),
        "annex835_row": rec.get("annex835_row"),
    }


def _quality_row(rec: Mapping[str, Any]) -> dict[str, Any]:
    score: completeness.Score = rec["score"]
    return {
        "name": rec["name"],
        "title": rec.get("title") or "",
        "private": bool(rec.get("private")),
        "passed": list(score.passed),
        "failed": list(score.failed),
    }


def _score_json(score: completeness.BodyScore) -> dict[str, Any]:
    return {"datasets": score.datasets, "percent": score.percent, "pass_rates": dict(score.pass_rates)}


def refresh(today: dt.date | None = None, *, plan_only: bool = False) -> dict[str, int]:
    """Compute and store every key, reading the catalogue body by body. Returns the
    number of datasets seen per kind (for the CLI).

    ``plan_only``: only what the audit plan reads (``FACTS``, ``COVERAGE``); the register
    files and the bodies' quality lists (half the work at 100,000 datasets) keep their time
    and stay stale for the background job."""
    today = today or workdays.kyiv_today()
    started = _now()
    conn = model.Session.connection()
    linked: list[dict[str, Any]] = []
    facts: dict[str, dict[str, Any]] = {}
    register = _RegisterRuns()
    seen = 0
    bodies: list[str] = []
    for body, loaded in catalogue.records_by_body(conn):
        bodies.append(body)
        records = service.enrich(loaded, today)
        seen += len(records)
        linked.extend(_brief(r) for r in records if r.get("annex835_row"))
        for slug, f in audit_plan.body_facts(records).items():
            facts[slug] = f.to_json()
        if plan_only:
            continue
        rows = sorted(records, key=lambda r: (r["score"].percent, r["name"]))
        score = completeness.body_score(r["score"] for r in records)
        payload = {"score": _score_json(score), "records": [_quality_row(r) for r in rows]}
        computed.put(conn, quality_key(body), _json(payload), started)
        register.add(service.register_rows(records))
        del records, rows, loaded
    computed.put(conn, COVERAGE, _json(linked), started)
    computed.put(conn, FACTS, _json(facts), started)
    if plan_only:
        model.Session.commit()
        return {"datasets": seen, "bodies": len(bodies), "public": 0, "linked": len(linked)}
    # Bodies with no dataset left: an empty page, not an old one.
    for (key,) in conn.execute(
        sa.select(computed.COMPUTED.c.key).where(computed.COMPUTED.c.key.like("quality:%"))
    ):
        if key.split(":", 1)[1] not in bodies:
            computed.put(
                conn, key, _json({"score": _score_json(completeness.body_score(())), "records": []}), started
            )
    with register:
        computed.put(conn, REGISTER["csv"], _gzipped_csv(register.merged()), started)
        # Write-only XLSX of the merged rows: neither the rows nor the sheet are ever whole.
        computed.put(conn, REGISTER["xlsx"], dataset_register.to_xlsx(register.merged(), lang="uk"), started)
    conn.execute(sa.delete(computed.COMPUTED).where(computed.COMPUTED.c.key.in_(_RETIRED)))
    model.Session.commit()
    # The past year of the plan drawn up now (next year's), so its first reader waits for nothing.
    _history_facts(today - dt.timedelta(days=364), today)
    return {"datasets": seen, "bodies": len(bodies), "public": register.count, "linked": len(linked)}


class _RegisterRuns:
    """The register's rows, one body at a time, kept in temporary files (one sorted run
    per body, JSON lines) and read back merged in identifier order: the refresh never
    holds the register of the whole catalogue (a hundred thousand rows) in memory."""

    def __init__(self) -> None:
        self.runs: list[IO[bytes]] = []
        self.count = 0

    def add(self, rows: Iterable[Mapping[str, str]]) -> None:
        run = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)
        for row in sorted(rows, key=lambda r: r["identifier"]):
            values = [row.get(c, "") for c in dataset_register.COLUMNS]
            run.write(json.dumps(values, ensure_ascii=False).encode() + b"\n")
            self.count += 1
        self.runs.append(run)

    def merged(self) -> Iterator[dict[str, str]]:
        def rows(run: IO[bytes]) -> Iterator[dict[str, str]]:
            run.seek(0)
            for line in run:
                yield dict(zip(dataset_register.COLUMNS, json.loads(line), strict=True))

        return heapq.merge(*(rows(run) for run in self.runs), key=lambda r: r["identifier"])

    def __enter__(self) -> _RegisterRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        for run in self.runs:
            run.close()
        self.runs = []


def _gzipped_csv(rows: Iterable[dict[str, str]]) -> bytes:
    """The register as CSV, compressed as it is written (the text is never whole in memory)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as gz:
        dataset_register.write_csv(rows, gz)
    return out.getvalue()


def refresh_job() -> dict[str, int]:
    """The background job: one refresh of every stored computation."""
    try:
        return refresh()
    except Exception:
        model.Session.rollback()
        raise


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------- invalidating


def note_change(pkg_dict: Mapping[str, Any]) -> None:
    """From IPackageController: a dataset changed. Its body's values (and the whole-portal
    ones) are marked changed in the same transaction; one refresh is queued after commit."""
    if pkg_dict.get("type", "dataset") != "dataset":
        return
    keys = [COVERAGE, FACTS, *REGISTER.values()]
    body = _body_name(pkg_dict)
    if body:
        keys.append(quality_key(body))
    session = model.Session()
    computed.mark_changed(session.connection(), keys, _now())
    session.info[_PENDING] = True


def _body_name(pkg_dict: Mapping[str, Any]) -> str | None:
    org = pkg_dict.get("organization")
    if isinstance(org, Mapping) and org.get("name"):
        return str(org["name"])
    owner = pkg_dict.get("owner_org")
    if owner:
        group = model.Group.get(owner)
        return group.name if group else None
    return None


def enqueue() -> Any:
    """Queue one refresh unless one is already waiting (it reads the catalogue when it
    runs, so one waiting job covers every change before it)."""
    from ckan.lib.redis import connect_to_redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    with contextlib.suppress(NoSuchJobError):
        waiting = Job.fetch(JOB_ID, connection=connect_to_redis())
        if waiting.get_status(refresh=False) in (JobStatus.QUEUED, JobStatus.DEFERRED):
            return waiting
    return tk.enqueue_job(refresh_job, title="lutsk oversight refresh", rq_kwargs={"job_id": JOB_ID})


def _after_commit(session) -> None:
    if session.info.pop(_PENDING, None):
        try:
            enqueue()
        except Exception as e:  # Redis down must not fail the user's save; the nightly cron catches up
            log.error("oversight: could not queue a refresh: %s", e)


def _after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def register_session_events() -> None:
    if not event.contains(model.Session, "after_commit", _after_commit):
        event.listen(model.Session, "after_commit", _after_commit)
        event.listen(model.Session, "after_soft_rollback", _after_rollback)


# --------------------------------------------------------------------------- reading


def _load(key: str) -> Stored | None:
    got = computed.get(model.Session.connection(), key)
    if got is None:
        return None
    meta, payload = got
    return Stored(json.loads(payload), meta.computed_at, meta.stale)


def coverage_cells() -> Stored | None:
    """The coverage matrix from the stored linked datasets (None: not computed yet)."""
    stored = _load(COVERAGE)
    if stored is None:
        return None
    return Stored(annex835.coverage_matrix(config.annex(), stored.value), stored.computed_at, stored.stale)


@dataclass(frozen=True)
class Quality:
    records: Sequence[dict[str, Any]]
    body_score: completeness.BodyScore


def body_quality(body: str) -> Stored | None:
    """A body's datasets (worst first; plain dicts, see ``with_scores``) and its score."""
    stored = _load(quality_key(body))
    if stored is None:
        return None
    score = stored.value["score"]
    body_score = completeness.BodyScore(score["datasets"], score["percent"], score["pass_rates"])
    return Stored(Quality(stored.value["records"], body_score), stored.computed_at, stored.stale)


def with_scores(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of a page with their ``completeness.Score`` (only those shown)."""
    return [{**r, "score": completeness.Score(tuple(r["passed"]), tuple(r["failed"]))} for r in records]


def audit_plan_of(params: audit_plan.AuditParams, today: dt.date | None = None) -> Stored | None:
    """The plan from the stored facts and coverage, the history and the names of the
    few datasets it lists (None: not computed yet). Raises ``AuditParamError``."""
    today = today or workdays.kyiv_today()
    facts = _load(FACTS)
    cells = coverage_cells()
    if facts is None or cells is None:
        return None
    start, end = audit_plan.history_window(params, today)
    plan = audit_plan.plan_from_facts(
        params,
        registry=config.registry(),
        facts={slug: audit_plan.BodyFacts.from_json(f) for slug, f in facts.value.items()},
        cells=cells.value,
        past=_history_facts(start, end),
        calendar=config.calendar(),
        today=today,
    )
    return Stored(
        plan,
        min(facts.computed_at, cells.computed_at),
        facts.stale or cells.stale,
    )


def current_audit_plan(params: audit_plan.AuditParams) -> Stored | None:
    """The plan from stored figures brought up to date first (the CLI's plan): a change since
    the last refresh recomputes only what the plan reads (``refresh(plan_only=True)``);
    nothing stored yet, everything. None: the figures could not be computed."""
    result = audit_plan_of(params)
    if result is None:
        refresh()
    elif result.stale:
        refresh(plan_only=True)
    else:
        return result
    return audit_plan_of(params)


def _history_facts(start: dt.date, end: dt.date) -> audit_plan.HistoryFacts:
    """The past year's facts for the window, stored under the window and the last snapshot
    day (a new snapshot makes a new key): the year of history is read once a day, not per
    request."""
    conn = model.Session.connection()
    span = history.bounds(conn)
    last = span[1].isoformat() if span else "-"
    key = f"history:{start.isoformat()}:{end.isoformat()}:{last}"
    got = computed.get(conn, key)
    if got is not None:
        return audit_plan.HistoryFacts.from_json(json.loads(got[1]))
    past = audit_plan.history_facts(
        history.daily_counts(conn, start, end), history.late_days(conn, start, end), _names
    )
    try:
        with model.Session.begin_nested():
            conn.execute(
                # Windows of an earlier snapshot day are out of date.
                sa.delete(computed.COMPUTED).where(
                    computed.COMPUTED.c.key.like("history:%"), ~computed.COMPUTED.c.key.like(f"%:{last}")
                )
            )
            computed.put(conn, key, _json(past.to_json()), _now())
        model.Session.commit()
    except SQLAlchemyError as e:  # two first readers at once: the other one stored it
        log.warning("oversight: history facts not stored: %s", e)
    return past


def _names(ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    ids = list(ids)
    if not ids:
        return {}
    rows = model.Session.connection().execute(
        sa.text(
            """SELECT p.id, p.name, p.title, g.name AS body FROM package p
               LEFT JOIN "group" g ON g.id = p.owner_org
               WHERE p.id = ANY(:ids) AND p.state = 'active'"""
        ),
        {"ids": ids},
    )
    return {r.id: (r.name, r.title or "", r.body or "") for r in rows}


def register_meta(fmt: str) -> computed.Meta | None:
    """The stored register file's facts; ``size`` is that of the stored bytes (for the
    CSV: compressed, see ``register_size``)."""
    return computed.meta(model.Session.connection(), REGISTER[fmt])


def register_size(fmt: str, meta: computed.Meta) -> int:
    """The size of the register file as the reader gets it without compression: for the
    gzip-compressed CSV, its trailer's ISIZE (the text's length modulo 2**32)."""
    if fmt not in GZIPPED:
        return meta.size
    conn = model.Session.connection()
    tail = b"".join(computed.stream(conn, REGISTER[fmt], meta.size, start=meta.size - 4))
    return int.from_bytes(tail[-4:], "little") if len(tail) >= 4 else 0


def register_stream(fmt: str, *, inflate: bool = False) -> Iterator[bytes]:
    """The stored register file in slices, read in one snapshot on a connection of its
    own (a refresh committing meanwhile cannot mix two versions in one download).
    ``inflate``: a gzip-compressed file (``GZIPPED``) as its plain text."""
    engine = model.meta.engine
    if engine is None:
        raise RuntimeError("the database engine is not set up")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            meta = computed.meta(conn, REGISTER[fmt])
            if meta is None:
                return
            pieces = computed.stream(conn, REGISTER[fmt], meta.size)
            if not (inflate and fmt in GZIPPED):
                yield from pieces
                return
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the gzip wrapper
            for piece in pieces:
                # A slice of compressed text inflates to ~10 MB: handed out 1 MB at a time.
                data = piece
                while data:
                    text = inflater.decompress(data, computed.CHUNK)
                    if text:
                        yield text
                    data = inflater.unconsumed_tail
            rest = inflater.flush()
            if rest:
                yield rest
