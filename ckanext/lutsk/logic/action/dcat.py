"""ckanext-dcat's catalogue actions, chained: the catalogue publishes public datasets only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict


def _public_only(data_dict: dict[str, Any]) -> dict[str, Any]:
    # package_search would add the private datasets the caller may see
    # (ckan.search.default_include_private): the catalogue publishes public ones only.
    fq = data_dict.get("fq")
    return {**data_dict, "fq": f"capacity:public AND ({fq})" if fq else "capacity:public"}


@tk.side_effect_free
@tk.chained_action
def dcat_catalog_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    return up_func(context, _public_only(data_dict))


@tk.side_effect_free
@tk.chained_action
def dcat_catalog_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    return up_func(context, _public_only(data_dict))
