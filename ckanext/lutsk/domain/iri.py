"""IRIs that RDF writers accept (plain Python).

A stored link or e-mail may hold characters an IRI cannot (RFC 3987: space, ``<>"{}|\\^```
and controls); rdflib then refuses to write the graph and a whole catalogue page fails.
:func:`safe_iri` percent-encodes those characters (as a browser does when it follows the
link); a text without a scheme cannot be an IRI and gives ``None``.
"""

from __future__ import annotations

import re

__all__ = ["safe_iri"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f\ud800-\udfff\ufffe\uffff]')


def _encode(match: re.Match[str]) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff" or char in "\ufffe\uffff":
        return ""  # cannot be encoded as UTF-8: dropped
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


def safe_iri(text: str) -> str | None:
    """``text`` as an IRI rdflib writes without complaint, or ``None`` if it cannot be one."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _SCHEME.match(text):
        return None
    return _NOT_IRI.sub(_encode, text)
