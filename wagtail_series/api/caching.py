"""Answering anonymous conditional API requests (304) from the validator cache, before DRF runs.

A full request computes the response's validators (ETag, Last-Modified) with
``wagtail_series.versions`` and ``SeriesAPIViewSet`` stores those of public responses there, keyed
by the request (host, path, query string, ``Accept``) and the series' generation token.
``answers_conditional_requests`` wraps the listing and detail views: a later request with a
matching ``If-None-Match`` or ``If-Modified-Since`` gets its 304 with no query, no DRF, no view.
Whatever it cannot answer exactly as the full view would (a reader with a session, credentials,
a changed series, a cache that is down) falls through to the full view.

How stored validators are dropped when a series changes, and the ``CACHE_ALIAS`` setting, are
described in ``wagtail_series.versions``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt

from .. import versions
from ..frontend_cache.tags import ALL_SERIES_TAG, add_cache_tags, series_tag
from ..models.versions import ALL_SERIES
from ..reader import PUBLIC_VIEWER, viewer_key

_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
_PRECONDITION_HEADERS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def answer_from_cache(
    request: HttpRequest,
    series_id: int,
    respond: Callable[[HttpResponseBase, str, datetime], HttpResponseBase],
) -> HttpResponseBase | None:
    """A 304 for ``request`` if stored validators say the client's copy is current, else None."""
    meta = request.META
    if request.method not in ("GET", "HEAD") or not any(h in meta for h in _CONDITIONAL_HEADERS):
        return None
    # Preconditions (a 412) and credentials (DRF authenticates them) are the full view's job; so
    # is a reader with a session that could hold a login or passed password restrictions.
    if any(h in meta for h in _PRECONDITION_HEADERS) or "HTTP_AUTHORIZATION" in meta:
        return None
    if versions.get_cache() is None:
        return None
    try:
        if viewer_key(request) != PUBLIC_VIEWER:
            return None
    except Exception:  # a session store that is down: the full view says
        return None
    stored = versions.stored_validators(request, series_id)
    if stored is None:
        return None
    etag, changed_at = stored
    response = get_conditional_response(
        request, etag=etag, last_modified=int(changed_at.timestamp())
    )
    if response is None or response.status_code != 304:
        return None
    return respond(response, etag, changed_at)


def answers_conditional_requests(
    view: Callable[..., HttpResponseBase],
    respond: Callable[[HttpResponseBase, str, datetime], HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Wrap a listing (no ``pk``) or detail view with ``answer_from_cache``. Every answer,
    the full view's or a 304 from the cache, carries the cache tag a purge clears: the series'
    for a detail, ``ALL_SERIES_TAG`` for the listing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        pk = kwargs.get("pk")
        if pk is None:
            series_id = ALL_SERIES
        elif pk.isascii() and pk.isdigit() and len(pk) <= 10:
            series_id = int(pk)
        else:
            return view(request, *args, **kwargs)
        response = answer_from_cache(request, series_id, respond) or view(request, *args, **kwargs)
        tag = ALL_SERIES_TAG if series_id == ALL_SERIES else series_tag(series_id)
        return add_cache_tags(response, [tag])

    return csrf_exempt(wrapper)
