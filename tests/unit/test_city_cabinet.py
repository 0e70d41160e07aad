"""One city cabinet on data.gov.ua: the holder body travels in keys the national CKAN keeps
(author, author_email, publisherIdentifier) and is recognised from them again."""

from __future__ import annotations

from ckanext.lutsk.domain import mapping
from ckanext.lutsk.domain.registry import load_registry

REG = load_registry()


def test_holder_fields_name_the_body_and_only_known_values() -> None:
    econ = REG.get("economic-policy")
    assert mapping.holder_fields(econ) == {
        "author": "Департамент економічної політики",
        "author_email": "econom@lutskrada.gov.ua",
    }
    assert mapping.holder_fields(REG.get("education")) == {"author": "Департамент освіти"}
    assert mapping.holder_fields(None) == {}


def test_to_remote_carries_the_holder_and_keeps_our_name() -> None:
    pkg = {
        "name": "targeted-programmes",
        "title": "Перелік цільових програм",
        "notes": "Опис",
        "author": "Департамент економічної політики",
        "author_email": "econom@lutskrada.gov.ua",
        "resources": [],
    }
    remote = mapping.to_remote(pkg, owner_org="lutsk-city-council")
    assert remote["owner_org"] == "lutsk-city-council"
    assert remote["name"] == "targeted-programmes"
    assert remote["author"] == "Департамент економічної політики"
    assert remote["author_email"] == "econom@lutskrada.gov.ua"
    assert "publisherIdentifier" not in remote  # no ЄДРПОУ is known: nothing invented


def test_body_recognised_from_the_national_copy() -> None:
    assert mapping.body_for_author(REG, {"author": "Департамент освіти"}).slug == "education"  # type: ignore[union-attr]
    # An abolished body's name leads to its successor.
    old = {"author": "Управління транспорту та зв'язку"}
    assert mapping.body_for_author(REG, old).slug == "transport"  # type: ignore[union-attr]
    assert mapping.body_for_author(REG, {"author": "Хтось інший"}) is None
