"""Passport elements 6 and 7 guessed from a resource's file name or link, as stock CKAN
does (``if_empty_guess_format``: the extension, else the media type), but named by the
portal's formats vocabulary (``data/formats.yaml``) so that the passport and the
completeness score see them: «budget.csv» → CSV, «budget.csv.zip» → CSV compressed as ZIP.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from urllib.parse import urlparse

from ckanext.lutsk.domain.vocabularies import Vocabulary


@dataclass(frozen=True)
class Guess:
    format: str | None
    compression: str | None = None


def _by_media_type(vocab: Vocabulary, media_type: str | None) -> str | None:
    if not media_type:
        return None
    media_type = media_type.split(";")[0].strip().lower()
    for term in vocab:
        if (term.extra.get("media_type") or "").lower() == media_type:
            return term.value
    return vocab.normalize(media_type)


def guess(url: str | None, vocab: Vocabulary, media_type: str | None = None) -> Guess:
    """The format (and compression) of the file at ``url`` (a link or an uploaded file's
    name); ``media_type`` as the uploader detected it, when the name says nothing."""
    path = urlparse(url or "").path if "://" in (url or "") else (url or "")
    name = path.rsplit("/", 1)[-1].lower()
    suffixes = name.split(".")[1:] if "." in name else []
    if suffixes:
        outer = vocab.normalize(suffixes[-1])
        term = vocab.get(outer) if outer else None
        if term is not None and term.extra.get("compression") and len(suffixes) > 1:
            inner = vocab.normalize(suffixes[-2])
            if inner is not None:
                return Guess(inner, outer)
        if outer is not None:
            return Guess(outer)
    found = _by_media_type(vocab, mimetypes.guess_type(name)[0] if name else None)
    return Guess(found or _by_media_type(vocab, media_type))
