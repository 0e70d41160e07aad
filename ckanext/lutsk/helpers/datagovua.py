"""Template helpers of the sync with data.gov.ua (the dataset page's national-copy box)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.lutsk.datagovua import messages
from ckanext.lutsk.logic.context import context


def lutsk_sync_status(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The national copy's state for the dataset page, or None for those who may not see it
    (anyone but the body's editors and the ICT department) or when publishing is off."""
    try:
        status = tk.get_action("lutsk_sync_status")(context(), {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return status if status["enabled"] else None


def lutsk_can_publish_now(pkg: dict[str, Any]) -> bool:
    return tk.h.check_access("lutsk_publish_now", {"id": pkg["id"]})


def lutsk_sync_state_label(state: str) -> str:
    return messages.state_label(state)
