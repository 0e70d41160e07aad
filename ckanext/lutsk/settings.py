"""The one place that reads ``ckanext.lutsk.*`` options and turns them into the plain
domain objects (registry, calendar, vocabularies) the rest of the extension uses."""

from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk

from ckanext.lutsk import registry as registry_mod
from ckanext.lutsk import vocabularies, workdays


@functools.cache
def _registry_at(path: str) -> registry_mod.Registry:
    return registry_mod.load_registry(path or None)


def registry() -> registry_mod.Registry:
    """The registry of executive bodies named by ``ckanext.lutsk.registry_file``."""
    return _registry_at(tk.config.get("ckanext.lutsk.registry_file") or "")


@functools.cache
def _calendar_at(path: str) -> workdays.WorkCalendar:
    return workdays.load_calendar(path or None)


def calendar() -> workdays.WorkCalendar:
    """The working-day calendar with the city's overrides (``ckanext.lutsk.calendar_file``)."""
    return _calendar_at(tk.config.get("ckanext.lutsk.calendar_file") or "")


def vocabulary(name: str) -> vocabularies.Vocabulary:
    return vocabularies.load_vocabulary(name)


def ict_organization() -> str:
    return tk.config.get("ckanext.lutsk.ict_organization")


def due_soon_days() -> int:
    return tk.config.get("ckanext.lutsk.due_soon_days")


def reload() -> None:
    """Forget cached files (after the council edits one, or in tests)."""
    _registry_at.cache_clear()
    _calendar_at.cache_clear()
    vocabularies.load_vocabulary.cache_clear()
