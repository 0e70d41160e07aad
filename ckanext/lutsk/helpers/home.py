"""Template helpers of the city's home page (``h.lutsk_home_*``).

Everything here is read from the search index with ``rows=0`` counts or one short page of
results: the home page never reads every dataset.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.lutsk import config
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import deadlines, workdays
from ckanext.lutsk.lang import current as current_lang

#: How many datasets each list on the home page shows.
LIST_SIZE = 5


def _search(data: dict[str, Any]) -> dict[str, Any]:
    # Public datasets only: the home page is the same for everyone.
    query = {"q": "*:*", "fq": "+dataset_type:dataset", "include_private": False, **data}
    return tk.get_action("package_search")({"ignore_auth": True}, query)


def _count(fq: str) -> int:
    return _search({"fq": f"+dataset_type:dataset +{fq}", "rows": 0})["count"]


def lutsk_home_newest() -> list[dict[str, Any]]:
    """The newest public datasets (first published last)."""
    return _search({"sort": "metadata_created desc", "rows": LIST_SIZE})["results"]


def lutsk_home_popular() -> dict[str, Any]:
    """The most-viewed public datasets, with ``by_views`` saying whether they are.

    View counts exist only when CKAN's ``tracking`` plugin is enabled (it adds
    ``views_recent`` to the index). Without it the portal has no honest measure of
    popularity, so the list falls back to the datasets whose records changed last, and
    the page titles it "Recently updated" rather than pretending they are the most viewed.
    """
    by_views = p.plugin_loaded("tracking")
    sort = "views_recent desc, metadata_modified desc" if by_views else "metadata_modified desc"
    return {"by_views": by_views, "datasets": _search({"sort": sort, "rows": LIST_SIZE})["results"]}


def lutsk_home_on_time() -> dict[str, Any]:
    """The share of public datasets updated on time today, as the deadline reports count
    it (on time or due soon, out of all but the discontinued), from three index counts
    (``status.state_query``: right on any day, whether or not the daily refresh ran)."""
    today = workdays.kyiv_today()
    kwargs = {"due_soon_days": config.due_soon_days(), "calendar": config.calendar()}
    total = _count("state:active")
    good = _count(status.state_query([deadlines.ON_TIME, deadlines.DUE_SOON], today, **kwargs))
    discontinued = _count(status.state_query([deadlines.DISCONTINUED], today, **kwargs))
    applicable = total - discontinued
    percent = round(100 * good / applicable) if applicable else None
    return {"total": total, "applicable": applicable, "on_time": good, "percent": percent}


def lutsk_home_bodies() -> list[dict[str, Any]]:
    """The executive bodies of the registry that have an organization on the portal, each
    with its title in the user's language, its page and its number of public datasets."""
    # Names and titles in one query (``organization_list`` caps ``all_fields`` at 25); the
    # dataset counts from one faceted count of the index.
    rows = (
        model.Session.query(model.Group.name, model.Group.title)
        .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
        .all()
    )
    facets = _search({"rows": 0, "facet.field": ["organization"], "facet.limit": -1})
    counts = dict(facets["facets"].get("organization", {}))
    registry, lang = config.registry(), current_lang()
    bodies = []
    for name, title in rows:
        entry = registry.get(name)
        bodies.append(
            {
                "name": name,
                "title": entry.title(lang) if entry else (title or name),
                "url": tk.h.url_for("organization.read", id=name),
                "count": counts.get(name, 0),
            }
        )
    bodies.sort(key=lambda b: b["title"].casefold())
    return bodies
