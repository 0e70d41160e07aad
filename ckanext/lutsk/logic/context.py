"""The action context of the current request's user, for views and template helpers."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Context


def context() -> Context:
    """The current user for ``get_action``/``check_access`` (``""`` when anonymous, as CKAN's
    own views pass it)."""
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
