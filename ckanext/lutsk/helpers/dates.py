"""Dates as people read them in the page's language (``h.render_datetime``).

CKAN's own helper gives «грудня 2, 2026, 11:34 (+0200)» on a Ukrainian page: an English
pattern with Ukrainian month names. This one uses the locale's own long date pattern from
babel (CLDR): «2 грудня 2026 р., 11:34» in Ukrainian, «December 2, 2026, 11:34» in
English, in the portal's display time zone (``ckan.display_timezone``, Kyiv).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from babel.dates import format_date, format_time

from ckanext.lutsk.lang import current as current_lang

_BABEL_LOCALE = {"uk": "uk_UA", "en": "en"}


def format_datetime_for(
    value: dt.datetime, lang: str, with_hours: bool = False, with_seconds: bool = False
) -> str:
    locale = _BABEL_LOCALE.get(lang, "uk_UA")
    text = format_date(value, "long", locale=locale)
    if with_hours or with_seconds:
        text += ", " + format_time(value, "HH:mm:ss" if with_seconds else "HH:mm", locale=locale)
    return text.replace("\u202f", " ")


@tk.chained_helper
def render_datetime(
    next_helper,
    datetime_: Any,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    if date_format:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    from ckan.lib.helpers import _datestamp_to_datetime  # the display time zone, as CKAN's

    value = _datestamp_to_datetime(datetime_)
    if not value:
        return ""
    return format_datetime_for(value, current_lang(), with_hours, with_seconds)
