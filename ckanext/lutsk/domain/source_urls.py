"""Which addresses a harvest source may point at (plain rules; the messages are glue)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

#: Why a URL is refused.
NOT_HTTP = "not_http"
INTERNAL = "internal_address"

#: Host names that always mean this machine.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host part spells, in any form a resolver accepts (``127.0.0.1``,
    ``0x7f000001``, ``2130706433``, ``0177.0.0.1``, ``[::1]``), or None for a name."""
    host = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # the C library's liberal forms
    except (OSError, ValueError):
        return None


def is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, link-local (cloud metadata), private, shared, reserved or unspecified."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return not address.is_global or address.is_multicast


def _trusted(host: str, trusted: Iterable[str]) -> bool:
    host = host.strip("[]").lower()
    address = literal_address(host)
    for entry in trusted:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == host:
            return True
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def refusal(url: Any, trusted: Iterable[str] = ()) -> str | None:
    """Why a harvest source URL is refused (a code), or None. An empty URL passes: the
    harvest extension's own validator reports a missing one. A host on an internal
    address (loopback, link-local, private) is refused unless listed in ``trusted``
    (host names, addresses or networks)."""
    if not isinstance(url, str) or not url.strip():
        return None
    parts = urlsplit(url.strip())
    # ckanext-dcat's RDF harvester reads a local file when the URL is not http(s).
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return NOT_HTTP
    host = parts.hostname
    trusted = tuple(trusted)
    if _trusted(host, trusted):
        return None
    address = literal_address(host)
    if host.lower().rstrip(".") in _LOCAL_NAMES or host.lower().endswith(".localhost"):
        return INTERNAL
    if address is not None and is_internal(address):
        return INTERNAL
    return None


def resolved_refusal(url: Any, addresses: Iterable[str], trusted: Iterable[str] = ()) -> str | None:
    """At fetch time: refused if the host resolves to an internal address (a public name
    may point at 127.0.0.1), unless the host or that address is trusted."""
    first = refusal(url, trusted)
    if first:
        return first
    host = urlsplit(str(url).strip()).hostname or ""
    trusted = tuple(trusted)
    if _trusted(host, trusted):
        return None
    for text in addresses:
        address = literal_address(text)
        if address is not None and is_internal(address) and not _trusted(text, trusted):
            return INTERNAL
    return None


def fetch_refusal(url: Any, trusted: Iterable[str] = ()) -> str | None:
    """:func:`resolved_refusal` with the addresses the host resolves to now (just before
    the harvester fetches). A name that does not resolve passes: the fetch reports it."""
    first = refusal(url, trusted)
    if first or not isinstance(url, str):
        return first
    parts = urlsplit(url.strip())
    try:
        infos = socket.getaddrinfo(parts.hostname or "", parts.port or None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        return None
    return resolved_refusal(url, [str(info[4][0]) for info in infos], trusted)
