"""Sync state with data.gov.ua, one row per local dataset (table ``lutsk_datagovua_sync``,
created by the lutsk plugin's alembic migration).

The row is the stable link local id ↔ national id and what the last push left: the
fingerprint of the pushed dict, the national copy's ``metadata_modified``, the error of
the last failed attempt. The state shown to people is computed from the row and the
dataset (``display_state``), so a local edit makes the national copy "stale" at once,
before any job has run.

Hooks for other features: ``is_national_copy_stale(pkg_id)``, ``national_status(pkg_id)``
and ``behind()`` (the deadline report counts a copy behind for over three working days as late).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model.base import BaseModel
from sqlalchemy.orm import Mapped

from ckanext.lutsk.domain.workdays import iso
from ckanext.lutsk.model.columns import column

# Stored states (what the last attempt achieved).
IN_STEP = "in_step"
PRIVATE = "private"  # the national copy is private (the local dataset is private)
DELETED = "deleted"  # the national copy is deleted (the local dataset is deleted)
FAILED = "failed"
MISSING = "missing"  # the national copy disappeared (deleted there) or was never made
# Computed only.
STALE = "stale"  # local changes not pushed yet
NOT_PUBLISHED = "not_published"  # private locally and never pushed: nothing to do

BEHIND_STATES = (STALE, MISSING, FAILED)


class SyncRow(BaseModel):
    __tablename__ = "lutsk_datagovua_sync"

    package_id: Mapped[str] = column(sa.UnicodeText, primary_key=True)
    remote_id: Mapped[str | None] = column(sa.UnicodeText, unique=True)
    remote_name: Mapped[str | None] = column(sa.UnicodeText)
    remote_org: Mapped[str | None] = column(sa.UnicodeText)
    remote_url: Mapped[str | None] = column(sa.UnicodeText)
    remote_modified: Mapped[str | None] = column(sa.UnicodeText)
    state: Mapped[str] = column(sa.UnicodeText, nullable=False, default=MISSING)
    fingerprint: Mapped[str | None] = column(sa.UnicodeText)
    resource_ids: Mapped[str | None] = column(sa.UnicodeText)
    local_modified: Mapped[dt.datetime | None] = column(sa.DateTime)
    last_pushed: Mapped[dt.datetime | None] = column(sa.DateTime)
    last_attempt: Mapped[dt.datetime | None] = column(sa.DateTime)
    attempts: Mapped[int] = column(sa.Integer, nullable=False, default=0)
    error_kind: Mapped[str | None] = column(sa.UnicodeText)
    error_detail: Mapped[str | None] = column(sa.UnicodeText)
    #: The first local change not pushed yet (set when a change is noted, cleared by a
    #: push): later edits must not move the national copy's deadline forward.
    behind_since: Mapped[dt.datetime | None] = column(sa.DateTime)

    def resource_map(self) -> dict[str, str]:
        return json.loads(self.resource_ids) if self.resource_ids else {}

    def as_dict(self) -> dict[str, Any]:
        return {
            "package_id": self.package_id,
            "remote_id": self.remote_id,
            "remote_name": self.remote_name,
            "remote_org": self.remote_org,
            "remote_url": self.remote_url,
            "remote_modified": self.remote_modified,
            "state": self.state,
            "last_pushed": iso(self.last_pushed),
            "last_attempt": iso(self.last_attempt),
            "local_modified": iso(self.local_modified),
            "attempts": self.attempts,
            "error_kind": self.error_kind,
            "error_detail": self.error_detail,
            "behind_since": iso(self.behind_since),
        }



def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017 - CKAN stores naive UTC


# --------------------------------------------------------------------------- rows


def get(package_id: str) -> SyncRow | None:
    return model.Session.get(SyncRow, package_id)


def get_many(package_ids: Iterable[str]) -> dict[str, SyncRow]:
    ids = list(package_ids)
    if not ids:
        return {}
    rows = model.Session.query(SyncRow).filter(SyncRow.package_id.in_(ids)).all()
    return {r.package_id: r for r in rows}


def by_remote_id(remote_id: str) -> SyncRow | None:
    return model.Session.query(SyncRow).filter(SyncRow.remote_id == remote_id).one_or_none()


def exists(package_id: str) -> bool:
    return (
        model.Session.query(SyncRow.package_id).filter(SyncRow.package_id == package_id).first() is not None
    )


def save(package_id: str, **fields: Any) -> SyncRow:
    """Create or update the row of ``package_id`` and commit."""
    row = get(package_id)
    if row is None:
        row = SyncRow(package_id=package_id, attempts=0, state=MISSING)
        model.Session.add(row)
    if "resource_ids" in fields and not isinstance(fields["resource_ids"], str | None):
        fields["resource_ids"] = json.dumps(fields["resource_ids"], sort_keys=True)
    for key, value in fields.items():
        setattr(row, key, value)
    model.Session.commit()
    return row


# --------------------------------------------------------------------------- states


def display_state(row: SyncRow | None, *, public: bool, active: bool, modified: dt.datetime | None) -> str:
    """The state people see for a dataset (public, active, last modified locally)."""
    if not active or not public:
        # The national copy should be withdrawn: deleted, or private like ours.
        if row is None or not row.remote_id:
            return NOT_PUBLISHED
        withdrawn = PRIVATE if active else DELETED
        if row.state in (withdrawn, DELETED, FAILED):
            return row.state
        return STALE
    if row is None or not row.remote_id:
        return FAILED if row is not None and row.state == FAILED else MISSING
    if row.state != IN_STEP:
        return row.state  # failed, missing, or private/deleted there while public here
    if modified and row.local_modified and modified > row.local_modified:
        return STALE
    return IN_STEP


def is_behind(state: str, *, public: bool, active: bool) -> bool:
    """Whether a display state means the national copy lags behind the local dataset."""
    if state in BEHIND_STATES:
        return True
    return state in (PRIVATE, DELETED) and public and active


@dataclass(frozen=True)
class NationalStatus:
    package_id: str
    state: str
    #: Since when the national copy is behind (the first local change not pushed); None
    #: when in step or when there is nothing to publish.
    behind_since: dt.datetime | None
    row: dict[str, Any] | None
    behind: bool


def _status(
    package_id: str,
    row: SyncRow | None,
    *,
    public: bool,
    active: bool,
    created: dt.datetime | None,
    modified: dt.datetime | None,
) -> NationalStatus:
    state = display_state(row, public=public, active=active, modified=modified)
    behind_now = is_behind(state, public=public, active=active)
    since = None
    if behind_now:
        # Never pushed: behind since it was made. Otherwise since the first change after the
        # push; the last one if none was noted (a change made while publishing was off).
        pushed = row is not None and row.local_modified is not None
        since = (row.behind_since or modified) if row is not None and pushed else created
    return NationalStatus(package_id, state, since, row.as_dict() if row is not None else None, behind_now)


def _package_status(pkg: model.Package, row: SyncRow | None) -> NationalStatus:
    return _status(
        pkg.id,
        row,
        public=not pkg.private,
        active=pkg.state == "active",
        created=pkg.metadata_created,
        modified=pkg.metadata_modified,
    )


def national_status(package_id: str) -> NationalStatus | None:
    """The national copy's state for one dataset (None for an unknown dataset)."""
    pkg = model.Package.get(package_id)
    if pkg is None:
        return None
    return _package_status(pkg, get(pkg.id))


def is_national_copy_stale(package_id: str) -> bool:
    """True when the national copy of a dataset is behind the local one (stale, missing
    or failed); a private or deleted dataset whose copy is already withdrawn is not."""
    status = national_status(package_id)
    return bool(status and status.behind)


def behind(org_ids: Iterable[str] | None = None, limit: int | None = None) -> list[NationalStatus]:
    """Every active public dataset whose national copy is behind, oldest change first
    (the ICT overview and the deadline report: one query, package columns only)."""
    pkg = model.Package
    q = (
        model.Session.query(pkg.id, pkg.metadata_created, pkg.metadata_modified, SyncRow)
        .outerjoin(SyncRow, SyncRow.package_id == pkg.id)
        .filter(pkg.type == "dataset", pkg.state == "active")
        .filter(pkg.private.is_(False))
        .filter(
            sa.or_(
                SyncRow.package_id.is_(None),
                SyncRow.remote_id.is_(None),
                SyncRow.state != IN_STEP,
                pkg.metadata_modified > SyncRow.local_modified,
            )
        )
    )
    if org_ids is not None:
        q = q.filter(pkg.owner_org.in_(list(org_ids)))
    statuses = [
        _status(pid, row, public=True, active=True, created=created, modified=modified)
        for pid, created, modified, row in q
    ]
    statuses = [s for s in statuses if s.behind]
    statuses.sort(key=lambda s: s.behind_since or dt.datetime.min)
    return statuses[:limit] if limit else statuses


def note_local_change(package_id: str) -> None:
    """Remember when the national copy fell behind: the first unpushed change. In the
    caller's transaction, so it commits (or rolls back) with the change itself."""
    model.Session.execute(
        sa.update(SyncRow)
        .where(SyncRow.package_id == package_id, SyncRow.behind_since.is_(None))
        .values(behind_since=utcnow())
    )
