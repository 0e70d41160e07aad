"""Template helpers (``h.lutsk_*``)."""

from __future__ import annotations

import functools
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import config, passport_pdf
from ckanext.lutsk.domain import passport, vocabularies
from ckanext.lutsk.lang import current as current_lang


def lutsk_lang() -> str:
    """The short language code the registry and vocabularies use (``uk`` or ``en``)."""
    return current_lang()


@tk.chained_helper
def scheming_language_text(next_helper, text: Any, prefer_lang: str | None = None) -> str:
    """Schema labels are keyed ``uk``/``en``; CKAN's locale is ``uk_UA``."""
    if prefer_lang is None and isinstance(text, dict):
        prefer_lang = lutsk_lang()
    return next_helper(text, prefer_lang)


@tk.chained_helper
def scheming_choices_label(next_helper, choices: list[dict[str, Any]], value: Any) -> str:
    """The label of a choice in the user's language: scheming looks it up with its own
    language helper, which knows ``uk_UA`` but not the ``uk`` keys of the schema (it showed
    «No» on Ukrainian pages)."""
    for choice in choices:
        if choice["value"] == value:
            return tk.h.scheming_language_text(choice.get("label", value))
    return next_helper(choices, value)


def lutsk_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Choices of a schema field from the vocabulary its ``vocabulary`` key names."""
    vocab = config.vocabulary(field["vocabulary"])
    only = field.get("vocabulary_filter")
    return [{"value": t.value, "label": t.label.as_dict()} for t in vocab if not only or t.extra.get(only)]


def lutsk_body(org_name: str | None) -> dict[str, Any] | None:
    """The registry entry of an organization, as a plain dict (``None`` if it is not a body)."""
    body = config.registry().get(org_name) if org_name else None
    return body_dict(body) if body else None


def body_dict(body) -> dict[str, Any]:
    return {
        "slug": body.slug,
        "title": body.name.as_dict(),
        "short_title": body.short_name.as_dict() if body.short_name else body.name.as_dict(),
        "kind": body.kind,
        "edrpou": body.edrpou,
        "email": body.email,
        "active": body.active,
    }


def lutsk_passport_rows(pkg_dict: dict[str, Any]) -> list[passport.Row]:
    """The passport of a dataset in the order of resolution 835, in the user's language."""
    lang = lutsk_lang()
    schema = tk.h.scheming_get_dataset_schema(pkg_dict.get("type") or "dataset")
    body = pkg_dict.get("owner_body") or lutsk_body((pkg_dict.get("organization") or {}).get("name"))
    try:
        activity = (
            # Absolute: the passport also leaves the portal as CSV, JSON and PDF.
            tk.h.url_for("activity.package_activity", id=pkg_dict["name"], qualified=True)
            if pkg_dict.get("name")
            else ""
        )
    except Exception:
        activity = ""
    return passport.passport_rows(
        pkg_dict,
        schema,
        lang,
        lambda vocab, value: config.vocabulary(vocab).label(value, lang),
        body=body,
        activity_url=activity,
        license_title=lambda lid: lutsk_license_title(lid, pkg_dict.get("license_title", "")),
    )


@functools.cache
def _licence_titles() -> dict[str, dict[str, str]]:
    return {lic["id"]: lic.get("title_translated") or {} for lic in vocabularies.load_licenses()}


def lutsk_license_title(license_id: str | None, fallback: str = "") -> str:
    """A licence title in the user's language (CKAN shows file licences untranslated)."""
    titles = _licence_titles().get(license_id or "", {})
    return titles.get(lutsk_lang()) or titles.get("uk") or fallback or (license_id or "")


#: The portal's languages, default first (ckan.locales_offered order).
LANGUAGES = (("uk_UA", "Українська", "uk"), ("en", "English", "en"))


def lutsk_language_links() -> list[dict[str, Any]]:
    """Links to the current page in each language (CKAN prefixes non-default locales)."""
    from ckan.common import request

    default = tk.config.get("ckan.locale_default")
    path = request.path
    current = tk.h.lang()
    for locale, _label, _code in LANGUAGES:
        prefix = f"/{locale}"
        if locale != default and (path == prefix or path.startswith(prefix + "/")):
            path = path[len(prefix) :] or "/"
    query = request.query_string.decode() if request.query_string else ""
    links = []
    for locale, label, code in LANGUAGES:
        url = path if locale == default else f"/{locale}{path}"
        links.append(
            {
                "locale": locale,
                "label": label,
                "lang": code,
                "url": url + (f"?{query}" if query else ""),
                "current": current == locale,
            }
        )
    return links


def lutsk_staff_links() -> list[dict[str, Any]]:
    """The ICT department's pages the current user may open (by each page's own auth
    function), for the site navigation: ``url``, ``title``, ``active``."""
    pages = (
        ("lutsk_deadlines.overview", "lutsk_deadline_report", tk._("Update deadlines")),
        ("lutsk_oversight.coverage_page", "lutsk_reports", tk._("Mandatory datasets under resolution 835")),
        ("lutsk_oversight.audit_plan_page", "lutsk_reports", tk._("Information audit plan")),
        ("lutsk_datagovua.behind", "lutsk_reports", tk._("National copies behind")),
        ("lutsk_datacheck.failing", "lutsk_reports", tk._("Data errors")),
    )
    blueprint, view = tk.get_endpoint()  # (None, None) on a page no route matched (404)
    current = f"{blueprint}.{view}" if blueprint else ""
    allowed: dict[str, bool] = {}
    links = []
    for endpoint, auth, title in pages:
        if auth not in allowed:
            allowed[auth] = tk.h.check_access(auth)
        if allowed[auth]:
            links.append({"url": tk.h.url_for(endpoint), "title": title, "active": endpoint == current})
    return links


def lutsk_passport_pdf_available() -> bool:
    """Whether the passport can be offered as PDF (fpdf2 and the fonts are there)."""
    return passport_pdf.available()


# Helpers of the other parts, found here by tk.blanket (``h.lutsk_*``).
from ckanext.lutsk.helpers.datacheck import (  # noqa: E402
    lutsk_data_check,
    lutsk_data_state,
    lutsk_data_state_label,
    lutsk_data_status_label,
    lutsk_recommended_structure,
)
from ckanext.lutsk.helpers.datagovua import (  # noqa: E402
    lutsk_can_publish_now,
    lutsk_sync_state_label,
    lutsk_sync_status,
)
from ckanext.lutsk.helpers.dates import render_datetime  # noqa: E402
from ckanext.lutsk.helpers.deadlines import (  # noqa: E402
    lutsk_can_make_public,
    lutsk_deadline_badge,
    lutsk_deadline_css,
    lutsk_deadline_state_label,
    lutsk_deadline_states,
    lutsk_is_published,
    lutsk_percent,
)
from ckanext.lutsk.helpers.errors import lutsk_error_page  # noqa: E402
from ckanext.lutsk.helpers.home import (  # noqa: E402
    lutsk_home_bodies,
    lutsk_home_newest,
    lutsk_home_on_time,
    lutsk_home_popular,
)
from ckanext.lutsk.helpers.oversight import (  # noqa: E402
    lutsk_annex835_choices,
    lutsk_annex835_row,
    lutsk_audit_reason_label,
    lutsk_can_see_body_quality,
    lutsk_can_see_quality,
    lutsk_check_label,
    lutsk_completeness,
    lutsk_coverage_status_label,
    lutsk_rating_label,
)

__all__ = [
    "lutsk_annex835_choices",
    "lutsk_annex835_row",
    "lutsk_audit_reason_label",
    "lutsk_body",
    "lutsk_can_make_public",
    "lutsk_can_publish_now",
    "lutsk_can_see_body_quality",
    "lutsk_can_see_quality",
    "lutsk_check_label",
    "lutsk_completeness",
    "lutsk_coverage_status_label",
    "lutsk_data_check",
    "lutsk_data_state",
    "lutsk_data_state_label",
    "lutsk_data_status_label",
    "lutsk_deadline_badge",
    "lutsk_deadline_css",
    "lutsk_deadline_state_label",
    "lutsk_deadline_states",
    "lutsk_error_page",
    "lutsk_home_bodies",
    "lutsk_home_newest",
    "lutsk_home_on_time",
    "lutsk_home_popular",
    "lutsk_is_published",
    "lutsk_lang",
    "lutsk_language_links",
    "lutsk_license_title",
    "lutsk_passport_pdf_available",
    "lutsk_passport_rows",
    "lutsk_percent",
    "lutsk_rating_label",
    "lutsk_recommended_structure",
    "lutsk_staff_links",
    "lutsk_sync_state_label",
    "lutsk_sync_status",
    "lutsk_vocabulary_choices",
    "render_datetime",
    "scheming_choices_label",
    "scheming_language_text",
]
