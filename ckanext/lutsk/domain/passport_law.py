"""What the law fixes about a passport, as plain rules (no CKAN).

* Licence: art. 10-1 of the Law «Про доступ до публічної інформації» allows one
  condition of reuse only, a reference to the source; the portal offers and accepts
  Creative Commons Attribution 4.0 (``cc-by``, EU authority URI ``CC_BY_4_0``) and
  nothing else (shared/docs/domain-2026-12.md §2; data.gov.ua's datapackage shows
  ``cc-by``).
* Element 3: the description **including** the note on withheld restricted information
  is at most 4000 characters together (the passport form, kozsr.gov.ua; §2).
* ``purpose_of_collecting_information``: at most 512 characters, data.gov.ua's cap
  (908Inc/ckanext-harvest ``logic/schema.py``; §2).

``problems`` names what a stored dataset breaks, for the check command: stored values
are reported, never cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "ELEMENT3_MAX",
    "LICENCE",
    "LICENCE_URI",
    "PURPOSE_MAX",
    "element3_length",
    "problems",
]

LICENCE = "cc-by"
LICENCE_URI = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
ELEMENT3_MAX = 4000
PURPOSE_MAX = 512


def _len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def element3_length(notes: Any, restricted: Any) -> int:
    """Characters of passport element 3: the description and the restricted-information note."""
    return _len(notes) + _len(restricted)


def problems(pkg: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(code, detail) for each legal limit a stored dataset breaks: ``licence`` (its
    licence id, or "" when none), ``element3`` (the length), ``purpose`` (the length)."""
    found: list[tuple[str, str]] = []
    if pkg.get("license_id") != LICENCE:
        found.append(("licence", str(pkg.get("license_id") or "")))
    total = element3_length(pkg.get("notes"), pkg.get("restricted_info"))
    if total > ELEMENT3_MAX:
        found.append(("element3", str(total)))
    purpose = _len(pkg.get("purpose_of_collecting_information"))
    if purpose > PURPOSE_MAX:
        found.append(("purpose", str(purpose)))
    return found
