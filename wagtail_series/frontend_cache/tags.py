"""The cache-tag vocabulary: which tags a response carries, and the header that carries them.

Every response that shows a series carries that series' tag (``series_tag(series.pk)``): the
series page and its feeds, its part pages, its API detail and the pages API detail of its parts.
Responses that show every series (the series listing, the site-wide feeds) carry
``ALL_SERIES_TAG``, which every purge includes. A backend that purges by tag then clears all of
them with one request, however many parts the series has.

The header is ``WAGTAIL_SERIES["CACHE_TAG_HEADER"]``: ``"Cache-Tag"`` (Cloudflare, the default),
``"Surrogate-Key"`` (Fastly) or ``"xkey"`` (Varnish's xkey vmod); ``None`` sends no tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase

from ..conf import series_settings

__all__ = [
    "ALL_SERIES_TAG",
    "TAG_PREFIX",
    "add_cache_tags",
    "add_request_tags",
    "cache_tag_header",
    "request_tags",
    "split_tags",
    "series_tag",
    "tag_separator",
    "tags_for_series",
]

TAG_PREFIX = "wagtail-series-"
# Carried by responses that list every series: the series listing and the site-wide feeds.
ALL_SERIES_TAG = TAG_PREFIX + "all"

_SPLIT = re.compile(r"[\s,]+")

Response = TypeVar("Response", bound=HttpResponseBase)


def series_tag(series_id: int) -> str:
    """The tag of one series: ``series_tag(3) == "wagtail-series-3"``."""
    return f"{TAG_PREFIX}{int(series_id)}"


def tags_for_series(series_ids: Iterable[int]) -> list[str]:
    """The tags of these series, each once, in the order of their ids (stable for tests and
    batching). ``ALL_SERIES_TAG`` is not included: a purge adds it, a response may carry it."""
    return [series_tag(series_id) for series_id in sorted({int(i) for i in series_ids})]


def cache_tag_header() -> str | None:
    """The response header that carries cache tags, or None when tagging is off."""
    return series_settings.CACHE_TAG_HEADER


def tag_separator(header: str) -> str:
    """How tags are joined in ``header``: commas in Cloudflare's ``Cache-Tag`` (and the other
    ``*Cache-Tag*`` headers: Akamai's ``Edge-Cache-Tag``, FOSHttpCache's ``X-Cache-Tags``),
    spaces in Fastly's ``Surrogate-Key``, Varnish's ``xkey`` and anything else."""
    return "," if "cache-tag" in header.lower() else " "


def split_tags(value: str) -> list[str]:
    """The tags in a header value, whichever separator it uses (commas, spaces or both)."""
    return [tag for tag in _SPLIT.split(value) if tag]


def add_cache_tags(response: Response, tags: Iterable[str]) -> Response:
    """Add ``tags`` to the cache-tag header of ``response``, keeping any tags already there
    (each tag once, the existing ones first). Does nothing when ``CACHE_TAG_HEADER`` is None
    or there is no tag to add. Returns the response."""
    header = cache_tag_header()
    new = list(dict.fromkeys(tags))
    if header is None or not new:
        return response
    for tag in new:
        if not tag or _SPLIT.search(tag):
            raise ValueError(f"A cache tag can't be empty or hold spaces or commas: {tag!r}")
    existing = split_tags(response.headers.get(header, ""))
    response.headers[header] = tag_separator(header).join(dict.fromkeys([*existing, *new]))
    return response


# Tags recorded on a request by code that can't reach the response (the ``series`` field of
# Wagtail's pages API), added to the response by ``middleware.CacheTagMiddleware``.
_REQUEST_ATTRIBUTE = "_wagtail_series_cache_tags"


def _http_request(request: Any) -> Any:
    # A DRF Request wraps the HttpRequest the middleware sees.
    return getattr(request, "_request", request)


def add_request_tags(request: HttpRequest | Any, tags: Iterable[str]) -> None:
    """Record ``tags`` for the response to ``request`` (a Django or DRF request), for
    ``CacheTagMiddleware`` to add. Does nothing without a request or when tagging is off."""
    if request is None or cache_tag_header() is None:
        return
    request = _http_request(request)
    recorded = getattr(request, _REQUEST_ATTRIBUTE, None)
    if recorded is None:
        recorded = {}
        setattr(request, _REQUEST_ATTRIBUTE, recorded)
    recorded.update(dict.fromkeys(tags))


def request_tags(request: HttpRequest | Any) -> list[str]:
    """The tags recorded on ``request`` by ``add_request_tags``, in order."""
    return list(getattr(_http_request(request), _REQUEST_ATTRIBUTE, None) or ())
