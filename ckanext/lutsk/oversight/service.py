"""CKAN glue of the ICT department's oversight: reads the catalogue, the settings and
the stored history, and hands plain data to ``coverage``, ``completeness``,
``audit_plan``, ``register`` and ``history``. Used by the CLI, the pages and the
benchmark; no rule lives here.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import annex835, audit_plan, completeness, dataset_register, workdays
from ckanext.lutsk.model import catalogue, data_check, history

__all__ = [
    "build_audit_plan",
    "coverage_cells",
    "coverage_file",
    "enrich",
    "load",
    "register_rows",
    "scorer",
    "take_snapshot",
    "write_atomically",
]


def scorer() -> completeness.Scorer:
    return completeness.Scorer(
        formats=config.vocabulary("formats"),
        frequencies=config.vocabulary("frequencies"),
        languages=config.vocabulary("languages"),
        licences=frozenset(model.Package.get_license_register().keys()),
    )


def state_of(pkg: Mapping[str, Any], today: dt.date) -> str:
    """The deadline state of a dataset dict on ``today`` (the deadline report's rule)."""
    return status.evaluate(
        pkg.get,
        today,
        frequencies=config.vocabulary("frequencies"),
        calendar=config.calendar(),
        due_soon_days=config.due_soon_days(),
    ).state


def enrich(records: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    """Add ``state`` (deadline state on ``today``) and ``score`` (passport completeness)."""
    score = scorer().score
    frequencies = config.vocabulary("frequencies")
    calendar = config.calendar()
    soon = config.due_soon_days()
    data_states = data_check.stored_states(
        {r["id"]: [x["id"] for x in r.get("resources") or ()] for r in records}
    )
    for rec in records:
        rec["state"] = status.evaluate(
            rec.get, today, frequencies=frequencies, calendar=calendar, due_soon_days=soon
        ).state
        rec["data_state"] = data_states.get(rec["id"])
        rec["score"] = score(rec, data_valid=_valid(rec["data_state"]))
    return records


def _valid(data_state: str | None) -> bool | None:
    if data_state == data_check.ERRORS:
        return False
    return True if data_state == data_check.VALID else None


def data_valid(package_id: str | None) -> bool | None:
    """Whether the stored data checks of a dataset passed (None: unknown or no tabular data)."""
    if not package_id:
        return None
    return _valid(data_check.stored_states({package_id: None}).get(package_id))


def load(
    today: dt.date | None = None, *, public_only: bool = False, body: str | None = None
) -> list[dict[str, Any]]:
    """Every active dataset (or one body's) as a plain record with its state and score."""
    records = catalogue.load_records(public_only=public_only, body=body)
    return enrich(records, today or workdays.kyiv_today())


def coverage_cells(records: list[dict[str, Any]]) -> list[annex835.Cell]:
    return annex835.coverage_matrix(config.annex(), records)


def coverage_file(cells: list[annex835.Cell], fmt: str, lang: str = "uk") -> bytes:
    from ckanext.lutsk.domain import coverage_files as oversight_export

    reg = config.registry()
    return oversight_export.coverage_file(
        cells,
        fmt,
        lang,
        annex=config.annex(),
        body_title=lambda slug: reg.title_of(slug, lang),
    )


def take_snapshot(day: dt.date | None = None) -> history.SnapshotResult:
    """Record today's state of every public dataset (``ckan lutsk history snapshot``)."""
    day = day or workdays.kyiv_today()
    frequencies = config.vocabulary("frequencies")
    calendar = config.calendar()
    soon = config.due_soon_days()
    # Only the passport fields the state depends on, not whole datasets: one narrow query.
    current = [
        (
            package_id,
            body,
            status.evaluate(
                fields.get, day, frequencies=frequencies, calendar=calendar, due_soon_days=soon
            ).state,
        )
        for package_id, body, fields in catalogue.passport_fields(status.INPUT_FIELDS)
        if body
    ]
    conn = model.Session.connection()
    try:
        result = history.snapshot(conn, day, current)
    except Exception:
        model.Session.rollback()
        raise
    model.Session.commit()
    return result


def build_audit_plan(params: audit_plan.AuditParams, today: dt.date | None = None) -> audit_plan.AuditPlan:
    today = today or workdays.kyiv_today()
    records = load(today)
    start, end = audit_plan.history_window(params, today)
    conn = model.Session.connection()
    return audit_plan.build_plan(
        params,
        registry=config.registry(),
        annex=config.annex(),
        records=records,
        history=history.daily_counts(conn, start, end),
        late_days=history.late_days(conn, start, end),
        calendar=config.calendar(),
        today=today,
    )


def audit_params(
    year: Any, deadline: Any = None, start: Any = None, per_day: Any = None, today: dt.date | None = None
) -> audit_plan.AuditParams:
    return audit_plan.audit_params(
        year,
        deadline,
        start,
        per_day if per_day not in (None, "") else config.audits_per_day(),
        default_deadline=config.audit_deadline(),
        today=today or workdays.kyiv_today(),
        calendar=config.calendar(),
    )


def kind_label(lang: str):
    reg = config.registry()
    return lambda kind: reg.kind_label(kind, lang)


def audit_plan_file(plan: audit_plan.AuditPlan, fmt: str, lang: str = "uk") -> bytes:
    from ckanext.lutsk.domain import audit_files as audit_export

    render = audit_export.plan_to_xlsx if fmt == "xlsx" else audit_export.plan_to_docx
    return render(plan, lang, kind_label=kind_label(lang))


def register_rows(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    reg = config.registry()
    frequencies = config.vocabulary("frequencies")

    def publisher(slug: str | None) -> tuple[str, str]:
        body = reg.get(slug) if slug else None
        return (body.title("uk"), body.edrpou or "") if body else (slug or "", "")

    return dataset_register.register_rows(
        records,
        site_url=tk.config.get("ckan.site_url") or "",
        frequency_label=lambda value: frequencies.label(frequencies.normalize(value) or value, "uk"),
        publisher=publisher,
    )


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, so a
    reader never sees half a file and a failed run leaves the old one in place."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
