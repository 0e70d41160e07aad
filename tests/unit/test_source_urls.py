from __future__ import annotations

import pytest

from ckanext.lutsk.domain import source_urls


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8983/solr/admin/cores",
        "http://169.254.169.254/latest/meta-data/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://[::1]:5000/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.0.0.5/catalog.ttl",
        "http://192.168.1.1/",
        "http://localhost:5000/",
        "http://0.0.0.0/",
    ],
)
def test_internal_addresses_are_refused(url):
    assert source_urls.refusal(url) == source_urls.INTERNAL


def test_public_addresses_pass_and_trusted_internal_ones_too():
    assert source_urls.refusal("https://data.gov.ua/catalog.ttl") is None
    assert source_urls.refusal("http://127.0.0.1:5011/", trusted=["127.0.0.1"]) is None
    assert source_urls.refusal("http://10.1.2.3/", trusted=["10.0.0.0/8"]) is None
    assert source_urls.refusal("file:///etc/passwd") == source_urls.NOT_HTTP


def test_a_public_name_resolving_to_an_internal_address_is_refused_at_fetch_time():
    url = "https://rebind.example.org/catalog.ttl"
    assert source_urls.resolved_refusal(url, ["93.184.216.34"]) is None
    assert source_urls.resolved_refusal(url, ["93.184.216.34", "127.0.0.1"]) == source_urls.INTERNAL
    assert source_urls.resolved_refusal(url, ["127.0.0.1"], trusted=["rebind.example.org"]) is None
