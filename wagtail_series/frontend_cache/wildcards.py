"""Wildcard invalidation paths, for CDNs that purge by path prefix rather than by tag.

CloudFront (and Azure CDN / Front Door) have no cache tags, but accept a path ending in ``*``,
which invalidates every path under it and counts as one path (CloudFront bills invalidations
per path beyond 1,000 a month, and allows 3,000 paths in progress at once). A series' parts are
its child pages, so their URLs live under the series page's URL: ``/memories/*`` covers the
series page, its feeds and every part page in one path, whatever the series' length.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["collapse_to_wildcards", "series_wildcard_paths"]


def series_wildcard_paths(series_url_path: str) -> list[str]:
    """The wildcard paths that cover a series page and everything under it:
    ``series_wildcard_paths("/memories/") == ["/memories/*"]``. A series at the site root
    (``"/"``) gets none: ``"/*"`` would invalidate the whole site."""
    path = "/" + series_url_path.strip("/")
    if path == "/":
        return []
    return [path + "/*"]


def collapse_to_wildcards(urls: Iterable[str], series_page_urls: Iterable[str]) -> list[str]:
    """``urls`` with every URL under one of ``series_page_urls`` (same scheme and host, path
    below the series page's) replaced by that series' wildcard URL
    (``http://localhost/memories/*``), each once; other URLs (the API's) are kept."""
    roots = []
    for page_url in series_page_urls:
        parts = urlsplit(page_url)
        for wildcard in series_wildcard_paths(parts.path):
            prefix = urlunsplit((parts.scheme, parts.netloc, wildcard[:-1], "", ""))
            roots.append((prefix, prefix + "*"))
    collapsed: dict[str, None] = {}
    for url in urls:
        for prefix, wildcard in roots:
            if url.startswith(prefix):
                collapsed[wildcard] = None
                break
        else:
            collapsed[url] = None
    return list(collapsed)
