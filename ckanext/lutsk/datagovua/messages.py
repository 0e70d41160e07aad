"""Sentences for people about the national copy: its sync state and why a push failed.

The stored error is a kind plus the national portal's own words; the sentence is made
when shown, in the user's language (Ukrainian by default)."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk import config
from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.domain import source_urls
from ckanext.lutsk.model import sync_state


def state_label(state: str) -> str:
    return {
        sync_state.IN_STEP: tk._("In step with data.gov.ua"),
        sync_state.STALE: tk._("National copy is stale"),
        sync_state.MISSING: tk._("Missing on data.gov.ua"),
        sync_state.PRIVATE: tk._("Private on data.gov.ua"),
        sync_state.DELETED: tk._("Deleted on data.gov.ua"),
        sync_state.FAILED: tk._("Publishing to data.gov.ua failed"),
        sync_state.NOT_PUBLISHED: tk._("Not published (private dataset)"),
    }.get(state, state)


def _rejection_text(detail: str) -> str:
    try:
        errors = json.loads(detail)
    except ValueError:
        return detail
    parts = []
    for field, messages in sorted(errors.items()):
        if isinstance(messages, list):
            messages = "; ".join(str(m) for m in messages)
        parts.append(f"{field}: {messages}")
    return "; ".join(parts)


def error_message(kind: str | None, detail: str | None, remote_org: str | None = None) -> str:
    """The reason of a failed push as a sentence for people."""
    if not kind:
        return ""
    detail = detail or ""
    if kind == publisher.UNAVAILABLE:
        return tk._(
            "data.gov.ua did not answer (timeout, dropped connection or server error); "
            "the portal will try again."
        )
    if kind == publisher.REMOTE_ERROR:
        return tk._("data.gov.ua answered with an error; the portal will try again.")
    if kind == publisher.REJECTED:
        return tk._("data.gov.ua rejected the dataset: {errors}").format(errors=_rejection_text(detail))
    if kind == publisher.UNAUTHORIZED:
        return tk._(
            "data.gov.ua refused access: check the city's API token and its editor rights "
            "in the national organization “{org}”."
        ).format(org=remote_org or "—")
    if kind == publisher.NO_ORGANIZATION:
        return tk._(
            "The organization “{org}” does not exist on data.gov.ua: ask the national portal to "
            "create it, or set datagovua_org of the body in the registry."
        ).format(org=detail)
    if kind == publisher.NAME_TAKEN:
        return tk._(
            "Another holder's dataset on data.gov.ua already has this name ({name}); rename the dataset."
        ).format(name=detail)
    if kind == publisher.BUSY:
        return tk._("Another push of this dataset did not finish in time; the portal will try again.")
    return tk._("Publishing to data.gov.ua failed.")


def harvest_url_error(url: Any, *, resolve: bool = False) -> str | None:
    """Why a harvest source URL is refused, as a sentence, or None. ``resolve``: also the
    addresses the host resolves to now (at fetch time)."""
    trusted = config.harvest_internal_hosts()
    code = source_urls.fetch_refusal(url, trusted) if resolve else source_urls.refusal(url, trusted)
    return source_url_message(code)


def source_url_message(code: str | None) -> str | None:
    if code == source_urls.NOT_HTTP:
        return tk._("A harvest source must be an http:// or https:// address.")
    if code == source_urls.INTERNAL:
        return tk._(
            "A harvest source may not point at an internal address (this server, its local "
            "network or a cloud metadata service). An administrator can allow a trusted internal "
            "source with ckanext.lutsk.harvest_internal_hosts."
        )
    return None
