"""The ``lutsk`` plugin: thin CKAN glue around ckanext-lutsk's domain modules."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.lutsk import auth, helpers, passport_views, validators, vocabularies


def blueprints() -> list:
    """IBlueprint: every blueprint of the extension (add new modules' blueprints here)."""
    return [passport_views.passport]


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.validators(validators.get_validators)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(blueprints)
class LutskPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)

    # IConfigurer

    def update_config(self, config_: tk.CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "lutsk")
        if not config_.get("licenses_group_url"):
            # The licences the portal offers are city-maintained data, not code.
            config_["licenses_group_url"] = vocabularies.licenses_group_url()

    # ITranslation: DefaultTranslation finds ckanext/lutsk/i18n/<locale>/LC_MESSAGES/ckanext-lutsk.mo

    # IPackageController

    def after_dataset_show(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        # data.gov.ua's harvester reads keywords from the top-level ``tag_string``.
        pkg_dict["tag_string"] = ",".join(t["name"] for t in pkg_dict.get("tags", []))
        org = pkg_dict.get("organization") or {}
        pkg_dict["owner_body"] = helpers.lutsk_body(org.get("name"))

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        body = pkg_dict.pop("owner_body", None)
        if body:
            pkg_dict["owner_body_edrpou"] = body.get("edrpou") or ""
            pkg_dict["owner_body_kind"] = body.get("kind")
        return pkg_dict

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj) -> list[str]:
        return auth.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj) -> list[str]:
        return auth.user_labels(user_obj)
