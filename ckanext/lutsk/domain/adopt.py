"""Adopting an existing CKAN portal (data.gov.ua-style fields, like data.lutskrada.gov.ua):
plain rules that map its organizations to registry bodies and its keys and extras onto the
passport. Nothing here guesses: a value with no rule is kept where it is and listed.

The glue (``ckan lutsk adopt``) reads the datasets, applies these rules, writes and
re-indexes; see ``ckanext/lutsk/adopt.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckanext.lutsk.domain.registry import Body
from ckanext.lutsk.domain.vocabularies import Vocabulary

#: The extra keeping every source value adoption replaced, as JSON {key: value}.
ORIGINALS_KEY = "lutsk_adopt_original"

# Source keys (extras) per passport field, the field's own key first. data.gov.ua's keys
# are the field names themselves (domain-2026-12.md §2, the uploader script); the others are
# the labels data.lutskrada.gov.ua shows for them (domain-2026-12.md §1), which a portal may
# have used as extra keys.
SOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "purpose_of_collecting_information": (
        "purpose_of_collecting_information",
        "Підстава та призначення збору інформації",
    ),
    "language": ("language", "Відомості про мову інформації, яка міститься у наборі даних", "Мова"),
    "update_frequency": ("update_frequency", "Частота оновлення", "frequency"),
    "date_published": ("date_published", "issued"),
    "data_updated": ("data_updated", "modified"),
}

# update_frequency spellings beyond the vocabulary's values, aliases and labels
# (frequencies.yaml): the adverb and "раз на …" forms of the same periods. Assumed common
# Ukrainian/English spellings, not read on data.gov.ua: an unknown spelling is kept and listed.
FREQUENCY_SPELLINGS: dict[str, str] = {
    "щоденно": "once a day",
    "daily": "once a day",
    "щотижнево": "once a week",
    "раз на тиждень": "once a week",
    "weekly": "once a week",
    "щомісячно": "once a month",
    "раз на місяць": "once a month",
    "monthly": "once a month",
    "щоквартально": "once a quarter",
    "раз на квартал": "once a quarter",
    "quarterly": "once a quarter",
    "раз на півроку": "once a half year",
    "щопівроку": "once a half year",
    "semiannually": "once a half year",
    "щорічно": "once a year",
    "раз на рік": "once a year",
    "annually": "once a year",
    "yearly": "once a year",
    "не оновлюється": "no longer updated",
}

# Licence ids and titles of CKAN's stock register meaning "attribution only" (the one
# condition art. 10-1 of the access-to-information law allows, domain-2026-12.md §2).
ATTRIBUTION_LICENCES = {"cc-by", "cc-by-4.0", "cc-by-3.0", "creative commons attribution"}
ATTRIBUTION_ID = "cc-by"

#: Passport elements a dataset must have (the schema's required fields), in form order.
REQUIRED = (
    "title",
    "notes",
    "purpose_of_collecting_information",
    "language",
    "tags",
    "update_frequency",
    "maintainer",
    "maintainer_email",
)


def fold(text: str | None) -> str:
    """Compare names: case, apostrophes (' ’ ʼ), quotes and spacing do not matter."""
    text = (text or "").casefold()
    text = re.sub(r"[’'ʼ`]", "ʼ", text)
    text = re.sub(r"[«»\"“”]", "", text)
    return " ".join(text.split())


@dataclass
class BodyMatch:
    slug: str | None
    how: str  # "mapping file", "name", "ЄДРПОУ", "title", or why there is none


def match_body(
    org: Mapping[str, Any], bodies: Iterable[Body], mapping: Mapping[str, str]
) -> BodyMatch:
    """The registry body an organization of the old portal is. ``org``: name, title and
    extras (``edrpou`` or ``publisherIdentifier``). The mapping file decides first; then
    one exact rule; two different bodies by different rules, or none: no body."""
    bodies = list(bodies)
    slugs = {b.slug for b in bodies}
    name = org.get("name") or ""
    if name in mapping:
        slug = mapping[name]
        if slug not in slugs:
            return BodyMatch(None, f"the mapping file names «{slug}», which is not in the registry")
        return BodyMatch(slug, "mapping file")
    found: dict[str, str] = {}
    if name in slugs:
        found.setdefault(name, "name")
    extras = org.get("extras") or {}
    code = str(extras.get("edrpou") or extras.get("publisherIdentifier") or "").strip()
    if code:
        for b in bodies:
            if b.edrpou and b.edrpou == code:
                found.setdefault(b.slug, "ЄДРПОУ")
    title = fold(org.get("title"))
    if title:
        for b in bodies:
            names = {fold(b.title("uk")), fold(b.short_title("uk")), fold(b.title("en"))}
            if title in names:
                found.setdefault(b.slug, "title")
    if len(found) == 1:
        ((slug, how),) = found.items()
        return BodyMatch(slug, how)
    if found:
        several = ", ".join(sorted(found))
        return BodyMatch(None, f"several bodies match ({several}): add it to the mapping file")
    return BodyMatch(None, "no body by name, ЄДРПОУ or title: add it to the mapping file")


@dataclass
class Adoption:
    """What adopting one dataset changes: passport fields to write, core fields to set, the
    source values they replace (kept), and the values no rule maps (left as they are)."""

    extras: dict[str, str] = field(default_factory=dict)
    core: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)
    unmapped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.extras or self.core)


def _frequency(value: str, vocab: Vocabulary) -> str | None:
    found = vocab.normalize(value)
    if found:
        return found
    folded = fold(value)
    for term in vocab:
        if folded in {fold(term.label.get("uk")), fold(term.label.get("en"))}:
            return term.value
    return FREQUENCY_SPELLINGS.get(folded)


def _language(value: str, vocab: Vocabulary) -> str | None:
    found = vocab.normalize(value)
    if found:
        return found
    folded = fold(value)
    for term in vocab:
        if folded in {fold(term.label.get("uk")), fold(term.label.get("en"))}:
            return term.value
    return None


def adopt(
    dataset: Mapping[str, Any],
    extras: Mapping[str, str],
    *,
    frequencies: Vocabulary,
    languages: Vocabulary,
    licences: Iterable[str],
) -> Adoption:
    """Map one dataset of the old portal. ``dataset``: its core fields (license_id,
    metadata_created, metadata_modified as ISO text); ``extras``: its stored extras.
    Idempotent: a dataset adopted before yields no change."""
    out = Adoption()
    for target, keys in SOURCE_KEYS.items():
        present = [(k, extras[k]) for k in keys if str(extras.get(k) or "").strip()]
        if not present:
            continue
        key, raw = present[0]
        value = str(raw).strip()
        if target == "update_frequency":
            mapped = _frequency(value, frequencies)
        elif target == "language":
            mapped = _language(value, languages)
        else:
            mapped = value
        if mapped is None:
            out.unmapped[key] = value
            continue
        if extras.get(target) != mapped:
            out.extras[target] = mapped
            if target in extras and extras[target] != mapped:
                out.originals[target] = str(extras[target])
    # Dates CKAN itself recorded stand in for a missing publication/update date.
    for target, core_key in (("date_published", "metadata_created"), ("data_updated", "metadata_modified")):
        if target not in out.extras and not str(extras.get(target) or "").strip() and dataset.get(core_key):
            out.extras[target] = str(dataset[core_key])[:19]
            out.notes.append(f"{target} taken from CKAN's {core_key}")
    licence = str(dataset.get("license_id") or "").strip()
    allowed = set(licences)
    if licence and licence not in allowed:
        titles = {fold(licence), fold(dataset.get("license_title"))}
        if titles & ATTRIBUTION_LICENCES:
            out.core["license_id"] = ATTRIBUTION_ID
            out.originals["license_id"] = licence
        else:
            out.unmapped["license_id"] = licence
    return out


def missing(record: Mapping[str, Any]) -> list[str]:
    """The required passport elements a dataset (core fields, extras and ``tags`` merged)
    still lacks."""
    gaps = []
    for key in REQUIRED:
        value = record.get(key)
        ok = bool(value) if isinstance(value, list | tuple) else bool(str(value or "").strip())
        if not ok:
            gaps.append(key)
    return gaps
