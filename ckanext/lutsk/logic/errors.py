"""A validation error as one line for people (flash messages, CLI, HTTP 400)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _flatten(v)]
    return [str(value)]


def error_text(error: tk.ValidationError, with_fields: bool = False) -> str:
    """Every message of ``error``, joined; ``with_fields`` names the field of each."""
    if with_fields:
        return "; ".join(f"{k}: {' '.join(_flatten(v))}" for k, v in error.error_dict.items())
    return "; ".join(m for v in error.error_dict.values() for m in _flatten(v))
