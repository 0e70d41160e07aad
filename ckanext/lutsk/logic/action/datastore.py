"""The DataStore API as residents' programs call it (issue 19, item 4)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy.exc
from ckan.types import Action, Context, DataDict


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
