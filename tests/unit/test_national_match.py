"""Pairing the council's hand-uploaded national datasets with local ones (plain rules)."""

from __future__ import annotations

from ckanext.lutsk.domain import national_match
from ckanext.lutsk.domain.annex835 import load_annex
from ckanext.lutsk.domain.registry import load_registry

ANNEX = load_annex(registry=load_registry())
LOCAL = [
    {"id": "1", "name": "budget-lutsk", "title": "Бюджет Луцької міської територіальної громади"},
    {"id": "2", "name": "parking", "title": "Майданчики для паркування", "annex835_row": "L19"},
    {"id": "3", "name": "twin-a", "title": "Перелік"},
    {"id": "4", "name": "twin-b", "title": "перелік"},
]


def test_pairs_by_identifier_annex_row_and_title():
    l19 = ANNEX.get("L19").title.uk  # type: ignore[union-attr]
    national = [
        {"id": "n1", "name": "budget-lutsk", "title": "Інша назва"},
        {"id": "n2", "name": "x1", "title": l19.upper() + "."},
        {"id": "n3", "name": "x2", "title": "бюджет  Луцької міської територіальної громади!"},
        {"id": "n4", "name": "x3", "title": "Перелік"},  # two local candidates: a person decides
        {"id": "n5", "name": "x4", "title": "Щось зовсім інше"},
    ]
    got = [
        (m.national["id"], m.local["name"] if m.local else None, m.by)
        for m in national_match.pair(national, LOCAL, ANNEX)
    ]
    assert got == [
        ("n1", "budget-lutsk", "identifier"),
        ("n2", "parking", "annex_row"),
        ("n3", "budget-lutsk", "title"),
        ("n4", None, ""),
        ("n5", None, ""),
    ]


def test_marking_is_idempotent_and_keeps_the_description():
    old = {"notes": "Старий опис", "update_frequency": "once a month"}
    change = national_match.marking(old, "https://data.gov.ua/dataset/1")
    assert change["update_frequency"] == "no longer updated"
    assert change["notes"].startswith(
        "Більше не оновлюється. Актуальна версія: https://data.gov.ua/dataset/1"
    )
    assert change["notes"].endswith("Старий опис")
    assert not national_match.is_marked(old) and national_match.is_marked({**old, **change})
