"""Adopting the council's hand-uploaded datasets on data.gov.ua (Kharkiv's way; plain rules).

When a city moves to harvesting, the datasets its bodies had uploaded to data.gov.ua by hand
are kept and marked «Більше не оновлюється» with a link to the harvested copy
(shared/docs/domain-2026-12.md §3). ``pair`` finds each old national dataset's local
counterpart: the same identifier (``name``), else the annex row its title names, else the
same title; ``marking`` is the change that marks it. Nothing is ever deleted; a copy already
marked is left alone (idempotent).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.lutsk.domain.annex835 import Annex

__all__ = ["MARK", "NO_LONGER_UPDATED", "Match", "is_marked", "marking", "normalise", "pair"]

MARK = "Більше не оновлюється"
#: data.gov.ua's frequency value for «Більше не оновлюється» (data/frequencies.yaml).
NO_LONGER_UPDATED = "no longer updated"
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʹ′＇ʼ"), "")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(title: Any) -> str:
    """A title for comparison: case, apostrophes, punctuation and spacing ignored."""
    if not isinstance(title, str):
        return ""
    return " ".join(_NON_WORD.sub(" ", title.translate(_APOSTROPHES).casefold()).split())


@dataclass(frozen=True)
class Match:
    """One old national dataset and its local counterpart (None: for a person to decide)."""

    national: Mapping[str, Any]
    local: Mapping[str, Any] | None
    by: str  # "identifier" | "annex_row" | "title" | ""


def pair(
    national: Iterable[Mapping[str, Any]], local: Iterable[Mapping[str, Any]], annex: Annex | None = None
) -> list[Match]:
    """Pair each national dataset with one local dataset, or with none when no rule gives
    exactly one."""
    local = list(local)
    by_name = {rec["name"]: rec for rec in local}
    by_title: dict[str, list[Mapping[str, Any]]] = {}
    by_row: dict[str, list[Mapping[str, Any]]] = {}
    for rec in local:
        by_title.setdefault(normalise(rec.get("title")), []).append(rec)
        if rec.get("annex835_row"):
            by_row.setdefault(rec["annex835_row"], []).append(rec)
    row_of_title = {normalise(row.title.uk): row.id for row in annex} if annex is not None else {}
    out = []
    for nat in national:
        title = normalise(nat.get("title"))
        if nat.get("name") in by_name:
            out.append(Match(nat, by_name[nat["name"]], "identifier"))
        elif title in row_of_title and len(by_row.get(row_of_title[title], [])) == 1:
            out.append(Match(nat, by_row[row_of_title[title]][0], "annex_row"))
        elif len(by_title.get(title, [])) == 1:
            out.append(Match(nat, by_title[title][0], "title"))
        else:
            out.append(Match(nat, None, ""))
    return out


def is_marked(national: Mapping[str, Any]) -> bool:
    notes = national.get("notes")
    return isinstance(notes, str) and notes.startswith(MARK)


def marking(national: Mapping[str, Any], link: str) -> dict[str, Any]:
    """The fields that mark an old national copy: «Більше не оновлюється», the link to the
    harvested copy first in the description (the old description kept below it)."""
    notes = national.get("notes") or ""
    head = f"{MARK}. Актуальна версія: {link}"
    return {
        "update_frequency": NO_LONGER_UPDATED,
        "notes": f"{head}\n\n{notes}" if notes else head,
    }
