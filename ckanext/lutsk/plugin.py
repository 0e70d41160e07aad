"""The ``lutsk`` plugin: thin CKAN glue around ckanext-lutsk's domain modules."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckan.types import Context
from ckanext.dcat.interfaces import IDCATRDFHarvester, IDCATURIGenerator

from ckanext.lutsk import config, helpers
from ckanext.lutsk.datacheck import datastore as datacheck_datastore
from ckanext.lutsk.datacheck import jobs as datacheck_jobs
from ckanext.lutsk.datagovua import publisher
from ckanext.lutsk.dcat import hooks as dcat_hooks
from ckanext.lutsk.deadlines import status
from ckanext.lutsk.domain import mapping, vocabularies
from ckanext.lutsk.logic import action, auth
from ckanext.lutsk.logic.auth import datasets as auth_datasets
from ckanext.lutsk.oversight import stored as oversight_stored


# Each part is found by tk.blanket under CKAN's conventional name (helpers, logic.action,
# logic.validators, views, cli); auth functions by a function, as some exist only with
# ckanext-harvest loaded.
@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.actions(action.get_actions)
@tk.blanket.blueprints
class LutskPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IFacets, inherit=True)
    p.implements(IDCATURIGenerator, inherit=True)
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer

    def update_config(self, config_: tk.CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "lutsk")
        if not config_.get("licenses_group_url"):
            # The licences the portal offers are city-maintained data, not code.
            config_["licenses_group_url"] = vocabularies.licenses_group_url()

    # IMiddleware: security headers on every response (security.py)

    def make_middleware(self, app: Any, config_: tk.CKANConfig) -> Any:
        from ckanext.lutsk import security

        return security.register(app)

    # IConfigurable

    def configure(self, config_: tk.CKANConfig) -> None:
        publisher.register_session_events()
        oversight_stored.register_session_events()
        datacheck_jobs.register_session_events()
        datacheck_datastore.read_single_byte_files_as_cp1251()
        datacheck_datastore.token_from_file()
        # Load the working-day calendar now, so a broken file is logged (with its line) at
        # start-up; the portal keeps serving on the fallback (see config.calendar).
        config.calendar()
        # Likewise the resolution-835 annex: a broken file is logged and not applied.
        config.annex()

    # ITranslation: DefaultTranslation finds ckanext/lutsk/i18n/<locale>/LC_MESSAGES/ckanext-lutsk.mo

    # IPackageController

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        # data.gov.ua's harvester reads keywords from the top-level ``tag_string``.
        pkg_dict["tag_string"] = ",".join(t["name"] for t in pkg_dict.get("tags", []))
        org = pkg_dict.get("organization") or {}
        pkg_dict["owner_body"] = helpers.lutsk_body(org.get("name"))
        # The holder body in keys any CKAN keeps (data.gov.ua's harvester copies them into
        # the city's one cabinet): always the owner organization's body, never stale input.
        pkg_dict.update(mapping.holder_fields(config.registry().get(org.get("name") or "")))

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        publisher.note_change(pkg_dict)
        oversight_stored.note_change(pkg_dict)
        datacheck_jobs.note_change(pkg_dict)

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        publisher.note_change(pkg_dict)
        oversight_stored.note_change(pkg_dict)
        datacheck_jobs.note_change(pkg_dict)

    def after_dataset_delete(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        publisher.note_change({**pkg_dict, "state": "deleted"})
        oversight_stored.note_change(pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        body = pkg_dict.pop("owner_body", None)
        if body:
            pkg_dict["owner_body_edrpou"] = body.get("edrpou") or ""
            pkg_dict["owner_body_kind"] = body.get("kind")
        # Next-due date and deadline state, so that "overdue datasets of body X" is one query.
        pkg_dict.update(status.package_index_fields(pkg_dict))
        # The data check state (facet and badge), from the stored reports.
        validated = pkg_dict.get("validated_data_dict")
        if validated:
            pkg_dict.update(datacheck_jobs.index_fields(json.loads(validated)))
        return pkg_dict

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict:
        facet = search_results.get("search_facets", {}).get(status.STATE_FIELD)
        for item in facet["items"] if facet else ():
            item["display_name"] = helpers.lutsk_deadline_state_label(item["name"])
        facet = search_results.get("search_facets", {}).get(datacheck_jobs.STATE_FIELD)
        for item in facet["items"] if facet else ():
            item["display_name"] = helpers.lutsk_data_state_label(item["name"])
        return search_results

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj) -> list[str]:
        return auth_datasets.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj) -> list[str]:
        return auth_datasets.user_labels(user_obj)

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        facets_dict[status.STATE_FIELD] = tk._("Update deadline")
        facets_dict[datacheck_jobs.STATE_FIELD] = tk._("Data check")
        return facets_dict

    def organization_facets(
        self, facets_dict: dict[str, Any], organization_type: str, package_type: str | None
    ) -> dict[str, Any]:
        facets_dict[status.STATE_FIELD] = tk._("Update deadline")
        facets_dict[datacheck_jobs.STATE_FIELD] = tk._("Data check")
        return facets_dict

    # IDCATURIGenerator: publishers by their registry slug (dcat_hooks)

    def publisher_uri(self, dataset_dict: dict[str, Any], default_uri: str | None) -> str | None:
        return dcat_hooks.publisher_uri(dataset_dict) or default_uri

    # IDCATRDFHarvester: RDF is checked before ckanext-dcat parses it (dcat_hooks, rdf_guard)

    def before_download(self, url: str, harvest_job) -> tuple[str | None, list[str]]:
        return dcat_hooks.before_download(url, harvest_job)

    def after_download(self, content: Any, harvest_job) -> tuple[Any, list[str]]:
        return dcat_hooks.after_download(content, harvest_job)
