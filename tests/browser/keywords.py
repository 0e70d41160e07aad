"""The keywords field of the dataset form, as a person types into it: select2 3.x draws it
on CKAN 2.11, select2 4.1 on CKAN 2.12."""

from __future__ import annotations

from typing import Any

#: The text box a person types a keyword into (select2 3.x, then 4.1).
INPUT = (
    "#s2id_field-tag_string input.select2-input, "
    "#field-tag_string + .select2-container .select2-search__field"
)
#: A suggestion in the drop-down (select2 3.x, then 4.1).
OPTION = ".select2-result-label, .select2-results__option"


def add(page: Any, word: str) -> None:
    """Click the field, type ``word``, wait for it among the suggestions, press Enter, and
    wait until the form's field holds it (three inputs of a person)."""
    field = page.locator(INPUT)
    field.click()
    field.press_sequentially(word, delay=20)
    page.locator(OPTION, has_text=word).first.wait_for()
    field.press("Enter")
    page.wait_for_function(
        "(word) => document.querySelector('#field-tag_string').value.split(',').includes(word)", arg=word
    )
