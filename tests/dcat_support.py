"""A realistic set of passports for the DCAT tests, and the passport fields they compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import rdflib
from ckan.tests.helpers import call_action

from tests.lutsk_factories import body_org, passport, site_user

SHAPES = Path(__file__).parent / "data" / "dcat-ap-3" / "shacl_dcat-ap-SHACL.ttl"

#: The passport: every dataset field of ckanext/lutsk/schemas/dataset.yaml but the name
#: (compared on its own) and the resource fields.
DATASET_FIELDS = (
    "title",
    "title_en",
    "notes",
    "notes_en",
    "restricted_info",
    "owner_org",
    "purpose_of_collecting_information",
    "language",
    "date_published",
    "data_updated",
    "data_changed",
    "data_current_as_of",
    "update_frequency",
    "tag_string",
    "previous_versions_url",
    "maintainer",
    "maintainer_email",
    "license_id",
)
RESOURCE_FIELDS = ("url", "name", "description", "format", "compression", "structure")

BODIES = ("finance-budget", "parks-squares", "education", "land-resources")


def _days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def specs(suffix: str) -> list[dict[str, Any]]:
    """Passports covering every vocabulary branch the profile maps (names end in ``suffix``)."""
    base = "https://lutskrada.gov.ua/opendata"
    return [
        passport(
            name=f"budget-{suffix}",
            owner_org="finance-budget",
            restricted_info="Персональні дані отримувачів коштів (конфіденційна інформація).",
            date_published="2024-01-15T09:30:00",
            previous_versions_url=f"{base}/archive/budget/",
            data_changed=_days_ago(2),
            data_current_as_of=_days_ago(3),
            resources=[
                {"url": f"{base}/budget.csv", "format": "CSV", "name": "Бюджет", "description": "Показники"},
                {
                    "url": f"{base}/budget-structure.json",
                    "format": "JSON",
                    "name": "Структура",
                    "structure": "true",
                },
            ],
        ),
        passport(
            name=f"parks-plan-{suffix}",
            owner_org="parks-squares",
            title="Фінансовий план КП «Парки та сквери м. Луцька»",
            title_en="",
            notes_en="",
            update_frequency="once a year",
            license_id="cc-by",
            tag_string="обʼєкти,комунальні підприємства",
            resources=[
                {"url": f"{base}/parks-plan.zip", "format": "XLSX", "compression": "ZIP", "name": "План"},
                {"url": f"{base}/parks-plan.7z", "format": "GeoJSON", "compression": "7Z"},
            ],
        ),
        passport(
            name=f"schools-api-{suffix}",
            owner_org="education",
            language="en",
            update_frequency="immediately after making changes",
            license_id="cc-by",
            resources=[
                {"url": "https://api.lutskrada.gov.ua/v1/schools", "format": "API", "name": "API шкіл"}
            ],
        ),
        passport(
            name=f"old-plan-{suffix}",
            owner_org="land-resources",
            update_frequency="no longer updated",
            license_id="cc-by",
            resources=[
                {"url": f"{base}/old-plan.pdf", "format": "PDF", "name": "План 2016"},
                {"url": "https://gis.lutskrada.gov.ua/wms", "format": "WMS", "name": "Карта"},
                {"url": f"{base}/land.shp.zip", "format": "SHP", "compression": "ZIP"},
            ],
        ),
        passport(name=f"plan-pending-{suffix}", owner_org="education", resources=[]),
        passport(
            name=f"transport-live-{suffix}",
            owner_org="finance-budget",
            update_frequency="more than once a day",
            license_id="cc-by",
            resources=[{"url": f"{base}/transport.json", "format": "JSON", "name": "Рух транспорту"}],
        ),
    ]


def create_catalogue(suffix: str = "dcat") -> dict[str, Any]:
    """The bodies' organizations, the public passports of ``specs`` and one private dataset."""
    for slug in BODIES:
        body_org(slug)
    user = site_user()
    public = [call_action("package_create", context={"user": user}, **spec) for spec in specs(suffix)]
    private = call_action(
        "package_create",
        context={"user": user},
        **passport(name=f"private-{suffix}", owner_org="finance-budget", private=True),
    )
    return {"public": [call_action("package_show", id=d["id"]) for d in public], "private": private}


def empty(value: Any) -> bool:
    return value in (None, "", [], {})


def passport_view(dataset: dict[str, Any]) -> dict[str, Any]:
    """The passport fields of a dataset dict (empty values dropped), resources sorted by URL."""
    view = {k: dataset.get(k) for k in ("name", *DATASET_FIELDS) if not empty(dataset.get(k))}
    resources = [
        {k: r.get(k) for k in RESOURCE_FIELDS if not empty(r.get(k))} for r in dataset.get("resources") or []
    ]
    view["resources"] = sorted(resources, key=lambda r: r.get("url") or "")
    return view


def official_shapes() -> rdflib.Graph:
    """The DCAT-AP 3.0.1 shapes. The release's dcat:DataServiceShape lists two property shapes
    it never defines; pyshacl refuses to run on a data graph with a DataService then, so
    those two empty references are dropped (every defined shape stays)."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = rdflib.Graph().parse(SHAPES)
    for node_shape, prop in list(shapes.subject_objects(sh.property)):
        if not any(shapes.predicate_objects(prop)):
            shapes.remove((node_shape, sh.property, prop))
    return shapes


def shacl_results(data: rdflib.Graph) -> list[dict[str, str]]:
    """What the official DCAT-AP 3 shapes report (pyshacl), as plain dicts."""
    from pyshacl import validate

    _conforms, report, _text = validate(data, shacl_graph=official_shapes(), advanced=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        out.append(
            {
                "severity": str(report.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
                "focus": str(report.value(result, sh.focusNode)),
                "path": str(report.value(result, sh.resultPath)),
                "message": str(report.value(result, sh.resultMessage)),
            }
        )
    return out
