"""Frontend-cache backends that purge by cache tag as well as by URL.

Each subclasses the matching Wagtail backend (``BaseBackend`` for Fastly, which Wagtail doesn't
wrap), so purging URLs, hostnames and ``WAGTAILFRONTENDCACHE`` work exactly as in Wagtail, and
adds ``purge_tags(tags)``. Like Wagtail's backends, a failed request is logged (logger
``wagtail.frontendcache``) and never raised: a purge never fails a publish.

    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail_series.frontend_cache.backends.VarnishXkeyBackend",
            "LOCATION": "http://varnish:6081",
        },
    }
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

import requests
from django.core.exceptions import ImproperlyConfigured
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.backends.cloudflare import CloudflareBackend
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend

from .. import __version__

__all__ = [
    "CloudflareTagBackend",
    "FastlyBackend",
    "TagPurgingBackend",
    "VarnishXkeyBackend",
]

logger = logging.getLogger("wagtail.frontendcache")

USER_AGENT = f"wagtail-series/{__version__} Wagtail-frontendcache/{wagtail_version}"


@runtime_checkable
class TagPurgingBackend(Protocol):
    """A frontend-cache backend that can also purge by cache tag."""

    # The most tags one purge request carries; more are sent in several requests.
    TAGS_PER_REQUEST: int

    def purge_tags(self, tags: list[str]) -> None: ...


def chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """``items`` without repeats, in lists of at most ``size``."""
    unique = list(dict.fromkeys(items))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def _send(
    method: str,
    url: str,
    *,
    what: str,
    headers: Mapping[str, str],
    timeout: float,
    json: Any = None,
) -> requests.Response | None:
    """One request; errors (no answer, or a status of 400 or more) are logged, never raised.
    Returns the response when there is one."""
    try:
        response = requests.request(
            method,
            url,
            headers={"User-Agent": USER_AGENT, **headers},
            json=json,
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        logger.error("Couldn't purge %s: %s %s failed: %s", what, method, url, error)
        return None
    if response.status_code >= 400:
        logger.error(
            "Couldn't purge %s: %s %s answered %d %s",
            what,
            method,
            url,
            response.status_code,
            response.reason,
        )
    return response


class VarnishXkeyBackend(HTTPBackend):
    """Varnish with the xkey vmod (varnish-modules): purges URLs as Wagtail's ``HTTPBackend``
    does (one ``PURGE`` per URL) and tags with one ``PURGE`` to ``LOCATION`` whose
    ``xkey-purge`` header lists them, space-separated (the header name is ``XKEY_HEADER``).
    Responses must carry their tags in an ``xkey`` header: ``CACHE_TAG_HEADER = "xkey"``."""

    # Keeps the purge header well under Varnish's default 8 KB header limit (http_req_hdr_len).
    TAGS_PER_REQUEST = 256

    def __init__(self, params: dict[str, Any]) -> None:
        self.xkey_header: str = params.pop("XKEY_HEADER", "xkey-purge")
        self.timeout: float = params.pop("TIMEOUT", 10)
        super().__init__(params)

    def purge_tags(self, tags: list[str]) -> None:
        location = f"{self.cache_scheme}://{self.cache_netloc}/"
        for chunk in chunks(tags, self.TAGS_PER_REQUEST):
            _send(
                "PURGE",
                location,
                what=f"tags {' '.join(chunk)!r} from Varnish",
                headers={self.xkey_header: " ".join(chunk)},
                timeout=self.timeout,
            )


class FastlyBackend(BaseBackend):
    """Fastly: a URL is purged with a ``PURGE`` request to the URL itself, a batch of tags
    (surrogate keys) with one ``POST {API_URL}/service/{SERVICE_ID}/purge`` whose
    ``Surrogate-Key`` header lists them (at most 256 per request, Fastly's limit).

    Params: ``API_TOKEN`` (sent as ``Fastly-Key``; needs the ``purge_select`` scope),
    ``SERVICE_ID``, and optionally ``SOFT_PURGE`` (mark stale instead of removing: sends
    ``Fastly-Soft-Purge: 1``), ``API_URL`` (default ``https://api.fastly.com``), ``TIMEOUT``
    (seconds, default 10) and Wagtail's ``HOSTNAMES``."""

    TAGS_PER_REQUEST = 256
    API_URL = "https://api.fastly.com"

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        try:
            self.api_token: str = params.pop("API_TOKEN")
            self.service_id: str = params.pop("SERVICE_ID")
        except KeyError as error:
            raise ImproperlyConfigured(
                f"The Fastly backend in WAGTAILFRONTENDCACHE requires {error.args[0]!r}."
            ) from error
        self.api_url: str = params.pop("API_URL", self.API_URL).rstrip("/")
        self.soft_purge: bool = params.pop("SOFT_PURGE", False)
        self.timeout: float = params.pop("TIMEOUT", 10)

    def _headers(self) -> dict[str, str]:
        headers = {"Fastly-Key": self.api_token, "Accept": "application/json"}
        if self.soft_purge:
            headers["Fastly-Soft-Purge"] = "1"
        return headers

    def purge(self, url: str) -> None:
        _send(
            "PURGE", url, what=f"{url!r} from Fastly", headers=self._headers(), timeout=self.timeout
        )

    def purge_tags(self, tags: list[str]) -> None:
        endpoint = f"{self.api_url}/service/{self.service_id}/purge"
        for chunk in chunks(tags, self.TAGS_PER_REQUEST):
            _send(
                "POST",
                endpoint,
                what=f"surrogate keys {' '.join(chunk)!r} from Fastly",
                headers={**self._headers(), "Surrogate-Key": " ".join(chunk)},
                timeout=self.timeout,
            )


class CloudflareTagBackend(CloudflareBackend):
    """Cloudflare: URLs are purged by Wagtail's ``CloudflareBackend`` (30 per request), tags
    with the zone's ``purge_cache`` endpoint and ``{"tags": [...]}``, 30 per request.

    Params: Wagtail's (``ZONEID``, and ``BEARER_TOKEN`` or ``EMAIL`` and ``API_KEY``), and
    optionally ``API_URL`` (default ``https://api.cloudflare.com/client/v4``, for tag purges
    only) and ``TIMEOUT`` (seconds, default 30 as Wagtail's)."""

    TAGS_PER_REQUEST = 30
    API_URL = "https://api.cloudflare.com/client/v4"

    def __init__(self, params: dict[str, Any]) -> None:
        self.api_url: str = params.pop("API_URL", self.API_URL).rstrip("/")
        self.timeout: float = params.pop("TIMEOUT", 30)
        super().__init__(params)

    def _auth_headers(self) -> dict[str, str]:
        # As Wagtail's CloudflareBackend authenticates.
        if self.cloudflare_token:
            return {"Authorization": f"Bearer {self.cloudflare_token}"}
        return {"X-Auth-Email": self.cloudflare_email, "X-Auth-Key": self.cloudflare_api_key}

    def purge_tags(self, tags: list[str]) -> None:
        endpoint = f"{self.api_url}/zones/{self.cloudflare_zoneid}/purge_cache"
        for chunk in chunks(tags, self.TAGS_PER_REQUEST):
            what = f"tags {','.join(chunk)!r} from Cloudflare"
            response = _send(
                "POST",
                endpoint,
                what=what,
                headers=self._auth_headers(),
                json={"tags": chunk},
                timeout=self.timeout,
            )
            if response is None or response.status_code >= 400:
                continue
            try:
                answer = response.json()
            except ValueError:
                logger.error("Couldn't purge %s: the answer isn't JSON.", what)
                continue
            if not isinstance(answer, dict) or answer.get("success") is not True:
                errors = answer.get("errors") if isinstance(answer, dict) else None
                messages = ", ".join(str(e.get("message", e)) for e in errors or [])
                logger.error("Couldn't purge %s. Cloudflare errors: %s", what, messages)
