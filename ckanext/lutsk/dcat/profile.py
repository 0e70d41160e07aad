"""The ``lutsk`` RDF profile of ckanext-dcat: the passport of CMU resolution No. 835, with
data.gov.ua's keys, as DCAT-AP 3 and back.

It is ckanext-dcat's ``euro_dcat_ap_3`` profile with the passport on top
(``ckanext.dcat.rdf.profiles = lutsk``). On output the passport's values and the EU authority
URIs of our vocabularies take the place of what the stock profile derives from CKAN's generic
fields: the stock part is given only the fields the passport does not replace, so it writes
nothing that is then removed. After ``euro_dcat_ap_3`` in a chain (``euro_dcat_ap_3 lutsk``,
as configured before) it replaces the stock triples instead, to the same graph. On input it
turns such a graph back into a passport equal, field by field, to the one published. Every node
it writes has a URI: rdflib's Turtle writer slows down superlinearly with blank nodes, and
harvesters can match stable nodes.

Passport field → DCAT-AP 3 (README, "DCAT endpoints", says why where there is a choice):

==============================  ===========================================================
name (element 1)                dct:identifier (the dataset's URI is its page on the portal)
title, title_en                 dct:title @uk / @en
notes, notes_en                 dct:description @uk / @en
restricted_info                 dct:accessRights: a dct:RightsStatement <…#access-rights>
                                with the text as rdfs:label, else the EU access right PUBLIC
owner_org                       dct:publisher <site/organization/slug>, foaf:Organization,
                                names from the registry, ЄДРПОУ as dct:identifier
purpose_of_collecting_inform.   prov:wasGeneratedBy <…#collection>, a prov:Activity whose
                                rdfs:label is the legal basis and purpose
language                        dct:language, EU language authority
date_published / data_updated   dct:issued / dct:modified (xsd:dateTime, UTC)
data_current_as_of              dct:temporal <…#temporal> with dcat:endDate
data_changed                    lutsk:dataChanged (no DCAT-AP property; see README)
update_frequency                dct:accrualPeriodicity, EU frequency authority; "no longer
                                updated" has none and is adms:status <…/status/Completed>
tag_string                      dcat:keyword @uk
previous_versions_url           dcat:qualifiedRelation <…#previous-versions>, role IANA
                                "version-history"
maintainer, maintainer_email    dcat:contactPoint <…#contact>, a vcard:Kind
license_id                      dct:license of each distribution (of the dataset when it has
                                none), EU licence URI
resources                       dcat:Distribution: dct:format (EU file type), dcat:mediaType
                                (IANA), dcat:compressFormat, dct:license, dcat:downloadURL;
                                an API is a dcat:accessService
resource with structure=true    dct:conformsTo of the dataset (a dct:Standard)
==============================  ===========================================================
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.profiles import (
    ADMS,
    DCAT,
    DCT,
    FOAF,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    XSD,
    EuropeanDCATAP3Profile,
    RDFProfile,
)
from ckanext.dcat.utils import catalog_uri, resource_uri
from rdflib import PROV, BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from ckanext.lutsk import config
from ckanext.lutsk.domain import identifiers, tabular
from ckanext.lutsk.domain.iri import safe_iri
from ckanext.lutsk.domain.mapping import national_org
from ckanext.lutsk.domain.registry import Body

__all__ = ["LUTSK", "LutskDCATAPProfile", "organization_uri"]

#: Terms DCAT-AP 3 has no property for. The IRI names the vocabulary; README documents it.
LUTSK = Namespace("https://lutskrada.gov.ua/ns/opendata#")

ACCESS_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
STATUS_COMPLETED = URIRef("http://purl.org/adms/status/Completed")
VERSION_HISTORY = URIRef("http://www.iana.org/assignments/relation/version-history")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
_PUBLISHER_TYPES = {
    # ADMS publisher types: the council and its executive bodies are a local authority;
    # a municipal enterprise is a public body of its own.
    "municipal_enterprise": (URIRef("http://purl.org/adms/publishertype/PublicBody"), "Public body"),
}
_LOCAL_AUTHORITY = (URIRef("http://purl.org/adms/publishertype/LocalAuthority"), "Local Authority")
# Formats served by a service endpoint rather than downloaded as a file.
_SERVICE_FORMATS = {"API", "WMS", "WFS"}
_NAME_RE = re.compile(r"[a-z0-9_-]{2,100}")
_MAILTO = "mailto:"

# The stock profile's publisher fields; the registry describes the body instead.
_PUBLISHER_FIELDS = (
    "publisher_uri",
    "publisher_name",
    "publisher_email",
    "publisher_url",
    "publisher_type",
    "publisher_identifier",
)
# What the stock parsers add that the passport carries elsewhere (or not at all).
_CONSUMED_EXTRAS = {
    "identifier",
    "issued",
    "modified",
    "frequency",
    "language",
    "access_rights",
    "temporal_start",
    "temporal_end",
    "conforms_to",
    "documentation",
    "homepage",
    "contact_uri",
    "contact_name",
    "contact_email",
    "contact_identifier",
    "contact_url",
    *_PUBLISHER_FIELDS,
}
_CONSUMED_KEYS = (
    "url",
    "tags",
    "contact",
    "publisher",
    "creator",
    "qualified_relation",
    "provenance_activity",
)
_RESOURCE_KEYS = ("uri", "url", "name", "description")


@dataclass
class _GraphState:
    base: str
    done: set[tuple[str, str]] = field(default_factory=set)
    licences: dict[str, URIRef | None] = field(default_factory=dict)
    #: Nodes whose class is stated, by (URI, class): one URIRef object per node, so the
    #: store's and the writer's dictionaries find it by identity.
    typed: dict[tuple[str, URIRef], URIRef] = field(default_factory=dict)


def _remember_misses(graph: Any, datasets: str) -> None:
    """Make ``graph``'s namespace manager remember the URIs it cannot shorten to a prefixed
    name. rdflib caches the names it finds but not its misses (subjects and objects get no
    generated prefix), and the Turtle writer asks about every node a dozen times: each miss
    splits the URI character by character and walks the namespace tree again.

    The nodes within a dataset (``<datasets><id>#contact``, its distributions ``…/resource/…``)
    never have a prefixed name (``ds:`` names the datasets themselves): they miss at once,
    without rdflib adding each one's namespace to its tree, where every insertion scans all
    those before it (quadratic in the datasets of one graph)."""
    manager = graph.namespace_manager
    compute = manager.compute_qname
    misses: dict[tuple[str, bool], Exception] = {}
    start = len(datasets)

    def compute_qname(uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        key = (uri, generate)
        miss = misses.get(key)
        if miss is None and not generate and uri.startswith(datasets):
            local = uri[start:]
            if "#" in local or "/" in local:
                miss = misses[key] = KeyError(f"No known prefix for {uri} and generate=False")
        if miss is not None:
            raise miss.with_traceback(None)
        try:
            return compute(uri, generate)
        except (KeyError, ValueError) as exc:
            misses[key] = exc
            raise

    manager.compute_qname = compute_qname


_STATES: weakref.WeakKeyDictionary[Any, _GraphState] = weakref.WeakKeyDictionary()


def organization_uri(slug: str) -> str:
    """The stable URI of a body's organization (its page on the portal)."""
    return f"{catalog_uri().rstrip('/')}/organization/{slug}"


# Keys from which the stock profile writes blank nodes (ckanext-dcat 2.4); what we write
# ourselves never is one.
_BLANK_NODE_KEYS = (
    "temporal_start",
    "temporal_end",
    "temporal_coverage",
    "spatial",
    "spatial_text",
    "spatial_coverage",
    "access_rights",
    "provenance",
    "provenance_activity",
    "qualified_attribution",
    "alternate_identifier",
    "publisher_name",
    "creator_name",
    "publisher",
    "creator",
)
_BLANK_NODE_RESOURCE_KEYS = ("hash", "access_services", "rights")


# Fields whose triples the passport replaces, so the stock part never sees them
# (``_stock_view``); the first set always, the others when the passport has the value.
_REPLACED = frozenset(
    {
        "title",
        "title_translated",
        "notes",
        "notes_translated",
        "tags",
        "tags_translated",
        "issued",
        "metadata_created",
        "modified",
        "metadata_modified",
        "language",
        "frequency",
        "access_rights",
    }
)
_REPLACED_IDENTIFIER = ("identifier", "guid", "id")
_REPLACED_TEMPORAL = ("temporal_start", "temporal_end", "temporal_coverage")
_REPLACED_ACTIVITY = ("provenance_activity",)
_REPLACED_CONTACT = (
    "contact",
    "contact_uri",
    "contact_name",
    "contact_email",
    "maintainer",
    "maintainer_email",
    "author",
    "author_email",
)
_REPLACED_PUBLISHER = ("organization", "publisher", *_PUBLISHER_FIELDS)
_REPLACED_RESOURCE = frozenset({"format", "mimetype", "compress_format"})


def _without(data: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    """A shallow copy of a CKAN dict without ``keys``, at the root and as (``dcat_``) extras."""
    out = {k: v for k, v in data.items() if k not in keys}
    if out.get("extras"):
        out["extras"] = [e for e in out["extras"] if str(e.get("key", "")).removeprefix("dcat_") not in keys]
    return out


def _given(data: dict[str, Any], *keys: str) -> bool:
    """Whether the stock profile saw any of ``keys`` (at the root or as an extra)."""
    if any(data.get(k) for k in keys):
        return True
    return any(e.get("key") in keys and e.get("value") for e in data.get("extras") or ())


def _writable(node: Node) -> Node | None:
    """``node`` as rdflib can write it (the same object if it already is), or None."""
    if isinstance(node, URIRef):
        text = str(node)
        fixed = safe_iri(text)
        if fixed == text:
            return node
        return URIRef(fixed) if fixed else None
    if isinstance(node, Literal):
        text = str(node)
        cleaned = tabular.clean_text(text)
        if cleaned == text:
            return node
        return Literal(cleaned, lang=node.language, datatype=node.datatype)
    return node


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _utc(value: str) -> dt.datetime | None:
    """A stored CKAN timestamp (naive means UTC) as an aware datetime."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)  # noqa: UP017


def _stored_timestamp(value: str) -> str | None:
    """An xsd:dateTime read back as CKAN stores it: naive UTC in ISO format."""
    moment = _utc(value)
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()  # noqa: UP017


def _date(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


class LutskDCATAPProfile(EuropeanDCATAP3Profile):
    """Passport ↔ DCAT-AP 3: ``euro_dcat_ap_3`` with the passport (see the module docstring)."""

    #: Whether the graph holds what the stock profile wrote from the fields the passport
    #: replaces, to be removed: for the catalogue always, for a dataset only after
    #: ``euro_dcat_ap_3`` in a chain (alone, the stock part never sees those fields).
    _after_stock = False
    _graph_state: _GraphState | None = None

    def __init__(self, graph: Any, dataset_type: str = "dataset", compatibility_mode: bool = False) -> None:
        # RDFProfile.__init__ fetches the scheming schema through the action layer, and a
        # profile is made for every dataset of a page: only parsing needs it (parse_dataset).
        self.g = graph
        self.compatibility_mode = compatibility_mode
        self._dataset_type = dataset_type
        self._default_lang = tk.config.get("ckan.locale_default", "en")
        self._default_locale_lang = None

    # ------------------------------------------------------------------ output

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        g = self.g
        state = self._state()
        uri = str(dataset_ref)
        self._after_stock = (dataset_ref, RDF.type, DCAT.Dataset) in g
        if not self._after_stock:
            super().graph_from_dataset(self._stock_view(dataset_dict), dataset_ref)

        self._set_texts(dataset_ref, DCT.title, dataset_dict.get("title"), dataset_dict.get("title_en"))
        self._set_texts(dataset_ref, DCT.description, dataset_dict.get("notes"), dataset_dict.get("notes_en"))
        if dataset_dict.get("name"):
            identifier = Literal(dataset_dict["name"])
            if self._after_stock:
                g.set((dataset_ref, DCT.identifier, identifier))
            else:
                g.add((dataset_ref, DCT.identifier, identifier))

        if self._after_stock:
            g.remove((dataset_ref, DCAT.keyword, None))
        for tag in self._tags(dataset_dict):
            g.add((dataset_ref, DCAT.keyword, Literal(tag, lang="uk")))

        self._set_timestamp(dataset_ref, DCT.issued, dataset_dict.get("date_published"))
        self._set_timestamp(dataset_ref, DCT.modified, dataset_dict.get("data_updated"))
        changed = _date(dataset_dict.get("data_changed"))
        if changed:
            g.add((dataset_ref, LUTSK.dataChanged, Literal(changed, datatype=XSD.date)))
        current = _date(dataset_dict.get("data_current_as_of"))
        if current:
            temporal = URIRef(f"{uri}#temporal")
            if _given(dataset_dict, *_REPLACED_TEMPORAL):
                self._replace_objects(dataset_ref, DCT.temporal)
            g.add((dataset_ref, DCT.temporal, temporal))
            g.add((temporal, RDF.type, DCT.PeriodOfTime))
            g.add((temporal, DCAT.endDate, Literal(current, datatype=XSD.date)))

        self._replace_objects(dataset_ref, DCT.language)
        term = config.vocabulary("languages").get(dataset_dict.get("language") or "")
        if term and term.uri:
            g.add((dataset_ref, DCT.language, self._typed(term.uri, DCT.LinguisticSystem)))

        if _given(dataset_dict, "frequency"):
            self._replace_objects(dataset_ref, DCT.accrualPeriodicity)
        frequencies = config.vocabulary("frequencies")
        term = frequencies.get(dataset_dict.get("update_frequency") or "")
        if term and term.uri:
            g.add((dataset_ref, DCT.accrualPeriodicity, self._typed(term.uri, DCT.Frequency)))
        elif term and frequencies.is_discontinued(term.value):
            # No frequency URI says "stopped" (see frequencies.yaml): the status says it.
            g.add((dataset_ref, ADMS.status, STATUS_COMPLETED))

        if _given(dataset_dict, "access_rights"):
            self._replace_objects(dataset_ref, DCT.accessRights)
        restricted = (dataset_dict.get("restricted_info") or "").strip()
        if restricted:
            rights = URIRef(f"{uri}#access-rights")
            g.add((dataset_ref, DCT.accessRights, rights))
            g.add((rights, RDF.type, DCT.RightsStatement))
            g.add((rights, RDFS.label, Literal(restricted, lang="uk")))
        else:
            g.add((dataset_ref, DCT.accessRights, self._typed(ACCESS_PUBLIC, DCT.RightsStatement)))

        purpose = (dataset_dict.get("purpose_of_collecting_information") or "").strip()
        if purpose:
            activity = URIRef(f"{uri}#collection")
            if _given(dataset_dict, *_REPLACED_ACTIVITY):
                self._replace_objects(dataset_ref, PROV.wasGeneratedBy)
            g.add((dataset_ref, PROV.wasGeneratedBy, activity))
            g.add((activity, RDF.type, PROV.Activity))
            g.add((activity, RDFS.label, Literal(purpose, lang="uk")))

        previous = (dataset_dict.get("previous_versions_url") or "").strip()
        if previous:
            relation = URIRef(f"{uri}#previous-versions")
            g.add((dataset_ref, DCAT.qualifiedRelation, relation))
            g.add((relation, RDF.type, DCAT.Relationship))
            g.add((relation, DCT.relation, URIRef(previous)))
            g.add((relation, DCAT.hadRole, self._typed(VERSION_HISTORY, DCAT.Role)))

        self._contact(dataset_dict, dataset_ref)
        self._publisher(dataset_dict, dataset_ref, state)

        resources = dataset_dict.get("resources") or []
        licence = self._licence(dataset_dict.get("license_id"), state)
        if licence is not None and not resources:
            # DCAT-AP licenses distributions; without any, the dataset carries the licence.
            g.add((dataset_ref, DCT.license, licence))
        for resource in resources:
            if _truthy(resource.get("structure")) and resource.get("url"):
                g.add((dataset_ref, DCT.conformsTo, self._typed(resource["url"], DCT.Standard)))
            self._distribution(resource, licence)

        if _given(dataset_dict, *_BLANK_NODE_KEYS) or any(
            _given(r, *_BLANK_NODE_RESOURCE_KEYS) for r in resources
        ):
            self._name_blank_nodes(dataset_ref)
        for resource in resources:
            self._ensure_access_url(resource)
        self._make_writable(dataset_ref)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        g = self.g
        state = self._state()
        if (catalog_ref, RDF.type, DCAT.Catalog) not in g:
            super().graph_from_catalog(catalog_dict, catalog_ref)
        self._after_stock = True
        lang = (tk.config.get("ckan.locale_default") or "uk").split("_")[0]
        for predicate in (DCT.title, DCT.description):
            for old in list(g.objects(catalog_ref, predicate)):
                if isinstance(old, Literal) and not old.language:
                    g.remove((catalog_ref, predicate, old))
                    g.add((catalog_ref, predicate, Literal(str(old), lang=lang)))

        self._replace_objects(catalog_ref, DCT.language)
        languages = config.vocabulary("languages")
        offered = tk.config.get("ckan.locales_offered") or [tk.config.get("ckan.locale_default")]
        if isinstance(offered, str):
            offered = offered.split()
        for locale in offered:
            code = str(locale).split("_")[0]
            term = next((t for t in languages if t.extra.get("iso639_1") == code and t.uri), None)
            if term and term.uri:
                g.add((catalog_ref, DCT.language, self._typed(term.uri, DCT.LinguisticSystem)))

        for homepage in list(g.objects(catalog_ref, FOAF.homepage)):
            self._typed(homepage, FOAF.Document)

        council = config.registry().council
        self._replace_objects(catalog_ref, DCT.publisher)
        publisher = URIRef(f"{state.base}/organization/{council.slug}")
        g.add((catalog_ref, DCT.publisher, publisher))
        self._describe_body(publisher, council)
        state.done.add(("body", council.slug))

    # ------------------------------------------------------------------ input

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        g = self.g
        if not dataset_dict:
            # First in the chain (ckanext-dcat hands each profile the same dict, empty at
            # first): the stock part reads the graph, with the schema it needs for that.
            RDFProfile.__init__(self, g, self._dataset_type, self.compatibility_mode)
            dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        extras = dataset_dict.setdefault("extras", [])
        dataset_dict["extras"] = [e for e in extras if e.get("key") not in _CONSUMED_EXTRAS]
        for key in _CONSUMED_KEYS:
            dataset_dict.pop(key, None)

        identifier = self._first_literal(dataset_ref, DCT.identifier)
        titles = self._texts(dataset_ref, DCT.title)
        if identifier and _NAME_RE.fullmatch(identifier):
            dataset_dict["name"] = identifier
        elif not dataset_dict.get("name"):
            # Else the harvester would munge the title into Latin look-alikes: the official
            # transliteration instead (an existing dataset keeps its name: the harvester
            # puts it back when it updates one).
            name = identifiers.slug(titles.get("uk") or titles.get(None) or "")
            if len(name) >= 2:
                dataset_dict["name"] = identifiers.unique(name, lambda n: model.Package.get(n) is not None)
        notes = self._texts(dataset_ref, DCT.description)
        self._put(dataset_dict, "title", titles.get("uk") or titles.get(None))
        self._put(dataset_dict, "title_en", titles.get("en"))
        self._put(dataset_dict, "notes", notes.get("uk") or notes.get(None))
        self._put(dataset_dict, "notes_en", notes.get("en"))

        keywords = sorted(
            {
                str(k)
                for k in g.objects(dataset_ref, DCAT.keyword)
                if getattr(k, "language", None) in (None, "uk")
            }
        )
        self._put(dataset_dict, "tag_string", ",".join(keywords))

        issued = self._first_literal(dataset_ref, DCT.issued)
        modified = self._first_literal(dataset_ref, DCT.modified)
        self._put(dataset_dict, "date_published", _stored_timestamp(issued) if issued else None)
        self._put(dataset_dict, "data_updated", _stored_timestamp(modified) if modified else None)
        self._put(dataset_dict, "data_changed", _date(self._first_literal(dataset_ref, LUTSK.dataChanged)))
        current = None
        for temporal in g.objects(dataset_ref, DCT.temporal):
            current = current or _date(self._first_literal(temporal, DCAT.endDate))
        self._put(dataset_dict, "data_current_as_of", current)

        languages = config.vocabulary("languages")
        language = next(
            (t.value for t in map(languages.by_uri, map(str, g.objects(dataset_ref, DCT.language))) if t),
            None,
        )
        self._put(dataset_dict, "language", language)

        frequencies = config.vocabulary("frequencies")
        frequency = next(
            (
                t.value
                for t in map(frequencies.by_uri, map(str, g.objects(dataset_ref, DCT.accrualPeriodicity)))
                if t
            ),
            None,
        )
        if frequency is None and (dataset_ref, ADMS.status, STATUS_COMPLETED) in g:
            frequency = next((t.value for t in frequencies if frequencies.is_discontinued(t.value)), None)
        self._put(dataset_dict, "update_frequency", frequency)

        restricted = None
        for rights in g.objects(dataset_ref, DCT.accessRights):
            restricted = restricted or self._first_literal(rights, RDFS.label)
        self._put(dataset_dict, "restricted_info", restricted)

        purpose = None
        for activity in g.objects(dataset_ref, PROV.wasGeneratedBy):
            purpose = purpose or self._first_literal(activity, RDFS.label)
        self._put(dataset_dict, "purpose_of_collecting_information", purpose)

        previous = None
        for relation in g.objects(dataset_ref, DCAT.qualifiedRelation):
            if (relation, DCAT.hadRole, VERSION_HISTORY) in g:
                previous = previous or next((str(o) for o in g.objects(relation, DCT.relation)), None)
        self._put(dataset_dict, "previous_versions_url", previous)

        contacts = self._contact_details(dataset_ref, DCAT.contactPoint)
        if contacts:
            self._put(dataset_dict, "maintainer", contacts[0].get("name"))
            self._put(dataset_dict, "maintainer_email", contacts[0].get("email"))

        owner = self._owner_org(dataset_ref)
        if owner:
            dataset_dict["owner_org"] = owner

        distributions = list(g.objects(dataset_ref, DCAT.distribution))
        licence_id = self._licence_id(g.objects(dataset_ref, DCT.license))
        for distribution in distributions:
            licence_id = licence_id or self._licence_id(g.objects(distribution, DCT.license))
        if licence_id:
            dataset_dict["license_id"] = licence_id

        structures = {str(o) for o in g.objects(dataset_ref, DCT.conformsTo)}
        by_ref = {r.get("distribution_ref"): r for r in dataset_dict.get("resources", [])}
        dataset_dict["resources"] = [
            self._parse_distribution(d, by_ref.get(str(d)) or {}, structures) for d in distributions
        ]
        return dataset_dict

    # ------------------------------------------------------------------ output helpers

    def _state(self) -> _GraphState:
        """What this graph already holds: profiles are made anew for every dataset, and
        shared nodes (vocabulary terms, bodies, licences) need writing only once."""
        state = self._graph_state or _STATES.get(self.g)
        if state is None:
            state = _STATES[self.g] = _GraphState(base=catalog_uri().rstrip("/"))
            self.g.bind("lutsk", LUTSK)
            self.g.bind("prov", PROV)
            # A prefix for the catalogue's datasets: rdflib's Turtle writer then caches their
            # names instead of searching its namespace tree for every occurrence (about twice
            # as fast on a page of 100).
            datasets = f"{state.base}/dataset/"
            self.g.bind("ds", URIRef(datasets))
            _remember_misses(self.g, datasets)
        self._graph_state = state
        return state

    def _typed(self, node: str | URIRef, cls: URIRef) -> URIRef:
        """``node`` as a URIRef, with its class stated once per graph (SHACL checks classes)."""
        typed = self._state().typed
        key = (str(node), cls)
        ref = typed.get(key)
        if ref is None:
            ref = typed[key] = node if isinstance(node, URIRef) else URIRef(node)
            self.g.add((ref, RDF.type, cls))
        return ref

    def _stock_view(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The dataset as the stock part should see it: without the fields whose triples the
        passport replaces (what ``_after_stock`` removes), so none is written in vain."""
        replaced = set(_REPLACED)
        if dataset_dict.get("name"):
            replaced.update(_REPLACED_IDENTIFIER)
        if _date(dataset_dict.get("data_current_as_of")):
            replaced.update(_REPLACED_TEMPORAL)
        if (dataset_dict.get("purpose_of_collecting_information") or "").strip():
            replaced.update(_REPLACED_ACTIVITY)
        if any((dataset_dict.get(k) or "").strip() for k in ("maintainer", "maintainer_email")):
            replaced.update(_REPLACED_CONTACT)
        if (dataset_dict.get("organization") or {}).get("name"):
            replaced.update(_REPLACED_PUBLISHER)
        view = _without(dataset_dict, frozenset(replaced))
        if view.get("resources"):
            view["resources"] = [_without(r, _REPLACED_RESOURCE) for r in view["resources"]]
        return view

    def _set_texts(self, subject: Node, predicate: URIRef, uk: Any, en: Any) -> None:
        if self._after_stock:
            self.g.remove((subject, predicate, None))
        for text, lang in ((uk, "uk"), (en, "en")):
            if isinstance(text, str) and text.strip():
                self.g.add((subject, predicate, Literal(text, lang=lang)))

    def _set_timestamp(self, subject: Node, predicate: URIRef, value: Any) -> None:
        if self._after_stock:
            self.g.remove((subject, predicate, None))
        moment = _utc(value) if isinstance(value, str) and value else None
        if moment is not None:
            self.g.add((subject, predicate, Literal(moment.isoformat(), datatype=XSD.dateTime)))

    def _replace_objects(self, subject: Node, predicate: URIRef, new: Node | None = None) -> None:
        """Drop what the stock profile put under ``predicate`` (with its blank nodes), then add ``new``."""
        if self._after_stock:
            for old in list(self.g.objects(subject, predicate)):
                self.g.remove((subject, predicate, old))
                if isinstance(old, BNode):
                    self.g.remove((old, None, None))
        if new is not None:
            self.g.add((subject, predicate, new))

    @staticmethod
    def _tags(dataset_dict: dict[str, Any]) -> list[str]:
        tags = [t["name"] for t in dataset_dict.get("tags") or [] if t.get("name")]
        if not tags and isinstance(dataset_dict.get("tag_string"), str):
            tags = [t.strip() for t in dataset_dict["tag_string"].split(",") if t.strip()]
        return tags

    def _contact(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        name = (dataset_dict.get("maintainer") or "").strip()
        email = (dataset_dict.get("maintainer_email") or "").strip()
        if not (name or email):
            return
        contact = URIRef(f"{dataset_ref}#contact")
        self._replace_objects(dataset_ref, DCAT.contactPoint, contact)
        self.g.add((contact, RDF.type, VCARD.Kind))
        if name:
            self.g.add((contact, VCARD.fn, Literal(name)))
        if email:
            self.g.add((contact, VCARD.hasEmail, URIRef(_MAILTO + email.removeprefix(_MAILTO))))

    def _publisher(self, dataset_dict: dict[str, Any], dataset_ref: URIRef, state: _GraphState) -> None:
        org = dataset_dict.get("organization") or {}
        slug = org.get("name")
        if not slug:
            return
        publisher = URIRef(f"{state.base}/organization/{slug}")
        if self._after_stock:
            for old in list(self.g.objects(dataset_ref, DCT.publisher)):
                if old != publisher:
                    self._replace_objects(dataset_ref, DCT.publisher)
                    if not any(self.g.subjects(DCT.publisher, old)):
                        self.g.remove((old, None, None))
            # The stock profile names the organization from CKAN with one untagged title, for
            # every dataset; the registry names the body (tagged uk and en) and gives its code.
            for name in list(self.g.objects(publisher, FOAF.name)):
                if isinstance(name, Literal) and not name.language:
                    self.g.remove((publisher, FOAF.name, name))
        self.g.add((dataset_ref, DCT.publisher, publisher))
        if ("body", slug) in state.done:
            return
        state.done.add(("body", slug))
        body = config.registry().get(slug)
        if body is not None:
            self._describe_body(publisher, body)
        else:
            self._typed(publisher, FOAF.Agent)
            self.g.add((publisher, FOAF.name, Literal(org.get("title") or slug, lang="uk")))

    def _describe_body(self, agent: URIRef, body: Body) -> None:
        g = self.g
        g.remove((agent, FOAF.name, None))
        self._typed(agent, FOAF.Agent)
        self._typed(agent, FOAF.Organization)
        for lang, text in body.name.as_dict().items():
            g.add((agent, FOAF.name, Literal(text, lang=lang)))
        if body.edrpou:
            g.set((agent, DCT.identifier, Literal(body.edrpou)))
        kind, label = _PUBLISHER_TYPES.get(body.kind, _LOCAL_AUTHORITY)
        g.set((agent, DCT.type, kind))
        if (str(kind), SKOS.Concept) not in self._state().typed:
            g.set((kind, SKOS.prefLabel, Literal(label, lang="en")))
        self._typed(kind, SKOS.Concept)
        if body.website:
            g.set((agent, FOAF.homepage, URIRef(body.website)))

    def _licence(self, license_id: Any, state: _GraphState) -> URIRef | None:
        if not license_id:
            return None
        if license_id in state.licences:
            return state.licences[license_id]
        licence = model.Package.get_license_register().get(license_id)
        node = None
        if licence is not None:
            data = licence.license_dictize()
            uri = data.get("uri") or data.get("url")
            # No URL at all (e.g. "not specified"): name it within the portal's licence list.
            node = URIRef(uri or f"{state.base}/api/3/action/license_list#{license_id}")
            self._typed(node, DCT.LicenseDocument)
            if data.get("uri") and data.get("url"):
                # CKAN portals know licences by these URLs (ckan/config/licenses.json).
                self.g.add((node, RDFS.seeAlso, URIRef(data["url"])))
            if not data.get("uri"):
                # No authority URI: say which licence the portal means by it.
                self.g.set((node, DCT.identifier, Literal(license_id)))
                self.g.set((node, DCT.title, Literal(data.get("title") or license_id)))
        state.licences[license_id] = node
        return node

    def _distribution(self, resource: dict[str, Any], licence: URIRef | None) -> None:
        g = self.g
        if not resource.get("id"):
            return
        distribution = URIRef(resource_uri(resource))
        formats = config.vocabulary("formats")
        url = resource.get("url")
        term = formats.get(resource.get("format") or "")

        self._replace_objects(distribution, DCT["format"])
        self._replace_objects(distribution, DCAT.mediaType)
        if term and term.uri:
            g.add((distribution, DCT["format"], self._typed(term.uri, DCT.MediaTypeOrExtent)))
        media_type = formats.media_type(term.value) if term else None
        if media_type:
            g.add((distribution, DCAT.mediaType, self._typed(IANA_MEDIA_TYPES + media_type, DCT.MediaType)))

        compression = formats.get(resource.get("compression") or "")
        if _given(resource, "compress_format"):
            self._replace_objects(distribution, DCAT.compressFormat)
        if compression:
            compressed = formats.media_type(compression.value)
            node = IANA_MEDIA_TYPES + compressed if compressed else compression.uri
            if node:
                g.add((distribution, DCAT.compressFormat, self._typed(node, DCT.MediaType)))

        if licence is not None:
            g.add((distribution, DCT.license, licence))

        if url and term and term.value in _SERVICE_FORMATS and term.uri is None:
            # A generic API: no file type fits, the endpoint is a data service.
            service = URIRef(f"{distribution}#service")
            g.add((distribution, DCAT.accessService, service))
            g.add((service, RDF.type, DCAT.DataService))
            g.add((service, DCT.title, Literal(resource.get("name") or url)))
            g.add((service, DCAT.endpointURL, URIRef(url)))
        elif url and not (term and term.value in _SERVICE_FORMATS):
            g.set((distribution, DCAT.downloadURL, URIRef(url)))

    def _ensure_access_url(self, resource: dict[str, Any]) -> None:
        """DCAT-AP requires dcat:accessURL: a resource stored without a link (the form now
        refuses one) is reached through its page on the portal."""
        if not resource.get("id"):
            return
        distribution = URIRef(resource_uri(resource))
        if (distribution, DCAT.accessURL, None) not in self.g:
            self.g.add((distribution, DCAT.accessURL, URIRef(str(distribution))))

    def _make_writable(self, dataset_ref: URIRef) -> None:
        """Whatever is stored, the dataset's part of the graph can be written: IRIs with
        characters an IRI cannot hold are percent-encoded (or dropped if they cannot be an
        IRI at all), and characters XML cannot hold are removed from literals."""
        g = self.g
        todo: list[Node] = [dataset_ref]
        seen: set[Node] = set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for predicate, obj in list(g.predicate_objects(subject)):
                new_obj = _writable(obj)
                if new_obj is not obj:
                    g.remove((subject, predicate, obj))
                    if new_obj is not None:
                        g.add((subject, predicate, new_obj))
                if isinstance(new_obj, (URIRef, BNode)) and predicate != RDF.type:
                    todo.append(new_obj)
            fixed = _writable(subject) if isinstance(subject, URIRef) else subject
            if fixed is not subject:
                for predicate, obj in list(g.predicate_objects(subject)):
                    g.remove((subject, predicate, obj))
                    if fixed is not None:
                        g.add((fixed, predicate, obj))
                for s_, predicate in list(g.subject_predicates(subject)):
                    g.remove((s_, predicate, subject))
                    if fixed is not None:
                        g.add((s_, predicate, fixed))

    def _name_blank_nodes(self, dataset_ref: URIRef) -> None:
        """Give a URI to any blank node the stock profile left (e.g. a checksum)."""
        g = self.g
        subjects = [dataset_ref, *g.objects(dataset_ref, DCAT.distribution)]
        for subject in subjects:
            seen: dict[str, int] = {}
            for predicate, obj in list(g.predicate_objects(subject)):
                if not isinstance(obj, BNode):
                    continue
                local = re.split(r"[#/]", str(predicate))[-1]
                seen[local] = seen.get(local, 0) + 1
                suffix = f"-{seen[local]}" if seen[local] > 1 else ""
                named = URIRef(f"{subject}#{local}{suffix}")
                g.remove((subject, predicate, obj))
                g.add((subject, predicate, named))
                for p, o in list(g.predicate_objects(obj)):
                    g.remove((obj, p, o))
                    g.add((named, p, o))

    # ------------------------------------------------------------------ input helpers

    @staticmethod
    def _put(dataset_dict: dict[str, Any], key: str, value: Any) -> None:
        if value in (None, ""):
            dataset_dict.pop(key, None)
        else:
            dataset_dict[key] = value

    def _first_literal(self, subject: Node, predicate: URIRef) -> str | None:
        for obj in self.g.objects(subject, predicate):
            if isinstance(obj, Literal):
                return str(obj)
        return None

    def _texts(self, subject: Node, predicate: URIRef) -> dict[str | None, str]:
        out: dict[str | None, str] = {}
        for obj in self.g.objects(subject, predicate):
            if isinstance(obj, Literal):
                out.setdefault(obj.language, str(obj))
        return out

    def _owner_org(self, dataset_ref: Node) -> str | None:
        """The local organization of the publishing body: by ЄДРПОУ, then by the URI's slug."""
        registry = config.registry()
        for agent in self.g.objects(dataset_ref, DCT.publisher):
            slugs = []
            code = self._first_literal(agent, DCT.identifier)
            body = registry.by_edrpou(code) if code else None
            if body is not None:
                slugs.append(body.slug)
            match = re.search(r"/organization/([^/#?]+)$", str(agent))
            if match:
                slugs.append(match.group(1))
            for slug in slugs:
                # Here the body's own organization; on data.gov.ua its national one.
                for name in dict.fromkeys((slug, national_org(registry, slug))):
                    group = model.Group.get(name)
                    if group is not None and group.is_organization and group.state == "active":
                        return group.id
        return None

    def _licence_id(self, candidates: Iterable[Node]) -> str | None:
        register = model.Package.get_license_register()
        by_uri: dict[str, str] = {}
        for licence_id, licence in register.items():
            data = licence.license_dictize()
            for key in ("uri", "url"):
                if data.get(key):
                    by_uri.setdefault(data[key], licence_id)
        for node in candidates:
            for uri in (node, *self.g.objects(node, RDFS.seeAlso)):
                if str(uri) in by_uri:
                    return by_uri[str(uri)]
            local = self._first_literal(node, DCT.identifier)
            if local and local in register:
                return local
        return None

    def _parse_distribution(
        self, distribution: Node, parsed: dict[str, Any], structures: set[str]
    ) -> dict[str, Any]:
        g = self.g
        formats = config.vocabulary("formats")
        resource = {k: parsed[k] for k in _RESOURCE_KEYS if parsed.get(k)}

        term = next(
            (t for t in map(formats.by_uri, map(str, g.objects(distribution, DCT["format"]))) if t), None
        )
        if term is None and any(g.objects(distribution, DCAT.accessService)):
            term = formats.get("API")
            for service in g.objects(distribution, DCAT.accessService):
                endpoint = next((str(o) for o in g.objects(service, DCAT.endpointURL)), None)
                resource.setdefault("url", endpoint)
        if term is not None:
            resource["format"] = term.value

        for node in g.objects(distribution, DCAT.compressFormat):
            found = formats.by_uri(str(node)) or next(
                (
                    t
                    for t in formats
                    if t.extra.get("compression")
                    and IANA_MEDIA_TYPES + str(t.extra.get("media_type")) == str(node)
                ),
                None,
            )
            if found:
                resource["compression"] = found.value
        resource["structure"] = "true" if resource.get("url") in structures else "false"
        return resource
