"""Part and series URLs for a request: the reader's only use of private Wagtail URL API.

``page_url`` answers what ``page.get_url(request)`` answers, skipping Wagtail's Site lookup (a query
per request) where it cannot change the answer. It reads ``Page._get_site_root_paths``, which is
private to Wagtail: if a Wagtail release changes it, this module is the one to update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.models import Page

from .memo import request_memo

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["page_url"]


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
