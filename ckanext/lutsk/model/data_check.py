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

from ckanext.lutsk.domain import datacheck

RUNNING = "running"


class DataCheck(BaseModel):
    __tablename__ = "lutsk_data_check"

    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    package_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    status = sa.Column(sa.UnicodeText, nullable=False)
    fingerprint = sa.Column(sa.UnicodeText, nullable=False, default="")
    schema_source = sa.Column(sa.UnicodeText, nullable=True)
    issue_count = sa.Column(sa.Integer, nullable=False, default=0)
    report = sa.Column(sa.UnicodeText, nullable=False, default="{}")
    checked_at = sa.Column(sa.DateTime, nullable=False)
    seconds = sa.Column(sa.Float, nullable=True)

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


def failing() -> list[DataCheck]:
    """Every resource whose last check found issues or could not run, for the ICT report."""
    return (
        model.Session.query(DataCheck)
        .filter(DataCheck.status.in_([datacheck.INVALID, datacheck.ERROR]))
        .order_by(DataCheck.package_id, DataCheck.resource_id)
        .all()
    )


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
