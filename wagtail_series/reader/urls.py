"""Part and series URLs for a request: the reader's only use of private Wagtail URL API.

``page_url`` answers what ``page.get_url(request)`` answers, skipping Wagtail's Site lookup (a query
per request) where it cannot change the answer. It reads ``Page._get_site_root_paths``, which is
private to Wagtail: if a Wagtail release changes it, this module is the one to update.

Absolute URLs (APIs, feeds, JSON-LD) are built here too, from the page's own Site (its root URL,
as ``page.get_full_url()``), never from the request's host or ``WAGTAILAPI_BASE_URL``: another
Site's page must point at that Site, and a URL must not change with the Host header.
``site_root_url`` gives a series' root URL (its outline keeps it), ``absolute_url`` joins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.models import Page, Site

from .memo import request_memo

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["absolute_url", "page_url", "site_root_paths", "site_root_url"]


def page_url(page: Page, request: HttpRequest | None) -> str | None:
    """``page.get_url(request)``, without its Site lookup when that can't change the answer.

    Wagtail looks up the request's Site (a query per request) to choose between a relative and an
    absolute URL. With one site the URL is relative whichever site it is, so the reader skips the
    lookup then. Page types that override ``get_url`` itself are asked as usual.
    """
    if (
        request is None
        or hasattr(request, "_wagtail_site")  # looked up already: no query
        or type(page).get_url is not Page.get_url
        or not _serves_one_site(page, request)
    ):
        return page.get_url(request)
    url_parts = page.get_url_parts(request=request)
    if url_parts is None or url_parts[1] is None and url_parts[2] is None:
        return None  # not routable, as get_url says
    return url_parts[2]


def _serves_one_site(page: Page, request: HttpRequest) -> bool:
    cache = request_memo(request)
    if "one_site" not in cache:
        # The root paths Wagtail's get_url_parts reads, from the same copy (cached on the request).
        cache["one_site"] = len({root.site_id for root in page._get_site_root_paths(request)}) == 1
    return cache["one_site"]


def site_root_url(page: Page, request: HttpRequest | None) -> str | None:
    """The root URL of ``page``'s own Site (``http://b.example``), as ``page.get_full_url()``
    uses it; None if the page is not routable. No query (Wagtail's root paths are cached)."""
    url_parts = page.get_url_parts(request=request)
    return url_parts[1] if url_parts is not None else None


def absolute_url(url: str | None, root_url: str | None) -> str | None:
    """``url`` (from ``page_url``) made absolute with ``root_url`` (from ``site_root_url`` of the
    page or of its series: parts share their series' Site)."""
    if url is None or "://" in url or root_url is None:
        return url
    return root_url.rstrip("/") + url


def site_root_paths(site_id: int, request: HttpRequest) -> list[str]:
    """The ``url_path`` of every root of the Site ``site_id``: its root page and, under Wagtail
    i18n, that page's translations (Wagtail's own root paths: no query once cached)."""
    # The copy Page._get_site_root_paths keeps on the request, shared with page_url's lookups.
    try:
        roots = request._wagtail_cached_site_root_paths  # type: ignore[attr-defined]
    except AttributeError:
        roots = Site.get_site_root_paths()
        request._wagtail_cached_site_root_paths = roots  # type: ignore[attr-defined]
    return [root.root_path for root in roots if root.site_id == site_id]
