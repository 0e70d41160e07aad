"""Every user-facing string of ckanext-lutsk is in the uk_UA and en catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PKG = Path(__file__).resolve().parents[2] / "ckanext" / "lutsk"
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)s")
METHODS = [("**.py", "python"), ("**/templates/**.html", "ckan"), ("**/assets/**.js", "javascript")]


def _source_msgids() -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(PKG), METHODS):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _catalog(lang: str):
    with open(PKG / "i18n" / lang / "LC_MESSAGES" / "ckanext-lutsk.po", "rb") as f:
        return read_po(f, locale=lang)


def test_sources_have_messages():
    assert len(_source_msgids()) >= 10


@pytest.mark.parametrize("lang", ["uk_UA", "en"])
def test_every_string_is_translated(lang):
    catalog = _catalog(lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(_source_msgids() - translated)
    assert not missing, f"{lang}: untranslated (run bin/i18n update, then translate): {missing}"


@pytest.mark.parametrize("lang", ["uk_UA", "en"])
def test_translations_keep_placeholders(lang):
    for m in _catalog(lang):
        if m.id and isinstance(m.id, str) and m.string:
            assert set(PLACEHOLDER.findall(m.id)) == set(PLACEHOLDER.findall(m.string)), m.id
