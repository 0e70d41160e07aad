"""Passport elements 6/7 guessed from a file name or link (issue 14)."""

from __future__ import annotations

import pytest

from ckanext.lutsk.domain import formats, vocabularies


@pytest.fixture(scope="module")
def vocab():
    return vocabularies.load_vocabulary("formats")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("budget.csv", ("CSV", None)),
        ("Бюджет 2026.CSV", ("CSV", None)),
        ("https://lutskrada.gov.ua/opendata/budget.xlsx", ("XLSX", None)),
        ("https://lutskrada.gov.ua/opendata/budget.json?version=2", ("JSON", None)),
        ("https://lutskrada.gov.ua/opendata/map.geojson", ("GeoJSON", None)),
        ("https://lutskrada.gov.ua/opendata/budget.csv.zip", ("CSV", "ZIP")),
        ("https://lutskrada.gov.ua/opendata/archive.zip", ("ZIP", None)),
        ("https://lutskrada.gov.ua/opendata/page.htm", ("HTML", None)),
        ("https://lutskrada.gov.ua/opendata/", (None, None)),
        ("https://lutskrada.gov.ua/opendata/file.unknownext", (None, None)),
    ],
)
def test_from_the_name(vocab, url, expected):
    g = formats.guess(url, vocab)
    assert (g.format, g.compression) == expected


def test_from_the_media_type_the_uploader_found(vocab):
    assert formats.guess("data", vocab, media_type="text/csv").format == "CSV"
    assert formats.guess("data", vocab, media_type="application/x-unknown").format is None
