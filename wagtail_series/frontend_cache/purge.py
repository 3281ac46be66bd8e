"""Purge what one change leaves stale, on every configured frontend-cache backend, by tag where
the backend can and by URL where it can't.

Meant to run in the propagation task (in the background), never in the editor's request: with a
tag backend it costs one request whatever the series' length; by URL it grows with the series.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wagtail.contrib.frontend_cache.backends.azure import AzureBaseBackend
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.backends.cloudflare import CloudflareBackend
from wagtail.contrib.frontend_cache.backends.cloudfront import CloudfrontBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from .backends import TagPurgingBackend
from .tags import ALL_SERIES_TAG, tags_for_series
from .wildcards import collapse_to_wildcards

__all__ = ["BackendPurge", "PurgeSummary", "purge_series"]

logger = logging.getLogger("wagtail_series")


@dataclass(frozen=True)
class BackendPurge:
    """What one backend was asked to purge, and the requests that takes."""

    backend: str  # its name in WAGTAILFRONTENDCACHE
    tags: tuple[str, ...] = ()  # purged by tag
    urls: tuple[str, ...] = ()  # purged by URL, in one Wagtail PurgeBatch
    requests: int = 0  # requests (or CloudFront invalidations, Azure purges) sent to the CDN


@dataclass(frozen=True)
class PurgeSummary:
    backends: tuple[BackendPurge, ...] = ()

    @property
    def requests(self) -> dict[str, int]:
        """Requests per backend name."""
        return {purge.backend: purge.requests for purge in self.backends}

    @property
    def total_requests(self) -> int:
        return sum(purge.requests for purge in self.backends)


def purge_series(
    series_ids: Iterable[int],
    urls: Iterable[str],
    *,
    stale_urls: Iterable[str] = (),
    series_page_urls: Iterable[str] = (),
    backends: Sequence[str] | None = None,
    backend_settings: dict[str, Any] | None = None,
) -> PurgeSummary:
    """Purge a change to ``series_ids`` from every frontend-cache backend.

    - ``urls``: every URL that shows these series now (series pages and feeds, part pages, API
      URLs, site-wide feeds), each response tagged with ``series_tag`` (or ``ALL_SERIES_TAG``);
    - ``stale_urls``: URLs that don't carry the tag (any more): an unpublished part's URL, the
      old URLs of moved or renamed pages, and any response you don't tag;
    - ``series_page_urls``: the full URLs of the series pages, whose parts live under them:
      backends that accept wildcard paths (CloudFront, Azure) get ``/memories/*`` instead of
      each URL below ``/memories/``;
    - ``backends`` and ``backend_settings``: as in Wagtail's ``PurgeBatch.purge``, to limit the
      purge to some backends of ``WAGTAILFRONTENDCACHE`` or to use other settings.

    A backend with ``purge_tags`` gets one tag purge for all the series (their tags and
    ``ALL_SERIES_TAG``, batched to its limit) and a URL purge of ``stale_urls`` only. Any other
    gets one Wagtail ``PurgeBatch`` of ``urls`` and ``stale_urls``: Cloudflare 30 URLs a
    request, CloudFront one invalidation, HTTP (Varnish, Squid) one request per URL. Errors are
    logged, never raised. The summary counts requests per backend (as sent, not counting the
    copies ``WAGTAILFRONTENDCACHE_LANGUAGES`` adds).
    """
    ids = list(series_ids)
    tags = [*tags_for_series(ids), ALL_SERIES_TAG] if ids else []
    stale = list(dict.fromkeys(stale_urls))
    stale_set = set(stale)
    showing = [url for url in dict.fromkeys(urls) if url not in stale_set]
    page_urls = list(series_page_urls)
    summary = []
    for name, backend in get_backends(backend_settings, backends).items():
        by_tag = bool(tags) and isinstance(backend, TagPurgingBackend)
        batch = stale if by_tag else showing + stale
        if accepts_wildcards(backend):
            batch = collapse_to_wildcards(batch, page_urls)
        requests = 0
        if by_tag:
            requests += math.ceil(len(tags) / backend.TAGS_PER_REQUEST)
            _guarded(name, backend.purge_tags, tags)
        if batch:
            requests += url_requests(backend, batch)
            _guarded(name, PurgeBatch(batch).purge, backend_settings, [name])
        summary.append(BackendPurge(name, tuple(tags) if by_tag else (), tuple(batch), requests))
    return PurgeSummary(tuple(summary))


def _guarded(name: str, function: Any, *args: Any) -> None:
    """A failing backend is logged and doesn't stop the others."""
    try:
        function(*args)
    except Exception:
        logger.exception("Purging the frontend cache %r failed.", name)


def accepts_wildcards(backend: BaseBackend) -> bool:
    """CloudFront and Azure take ``/memories/*`` as one invalidation path."""
    return isinstance(backend, CloudfrontBackend | AzureBaseBackend)


def url_requests(backend: BaseBackend, urls: Iterable[str]) -> int:
    """The requests Wagtail's purge of ``urls`` sends to ``backend``: it calls ``purge_batch``
    once per hostname the backend invalidates; Cloudflare sends 30 URLs a request, CloudFront
    and Azure one purge a batch, and every other backend (``purge_batch``'s fallback, HTTP) one
    request per URL."""
    by_host: dict[str, int] = defaultdict(int)
    for url in set(urls):
        by_host[urlsplit(url).netloc] += 1
    total = 0
    for host, count in by_host.items():
        if not backend.invalidates_hostname(host):
            continue
        if isinstance(backend, CloudflareBackend):
            total += math.ceil(count / backend.CHUNK_SIZE)
        elif accepts_wildcards(backend):
            total += 1
        else:
            total += count
    return total
