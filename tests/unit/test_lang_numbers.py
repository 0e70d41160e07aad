"""Percentages as each language writes them (issue 14: «81.0 %» → «81 %»)."""

from __future__ import annotations

import pytest

from ckanext.lutsk import lang


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (81.0, "uk", "81 %"),
        (81.5, "uk", "81,5 %"),
        (81.5, "en", "81.5 %"),
        (100, "en", "100 %"),
        (None, "uk", "—"),
    ],
)
def test_percent(value, code, text):
    assert lang.percent(value, code) == text
