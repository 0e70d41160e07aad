"""The data check as a background job: one job per dataset on the queue ``lutsk_datacheck``
(run by ``ckan jobs worker lutsk_datacheck``), queued after a save commits, never during it.

The job checks every tabular resource whose *fingerprint* changed since its last check: the
file (url, upload, size, last_modified, hash, format) and the structure it is checked
against (the dataset's structure resource, else the recommended structure of its annex
row). So a new file, a changed file and a changed structure all lead to a new check, and a
save that changes neither costs nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import time
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.types import Context
from sqlalchemy import event

from ckanext.lutsk import config
from ckanext.lutsk.datacheck import fetch as fetch_mod
from ckanext.lutsk.domain import datacheck
from ckanext.lutsk.model import data_check

log = logging.getLogger(__name__)

QUEUE = "lutsk_datacheck"
_PENDING = "lutsk_datacheck_pending"
#: A check still "running" after this long was killed with its worker: check again.
STALE_RUNNING = dt.timedelta(minutes=30)
#: RQ kills a job that runs longer (a 50 MB file takes well under a minute, see bench/).
JOB_TIMEOUT = 900
#: A declared structure (Table Schema JSON) larger than this is not read.
_STRUCTURE_MAX_BYTES = 1024 * 1024

# Per-dataset states (index field STATE_FIELD, the facet and the badge).
STATE_FIELD = "lutsk_data_state"
RECOMMENDED = "recommended"
VALID = "valid"
ERRORS = "errors"
PENDING = "pending"
STATES = (RECOMMENDED, VALID, ERRORS, PENDING)


def _is_true(value: Any) -> bool:
    return value is True or str(value).strip().lower() == "true"


def _active(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in pkg.get("resources") or () if r.get("state", "active") == "active"]


def data_resources(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The tabular resources that hold data (not the structure)."""
    return [
        r for r in _active(pkg) if not _is_true(r.get("structure")) and datacheck.is_tabular(r.get("format"))
    ]


def structure_resource(pkg: dict[str, Any]) -> dict[str, Any] | None:
    return next((r for r in _active(pkg) if _is_true(r.get("structure"))), None)


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:32]


def structure_fingerprint(pkg: dict[str, Any]) -> str:
    declared = structure_resource(pkg)
    if declared:
        return "declared:" + _digest(
            declared.get("id"),
            declared.get("url"),
            declared.get("last_modified"),
            declared.get("size"),
            declared.get("hash"),
        )
    recommended = config.structures().get(pkg.get("annex835_row") or "")
    if recommended:
        return "recommended:" + _digest(recommended.row, json.dumps(recommended.schema, sort_keys=True))
    return "none"


def fingerprint(resource: dict[str, Any], structure_fp: str) -> str:
    return _digest(
        resource.get("url"),
        resource.get("url_type"),
        resource.get("last_modified"),
        resource.get("size"),
        resource.get("hash"),
        (resource.get("format") or "").upper(),
        structure_fp,
    )


def _stale(row: data_check.DataCheck | None, fp: str) -> bool:
    if row is None or row.fingerprint != fp:
        return True
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017
    return row.status == data_check.RUNNING and now - row.checked_at > STALE_RUNNING


def to_check(pkg: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The resources whose last check does not match what they are now."""
    structure_fp = structure_fingerprint(pkg)
    rows = data_check.for_package(pkg["id"])
    out = []
    for res in data_resources(pkg):
        fp = fingerprint(res, structure_fp)
        if _stale(rows.get(res["id"]), fp):
            out.append((res, fp))
    return out


# --------------------------------------------------------------------------- the schema


def schema_for(pkg: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(Table Schema, "declared"|"recommended", a problem with the declared structure)."""
    declared = structure_resource(pkg)
    problem = None
    if declared:
        schema, problem = _read_declared(declared)
        if schema:
            return schema, "declared", None
    recommended = config.structures().get(pkg.get("annex835_row") or "")
    if recommended:
        return recommended.table_schema(), "recommended", problem
    return None, None, problem


def _read_declared(resource: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """A structure resource that is a Table Schema (JSON with ``fields``) is used; a
    document that describes the structure in words (PDF, DOCX) is not machine-checkable."""
    if (resource.get("format") or "").upper() != "JSON":
        return None, None
    try:
        fetched = fetch_mod.fetch(
            resource, _STRUCTURE_MAX_BYTES, allow_private=config.datacheck_allow_private_urls()
        )
    except fetch_mod.FetchError as e:
        return None, e.code
    try:
        with open(fetched.path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None, "structure-not-table-schema"
    finally:
        fetched.cleanup()
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and f.get("name") for f in fields):
        return None, "structure-not-table-schema"
    return {"fields": fields}, None


# --------------------------------------------------------------------------- the job


def check_package(package_id: str) -> dict[str, str]:
    """The RQ job: check what changed in one dataset; returns {resource id: status}."""
    context: Context = {"ignore_auth": True}
    try:
        pkg = tk.get_action("package_show")(context, {"id": package_id})
    except tk.ObjectNotFound:
        return {}
    # Reports of resources that are gone or no longer tabular.
    current = {r["id"] for r in data_resources(pkg)}
    data_check.forget(rid for rid in data_check.for_package(package_id) if rid not in current)
    pending = to_check(pkg)
    results: dict[str, str] = {}
    if pending:
        schema, source, problem = schema_for(pkg)
        for res, fp in pending:
            results[res["id"]] = check_resource(pkg, res, fp, schema, source, problem)
    _reindex(package_id)
    return results


def check_resource(
    pkg: dict[str, Any],
    res: dict[str, Any],
    fp: str,
    schema: dict[str, Any] | None,
    source: str | None,
    structure_problem: str | None = None,
) -> str:
    data_check.mark_running(res["id"], pkg["id"], fp)
    started = time.monotonic()
    try:
        report = _check(res, schema, source)
    except Exception as e:  # never leave a resource "running": the report says the check failed
        log.exception("data check of resource %s failed", res["id"])
        report = datacheck.failure(datacheck.CHECK_FAILED, type(e).__name__)
    if structure_problem and report.status != datacheck.ERROR:
        report.add(datacheck.Issue("structure-unreadable", note=structure_problem))
    seconds = round(time.monotonic() - started, 3)
    if _changed_since(pkg, res, fp):
        # A new file (or structure) arrived while we read the old one: this report is about a
        # version nobody sees any more. Say so, and check the new one.
        report = datacheck.failure(datacheck.CHANGED_DURING_CHECK)
        data_check.save(res["id"], pkg["id"], "", report, seconds)
        enqueue(pkg["id"], force=True)
        return report.status
    data_check.save(res["id"], pkg["id"], fp, report, seconds)
    return report.status


def _check(res: dict[str, Any], schema: dict[str, Any] | None, source: str | None) -> datacheck.Report:
    max_bytes = config.datacheck_max_bytes()
    try:
        fetched = fetch_mod.fetch(res, max_bytes, allow_private=config.datacheck_allow_private_urls())
    except fetch_mod.FetchError as e:
        return datacheck.failure(e.code, e.note)
    try:
        return datacheck.check_file(fetched.path, res.get("format") or "CSV", schema, source)
    finally:
        fetched.cleanup()


def _changed_since(pkg: dict[str, Any], res: dict[str, Any], fp: str) -> bool:
    model.Session.expire_all()
    try:
        now = tk.get_action("package_show")({"ignore_auth": True}, {"id": pkg["id"]})
    except tk.ObjectNotFound:
        return False
    same = next((r for r in data_resources(now) if r["id"] == res["id"]), None)
    if same is None:
        return False
    if fingerprint(same, structure_fingerprint(now)) != fp:
        return True
    if res.get("url_type") == "upload":
        # The stored file replaced under the same metadata (a re-upload mid-check).
        with contextlib.suppress(OSError):
            return os.path.getsize(fetch_mod.upload_path(same)) != int(same.get("size") or -1) and bool(
                same.get("size")
            )
    return False


def _reindex(package_id: str) -> None:
    from ckan.lib import search

    try:
        search.rebuild(package_id)
    except Exception:  # the next save re-indexes; the report itself is stored
        log.exception("data check: could not re-index %s", package_id)


# --------------------------------------------------------------------------- queueing


def job_id(package_id: str) -> str:
    return f"lutsk-datacheck-{package_id}"


def enqueue(package_id: str, force: bool = False) -> Any:
    """Queue a check of ``package_id`` unless one is already waiting (it reads the dataset
    when it runs, so one waiting job covers every change before it)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    jid = job_id(package_id)
    with contextlib.suppress(NoSuchJobError):
        waiting = Job.fetch(jid, connection=connect_to_redis())
        status = waiting.get_status(refresh=False)
        if status in (JobStatus.QUEUED, JobStatus.DEFERRED):
            return waiting
        if status == JobStatus.STARTED and force:
            # A job cannot queue itself under its own id: a second id for the re-check.
            jid = f"{jid}-again"
    return tk.enqueue_job(
        check_package,
        [package_id],
        title=f"data check {package_id}",
        queue=QUEUE,
        rq_kwargs={"job_id": jid, "timeout": JOB_TIMEOUT},
    )


def queued_jobs() -> list[Any]:
    return jobs.get_queue(QUEUE).jobs


def note_change(pkg_dict: dict[str, Any]) -> None:
    """From IPackageController: remember a dataset to check once the change commits (only
    one with tabular data, or with reports to drop). Decided here, inside the transaction:
    after the commit the session may not read."""
    if pkg_dict.get("type", "dataset") != "dataset" or not pkg_dict.get("id"):
        return
    resources = pkg_dict.get("resources")
    relevant = (
        resources is None
        or any(datacheck.is_tabular(r.get("format")) for r in resources if isinstance(r, dict))
        or bool(data_check.for_package(pkg_dict["id"]))
    )
    if relevant:
        model.Session().info.setdefault(_PENDING, set()).add(pkg_dict["id"])


def _after_commit(session) -> None:
    for package_id in sorted(session.info.pop(_PENDING, ())):
        try:
            enqueue(package_id)
        except Exception as e:  # Redis down must not fail the user's save; the next save queues it
            log.error("data check: could not queue dataset %s: %s", package_id, e)


def _after_rollback(session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def register_session_events() -> None:
    if not event.contains(model.Session, "after_commit", _after_commit):
        event.listen(model.Session, "after_commit", _after_commit)
        event.listen(model.Session, "after_soft_rollback", _after_rollback)


# --------------------------------------------------------------------------- per dataset


def dataset_state(pkg: dict[str, Any], rows: dict[str, data_check.DataCheck] | None = None) -> str | None:
    """The dataset's state for the facet and the badge, or None (no tabular data)."""
    resources = data_resources(pkg)
    if not resources or not pkg.get("id"):
        return None
    rows = data_check.for_package(pkg["id"]) if rows is None else rows
    structure_fp = structure_fingerprint(pkg)
    statuses, sources = [], []
    for res in resources:
        row = rows.get(res["id"])
        if (
            row is None
            or row.status == data_check.RUNNING
            or row.fingerprint != fingerprint(res, structure_fp)
        ):
            statuses.append(PENDING)
            continue
        statuses.append(row.status)
        sources.append(row.schema_source)
    if any(s in (datacheck.INVALID, datacheck.ERROR) for s in statuses):
        return ERRORS
    if PENDING in statuses:
        return PENDING
    return RECOMMENDED if all(s == "recommended" for s in sources) else VALID


def summary(package_ids: list[str] | None = None) -> datacheck.Summary:
    """The counts of the current checks over the tabular resources of ``package_ids`` (every
    active dataset when None): valid, invalid, could not be checked, not checked yet, and how
    many belong to an annex row with a recommended structure."""
    if package_ids is None:
        package_ids = [
            pid for (pid,) in model.Session.query(model.Package.id).filter(model.Package.state == "active")
        ]
    out = datacheck.Summary()
    structures = config.structures()
    for package_id in package_ids:
        try:
            pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
        except tk.ObjectNotFound:
            continue
        if pkg.get("type", "dataset") != "dataset":
            continue
        rows = data_check.for_package(pkg["id"])
        structure_fp = structure_fingerprint(pkg)
        has_recommended = (pkg.get("annex835_row") or "") in structures
        for res in data_resources(pkg):
            row = rows.get(res["id"])
            current = (
                row is not None
                and row.status != data_check.RUNNING
                and row.fingerprint == fingerprint(res, structure_fp)
            )
            if row is None or not current:
                out.add(None, has_recommended)
            else:
                out.add(row.status, has_recommended, row.schema_source)
    return out


def index_fields(pkg: dict[str, Any]) -> dict[str, Any]:
    # Reads the report table inside the save's own transaction (no savepoint: a rolled back
    # savepoint would also drop what the save queued after commit). The table comes with
    # `ckan db upgrade -p lutsk`, as every table of the extension.
    state = dataset_state(pkg)
    return {STATE_FIELD: state} if state else {}
