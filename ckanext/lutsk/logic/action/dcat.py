"""ckanext-dcat's catalogue actions, chained: the catalogue publishes public datasets only;
a query Solr cannot parse is the caller's error (400 on a page, 409 through the API), and
the paging links are built from encoded parameters."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SearchQueryError, SolrConnectionError
from ckan.types import Action, Context, DataDict
from werkzeug.datastructures import ImmutableMultiDict

# The parameters ckanext-dcat copies into its paging links unencoded.
_PAGING_PARAMS = ("modified_since", "profiles", "q", "fq")


def _public_only(data_dict: dict[str, Any]) -> dict[str, Any]:
    # package_search would add the private datasets the caller may see
    # (ckan.search.default_include_private): the catalogue publishes public ones only.
    fq = data_dict.get("fq")
    return {**data_dict, "fq": f"capacity:public AND ({fq})" if fq else "capacity:public"}


@contextlib.contextmanager
def _encoded_paging_args() -> Iterator[None]:
    """ckanext-dcat builds its paging links (hydra:next, …) by pasting the request's
    ``q``/``fq`` into the URL as they are; a space or a bracket then makes an IRI rdflib
    refuses. While the action runs, the request's parameters are seen percent-encoded
    (the search itself reads ``data_dict``, which keeps the real values)."""
    try:
        request = tk.request._get_current_object()  # type: ignore[attr-defined]
        original = request.args
    except (RuntimeError, AttributeError, TypeError):  # no request (CLI, jobs)
        yield
        return
    encoded = ImmutableMultiDict(
        [(k, quote(v, safe=",:") if k in _PAGING_PARAMS else v) for k, v in original.items(multi=True)]
    )
    request.__dict__["args"] = encoded
    try:
        yield
    finally:
        request.__dict__["args"] = original


def _bad_query(exc: Exception) -> None:
    message = tk._("The search query is not valid: check its brackets, quotes and field names.")
    try:
        in_page = not tk.request.path.startswith("/api/")
    except (RuntimeError, AttributeError, TypeError):
        in_page = False
    if in_page:
        tk.abort(400, message)
    raise tk.ValidationError({"q": [message]}) from exc


def _run(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    try:
        with _encoded_paging_args():
            return up_func(context, _public_only(data_dict))
    except SolrConnectionError:
        raise
    except (SearchQueryError, SearchError) as exc:
        _bad_query(exc)


@tk.side_effect_free
@tk.chained_action
def dcat_catalog_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    return _run(up_func, context, data_dict)


@tk.side_effect_free
@tk.chained_action
def dcat_catalog_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    return _run(up_func, context, data_dict)
