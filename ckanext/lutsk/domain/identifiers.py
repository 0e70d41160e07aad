"""Passport element 1 (CKAN's ``name``) made from a Ukrainian title.

The official Ukrainian transliteration (CMU resolution No. 55 of 27.01.2010, as the kept
library ``translitua`` implements it: «є, ї, й, ю, я» as «ye, yi, y, yu, ya» at the start of
a word and «ie, i, i, iu, ia» elsewhere, «зг» as «zgh», the apostrophe and «ь» dropped),
then CKAN's name rules: lowercase ``a-z0-9-_``, 2 to 100 characters.

The dataset form's slug preview follows the same table in
``assets/lutsk-translit.js``; ``tests/unit/test_identifiers.py`` keeps the two in step.
"""

from __future__ import annotations

import re

from translitua import UkrainianKMU, translit

MAX_LENGTH = 100
_NOT_NAME = re.compile(r"[^a-z0-9_]+")
# Apostrophe look-alikes people type («об'єкти», «об’єкти», «об`єкти»): all dropped, as the
# resolution drops the apostrophe (translitua knows three of them).
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʹ′＇"), "ʼ")


def transliterate(text: str) -> str:
    """``text`` in Latin letters by the CMU No. 55 table (other scripts left as they are)."""
    return translit(text.translate(_APOSTROPHES), UkrainianKMU)


def slug(title: str, max_length: int = MAX_LENGTH) -> str:
    """A CKAN name from ``title``: «Відвідуваність закладів культури Луцька» →
    «vidviduvanist-zakladiv-kultury-lutska». Empty when nothing usable is left."""
    latin = transliterate((title or "").lower())
    name = _NOT_NAME.sub("-", latin).strip("-")
    if len(name) > max_length:
        name = name[:max_length].rsplit("-", 1)[0] if "-" in name[:max_length] else name[:max_length]
    return name.strip("-")


def unique(base: str, taken, max_length: int = MAX_LENGTH) -> str:
    """``base``, or ``base-2``, ``base-3``... the first that ``taken(name)`` says is free."""
    if not taken(base):
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if not taken(candidate):
            return candidate
        n += 1
