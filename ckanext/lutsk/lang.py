"""The portal's two languages: Ukrainian first, English second.

The registry, the vocabularies and the schema key their texts ``uk``/``en``; CKAN's
locales are ``uk_UA`` and ``en``. This is the one place that turns one into the other."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def of(locale: str | None) -> str:
    """``en`` for an English locale, else ``uk`` (the default language of the portal)."""
    return "en" if (locale or "").startswith("en") else "uk"


def current() -> str:
    """The short language code of the current request (``uk`` outside a request)."""
    try:
        locale = tk.h.lang() or ""
    except (TypeError, RuntimeError):  # outside a request
        locale = ""
    return of(locale)


def percent(value: float | int | None, lang: str | None = None) -> str:
    """A percentage as the language writes it: «81 %», «81,5 %» (uk), «81.5 %» (en);
    «—» when there is none. ``value`` is already in percent (0–100)."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    locale = "en" if (lang or current()) == "en" else "uk_UA"
    return format_decimal(round(float(value), 1), format="#,##0.#", locale=locale) + " %"
