"""Answering anonymous conditional API requests (304) from Django's cache, before DRF runs.

A full request computes the response's validators (ETag, Last-Modified) from ``SeriesVersion``
rows; ``SeriesAPIViewSet`` then stores them here, keyed by everything that can change them: the
request (host, path, query string, ``Accept``) and a *generation token* per series (one for the
listing). ``answer_from_cache`` serves the 304 of a later request with a matching
``If-None-Match`` or ``If-Modified-Since`` with no query, no DRF, no view. Whatever it cannot
answer exactly as the full view would (a reader with a session, credentials, a changed series,
a cache that is down) falls through to the full view.

``propagation.series_changed`` calls ``invalidate`` whenever a series' version bumps: a new
random token makes every stored entry of that series unreachable. It does so at once and again
once the transaction commits; a full request reads the token *before* the database, so a
response computed from data older than a commit is stored under a token that is already gone.

With a cache shared by all app servers (Redis, Memcached) invalidation is exact. With a cache
per process (LocMemCache), a change made in another process is seen when entries expire, after
``API_CACHE_MAX_AGE`` seconds: as long as a shared HTTP cache may serve the response anyway.
Set ``API_VALIDATOR_CACHE`` to ``None`` to answer every request in full.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt

from ..conf import series_settings
from ..models.versions import ALL_SERIES
from ..reader import PUBLIC_VIEWER, viewer_key

logger = logging.getLogger("wagtail_series.api")

KEY_PREFIX = "wagtail_series:api"
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
_PRECONDITION_HEADERS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def validator_cache() -> BaseCache | None:
    alias = series_settings.API_VALIDATOR_CACHE
    return caches[alias] if alias else None


def generation_key(series_id: int) -> str:
    return f"{KEY_PREFIX}:generation:{series_id}"


def current_generation(series_id: int) -> str | None:
    """The token that entries of ``series_id`` (``ALL_SERIES``: the listing) are stored under.

    Read before the database; ``None`` if the cache is off or down (store nothing then).
    """
    cache = validator_cache()
    if cache is None:
        return None
    try:
        token = cache.get(generation_key(series_id))
        if token is None:
            cache.add(generation_key(series_id), secrets.token_hex(8), timeout=None)
            token = cache.get(generation_key(series_id))
        return token
    except Exception:
        logger.warning("wagtail-series: the API validator cache is unavailable", exc_info=True)
        return None


def invalidate(series_ids: Iterable[int]) -> None:
    """Make the stored validators of ``series_ids`` unreachable. Logs, never raises."""
    cache = validator_cache()
    if cache is None:
        return
    try:
        cache.set_many(
            {generation_key(series_id): secrets.token_hex(8) for series_id in series_ids},
            timeout=None,
        )
    except Exception:
        logger.warning(
            "wagtail-series: could not invalidate API validators; stored ones expire after "
            "API_CACHE_MAX_AGE seconds",
            exc_info=True,
        )


def entry_key(request: HttpRequest, token: str) -> str:
    # Everything in the request a response's validators depend on for an anonymous reader:
    # the site (host, scheme), the endpoint and its parameters, and the negotiated renderer.
    described = "|".join(
        (
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        )
    )
    return f"{KEY_PREFIX}:validators:{token}:{hashlib.sha256(described.encode()).hexdigest()}"


def store(request: HttpRequest, token: str | None, etag: str, changed_at: datetime) -> None:
    """Remember the validators of a public response computed under generation ``token``."""
    cache = validator_cache()
    if cache is None or token is None:
        return
    try:
        cache.set(
            entry_key(request, token),
            (etag, changed_at.timestamp()),
            timeout=series_settings.API_CACHE_MAX_AGE or None,
        )
    except Exception:
        logger.warning("wagtail-series: could not store API validators", exc_info=True)


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
    cache = validator_cache()
    if cache is None:
        return None
    try:
        if viewer_key(request) != PUBLIC_VIEWER:
            return None
        token = cache.get(generation_key(series_id))
        stored = cache.get(entry_key(request, token)) if token is not None else None
    except Exception:  # a cache that is down, a host that is not allowed: the full view says
        return None
    if stored is None:
        return None
    etag, timestamp = stored
    response = get_conditional_response(request, etag=etag, last_modified=int(timestamp))
    if response is None or response.status_code != 304:
        return None
    return respond(response, etag, datetime.fromtimestamp(timestamp, tz=UTC))


def answers_conditional_requests(
    view: Callable[..., HttpResponseBase],
    respond: Callable[[HttpResponseBase, str, datetime], HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Wrap a listing (no ``pk``) or detail view with ``answer_from_cache``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        pk = kwargs.get("pk")
        if pk is None:
            series_id = ALL_SERIES
        elif pk.isascii() and pk.isdigit() and len(pk) <= 10:
            series_id = int(pk)
        else:
            return view(request, *args, **kwargs)
        return answer_from_cache(request, series_id, respond) or view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
