from __future__ import annotations

import pytest

from ckanext.lutsk.domain.iri import safe_iri


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.org/a|b", "https://example.org/a%7Cb"),
        ('https://example.org/{x}"', "https://example.org/%7Bx%7D%22"),
        ("mailto:o{k}@example.org", "mailto:o%7Bk%7D@example.org"),
        ("https://луцьк.укр/дані", "https://луцьк.укр/дані"),
        ("https://example.org/a b\x0bc", "https://example.org/a%20b%0Bc"),
        ("https://example.org/\ud800", "https://example.org/"),
        ("no scheme", None),
        ("", None),
    ],
)
def test_safe_iri(text, expected):
    assert safe_iri(text) == expected
