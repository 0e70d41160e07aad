"""The preview's search text kept in Ukrainian (logic.action.datastore.datatables_query)."""

from __future__ import annotations

import json

from ckanext.lutsk.logic.action.datastore import datatables_query


def _form(search: str = "", **columns: str) -> dict[str, str]:
    form = {"search[value]": search}
    for i, (name, value) in enumerate(columns.items()):
        form[f"columns[{i}][name]"] = name
        form[f"columns[{i}][search][value]"] = value
    return form


def test_the_table_search_keeps_cyrillic_words_as_prefixes():
    assert datatables_query(_form("Соборності")) == "Соборності:*"
    assert datatables_query(_form("школа № 19")) == "школа_19:*"
    assert datatables_query(_form("Лесі Українки")) == "Лесі_Українки:*"


def test_nothing_searched_is_no_query():
    assert datatables_query(_form("", a="", b="")) == ""


def test_a_column_search_wins_over_the_table_search():
    q = datatables_query(_form("ігнорується", **{"Назва закладу": "", "Район": "Гнідава"}))
    assert json.loads(q) == {"Район": "Гнідава:*"}


def test_punctuation_cannot_reach_the_query_syntax():
    assert datatables_query(_form("a & b | !c (d) 'e'")) == "a_b_c_d_e_:*"
