"""The last data check of each tabular resource (table ``lutsk_data_check``, created by the
lutsk plugin's alembic migration): status, what was checked (fingerprint) and the report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model.base import BaseModel
from sqlalchemy.orm import Mapped

from ckanext.lutsk.domain import datacheck
from ckanext.lutsk.model.columns import column

RUNNING = "running"


class DataCheck(BaseModel):
    __tablename__ = "lutsk_data_check"

    resource_id: Mapped[str] = column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = column(sa.UnicodeText, nullable=False, index=True)
    status: Mapped[str] = column(sa.UnicodeText, nullable=False)
    fingerprint: Mapped[str] = column(sa.UnicodeText, nullable=False, default="")
    schema_source: Mapped[str | None] = column(sa.UnicodeText, nullable=True)
    issue_count: Mapped[int] = column(sa.Integer, nullable=False, default=0)
    report: Mapped[str] = column(sa.UnicodeText, nullable=False, default="{}")
    checked_at: Mapped[dt.datetime] = column(sa.DateTime, nullable=False)
    seconds: Mapped[float | None] = column(sa.Float, nullable=True)

    def as_report(self) -> datacheck.Report:
        return datacheck.Report.from_dict(json.loads(self.report or "{}") or {"status": self.status})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017


def get(resource_id: str) -> DataCheck | None:
    return model.Session.get(DataCheck, resource_id)


def for_package(package_id: str) -> dict[str, DataCheck]:
    rows = model.Session.query(DataCheck).filter(DataCheck.package_id == package_id).all()
    return {r.resource_id: r for r in rows}


def for_packages(package_ids: Iterable[str]) -> dict[str, list[DataCheck]]:
    ids = list(package_ids)
    out: dict[str, list[DataCheck]] = {i: [] for i in ids}
    if not ids:
        return out
    for r in model.Session.query(DataCheck).filter(DataCheck.package_id.in_(ids)).all():
        out[r.package_id].append(r)
    return out


ERRORS = "errors"
VALID = "valid"


def stored_states(resources_by_package: dict[str, list[str] | None]) -> dict[str, str]:
    """Per dataset: "errors" when a last check of one of its resources (those listed, or all
    when None) found errors or could not run, "valid" when every check passed; datasets with
    no finished check are left out. One query."""
    out: dict[str, str] = {}
    if not resources_by_package:
        return out
    rows = (
        model.Session.query(DataCheck.package_id, DataCheck.resource_id, DataCheck.status)
        .filter(DataCheck.package_id.in_(list(resources_by_package)))
        .all()
    )
    for package_id, resource_id, status in rows:
        wanted = resources_by_package.get(package_id)
        if (wanted is not None and resource_id not in wanted) or status == RUNNING:
            continue
        if status in (datacheck.INVALID, datacheck.ERROR):
            out[package_id] = ERRORS
        else:
            out.setdefault(package_id, VALID)
    return out


def failing() -> list[DataCheck]:
    """Every resource whose last check found issues or could not run, for the ICT report."""
    return (
        model.Session.query(DataCheck)
        .filter(DataCheck.status.in_([datacheck.INVALID, datacheck.ERROR]))
        .order_by(DataCheck.package_id, DataCheck.resource_id)
        .all()
    )


def failing_resources() -> list[dict[str, Any]]:
    """The failing resources of active datasets with what a mail needs (dataset, its
    maintainer's address, its organization), as plain dicts."""
    out = []
    for row in failing():
        pkg = model.Package.get(row.package_id)
        res = model.Resource.get(row.resource_id)
        if pkg is None or res is None or pkg.state != "active" or res.state != "active":
            continue
        org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        out.append(
            {
                "dataset": pkg.name,
                "title": pkg.title or pkg.name,
                "maintainer_email": pkg.maintainer_email or "",
                "body": org.name if org is not None else "",
                "resource_id": res.id,
                "resource": res.name or res.id,
                "issue_count": row.issue_count,
            }
        )
    return out


def save(
    resource_id: str,
    package_id: str,
    fingerprint: str,
    report: datacheck.Report,
    seconds: float | None = None,
) -> None:
    row = get(resource_id) or DataCheck(resource_id=resource_id)
    row.package_id = package_id
    row.status = report.status
    row.fingerprint = fingerprint
    row.schema_source = report.schema_source
    row.issue_count = report.issue_count
    row.report = json.dumps(report.to_dict(), ensure_ascii=False)
    row.checked_at = _now()
    row.seconds = seconds
    model.Session.add(row)
    model.Session.commit()


def mark_running(resource_id: str, package_id: str, fingerprint: str) -> None:
    row = get(resource_id) or DataCheck(resource_id=resource_id, report="{}", issue_count=0)
    row.package_id = package_id
    row.status = RUNNING
    row.fingerprint = fingerprint
    row.checked_at = _now()
    model.Session.add(row)
    model.Session.commit()


def forget(resource_ids: Iterable[str]) -> None:
    ids = list(resource_ids)
    if ids:
        model.Session.query(DataCheck).filter(DataCheck.resource_id.in_(ids)).delete(
            synchronize_session=False
        )
        model.Session.commit()


def as_dict(row: DataCheck) -> dict[str, Any]:
    return {
        "resource_id": row.resource_id,
        "package_id": row.package_id,
        "status": row.status,
        "schema_source": row.schema_source,
        "issue_count": row.issue_count,
        "checked_at": row.checked_at.isoformat() if row.checked_at else None,
        "report": json.loads(row.report or "{}"),
    }
