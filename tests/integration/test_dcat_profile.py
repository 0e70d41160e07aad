"""The DCAT-AP 3 endpoints with the ``lutsk`` profile: what the catalogue says about each
passport field, the official SHACL shapes, the round trip through ckanext-dcat's own parser,
the profile alone and after ``euro_dcat_ap_3``, and the endpoints themselves (paging, formats,
content negotiation, the link in the head)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.dcat.profiles import DCAT, DCT, FOAF, VCARD, EuropeanDCATAP3Profile
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.compare import isomorphic

from ckanext.lutsk import config
from ckanext.lutsk.dcat.profile import LUTSK, organization_uri
from tests import dcat_support
from tests.dcat_support import passport_view, shacl_results

EU = "http://publications.europa.eu/resource/authority/"
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
ABOLISHED_REGISTRY = str(Path(__file__).parents[1] / "data" / "registry_abolished.yaml")

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(scope="module")
def catalogue(fresh_portal):
    """One realistic catalogue for the whole module (creating it is the slow part)."""
    data = dcat_support.create_catalogue()
    return data


def _graph(text: str, fmt: str = "turtle") -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format=fmt)


def _by_name(catalogue, name_prefix: str) -> dict:
    return next(d for d in catalogue["public"] if d["name"].startswith(name_prefix))


def _dataset_graph(app, dataset: dict) -> tuple[rdflib.Graph, URIRef]:
    resp = app.get(f"/dataset/{dataset['name']}.ttl")
    assert resp.status_code == 200, resp.body
    g = _graph(resp.body)
    return g, next(g.subjects(RDF.type, DCAT.Dataset))


class TestPassportAsDcat:
    def test_texts_in_both_languages_and_keywords_in_ukrainian(self, app, catalogue):
        dataset = _by_name(catalogue, "budget-")
        g, ref = _dataset_graph(app, dataset)
        assert set(g.objects(ref, DCT.title)) == {
            Literal(dataset["title"], lang="uk"),
            Literal(dataset["title_en"], lang="en"),
        }
        assert set(g.objects(ref, DCT.description)) == {
            Literal(dataset["notes"], lang="uk"),
            Literal(dataset["notes_en"], lang="en"),
        }
        assert set(g.objects(ref, DCAT.keyword)) == {
            Literal("бюджет", lang="uk"),
            Literal("фінанси", lang="uk"),
        }
        assert g.value(ref, DCT.identifier) == Literal(dataset["name"])

    def test_vocabularies_as_eu_authority_uris(self, app, catalogue):
        g, ref = _dataset_graph(app, _by_name(catalogue, "budget-"))
        assert g.value(ref, DCT.accrualPeriodicity) == URIRef(EU + "frequency/MONTHLY")
        assert g.value(ref, DCT.language) == URIRef(EU + "language/UKR")
        assert (URIRef(EU + "frequency/MONTHLY"), RDF.type, DCT.Frequency) in g
        g, ref = _dataset_graph(app, _by_name(catalogue, "schools-api-"))
        assert g.value(ref, DCT.language) == URIRef(EU + "language/ENG")
        assert g.value(ref, DCT.accrualPeriodicity) == URIRef(EU + "frequency/IRREG")

    def test_no_longer_updated_has_no_frequency_but_a_status(self, app, catalogue):
        g, ref = _dataset_graph(app, _by_name(catalogue, "old-plan-"))
        assert g.value(ref, DCT.accrualPeriodicity) is None
        assert g.value(ref, URIRef("http://www.w3.org/ns/adms#status")) == URIRef(
            "http://purl.org/adms/status/Completed"
        )

    def test_publisher_is_the_body_with_a_stable_uri(self, app, catalogue):
        dataset = _by_name(catalogue, "budget-")
        g, ref = _dataset_graph(app, dataset)
        publisher = g.value(ref, DCT.publisher)
        assert publisher == URIRef(organization_uri("finance-budget"))
        assert (publisher, RDF.type, FOAF.Organization) in g
        assert Literal("Департамент фінансів та бюджету", lang="uk") in set(g.objects(publisher, FOAF.name))
        assert g.value(publisher, DCT.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
        g, ref = _dataset_graph(app, _by_name(catalogue, "parks-plan-"))
        assert g.value(g.value(ref, DCT.publisher), DCT.type) == URIRef(
            "http://purl.org/adms/publishertype/PublicBody"
        )

    @pytest.mark.ckan_config("ckanext.lutsk.registry_file", ABOLISHED_REGISTRY)
    def test_publisher_carries_its_edrpou_when_known(self, catalogue):
        config.reload()
        try:
            dataset = _by_name(catalogue, "schools-api-")  # owned by "education"
            g = _graph(RDFSerializer().serialize_dataset(dataset, _format="turtle"))
            publisher = URIRef(organization_uri("education"))
            assert g.value(publisher, DCT.identifier) == Literal("44106679")
        finally:
            config.reload()

    def test_contact_point_is_a_vcard_with_a_uri(self, app, catalogue):
        dataset = _by_name(catalogue, "budget-")
        g, ref = _dataset_graph(app, dataset)
        contact = g.value(ref, DCAT.contactPoint)
        assert contact == URIRef(f"{ref}#contact")
        assert (contact, RDF.type, VCARD.Kind) in g
        assert g.value(contact, VCARD.fn) == Literal(dataset["maintainer"])
        assert g.value(contact, VCARD.hasEmail) == URIRef(f"mailto:{dataset['maintainer_email']}")

    def test_dates_legal_basis_and_restricted_information(self, app, catalogue):
        dataset = _by_name(catalogue, "budget-")
        g, ref = _dataset_graph(app, dataset)
        assert str(g.value(ref, DCT.issued)) == "2024-01-15T09:30:00+00:00"
        assert g.value(ref, DCT.modified).datatype == rdflib.XSD.dateTime
        assert g.value(ref, LUTSK.dataChanged) == Literal(dataset["data_changed"], datatype=rdflib.XSD.date)
        temporal = g.value(ref, DCT.temporal)
        assert g.value(temporal, DCAT.endDate) == Literal(
            dataset["data_current_as_of"], datatype=rdflib.XSD.date
        )
        activity = g.value(ref, rdflib.PROV.wasGeneratedBy)
        assert str(g.value(activity, rdflib.RDFS.label)) == dataset["purpose_of_collecting_information"]
        rights = g.value(ref, DCT.accessRights)
        assert str(g.value(rights, rdflib.RDFS.label)) == dataset["restricted_info"]
        g, ref = _dataset_graph(app, _by_name(catalogue, "transport-live-"))
        assert g.value(ref, DCT.accessRights) == URIRef(EU + "access-right/PUBLIC")

    def test_distributions_with_format_media_type_compression_and_licence(self, app, catalogue):
        g, ref = _dataset_graph(app, _by_name(catalogue, "parks-plan-"))
        by_url = {str(g.value(d, DCAT.accessURL)): d for d in g.objects(ref, DCAT.distribution)}
        xlsx = by_url["https://lutskrada.gov.ua/opendata/parks-plan.zip"]
        assert g.value(xlsx, DCT["format"]) == URIRef(EU + "file-type/XLSX")
        assert g.value(xlsx, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert g.value(xlsx, DCAT.compressFormat) == URIRef(
            "https://www.iana.org/assignments/media-types/application/zip"
        )
        assert g.value(xlsx, DCT.license) == URIRef(EU + "licence/CC_BY_4_0")
        assert g.value(xlsx, DCAT.downloadURL) == URIRef("https://lutskrada.gov.ua/opendata/parks-plan.zip")
        # 7-Zip has no IANA media type: the EU file type names it.
        geo = by_url["https://lutskrada.gov.ua/opendata/parks-plan.7z"]
        assert g.value(geo, DCAT.compressFormat) == URIRef(EU + "file-type/7Z")

    def test_an_api_is_a_data_service(self, app, catalogue):
        g, ref = _dataset_graph(app, _by_name(catalogue, "schools-api-"))
        distribution = g.value(ref, DCAT.distribution)
        service = g.value(distribution, DCAT.accessService)
        assert (service, RDF.type, DCAT.DataService) in g
        assert g.value(service, DCAT.endpointURL) == URIRef("https://api.lutskrada.gov.ua/v1/schools")
        assert g.value(distribution, DCAT.downloadURL) is None

    def test_structure_document_is_what_the_dataset_conforms_to(self, app, catalogue):
        g, ref = _dataset_graph(app, _by_name(catalogue, "budget-"))
        structure = URIRef("https://lutskrada.gov.ua/opendata/budget-structure.json")
        assert g.value(ref, DCT.conformsTo) == structure
        assert (structure, RDF.type, DCT.Standard) in g

    def test_licence_of_a_dataset_without_distributions(self, app, catalogue):
        g, ref = _dataset_graph(app, _by_name(catalogue, "plan-pending-"))
        assert g.value(ref, DCAT.distribution) is None
        assert g.value(ref, DCT.license) == URIRef(EU + "licence/CC_BY_4_0")

    def test_no_blank_nodes(self, app, catalogue):
        g = _graph(app.get("/catalog.ttl").body)
        blank = [t for t in g if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
        assert blank == []


class TestCatalogue:
    def test_names_the_city_council_as_publisher(self, app, catalogue):
        g = _graph(app.get("/catalog.ttl").body)
        catalog = next(g.subjects(RDF.type, DCAT.Catalog))
        publisher = g.value(catalog, DCT.publisher)
        assert publisher == URIRef(organization_uri("lutsk-city-council"))
        assert Literal("Луцька міська рада", lang="uk") in set(g.objects(publisher, FOAF.name))
        assert set(g.objects(catalog, DCT.language)) == {
            URIRef(EU + "language/UKR"),
            URIRef(EU + "language/ENG"),
        }

    def test_holds_every_public_dataset_and_no_private_one(self, app, catalogue):
        g = _graph(app.get("/catalog.ttl").body)
        identifiers = {str(g.value(d, DCT.identifier)) for d in g.subjects(RDF.type, DCAT.Dataset)}
        assert identifiers == {d["name"] for d in catalogue["public"]}

    def test_a_private_dataset_stays_out_even_for_its_editors(self, app, catalogue):
        sysadmin = call_action("get_site_user", context={"ignore_auth": True})
        token = call_action(
            "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="dcat"
        )
        resp = app.get("/catalog.ttl", headers={"Authorization": token["token"]})
        assert catalogue["private"]["name"] not in resp.body
        resp = app.get(
            "/api/3/action/dcat_catalog_search",
            params={"format": "ttl"},
            headers={"Authorization": token["token"]},
        )
        assert resp.status_code == 200
        assert catalogue["private"]["name"] not in resp.json["result"]

    @pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", 2)
    def test_is_paged(self, app, catalogue):
        seen: set[str] = set()
        url = "/catalog.ttl"
        pages = 0
        while url:
            g = _graph(app.get(url).body)
            seen |= {str(g.value(d, DCT.identifier)) for d in g.subjects(RDF.type, DCAT.Dataset)}
            nxt = next(g.objects(None, HYDRA.next), None)
            url = str(nxt).split("test.lutsk.local", 1)[-1] if nxt else None
            pages += 1
        assert pages == 3
        assert seen == {d["name"] for d in catalogue["public"]}

    def test_the_three_formats_say_the_same(self, app, catalogue):
        graphs = {
            fmt: _graph(app.get(f"/catalog.{ext}").body, fmt)
            for ext, fmt in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld"))
        }
        for g in graphs.values():
            # Paging links name the format they were asked in; the rest must be identical.
            for page in list(g.subjects(RDF.type, HYDRA.PagedCollection)):
                g.remove((page, None, None))
        assert isomorphic(graphs["turtle"], graphs["xml"])
        assert isomorphic(graphs["turtle"], graphs["json-ld"])


class TestOfficialShapes:
    def test_the_catalogue_has_no_violation(self, app, catalogue):
        results = shacl_results(_graph(app.get("/catalog.ttl").body))
        violations = [r for r in results if r["severity"] == "Violation"]
        assert violations == []

    def test_the_shapes_catch_a_broken_graph(self, app, catalogue):
        g = _graph(app.get("/catalog.ttl").body)
        dataset = next(g.subjects(RDF.type, DCAT.Dataset))
        g.remove((dataset, DCT.title, None))
        g.remove((dataset, DCT.description, None))
        g.set((dataset, DCAT.contactPoint, Literal("not a vCard")))
        g.set((dataset, DCT.accrualPeriodicity, Literal("monthly")))
        broken = {(r["path"].rsplit("/", 1)[-1].rsplit("#", 1)[-1], r["focus"]) for r in shacl_results(g)}
        assert {
            ("title", str(dataset)),
            ("description", str(dataset)),
            ("contactPoint", str(dataset)),
        } <= broken
        assert ("accrualPeriodicity", str(dataset)) in broken

    def test_stock_profile_alone_would_not_pass(self, app, catalogue):
        # What the lutsk profile fixes: the same datasets with ckanext-dcat's euro_dcat_ap_3 only.
        g = _graph(app.get("/catalog.ttl", params={"profiles": "euro_dcat_ap_3"}).body)
        assert any(r["severity"] == "Violation" for r in shacl_results(g))


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld"])
    def test_parser_reads_back_every_passport_field(self, catalogue, fmt):
        serializer_formats = {"turtle": "ttl", "xml": "xml", "json-ld": "jsonld"}
        for dataset in catalogue["public"]:
            text = RDFSerializer(profiles=["lutsk"]).serialize_dataset(
                dataset, _format=serializer_formats[fmt]
            )
            parser = RDFParser(profiles=["lutsk"])
            parser.parse(text, _format=fmt)
            [parsed] = list(parser.datasets())
            assert passport_view(parsed) == passport_view(dataset), dataset["name"]

    def test_the_catalogue_reads_back_as_the_published_datasets(self, app, catalogue):
        parser = RDFParser(profiles=["lutsk"])
        parser.parse(app.get("/catalog.ttl").body, _format="turtle")
        parsed = {d["name"]: passport_view(d) for d in parser.datasets()}
        assert parsed == {d["name"]: passport_view(d) for d in catalogue["public"]}


class TestProfileChain:
    """``lutsk`` (configured alone) is ``euro_dcat_ap_3`` with the passport: after ``euro_dcat_ap_3``
    in a chain, as configured before, it must say and read exactly the same."""

    CHAINS = (["lutsk"], ["euro_dcat_ap_3", "lutsk"])

    def test_alone_and_after_the_stock_profile_give_the_same_graph(self, catalogue):
        graphs = [
            _graph(RDFSerializer(profiles=profiles).serialize_catalog({}, catalogue["public"], _format="ttl"))
            for profiles in self.CHAINS
        ]
        assert len(graphs[0]) > 100
        assert isomorphic(*graphs)

    def test_alone_and_after_the_stock_profile_read_the_same(self, app, catalogue):
        text = app.get("/catalog.ttl").body
        parsed = []
        for profiles in self.CHAINS:
            parser = RDFParser(profiles=profiles)
            parser.parse(text, _format="turtle")
            parsed.append(sorted(parser.datasets(), key=lambda d: d["name"]))
        assert len(parsed[0]) == len(catalogue["public"])
        assert parsed[0] == parsed[1]

    def test_the_stock_profile_stays_stock(self, app, catalogue):
        [stock] = RDFSerializer(profiles=["euro_dcat_ap_3"])._profiles
        assert stock is EuropeanDCATAP3Profile
        g = _graph(app.get("/catalog.ttl", params={"profiles": "euro_dcat_ap_3"}).body)
        contacts = [g.value(d, DCAT.contactPoint) for d in g.subjects(RDF.type, DCAT.Dataset)]
        assert contacts and all(isinstance(c, BNode) for c in contacts)
        assert not any(g.triples((None, LUTSK.dataChanged, None)))
        assert not any(g.triples((None, RDF.type, FOAF.Organization)))


class TestEndpoints:
    @pytest.mark.parametrize(
        ("ext", "content_type"),
        [("ttl", "text/turtle"), ("rdf", "application/rdf+xml"), ("jsonld", "application/ld+json")],
    )
    def test_dataset_endpoints(self, app, catalogue, ext, content_type):
        dataset = catalogue["public"][0]
        resp = app.get(f"/dataset/{dataset['name']}.{ext}")
        assert resp.status_code == 200
        assert resp.headers["Content-Type"].startswith(content_type)
        assert dataset["name"] in resp.body

    def test_private_dataset_is_not_served_to_anonymous(self, app, catalogue):
        assert app.get(f"/dataset/{catalogue['private']['name']}.ttl").status_code in (403, 404)

    def test_content_negotiation(self, app, catalogue):
        dataset = catalogue["public"][0]
        resp = app.get(f"/dataset/{dataset['name']}", headers={"Accept": "text/turtle"})
        assert resp.headers["Content-Type"].startswith("text/turtle")
        _graph(resp.body)
        resp = app.get("/", headers={"Accept": "application/rdf+xml"})
        assert resp.headers["Content-Type"].startswith("application/rdf+xml")
        assert (None, RDF.type, DCAT.Catalog) in _graph(resp.body, "xml")
        # A browser still gets the page.
        resp = app.get(f"/dataset/{dataset['name']}", headers={"Accept": "text/html,*/*;q=0.8"})
        assert resp.headers["Content-Type"].startswith("text/html")

    def test_dcat_links_in_the_page_head(self, app, catalogue):
        dataset = catalogue["public"][0]
        page = app.get(f"/dataset/{dataset['name']}").body
        head = page.split("</head>", 1)[0]
        assert f'type="text/turtle" href="http://test.lutsk.local/dataset/{dataset["id"]}.ttl"' in head
        assert 'type="application/rdf+xml"' in head
        home = app.get("/").body.split("</head>", 1)[0]
        assert 'href="http://test.lutsk.local/catalog.ttl"' in home

    def test_unknown_dataset_is_404(self, app, catalogue):
        assert app.get("/dataset/no-such-dataset.ttl").status_code == 404
        assert app.get("/dataset/no-such-dataset", headers={"Accept": "text/turtle"}).status_code == 404
