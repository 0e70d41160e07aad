"""Push public datasets to data.gov.ua: CKAN background jobs (RQ on Redis) that bring each
national copy in step through ckanapi.

* Every create, update, delete or privatisation of a dataset enqueues ``publish_job`` on
  the ``lutsk_publish`` queue once the transaction has committed (``note_change``), when
  ``ckanext.lutsk.datagovua.url`` and ``.token`` are set. ``ckan jobs worker
  lutsk_publish`` runs them; a Redis lock per dataset keeps several workers from pushing
  the same dataset at once.
* A push is idempotent: the fingerprint of the mapped dict (``mapping.fingerprint``) is
  stored with the link local id ↔ national id (``sync_state``); nothing changed and the
  national copy as we left it → no write. A lost answer to a create is recovered by
  adopting the copy found under the same name in the body's national organization, so
  retries never duplicate a dataset.
* Timeouts, dropped connections and 5xx answers are retried with exponential back-off
  (urllib3 ``Retry`` on the requests session); after the last retry the dataset is
  "failed" with the reason, and the next change or ``ckan lutsk publish`` tries again.
* Withdrawal: a dataset made private locally (or a draft) is made private on the
  national portal, so its national id, link and history survive re-publication; a
  dataset deleted locally is deleted there (CKAN's soft delete: the national staff can
  still restore it).
* The token goes only into the request header: every message that is logged or stored
  passes through ``redact``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import ckanapi
import ckanapi.errors
import requests
import sqlalchemy as sa
from ckan import model
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from requests.adapters import HTTPAdapter
from sqlalchemy import event
from urllib3.util.retry import Retry

from ckanext.lutsk import config as lutsk_config
from ckanext.lutsk.config import PublishSettings
from ckanext.lutsk.domain import mapping, restrictions
from ckanext.lutsk.model import sync_state

log = logging.getLogger(__name__)

QUEUE = "lutsk_publish"
USER_AGENT = "ckanext-lutsk publisher (Lutsk City Council open data portal)"
_PENDING = "lutsk_datagovua_publish"
_SEARCH_CHUNK = 100
_DETAIL_MAX = 2000

# Error kinds stored with a failed push (shown in Ukrainian by ``sync_actions``).
UNAVAILABLE = "unavailable"
REJECTED = "rejected"
UNAUTHORIZED = "unauthorized"
NO_ORGANIZATION = "no_organization"
NAME_TAKEN = "name_taken"
REMOTE_ERROR = "remote_error"
BUSY = "busy"





def configured() -> bool:
    return lutsk_config.publishing_configured()


def redact(text: Any, secret: str | None = None) -> str:
    """``text`` without the token (and cut to a size fit for storage)."""
    text = str(text)
    secret = secret if secret is not None else lutsk_config.datagovua_token()
    if secret:
        text = text.replace(secret, "***")
    return text[:_DETAIL_MAX]


class PublishError(Exception):
    """A push that did not go through; ``detail`` is already redacted."""

    def __init__(self, kind: str, detail: str = "", transient: bool = False) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.transient = transient


# --------------------------------------------------------------------------- the national portal


def _session(cfg: PublishSettings) -> requests.Session:
    retry = Retry(
        total=cfg.retries,
        connect=cfg.retries,
        read=cfg.retries,
        status=cfg.retries,
        other=cfg.retries,
        backoff_factor=cfg.backoff,
        backoff_max=120,
        status_forcelist=(500, 502, 503, 504),
        # POST too: a create whose answer was lost comes back as "name in use" and is
        # adopted, so repeating any call is safe.
        allowed_methods=None,
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class Remote:
    """The national portal's action API through ckanapi, with timeouts, retries and
    counted requests (for the CLI report and the benchmark)."""

    def __init__(self, cfg: PublishSettings) -> None:
        self.cfg = cfg
        self.api = ckanapi.RemoteCKAN(cfg.url, apikey=cfg.token, user_agent=USER_AGENT, session=_session(cfg))
        self.reads = 0
        self.writes = 0

    def __repr__(self) -> str:
        return f"Remote({self.cfg.url!r})"

    def call(self, action: str, data: dict[str, Any], write: bool = False) -> Any:
        if write:
            self.writes += 1
        else:
            self.reads += 1
        try:
            return self.api.call_action(
                action, data, requests_kwargs={"timeout": (self.cfg.connect_timeout, self.cfg.timeout)}
            )
        except (ckanapi.ValidationError, ckanapi.NotFound):
            raise
        except ckanapi.NotAuthorized as e:
            raise PublishError(UNAUTHORIZED, self._detail(e)) from None
        except requests.RequestException as e:
            raise PublishError(UNAVAILABLE, self._detail(e), transient=True) from None
        except (ckanapi.errors.CKANAPIError, ckanapi.errors.ServerIncompatibleError) as e:
            raise PublishError(REMOTE_ERROR, self._detail(e), transient=True) from None
        except ValueError as e:  # a body that is not JSON
            raise PublishError(REMOTE_ERROR, self._detail(e), transient=True) from None

    def _detail(self, error: Exception) -> str:
        return redact(f"{type(error).__name__}: {error}", self.cfg.token)

    def show(self, id_or_name: str) -> dict[str, Any] | None:
        try:
            return self.call("package_show", {"id": id_or_name})
        except ckanapi.NotFound:
            return None

    def states(self, remote_ids: list[str]) -> dict[str, dict[str, Any]]:
        """id → {metadata_modified, capacity, state} of national copies, one search per
        hundred datasets (purged ones are absent)."""
        found: dict[str, dict[str, Any]] = {}
        for i in range(0, len(remote_ids), _SEARCH_CHUNK):
            chunk = remote_ids[i : i + _SEARCH_CHUNK]
            result = self.call(
                "package_search",
                {
                    "fq": "id:(" + " OR ".join(f'"{i}"' for i in chunk) + ")",
                    "fl": "id,metadata_modified,capacity,state",
                    "rows": len(chunk),
                    "include_private": True,
                    "include_deleted": True,
                },
            )
            found.update({r["id"]: r for r in result["results"]})
        return found


def _rejection(error: ckanapi.ValidationError) -> str:
    errors = {k: v for k, v in (getattr(error, "error_dict", None) or {}).items() if k != "__type"}
    return json.dumps(errors, ensure_ascii=False, sort_keys=True)


# --------------------------------------------------------------------------- one dataset


@dataclass
class Outcome:
    package_id: str
    action: str  # created | updated | unchanged | withdrawn | deleted | skipped | failed | would_*
    state: str
    error_kind: str | None = None
    error_detail: str | None = None


@contextlib.contextmanager
def dataset_lock(package_id: str, cfg: PublishSettings) -> Iterator[None]:
    """The Redis lock of one dataset: one push at a time, whichever worker runs it."""
    name = f"ckanext-lutsk:{tk.config['ckan.site_id']}:datagovua-publish:{package_id}"
    lock = connect_to_redis().lock(name, timeout=cfg.lock_timeout, blocking_timeout=cfg.lock_timeout)
    if not lock.acquire():
        raise PublishError(BUSY, package_id, transient=True)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # expired meanwhile: another worker may hold it now
            lock.release()


def _site_user() -> str:
    # The site user's name is the site id: fixed for the process, looked up once.
    global _SITE_USER
    if _SITE_USER is None:
        _SITE_USER = str(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
        return _SITE_USER
    return _SITE_USER


_SITE_USER: str | None = None


def _local(package_id: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("package_show")(
            {"user": _site_user(), "ignore_auth": True, "for_view": False}, {"id": package_id}
        )
    except tk.ObjectNotFound:
        return None


def _parse(stamp: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(stamp) if stamp else None


def publish_dataset(
    package_id: str,
    *,
    remote: Remote | None = None,
    dry_run: bool = False,
    force: bool = False,
    checked: dict[str, dict[str, Any]] | None = None,
) -> Outcome:
    """Bring the national copy of one dataset in step (under its lock).

    ``checked``: national states from ``Remote.states`` for a batch (``publish_many``);
    without it an unchanged dataset costs one ``package_show`` to verify the copy.
    ``force`` pushes even when nothing seems to have changed ("publish now").
    """
    cfg = PublishSettings.from_config()
    if cfg is None:
        raise PublishError(REMOTE_ERROR, "ckanext.lutsk.datagovua.url/token are not set")
    remote = remote or Remote(cfg)
    try:
        with dataset_lock(package_id, cfg):
            return _publish(package_id, remote, dry_run=dry_run, force=force, checked=checked)
    except PublishError as e:
        if dry_run:
            return Outcome(package_id, "failed", sync_state.FAILED, e.kind, e.detail)
        model.Session.rollback()
        row = sync_state.get(package_id)
        sync_state.save(
            package_id,
            state=sync_state.FAILED,
            error_kind=e.kind,
            error_detail=e.detail,
            last_attempt=sync_state.utcnow(),
            attempts=(row.attempts if row is not None else 0) + 1,
        )
        log.warning("data.gov.ua: dataset %s not published (%s): %s", package_id, e.kind, e.detail)
        if e.transient:
            raise
        return Outcome(package_id, "failed", sync_state.FAILED, e.kind, e.detail)


def _publish(
    package_id: str,
    remote: Remote,
    *,
    dry_run: bool,
    force: bool,
    checked: dict[str, dict[str, Any]] | None,
) -> Outcome:
    pkg = _local(package_id)
    row = sync_state.get(package_id)
    remote_id = row.remote_id if row is not None else None
    linked = bool(remote_id)
    if pkg is not None and pkg.get("type", "dataset") != "dataset":
        return Outcome(package_id, "skipped", sync_state.NOT_PUBLISHED)
    if pkg is None or pkg.get("state") == "deleted":
        return _withdraw(package_id, row, remote, delete=True, dry_run=dry_run)
    # Restricted under martial law: not public nationally either (a copy is made private).
    if pkg.get("private") or pkg.get("state") != "active" or restrictions.of_dataset(pkg) is not None:
        return _withdraw(package_id, row, remote, delete=False, dry_run=dry_run, pkg=pkg)

    owner = lutsk_config.national_org((pkg.get("organization") or {}).get("name", ""))
    desired = mapping.to_remote(pkg, owner_org=owner, resource_ids=row.resource_map() if row else None)
    fingerprint = mapping.fingerprint(desired)
    local_modified = _parse(pkg.get("metadata_modified"))

    in_step = row is not None and row.state == sync_state.IN_STEP and row.fingerprint == fingerprint
    if row is not None and remote_id and in_step and not force:
        there = checked.get(remote_id) if checked is not None else None
        if not _as_left(there, row):
            # Not in the batch, or the search index lags behind the national database.
            there = remote.show(remote_id)
        if _as_left(there, row):
            if row.local_modified != local_modified and not dry_run:
                sync_state.save(package_id, local_modified=local_modified)
            return Outcome(package_id, "unchanged", sync_state.IN_STEP)
        # Changed, made private or deleted on the national portal: ours is the master copy.

    if dry_run:
        return Outcome(package_id, "would_update" if linked else "would_create", sync_state.STALE)

    action = "updated"
    result = None
    if remote_id:
        try:
            result = _update(remote, remote_id, desired)
        except ckanapi.NotFound:  # purged there: make it again
            result = None
    if result is None:
        result, action = _create(remote, package_id, desired)
    sync_state.save(
        package_id,
        remote_id=result["id"],
        remote_name=result["name"],
        remote_org=owner,
        remote_url=f"{remote.cfg.url}/dataset/{result['name']}",
        remote_modified=result.get("metadata_modified"),
        state=sync_state.IN_STEP,
        fingerprint=fingerprint,
        resource_ids=mapping.resource_id_map(pkg, result),
        local_modified=local_modified,
        last_pushed=sync_state.utcnow(),
        last_attempt=sync_state.utcnow(),
        attempts=0,
        error_kind=None,
        error_detail=None,
        behind_since=None,
    )
    log.info("data.gov.ua: dataset %s %s as %s", pkg["name"], action, result["id"])
    return Outcome(package_id, action, sync_state.IN_STEP)


def _as_left(there: dict[str, Any] | None, row: sync_state.SyncRow) -> bool:
    """The national copy is public, active and unmodified since our last push."""
    return bool(
        there
        and there.get("state", "active") == "active"
        and not there.get("private")
        and there.get("capacity", "public") == "public"
        and mapping.stamp(there.get("metadata_modified")) == mapping.stamp(row.remote_modified)
    )


def _checked_call(remote: Remote, action: str, data: dict[str, Any], owner: str) -> Any:
    try:
        return remote.call(action, data, write=True)
    except ckanapi.ValidationError as e:
        errors = getattr(e, "error_dict", None) or {}
        if "owner_org" in errors:
            raise PublishError(NO_ORGANIZATION, owner) from None
        raise PublishError(REJECTED, redact(_rejection(e), remote.cfg.token)) from None


def _update(remote: Remote, remote_id: str, desired: dict[str, Any]) -> dict[str, Any]:
    # ``state`` brings back a copy deleted on the national portal.
    return _checked_call(
        remote, "package_update", {**desired, "id": remote_id, "state": "active"}, desired["owner_org"]
    )


def _create(remote: Remote, package_id: str, desired: dict[str, Any]) -> tuple[dict[str, Any], str]:
    try:
        return remote.call("package_create", desired, write=True), "created"
    except ckanapi.ValidationError as e:
        errors = getattr(e, "error_dict", None) or {}
        rejection = redact(_rejection(e), remote.cfg.token)
        if "name" not in errors:
            if "owner_org" in errors:
                raise PublishError(NO_ORGANIZATION, desired["owner_org"]) from None
            raise PublishError(REJECTED, rejection) from None
    # The name is in use: our own copy whose create answer was lost (or made by the
    # national portal's harvester from our API), or somebody else's dataset.
    existing = remote.show(desired["name"])
    if existing is None:
        raise PublishError(REJECTED, rejection)
    other = sync_state.by_remote_id(existing["id"])
    org = (existing.get("organization") or {}).get("name")
    if org != desired["owner_org"] or (other is not None and other.package_id != package_id):
        raise PublishError(NAME_TAKEN, f"{desired['name']} ({org or '-'})")
    return _update(remote, existing["id"], desired), "adopted"


def _withdraw(
    package_id: str,
    row: sync_state.SyncRow | None,
    remote: Remote,
    *,
    delete: bool,
    dry_run: bool,
    pkg: dict[str, Any] | None = None,
) -> Outcome:
    target = sync_state.DELETED if delete else sync_state.PRIVATE
    if row is None or not row.remote_id:
        return Outcome(package_id, "skipped", sync_state.NOT_PUBLISHED)
    if row.state in (target, sync_state.DELETED):
        return Outcome(package_id, "unchanged", row.state)
    if dry_run:
        return Outcome(package_id, "would_delete" if delete else "would_withdraw", sync_state.STALE)
    if not delete and pkg is None:
        raise TypeError("making the national copy private needs the local dataset dict")
    try:
        if delete:
            remote.call("package_delete", {"id": row.remote_id}, write=True)
            result = {}
        elif pkg is not None:
            # A whole update, not a patch: data.gov.ua's schema wants ``tag_string`` in every
            # write, and its package_show carries only ``tags``.
            owner = lutsk_config.national_org((pkg.get("organization") or {}).get("name", ""))
            desired = mapping.to_remote(pkg, owner_org=owner, resource_ids=row.resource_map())
            data = {**desired, "id": row.remote_id, "private": True}
            result = remote.call("package_update", data, write=True)
    except ckanapi.NotFound:
        target, result = sync_state.DELETED, {}
    except ckanapi.ValidationError as e:
        raise PublishError(REJECTED, redact(_rejection(e), remote.cfg.token)) from None
    now = sync_state.utcnow()
    sync_state.save(
        package_id,
        state=target,
        remote_modified=result.get("metadata_modified", row.remote_modified),
        local_modified=_parse(pkg.get("metadata_modified")) if pkg else now,
        last_pushed=now,
        last_attempt=now,
        attempts=0,
        error_kind=None,
        error_detail=None,
        behind_since=None,
    )
    return Outcome(package_id, "deleted" if target == sync_state.DELETED else "withdrawn", target)


# --------------------------------------------------------------------------- background jobs


def job_id(package_id: str) -> str:
    return f"lutsk-datagovua-publish-{package_id}"


def publish_job(package_id: str, force: bool = False) -> str:
    """The RQ job: push one dataset; a transient failure fails the job (after the
    request retries) with a message that never carries the token."""
    try:
        return publish_dataset(package_id, force=force).action
    except PublishError as e:
        # RQ stores the exception and its traceback in Redis: a plain, redacted one.
        raise RuntimeError(f"data.gov.ua: {e.kind}: {redact(e.detail)}") from None


def enqueue(package_id: str, force: bool = False) -> Any:
    """Queue a push of ``package_id`` unless one is already waiting (it will read the
    dataset when it runs, so one waiting job covers every change before it)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    jid = job_id(package_id)
    with contextlib.suppress(NoSuchJobError):
        waiting = Job.fetch(jid, connection=connect_to_redis())
        if waiting.get_status(refresh=False) in (JobStatus.QUEUED, JobStatus.DEFERRED) and not force:
            return waiting
    return tk.enqueue_job(
        publish_job,
        [package_id],
        {"force": force} if force else None,
        title=f"data.gov.ua {package_id}",
        queue=QUEUE,
        rq_kwargs={"job_id": jid},
    )


def note_change(pkg_dict: dict[str, Any]) -> None:
    """From IPackageController: remember a dataset to push once the change commits."""
    if pkg_dict.get("type", "dataset") != "dataset" or not pkg_dict.get("id") or not configured():
        return
    # A private dataset matters only when a national copy exists (to withdraw it).
    public = not pkg_dict.get("private") and pkg_dict.get("state", "active") == "active"
    if public or sync_state.exists(pkg_dict["id"]):
        sync_state.note_local_change(pkg_dict["id"])
        model.Session().info.setdefault(_PENDING, set()).add(pkg_dict["id"])


def _after_commit(session) -> None:
    for package_id in sorted(session.info.pop(_PENDING, ())):
        try:
            enqueue(package_id)
        except Exception as e:  # Redis down must not fail the user's save; `publish --all` catches up
            log.error("data.gov.ua: could not queue dataset %s: %s", package_id, redact(e))


def _after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: the change is gone
        session.info.pop(_PENDING, None)


def register_session_events() -> None:
    """Enqueue only after commit: a worker must read the saved dataset, and a rolled
    back change must not be pushed."""
    if not event.contains(model.Session, "after_commit", _after_commit):
        event.listen(model.Session, "after_commit", _after_commit)
        event.listen(model.Session, "after_soft_rollback", _after_rollback)


def queued_jobs() -> list[Any]:
    return jobs.get_queue(QUEUE).jobs


# --------------------------------------------------------------------------- many datasets


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    reads: int = 0
    writes: int = 0

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.action] = counts.get(o.action, 0) + 1
        return dict(sorted(counts.items()))


def select(*, all_: bool = False, body: str | None = None, dataset: str | None = None) -> list[str]:
    """Ids of the datasets to publish: one dataset, one body's, or every dataset that is
    public or has a national copy (private and deleted ones, to withdraw them)."""
    if dataset:
        pkg = model.Package.get(dataset)
        if pkg is None:
            raise tk.ObjectNotFound(tk._("Dataset “{name}” not found.").format(name=dataset))
        return [pkg.id]
    q = model.Session.query(model.Package.id).filter(model.Package.type == "dataset")
    if body:
        org = model.Group.get(body)
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(tk._("Organization “{name}” not found.").format(name=body))
        q = q.filter(model.Package.owner_org == org.id)
    elif not all_:
        return []
    linked = model.Session.query(sync_state.SyncRow.package_id)
    q = q.filter(
        sa.or_(
            sa.and_(model.Package.state == "active", model.Package.private.is_(False)),
            model.Package.id.in_(linked.scalar_subquery()),
        )
    )
    return [pid for (pid,) in q.order_by(model.Package.name).all()]


#: Failures that pass by themselves; the others need a person (a fixed passport, token or
#: organization), and a change of the dataset queues it again.
TRANSIENT_KINDS = (UNAVAILABLE, REMOTE_ERROR, BUSY)


def retry_delay(attempts: int, first: dt.timedelta, longest: dt.timedelta) -> dt.timedelta:
    """The wait after the ``attempts``-th failure in a row: first, then doubling, capped."""
    return min(first * 2 ** max(attempts - 1, 0), longest)


def retry_due(now: dt.datetime | None = None) -> list[str]:
    """Ids of the datasets whose last push failed for a passing reason and whose back-off
    has run out, the longest waiting first (``ckan lutsk publish --retry``)."""
    now = now or sync_state.utcnow()
    first, longest = lutsk_config.retry_window()
    rows = (
        model.Session.query(sync_state.SyncRow)
        .filter(sync_state.SyncRow.state == sync_state.FAILED)
        .filter(sync_state.SyncRow.error_kind.in_(TRANSIENT_KINDS))
        .order_by(sync_state.SyncRow.last_attempt)
    )
    return [
        r.package_id
        for r in rows
        if r.last_attempt is None or r.last_attempt + retry_delay(r.attempts, first, longest) <= now
    ]


def _untouched(rows: dict[str, sync_state.SyncRow]) -> set[str]:
    """Datasets in step whose local copy has not changed since the push (same
    ``metadata_modified``, public, same national organization): one query for all."""
    candidates = {pid: r for pid, r in rows.items() if r.state == sync_state.IN_STEP and r.remote_id}
    if not candidates:
        return set()
    query = (
        model.Session.query(model.Package.id, model.Package.metadata_modified, model.Group.name)
        .join(model.Group, model.Group.id == model.Package.owner_org)
        .filter(model.Package.id.in_(list(candidates)))
        .filter(model.Package.state == "active", model.Package.private.is_(False))
    )
    return {
        pid
        for pid, modified, org in query
        if modified == candidates[pid].local_modified
        and lutsk_config.national_org(org) == candidates[pid].remote_org
    }


def publish_many(
    package_ids: Iterable[str],
    *,
    dry_run: bool = False,
    progress: Callable[[Outcome], None] | None = None,
    remote: Remote | None = None,
) -> Report:
    """Publish many datasets in one process (the CLI): the national copies of datasets
    that seem unchanged are checked with one search per hundred, not one read each."""
    cfg = PublishSettings.from_config()
    if cfg is None:
        raise PublishError(REMOTE_ERROR, "ckanext.lutsk.datagovua.url/token are not set")
    remote = remote or Remote(cfg)
    ids = list(package_ids)
    report = Report()
    rows = sync_state.get_many(ids)
    linked = [r.remote_id for r in rows.values() if r.remote_id and r.state == sync_state.IN_STEP]
    try:
        checked = remote.states(linked) if linked else {}
    except PublishError:
        checked = None  # verify one by one; each failure is then recorded per dataset
    quiet = _untouched(rows) if checked is not None else set()
    for package_id in ids:
        row = rows.get(package_id)
        there = checked.get(row.remote_id or "") if checked is not None and row is not None else None
        if row is not None and package_id in quiet and _as_left(there, row):
            # Nothing changed on either side since the last push: no read, no lock, no write.
            outcome = Outcome(package_id, "unchanged", sync_state.IN_STEP)
            report.outcomes.append(outcome)
            if progress:
                progress(outcome)
            continue
        try:
            outcome = publish_dataset(package_id, remote=remote, dry_run=dry_run, checked=checked)
        except PublishError as e:  # transient, already recorded
            outcome = Outcome(package_id, "failed", sync_state.FAILED, e.kind, e.detail)
        report.outcomes.append(outcome)
        if progress:
            progress(outcome)
    report.reads, report.writes = remote.reads, remote.writes
    return report
