"""The DataStore API as residents' programs call it (issue 19, item 4)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
import flask
import sqlalchemy.exc
from ckan.types import Action, Context, DataDict

#: Runs of characters that are not part of a word (Unicode: Cyrillic letters are word characters).
_NOT_WORD = re.compile(r"[^\w\-]+")
#: The endpoint of datatables_view's table data (ckanext/datatablesview/blueprint.py, ajax).
_DATATABLES_AJAX = "datatablesview.ajax"


@tk.side_effect_free  # as CKAN's: callable with GET
@tk.chained_action
def datastore_search_sql(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's datastore_search_sql, with a query PostgreSQL refuses while CKAN checks it
    (e.g. ``WITH d AS (DELETE ...) SELECT``: the read-only role never runs it) answered as
    a validation error (409) with PostgreSQL's reason, not as a 500."""
    try:
        return up_func(context, data_dict)
    except sqlalchemy.exc.DBAPIError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise tk.ValidationError(
            {"sql": [tk._("The DataStore cannot run this query: {reason}").format(reason=reason)]}
        ) from None


def datatables_query(form: Mapping[str, str]) -> str:
    """The DataStore full-text query of a datatables_view request, as CKAN's view builds it
    (a column search wins over the table search; each term a prefix), but keeping every
    letter: CKAN replaces whatever is not an ASCII letter or digit with ``_``, so a Ukrainian
    word searched nothing (ckan/ckan#8583, open)."""
    columns: dict[str, str] = {}
    i = 0
    while f"columns[{i}][search][value]" in form:
        value = form[f"columns[{i}][search][value]"]
        if value:
            columns[form.get(f"columns[{i}][name]", "")] = _NOT_WORD.sub("_", value) + ":*"
        i += 1
    if columns:
        return json.dumps(columns)
    text = form.get("search[value]", "")
    return _NOT_WORD.sub("_", text) + ":*" if text else ""


@tk.side_effect_free  # as CKAN's: callable with GET
@tk.chained_action
def datastore_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's datastore_search; for the table data of datatables_view, the query rebuilt from
    the request with its Cyrillic letters (see datatables_query)."""
    if (
        "q" in data_dict
        and flask.has_request_context()
        and flask.request.endpoint == _DATATABLES_AJAX
        and flask.request.method == "POST"
    ):
        data_dict = {**data_dict, "q": datatables_query(flask.request.form)}
    return up_func(context, data_dict)
