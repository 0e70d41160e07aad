"""Passport element 1 from a Ukrainian title: the official transliteration (CMU No. 55)."""

from __future__ import annotations

import pytest

from ckanext.lutsk.domain import identifiers

#: Titles and the names they make; also the list the browser test compares the form's
#: JavaScript slug preview against (tests/browser/test_journey.py).
TITLES = {
    "Відвідуваність закладів культури Луцька": "vidviduvanist-zakladiv-kultury-lutska",
    "Бюджет Луцької міської територіальної громади": "biudzhet-lutskoi-miskoi-terytorialnoi-hromady",
    "Перелік об'єктів комунальної власності": "perelik-obiektiv-komunalnoi-vlasnosti",
    "Об’єкти, що знаходяться в оренді": "obiekty-shcho-znakhodiatsia-v-orendi",
    "Згорани та Розгон": "zghorany-ta-rozghon",
    "Єврейська громада, їдальні, йога, ярмарки": "yevreiska-hromada-yidalni-yoha-yarmarky",
    "Ґудзики і ґанки": "gudzyky-i-ganky",
    "Щастя 2024: доходи / видатки (план)": "shchastia-2024-dokhody-vydatky-plan",
    "Open data ЦНАП_2026": "open-data-tsnap_2026",
    "Львів, Київ, Житомир, Харків, Суми": "lviv-kyiv-zhytomyr-kharkiv-sumy",
}


@pytest.mark.parametrize(("title", "name"), TITLES.items())
def test_the_official_transliteration(title, name):
    assert identifiers.slug(title) == name


def test_long_titles_are_cut_at_a_word_within_ckans_limit():
    name = identifiers.slug("Відвідуваність закладів культури Луцька " * 5)
    assert len(name) <= 100
    assert name.endswith(("lutska", "kultury", "zakladiv", "vidviduvanist"))


def test_nothing_usable_gives_an_empty_name():
    assert identifiers.slug("«—»") == ""


def test_a_taken_name_gets_the_next_number():
    taken = {"biudzhet", "biudzhet-2"}
    assert identifiers.unique("biudzhet", taken.__contains__) == "biudzhet-3"
    assert identifiers.unique("osvita", taken.__contains__) == "osvita"
