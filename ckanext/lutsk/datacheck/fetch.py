"""Getting a resource's file onto local disk for a check: an upload is read from CKAN's
storage, a link is downloaded with a size limit and only from public addresses (never
loopback, private, link-local or reserved ones: the worker must not become a way to read
the city's internal network)."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from ckanext.lutsk.domain import datacheck

_CHUNK = 1 << 16
_MAX_REDIRECTS = 3
_TIMEOUT = (10, 60)


class FetchError(Exception):
    def __init__(self, code: str, note: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.note = note


@dataclass
class Fetched:
    path: str
    #: Whether ``path`` is a temporary copy the caller must delete.
    temporary: bool
    size: int

    def cleanup(self) -> None:
        if self.temporary:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def upload_path(resource: dict[str, Any]) -> str:
    from ckan.lib import uploader

    return uploader.get_resource_uploader(resource).get_path(resource["id"])


def _suffix(resource: dict[str, Any]) -> str:
    # openpyxl opens a workbook only by its extension.
    fmt = (resource.get("format") or "").strip().lower()
    return f".{fmt}" if fmt.isalnum() else ""


def fetch(resource: dict[str, Any], max_bytes: int, allow_private: bool = False) -> Fetched:
    if resource.get("url_type") == "upload":
        path = upload_path(resource)
        try:
            size = os.path.getsize(path)
        except OSError as e:
            raise FetchError(datacheck.FETCH_FAILED, type(e).__name__) from None
        if size > max_bytes:
            raise FetchError(datacheck.TOO_LARGE, str(max_bytes))
        # A copy, so that a new upload landing while we read cannot mix two versions.
        fd, tmp = tempfile.mkstemp(prefix="lutsk-check-", suffix=_suffix(resource))
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out, _CHUNK)
        return Fetched(tmp, True, size)
    return download(
        resource.get("url") or "", max_bytes, allow_private=allow_private, suffix=_suffix(resource)
    )


def refused(host: str, port: int) -> bool:
    """Whether any address ``host`` resolves to is not a public one."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        raise FetchError(datacheck.FETCH_FAILED, "DNS") from None
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not addr.is_global or addr.is_multicast:
            return True
    return False


def download(url: str, max_bytes: int, allow_private: bool = False, suffix: str = "") -> Fetched:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: we decide where we connect
    current = url
    for _hop in range(_MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(datacheck.REFUSED_ADDRESS, parts.scheme or "-")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if not allow_private and refused(parts.hostname, port):
            raise FetchError(datacheck.REFUSED_ADDRESS, parts.hostname)
        try:
            response = session.get(current, stream=True, allow_redirects=False, timeout=_TIMEOUT)
        except requests.RequestException as e:
            raise FetchError(datacheck.FETCH_FAILED, type(e).__name__) from None
        if response.is_redirect:
            current = urljoin(current, response.headers.get("Location", ""))
            response.close()
            continue
        if response.status_code != 200:
            response.close()
            raise FetchError(datacheck.FETCH_FAILED, f"HTTP {response.status_code}")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            response.close()
            raise FetchError(datacheck.TOO_LARGE, str(max_bytes))
        fd, tmp = tempfile.mkstemp(prefix="lutsk-check-", suffix=suffix)
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(datacheck.TOO_LARGE, str(max_bytes))
                    out.write(chunk)
        except FetchError:
            os.unlink(tmp)
            raise
        except (requests.RequestException, OSError) as e:
            os.unlink(tmp)
            raise FetchError(datacheck.FETCH_FAILED, type(e).__name__) from None
        finally:
            response.close()
        return Fetched(tmp, True, size)
    raise FetchError(datacheck.FETCH_FAILED, "redirects")
