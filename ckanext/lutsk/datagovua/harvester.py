"""``lutsk_datagovua``: a ckanext-harvest harvester that imports the datasets Lutsk's bodies
already have on data.gov.ua into our passport schema, for the first migration and to
reconcile afterwards.

* Gather: one search per hundred datasets of the bodies' national organizations (from
  the registry, or the source config's ``organizations``); with ``"match_edrpou": true``
  also the national organizations whose ЄДРПОУ code is a body's.
* Import: the body comes from the registry (``mapping.body_for_remote_org``); the local
  copy is the one linked to the national id, else the one with the same id (data.gov.ua
  harvested it from us), else the body's dataset with the same name. Newer local data is
  never overwritten (``mapping.decide_import``), and every object reports what was done
  in its ``lutsk_outcome`` extra (created, updated, unchanged, kept local) or in an error.
* Every import links the local dataset to its national copy (``sync_state``), so the
  publisher updates that copy instead of making a second one.
* Requests have timeouts and retries; source URLs are http(s) only (``harvest_sources``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import ckanapi
import requests
from ckan import model
from ckan.types import Context
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ckanext.lutsk import config as lutsk_config
from ckanext.lutsk.datagovua import messages
from ckanext.lutsk.domain import mapping
from ckanext.lutsk.model import sync_state

log = logging.getLogger(__name__)

NAME = "lutsk_datagovua"
DEFAULT_TIMEOUT = 60
DEFAULT_RETRIES = 3
_PAGE = 100
OUTCOME_KEY = "lutsk_outcome"


class ConfigError(ValueError):
    pass


def parse_config(text: str | None) -> dict[str, Any]:
    """The source's JSON config: ``organizations`` (national organization names),
    ``match_edrpou`` (bool), ``timeout`` (seconds, 1–300), ``retries`` (after a timeout, a
    dropped connection or a 5xx; 0–10, default 3). Raises ``ConfigError``."""
    if not text or not text.strip():
        return {}
    try:
        config = json.loads(text)
    except ValueError as e:
        raise ConfigError(f"not valid JSON: {e}") from None
    if not isinstance(config, dict):
        raise ConfigError("must be a JSON object")
    unknown = set(config) - {"organizations", "match_edrpou", "timeout", "retries", "user_agent"}
    if unknown:
        raise ConfigError(f"unknown keys: {', '.join(sorted(unknown))}")
    orgs = config.get("organizations", [])
    if not isinstance(orgs, list) or not all(isinstance(o, str) and o for o in orgs):
        raise ConfigError("organizations must be a list of organization names")
    if not isinstance(config.get("match_edrpou", False), bool):
        raise ConfigError("match_edrpou must be true or false")
    timeout = config.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or not 1 <= timeout <= 300:
        raise ConfigError("timeout must be a whole number of seconds from 1 to 300")
    retries = config.get("retries", DEFAULT_RETRIES)
    if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
        raise ConfigError("retries must be a whole number from 0 to 10")
    return config


def _client(url: str, config: dict[str, Any]) -> tuple[ckanapi.RemoteCKAN, dict[str, Any]]:
    retry = Retry(
        total=config.get("retries", DEFAULT_RETRIES),
        backoff_factor=1,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=None,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    # Read-only and public: the national portal's datasets need no token, and ckanapi's
    # GET keeps the requests cacheable.
    api = ckanapi.RemoteCKAN(
        url.rstrip("/"),
        user_agent=config.get("user_agent") or "ckanext-lutsk harvester",
        get_only=True,
        session=session,
    )
    timeout = config.get("timeout", DEFAULT_TIMEOUT)
    return api, {"timeout": (min(10, timeout), timeout)}


def _national_orgs(config: dict[str, Any]) -> list[str]:
    if config.get("organizations"):
        return list(dict.fromkeys(config["organizations"]))
    reg = lutsk_config.registry()
    return list(dict.fromkeys(lutsk_config.national_org(b.slug) for b in reg.active()))


class LutskDatagovuaHarvester(HarvesterBase):
    p.implements(IHarvester)

    # IHarvester

    def info(self) -> dict[str, str]:
        return {
            "name": NAME,
            "title": "data.gov.ua → Луцьк",
            "description": "Imports the datasets of Lutsk bodies from data.gov.ua into the passport schema.",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str | None:
        try:
            parse_config(config)
        except ConfigError as e:
            raise ValueError(str(e)) from None
        return config

    def gather_stage(self, harvest_job) -> list[str] | None:
        url = harvest_job.source.url
        error = messages.harvest_url_error(url, resolve=True)
        if error:
            self._save_gather_error(error, harvest_job)
            return None
        try:
            config = parse_config(harvest_job.source.config)
        except ConfigError as e:
            self._save_gather_error(f"Invalid config: {e}", harvest_job)
            return None
        api, kwargs = _client(url, config)
        try:
            orgs = _national_orgs(config)
            by_code: dict[str, dict[str, Any]] = {}
            if config.get("match_edrpou"):
                by_code = {o["name"]: o for o in self._orgs_by_edrpou(api, kwargs) if o["name"] not in orgs}
                orgs += list(by_code)
            found = self._search(api, kwargs, orgs)
        except (ckanapi.CKANAPIError, requests.RequestException, ValueError) as e:
            self._save_gather_error(f"data.gov.ua search failed: {type(e).__name__}: {e}"[:2000], harvest_job)
            return None
        ids = []
        for pkg in found:
            org = pkg.get("organization") or {}
            if org.get("name") in by_code:
                # Search results carry no organization extras: keep the ЄДРПОУ for the import.
                pkg["organization"] = {**org, "extras": by_code[org["name"]].get("extras", [])}
            obj = HarvestObject(guid=pkg["id"], job=harvest_job, content=json.dumps(pkg))
            obj.save()
            ids.append(obj.id)
        log.info("lutsk_datagovua: %d datasets in %d national organizations", len(ids), len(orgs))
        return ids

    def _search(self, api, kwargs, orgs: list[str]) -> list[dict[str, Any]]:
        if not orgs:
            return []
        fq = "organization:(" + " OR ".join(f'"{o}"' for o in orgs) + ")"
        found: dict[str, dict[str, Any]] = {}
        start = 0
        while True:
            page = api.call_action(
                "package_search",
                {"fq": fq, "rows": _PAGE, "start": start, "sort": "id asc"},
                requests_kwargs=dict(kwargs),
            )
            for pkg in page["results"]:
                found.setdefault(pkg["id"], pkg)  # a dataset moved while paging shows twice
            start += _PAGE
            if not page["results"] or start >= page["count"]:
                return list(found.values())

    def _orgs_by_edrpou(self, api, kwargs) -> list[dict[str, Any]]:
        reg = lutsk_config.registry()
        matched: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = api.call_action(
                "organization_list",
                {"all_fields": True, "include_extras": True, "limit": 25, "offset": offset},
                requests_kwargs=dict(kwargs),
            )
            for org in page:
                code = mapping.org_edrpou(org)
                if code and reg.by_edrpou(code) is not None:
                    matched.append(org)
            offset += 25
            if len(page) < 25:
                return matched

    def fetch_stage(self, harvest_object) -> bool:
        return True  # the search result is the whole dataset

    def import_stage(self, harvest_object) -> bool | str:
        try:
            remote = json.loads(harvest_object.content or "")
        except ValueError:
            self._save_object_error("Empty or invalid content", harvest_object, "Import")
            return False
        try:
            return self._import(harvest_object, remote)
        except tk.ValidationError as e:
            model.Session.rollback()
            errors = {k: v for k, v in e.error_dict.items() if k != "__type"}
            self._save_object_error(
                f"{remote.get('name')}: {json.dumps(errors, ensure_ascii=False)}", harvest_object, "Import"
            )
            return False
        except ImportProblem as e:
            self._save_object_error(f"{remote.get('name')}: {e}", harvest_object, "Import")
            return False

    # -- import

    def _import(self, harvest_object, remote: dict[str, Any]) -> bool | str:
        reg = lutsk_config.registry()
        body = mapping.body_for_remote_org(reg, remote.get("organization"))
        city = lutsk_config.datagovua_org()
        if city and (remote.get("organization") or {}).get("name") == city:
            # The city's one cabinet: the holder body is named by the copy itself.
            body = mapping.body_for_author(reg, remote)
        if body is None:
            org_name = (remote.get("organization") or {}).get("name")
            raise ImportProblem(f"national organization {org_name!r} is not a body of the registry")
        org = model.Group.get(body.slug)
        if org is None or not org.is_organization:
            raise ImportProblem(f"no organization for body {body.slug!r}: run `ckan lutsk bodies sync`")

        row = sync_state.by_remote_id(remote["id"])
        pkg = model.Package.get(row.package_id) if row is not None else None
        if pkg is None:
            pkg = model.Package.get(remote["id"])  # data.gov.ua harvested it from us: same id
        if pkg is None:
            same_name = model.Package.get(remote["name"])
            if same_name is not None and same_name.owner_org != org.id:
                raise ImportProblem(f"the name {remote['name']!r} belongs to another body's dataset")
            pkg = same_name
        if pkg is not None and pkg.state == "deleted":
            self._report(harvest_object, "kept local (deleted here)", pkg.id)
            return "unchanged"
        local = _show(pkg.id) if pkg is not None else None
        row = row or (sync_state.get(pkg.id) if pkg is not None else None)
        decision = mapping.decide_import(
            local, remote, last_pushed_remote_modified=row.remote_modified if row is not None else None
        )
        context: Context = {"user": _site_user(), "ignore_auth": True}
        if decision.action == "create" or local is None:
            data = self._local_dict(remote, org.id, body)
            saved = tk.get_action("package_create")(context, data)
            outcome = "created"
        elif decision.action == "update":
            data = {
                **local,
                **self._local_dict(remote, org.id, body),
                "id": local["id"],
                "name": local["name"],
            }
            data["resources"] = _merge_resources(local.get("resources") or [], data["resources"])
            data.pop("tags", None)  # tag_string carries the national keywords
            saved = tk.get_action("package_update")(context, data)
            outcome = "updated"
        else:
            saved = local
            outcome = "unchanged" if decision.action == "unchanged" else "kept local (newer)"
        self._link(saved, remote, body, harvest_object.source.url, newer_here=decision.action == "keep_local")
        self._report(harvest_object, outcome, saved["id"])
        return True if decision.action in ("create", "update") else "unchanged"

    def _local_dict(self, remote: dict[str, Any], org_id: str, body) -> dict[str, Any]:
        data = mapping.to_local(remote, owner_org=org_id)
        # data.gov.ua does not require what resolution 835 does: fill the gaps from the registry.
        if not data.get("maintainer_email") and body.email:
            data["maintainer_email"] = body.email
        vocab = lutsk_config.vocabulary("formats")
        for res in data["resources"]:
            if res.get("format") and vocab.normalize(res["format"]) is None:
                res.pop("format")  # an unknown format is left out, not guessed
        return data

    def _link(
        self, local: dict[str, Any], remote: dict[str, Any], body, source_url: str, newer_here: bool
    ) -> None:
        owner = lutsk_config.national_org(body.slug)
        pushed = mapping.to_remote(local, owner_org=owner)
        remote_modified = remote.get("metadata_modified")
        local_modified = local.get("metadata_modified")
        if newer_here:
            # Our copy is newer: the national copy is behind until the publisher pushes.
            local_modified = remote_modified
        sync_state.save(
            local["id"],
            remote_id=remote["id"],
            remote_name=remote["name"],
            remote_org=(remote.get("organization") or {}).get("name"),
            remote_url=f"{source_url.rstrip('/')}/dataset/{remote['name']}",
            remote_modified=remote_modified,
            state=sync_state.IN_STEP,
            fingerprint=None if newer_here else mapping.fingerprint(pushed),
            resource_ids=mapping.resource_id_map(local, remote),
            local_modified=dt.datetime.fromisoformat(local_modified) if local_modified else None,
            error_kind=None,
            error_detail=None,
        )

    def _report(self, harvest_object, outcome: str, package_id: str) -> None:
        # Un-flag earlier objects of the same dataset (the harvest import contract).
        model.Session.query(HarvestObject).filter(
            HarvestObject.package_id == package_id, HarvestObject.id != harvest_object.id
        ).update({"current": False}, synchronize_session=False)
        harvest_object.package_id = package_id
        harvest_object.current = True
        harvest_object.extras.append(HarvestObjectExtra(key=OUTCOME_KEY, value=outcome))
        harvest_object.save()
        log.info("lutsk_datagovua: %s %s", package_id, outcome)


class ImportProblem(Exception):
    pass


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _show(package_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"user": _site_user(), "ignore_auth": True}, {"id": package_id})


def _merge_resources(local: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The national resource list, keeping each local resource (id, upload, our own
    fields) whose link is the same."""
    by_url = {r.get("url"): r for r in local}
    out = []
    for res in incoming:
        existing = by_url.get(res.get("url"))
        out.append({**existing, **res} if existing else res)
    return out
