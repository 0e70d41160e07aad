"""The one place that reads ``ckanext.lutsk.*`` options and turns them into the plain
domain objects (registry, calendar, vocabularies) the rest of the extension uses."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import ckan.plugins.toolkit as tk

from ckanext.lutsk.domain import annex835, mapping, vocabularies, workdays
from ckanext.lutsk.domain import registry as registry_mod
from ckanext.lutsk.domain import structures as structures_mod

log = logging.getLogger(__name__)


@functools.cache
def _registry_at(path: str) -> registry_mod.Registry:
    return registry_mod.load_registry(path or None)


def registry() -> registry_mod.Registry:
    """The registry of executive bodies named by ``ckanext.lutsk.registry_file``."""
    return _registry_at(tk.config.get("ckanext.lutsk.registry_file") or "")


@functools.cache
def _calendar_at(path: str, mtime: float) -> tuple[workdays.WorkCalendar, Exception | None]:
    """The calendar of ``path`` and None, or a fallback and the reason the file was refused.

    A broken file must not take the portal down (every save indexes a deadline): the
    error is logged once per process with its line, pages and the API keep serving on
    the fallback, and the batch commands that write or send (``ckan lutsk deadlines
    refresh|remind|digest``) refuse to run until the file is fixed. ``mtime`` in the key:
    an edited file is read again without a restart.
    """
    try:
        return workdays.load_calendar(path or None), None
    except (workdays.CalendarError, OSError) as exc:
        # The packaged file when a configured one is broken; holidays.UA alone when the
        # packaged file itself is (it ships with the code, so that is a release bug).
        fallback, name = workdays.WorkCalendar(), "the holidays package alone"
        if path:
            with contextlib.suppress(workdays.CalendarError, OSError):
                fallback, name = workdays.default_calendar(), "the packaged calendar"
        log.error("Working-day calendar refused, using %s until it is fixed: %s", name, exc)
        return fallback, exc


def calendar() -> workdays.WorkCalendar:
    """The working-day calendar with the city's overrides (``ckanext.lutsk.calendar_file``).

    Never raises: see ``calendar_error`` for a file that could not be used.
    """
    path = tk.config.get("ckanext.lutsk.calendar_file") or ""
    return _calendar_at(path, _calendar_mtime(path))[0]


def calendar_error() -> Exception | None:
    """Why the configured calendar file is not in use (``CalendarError`` names the line), or None."""
    path = tk.config.get("ckanext.lutsk.calendar_file") or ""
    return _calendar_at(path, _calendar_mtime(path))[1]


def _calendar_mtime(path: str) -> float:
    try:
        return os.stat(path or workdays.DEFAULT_CALENDAR_PATH).st_mtime
    except OSError:
        return 0.0


def vocabulary(name: str) -> vocabularies.Vocabulary:
    return vocabularies.load_vocabulary(name)


def ict_organization() -> str:
    return tk.config.get("ckanext.lutsk.ict_organization")


def due_soon_days() -> int:
    return tk.config.get("ckanext.lutsk.due_soon_days")


def remind_days() -> int:
    return tk.config.get("ckanext.lutsk.remind_days")


def ict_email() -> list[str]:
    """Addresses of the ICT department's weekly digest (empty: its organization's members)."""
    return [a.strip() for a in (tk.config.get("ckanext.lutsk.ict_email") or "").split(",") if a.strip()]


@functools.cache
def _annex_at(path: str, mtime: float, registry_path: str) -> annex835.Annex:
    return annex835.load_annex(path or None, registry=registry())


_last_good_annex: dict[str, annex835.Annex] = {}


def annex() -> annex835.Annex:
    """The annex rows of resolution 835 with their bodies (``ckanext.lutsk.annex835_file``).

    Re-read when the file changes. A file with errors is not applied: the last valid
    one stays in use (or the packaged one) and ``annex_error`` says why.
    """
    path = tk.config.get("ckanext.lutsk.annex835_file") or ""
    try:
        found = _annex_at(path, _mtime(path), tk.config.get("ckanext.lutsk.registry_file") or "")
    except annex835.AnnexError as exc:
        if path not in _last_good_annex:
            log.error("Annex file refused, using the packaged one until it is fixed: %s", exc)
            try:
                _last_good_annex[path] = annex835.load_annex(None, registry=registry())
            except annex835.AnnexError:
                # The packaged rows name bodies this registry lacks: keep them unchecked
                # rather than take the portal down.
                _last_good_annex[path] = annex835.load_annex(None)
        return _last_good_annex[path]
    _last_good_annex[path] = found
    return found


def annex_error() -> annex835.AnnexError | None:
    """Why the configured annex file is not in use (every problem with its line), or None."""
    path = tk.config.get("ckanext.lutsk.annex835_file") or ""
    try:
        _annex_at(path, _mtime(path), tk.config.get("ckanext.lutsk.registry_file") or "")
    except annex835.AnnexError as exc:
        return exc
    return None


def _mtime(path: str) -> float:
    try:
        return os.stat(path or annex835.DEFAULT_PATH).st_mtime
    except OSError:
        return 0.0


def audit_deadline() -> str:
    """Default last day of the year's audits, ``MM-DD`` (``ckanext.lutsk.audit_deadline``)."""
    return tk.config.get("ckanext.lutsk.audit_deadline")


def audits_per_day() -> int:
    return tk.config.get("ckanext.lutsk.audits_per_day")


def annex_file() -> str | None:
    """The configured annex file, or None for the one shipped with the extension."""
    return tk.config.get("ckanext.lutsk.annex835_file") or None


def rdf_max_bytes() -> int:
    return tk.config.get("ckanext.lutsk.rdf_max_bytes")


def datacheck_max_bytes() -> int:
    """Largest file the data check reads (``ckanext.lutsk.datacheck_max_mb``)."""
    return int(tk.config.get("ckanext.lutsk.datacheck_max_mb")) * 1024 * 1024


def datacheck_allow_private_urls() -> bool:
    return bool(tk.config.get("ckanext.lutsk.datacheck_allow_private_urls"))


def xloader_token_file() -> str:
    """The file with ckanext-xloader's API token (``ckanext.lutsk.xloader_token_file``), or ""."""
    return str(tk.config.get("ckanext.lutsk.xloader_token_file") or "").strip()


def structures() -> dict[str, structures_mod.Structure]:
    """Mintsyfra's recommended structures by annex row (data/structures/*.yaml)."""
    directory = structures_mod.DEFAULT_DIR
    # Reloaded when a file is edited, added or removed.
    stamp = max((p.stat().st_mtime for p in directory.glob("*.yaml")), default=0.0) + _mtime(str(directory))
    return _structures_at(str(directory), stamp)


@functools.lru_cache(maxsize=2)
def _structures_at(path: str, mtime: float) -> dict[str, structures_mod.Structure]:
    return structures_mod.load_structures(Path(path))


def mail_log_keep_days() -> int:
    return tk.config.get("ckanext.lutsk.mail_log_keep_days")


def pdf_font_dir() -> Path:
    return Path(tk.config.get("ckanext.lutsk.pdf_font_dir") or "/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class PublishSettings:
    """How to reach data.gov.ua (``ckanext.lutsk.datagovua.*``)."""

    url: str
    token: str
    connect_timeout: float
    timeout: float
    retries: int
    backoff: float
    lock_timeout: int

    @classmethod
    def from_config(cls) -> PublishSettings | None:
        """The configured national portal, or None when publishing is off."""
        url = (tk.config.get("ckanext.lutsk.datagovua.url") or "").strip().rstrip("/")
        token = datagovua_token()
        if not url or not token:
            return None
        return cls(
            url=url,
            token=token,
            connect_timeout=tk.config.get("ckanext.lutsk.datagovua.connect_timeout"),
            timeout=tk.config.get("ckanext.lutsk.datagovua.timeout"),
            retries=tk.config.get("ckanext.lutsk.datagovua.retries"),
            backoff=tk.config.get("ckanext.lutsk.datagovua.backoff_ms") / 1000,
            lock_timeout=tk.config.get("ckanext.lutsk.datagovua.lock_timeout"),
        )

    def __repr__(self) -> str:  # never print the token, even in a traceback's locals
        return f"PublishSettings(url={self.url!r}, token='***')"


def datagovua_org() -> str:
    """The city's one organization on data.gov.ua (``ckanext.lutsk.datagovua.org``), or ""."""
    return (tk.config.get("ckanext.lutsk.datagovua.org") or "").strip()


def national_org(slug: str) -> str:
    """The national organization body ``slug``'s datasets go to: the city's one cabinet when
    ``ckanext.lutsk.datagovua.org`` is set, else the body's own (``mapping.national_org``)."""
    return datagovua_org() or mapping.national_org(registry(), slug)


def datagovua_token() -> str:
    return (tk.config.get("ckanext.lutsk.datagovua.token") or "").strip()


def publishing_configured() -> bool:
    """Whether the portal pushes to data.gov.ua (a URL and a token are set)."""
    return PublishSettings.from_config() is not None


def retry_window() -> tuple[dt.timedelta, dt.timedelta]:
    """The first wait after a passing failure of a push, and the longest."""
    return (
        dt.timedelta(minutes=tk.config.get("ckanext.lutsk.datagovua.retry_after_minutes")),
        dt.timedelta(minutes=tk.config.get("ckanext.lutsk.datagovua.retry_max_minutes")),
    )


def reload() -> None:
    """Forget cached files (after the council edits one, or in tests)."""
    _annex_at.cache_clear()
    _last_good_annex.clear()
    _registry_at.cache_clear()
    _calendar_at.cache_clear()
    vocabularies.load_vocabulary.cache_clear()


def upload_markup_allowed() -> bool:
    """``ckanext.lutsk.upload_allow_markup``: accept HTML/SVG/JS uploads as resources (only
    where uploads are served from a separate origin; see README, Security)."""
    return tk.asbool(tk.config.get("ckanext.lutsk.upload_allow_markup", False))


def content_security_policy_extra() -> dict[str, str]:
    """``ckanext.lutsk.csp_extra``: more sources for the page CSP, e.g.
    ``img-src https://maps.example; frame-src https://player.example``."""
    out: dict[str, str] = {}
    for part in str(tk.config.get("ckanext.lutsk.csp_extra") or "").split(";"):
        name, _sep, value = part.strip().partition(" ")
        if name and value.strip():
            out[name.strip()] = value.strip()
    return out


def harvest_internal_hosts() -> tuple[str, ...]:
    """``ckanext.lutsk.harvest_internal_hosts``: host names, addresses or networks a harvest
    source may use although they are internal (loopback, private); default none."""
    return tuple(str(tk.config.get("ckanext.lutsk.harvest_internal_hosts") or "").replace(",", " ").split())
