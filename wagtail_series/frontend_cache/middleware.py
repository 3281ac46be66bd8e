"""``CacheTagMiddleware``: puts the cache tags recorded on a request into its response.

Most responses of a series are tagged by the view that makes them (the series and part pages,
the feeds, the series API). Wagtail's own pages API is not ours: its ``series`` field (on every
part page type, ``SeriesPartMixin.api_fields``) records its series' tag on the request, and this
middleware adds it to the response. Without it, ``/api/v2/pages/<id>/`` of a part carries no
tag, and the propagation task purges those URLs one by one instead (see
docs/caching-and-webhooks.md, "Purging by series").

    MIDDLEWARE = [
        ...,
        "wagtail_series.frontend_cache.middleware.CacheTagMiddleware",
    ]
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from .tags import add_cache_tags, request_tags

__all__ = ["MIDDLEWARE_PATH", "CacheTagMiddleware", "is_installed"]

MIDDLEWARE_PATH = "wagtail_series.frontend_cache.middleware.CacheTagMiddleware"


class CacheTagMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        tags = request_tags(request)
        if tags:
            add_cache_tags(response, tags)
        return response


def is_installed() -> bool:
    """Whether the site's ``MIDDLEWARE`` holds ``CacheTagMiddleware``."""
    return MIDDLEWARE_PATH in (getattr(settings, "MIDDLEWARE", None) or ())
