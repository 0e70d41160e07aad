"""Template helpers, labels and the validator of the oversight features: passport
completeness on the dataset page, the annex-835 select field, coverage and audit
labels. Thin: the rules are in ``completeness``, ``coverage`` and ``audit_plan``."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import config
from ckanext.lutsk.domain import annex835, audit_plan, completeness
from ckanext.lutsk.lang import current as current_lang

_ = tk._


def check_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "description": _("Description"),
        "keywords": _("Keywords"),
        "title_en": _("Title in English"),
        "description_en": _("Description in English"),
        "data_links": _("Links to the data"),
        "formats": _("Formats from the portal's list"),
        "machine_readable": _("A machine-readable format"),
        "structure": _("Dataset structure"),
        "licence": _("Licence"),
        "purpose": _("Legal basis and purpose of collection"),
        "language": _("Language"),
        "contact": _("Responsible person and e-mail"),
        "frequency": _("Update frequency"),
        "date_published": _("First published"),
        "data_updated": _("Last updated on the portal"),
        "data_current_as_of": _("Data current as of"),
    }


def dimension_labels() -> dict[str, str]:
    return {
        completeness.FINDABILITY: _("Findability"),
        completeness.ACCESSIBILITY: _("Accessibility"),
        completeness.INTEROPERABILITY: _("Interoperability"),
        completeness.REUSABILITY: _("Reusability"),
        completeness.CONTEXTUALITY: _("Context"),
    }


def rating_labels() -> dict[str, str]:
    return {
        "excellent": _("Excellent"),
        "good": _("Good"),
        "sufficient": _("Sufficient"),
        "bad": _("Poor"),
    }


def status_labels() -> dict[str, str]:
    return {
        annex835.PUBLISHED: _("Published"),
        annex835.DATA_ERRORS: _("Errors in the data"),
        annex835.LATE: _("Late"),
        annex835.NOT_PUBLIC: _("Not public"),
        annex835.MISSING: _("Missing"),
        annex835.RESTRICTED: _("Restricted under martial law"),
    }


def reason_labels() -> dict[str, str]:
    return {
        audit_plan.REASON_MISSING: _("mandatory datasets missing"),
        audit_plan.REASON_LATE: _("datasets overdue now"),
        audit_plan.REASON_LATE_YEAR: _("under 80 per cent on time over the year"),
        audit_plan.REASON_INCOMPLETE: _("incomplete passports"),
        audit_plan.REASON_DRAFTS: _("unpublished drafts"),
        audit_plan.REASON_NO_DATA: _("no dataset on the portal"),
        audit_plan.REASON_ABOLISHED: _("abolished body still holds datasets"),
    }


def param_message(problem: audit_plan.ParamProblem) -> str:
    """The Ukrainian (or English) text of an audit-parameter problem."""
    texts = {
        "not_year": _("“{value}” is not a year between {min} and {max}."),
        "not_per_day": _("“{value}” is not a whole number from 1 to {max}."),
        "not_date": _("“{value}” is not a date in the form YYYY-MM-DD."),
        "bad_default": _("The configured default deadline “{value}” is not MM-DD."),
        "not_in_year": _("{date} is not in {year}."),
        "before_start": _("{date} is before the first audit day, {start}."),
        "no_working_day": _("There is no working day from {start} to {date}."),
        "too_few_days": _(
            "{bodies} bodies at {per_day} a day need {needed} working days, "
            "but {start} to {date} has only {available}."
        ),
    }
    return texts[problem.code].format(**problem.params)


def field_labels() -> dict[str, str]:
    return {
        "year": _("Year"),
        "deadline": _("Audits until"),
        "start": _("Audits from"),
        "per_day": _("Audits a day"),
    }


# --------------------------------------------------------------------------- helpers


def lutsk_annex835_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Choices of the passport field ``annex835_row``: the rows that apply to the council."""
    annex = config.annex()
    return [{"value": r.id, "label": {"uk": r.label("uk"), "en": r.label("en")}} for r in annex.applicable()]


def lutsk_annex835_row(row_id: str | None) -> dict[str, Any] | None:
    """The annex row a dataset fulfils, for display: id, title, section."""
    row = config.annex().get(row_id)
    if row is None:
        return None
    lang = current_lang()
    return {
        "id": row.id,
        "title": row.title.get(lang),
        "section": config.annex().section_label(row.section, lang),
    }


def lutsk_completeness(pkg: dict[str, Any] | None) -> dict[str, Any] | None:
    """A dataset's passport score for its editors: percent, rating, dimensions, what fails."""
    if not pkg or (pkg.get("type") or "dataset") != "dataset":
        return None
    from ckanext.lutsk.oversight import service as oversight

    score = oversight.scorer().score(pkg, data_valid=oversight.data_valid(pkg.get("id")))
    checks = check_labels()
    dims = dimension_labels()
    return {
        "percent": score.percent,
        "rating": score.rating,
        "rating_label": rating_labels()[score.rating],
        "dimensions": [
            {"key": key, "label": dims[key], "points": points, "max": most}
            for key, (points, most) in score.dimensions().items()
        ],
        "failed": [checks[k] for k in score.failed],
    }


def lutsk_can_see_quality(pkg: dict[str, Any] | None) -> bool:
    """Editors of the dataset and the ICT department see its passport score."""
    if not pkg or not tk.current_user.is_authenticated:
        return False
    for action, data in (("package_update", {"id": pkg.get("id")}), ("lutsk_reports", {})):
        try:
            tk.check_access(action, {"user": tk.current_user.name}, data)
            return True
        except tk.NotAuthorized:
            continue
    return False


def lutsk_can_see_body_quality(slug: str | None) -> bool:
    if not slug:
        return False
    try:
        tk.check_access("lutsk_deadline_report", {"user": tk.current_user.name or ""}, {"body": slug})
    except tk.NotAuthorized:
        return False
    return True


def lutsk_coverage_status_label(status: str) -> str:
    return status_labels().get(status, status)


def lutsk_audit_reason_label(reason: str) -> str:
    return reason_labels().get(reason, reason)


def lutsk_check_label(key: str) -> str:
    return check_labels().get(key, key)


def lutsk_rating_label(rating: str | None) -> str:
    return rating_labels().get(rating or "", "—")
