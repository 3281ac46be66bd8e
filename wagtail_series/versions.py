"""Series versions and the HTTP validators built on them, for every surface.

``SeriesVersion`` counts the changes readers could see of each series (row ``ALL_SERIES``: of any
series, for listings). From it come, the same way for the REST API and the feeds:

- the **ETag**: ``etag(scope, version, *vary)``, one recipe (the package version, what the
  response is, the series version and the time of that change, and whatever else the response
  varies on);
- the **Last-Modified**: ``last_modified(version, page)``, one rule (the time of the last change;
  before any change, the page's last publication; else now).

It also keeps the **validator cache**: the ETag and Last-Modified of anonymous API responses,
stored in the Django cache named by the ``CACHE_ALIAS`` setting under a *generation token* per
series (one for the listing), so ``api/caching.py`` can answer a conditional request (304) with
no query and no view. ``invalidate`` gives a series a new random token whenever its version
bumps, which makes every entry stored for it unreachable; a full request reads the token
*before* the database, so a response computed from data older than a commit is stored under a
token that is already gone. The feeds keep their rendered bodies in the same cache.

With a cache shared by all app servers (Redis, Memcached) invalidation is exact. With a cache
per process (LocMemCache), a change made in another process is seen when entries expire, after
``API_CACHE_MAX_AGE`` seconds: as long as a shared HTTP cache may serve the response anyway.
``CACHE_ALIAS = None`` keeps nothing in Django's cache: every request is answered in full.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import connections, router
from django.db.models import BigIntegerField, Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Greatest, Least
from django.http import HttpRequest
from django.utils import timezone, translation

from . import __version__
from .conf import series_settings
from .models import SeriesPage
from .models.versions import ALL_SERIES, SeriesVersion

__all__ = [
    "ALL_SERIES",
    "KEY_PREFIX",
    "NO_VERSION",
    "Version",
    "bump",
    "cache_key",
    "current_generation",
    "etag",
    "get_cache",
    "invalidate",
    "last_modified",
    "read",
    "store_validators",
    "stored_validators",
    "version_of",
    "with_versions",
]

logger = logging.getLogger("wagtail_series.versions")

KEY_PREFIX = "wagtail_series"


@dataclass(frozen=True)
class Version:
    """A series' ``SeriesVersion``: how many changes, and when the last one was (``None``: none)."""

    number: int
    changed_at: datetime | None


NO_VERSION = Version(0, None)


# --- Versions ------------------------------------------------------------------------------


def bump(series_ids: Iterable[int], *, propagate: bool = False) -> set[int]:
    """Count a change to ``series_ids`` and to the listing (``ALL_SERIES``), in the caller's
    transaction, and drop their stored validators. Returns the ids bumped (with ``ALL_SERIES``).

    ``propagate``: the change is handed to the background task, which records when it is done
    (``mark_propagated``). Otherwise nobody needs telling, and a series that had nothing
    waiting stays so (its ``propagated_version`` follows).
    """
    ids = {*series_ids, ALL_SERIES}
    now = timezone.now()
    database = router.db_for_write(SeriesVersion)
    if connections[database].vendor in _UPSERT_VENDORS:
        ordered = sorted(ids)
        for start in range(0, len(ordered), _UPSERT_ROWS):
            _bump_upsert(database, ordered[start : start + _UPSERT_ROWS], now, propagate)
    else:
        # Two statements whatever the number of series; the rows exist from then on.
        SeriesVersion.objects.bulk_create(
            [SeriesVersion(series_id=series_id) for series_id in ids], ignore_conflicts=True
        )
        changes: dict[str, Any] = {"version": F("version") + 1, "changed_at": now}
        if not propagate:
            # The right-hand sides read the row as it was (SQL): "nothing was waiting".
            changes["propagated_version"] = Case(
                When(propagated_version=F("version"), then=F("version") + 1),
                default=F("propagated_version"),
                output_field=BigIntegerField(),
            )
        SeriesVersion.objects.filter(series_id__in=ids).update(**changes)
    invalidate(ids)
    return ids


# Databases with INSERT ... ON CONFLICT DO UPDATE (SQLite 3.24+, PostgreSQL 9.5+): a bump is
# one statement there, which every editor's save pays (Django's bulk_create can't say "+ 1").
_UPSERT_VENDORS = ("postgresql", "sqlite")
# Rows per statement (three parameters each): under SQLite's 32,766 and PostgreSQL's 65,535.
_UPSERT_ROWS = 5000


def _bump_upsert(database: str, ids: list[int], now: datetime, propagate: bool) -> None:
    connection = connections[database]
    table = connection.ops.quote_name(SeriesVersion._meta.db_table)
    # A new row starts at version 1, propagated (1) unless this change is to be propagated (0);
    # an existing row counts one more, as the two-statement form does.
    propagated = (
        f"{table}.propagated_version"
        if propagate
        else f"CASE WHEN {table}.propagated_version = {table}.version "
        f"THEN {table}.version + 1 ELSE {table}.propagated_version END"
    )
    rows = ", ".join(["(%s, 1, %s, %s)"] * len(ids))
    params: list[Any] = []
    for series_id in ids:
        params += [series_id, now, 0 if propagate else 1]
    sql = (
        f"INSERT INTO {table} (series_id, version, changed_at, propagated_version) "
        f"VALUES {rows} ON CONFLICT (series_id) DO UPDATE SET "
        f"version = {table}.version + 1, changed_at = excluded.changed_at, "
        f"propagated_version = {propagated}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def current(series_ids: Iterable[int]) -> dict[int, int]:
    """The version of each of ``series_ids`` now (one query): what a task saw before its work."""
    return dict(
        SeriesVersion.objects.filter(series_id__in=set(series_ids)).values_list(
            "series_id", "version"
        )
    )


def mark_propagated(seen: dict[int, int]) -> None:
    """Record that the frontend cache and webhooks were told about each series as of the
    version ``seen`` (read before the work). One statement; never moves a mark back."""
    if not seen:
        return
    upto = Case(
        *(When(series_id=pk, then=Value(version)) for pk, version in seen.items()),
        output_field=BigIntegerField(),
    )
    SeriesVersion.objects.filter(series_id__in=seen).update(
        propagated_version=Greatest(F("propagated_version"), upto, output_field=BigIntegerField())
    )


def mark_pending(series_ids: Iterable[int]) -> None:
    """Record that ``series_ids`` have a change to propagate at their current version (one
    statement), for a change that follows a bump made with ``propagate=False``."""
    SeriesVersion.objects.filter(series_id__in=set(series_ids)).update(
        propagated_version=Least(
            F("propagated_version"), F("version") - 1, output_field=BigIntegerField()
        )
    )


def claim_unpropagated(older_than: datetime, now: datetime) -> list[int]:
    """Series changed before ``older_than`` whose change no task has propagated (their task was
    lost: see ``SeriesVersion.propagated_version``) and that no recovery took up since then.
    Claims them as of ``now`` (one conditional UPDATE each): a concurrent caller gets the
    others or none."""
    lost = (
        SeriesVersion.objects.filter(version__gt=F("propagated_version"), changed_at__lt=older_than)
        .filter(Q(recovered_at__isnull=True) | Q(recovered_at__lt=older_than))
        .exclude(series_id=ALL_SERIES)
    )
    ids = list(lost.order_by("series_id").values_list("series_id", flat=True))
    claimed = []
    for series_id in ids:
        # The conditional UPDATE is the claim: only one caller's can match.
        if lost.filter(series_id=series_id).update(recovered_at=now):
            claimed.append(series_id)
    return claimed


def read(series_id: int) -> Version:
    """The version of ``series_id`` (``ALL_SERIES``: of the listing), in one query."""
    row = (
        SeriesVersion.objects.filter(series_id=series_id)
        .values_list("version", "changed_at")
        .first()
    )
    return Version(*row) if row else NO_VERSION


def with_versions(queryset: QuerySet[SeriesPage]) -> QuerySet[SeriesPage]:
    """Annotate each series with its ``SeriesVersion`` (in the same query); see ``version_of``."""
    versions = SeriesVersion.objects.filter(series_id=OuterRef("pk"))
    return queryset.annotate(
        _series_version=Subquery(versions.values("version")[:1]),
        _series_changed_at=Subquery(versions.values("changed_at")[:1]),
    )


def version_of(obj: Any) -> Version:
    """The version of a series annotated by ``with_versions``, or of a ``SeriesVersion`` row."""
    if obj is None:
        return NO_VERSION
    if isinstance(obj, SeriesVersion):
        return Version(obj.version, obj.changed_at)
    return Version(
        getattr(obj, "_series_version", None) or 0, getattr(obj, "_series_changed_at", None)
    )


# --- HTTP validators -----------------------------------------------------------------------


def etag(scope: str, version: Version, *vary: object) -> str:
    """THE ETag recipe: a strong ETag for ``scope`` (what the response is) at ``version``.

    ``vary`` is whatever else changes the response's bytes (the reader, the format, the host...).
    The time of the change is in it too: versions start again from 0 in a new database.
    """
    changed_at = version.changed_at.isoformat() if version.changed_at else ""
    described = "|".join(str(part) for part in (__version__, scope, version.number, changed_at))
    described += "|" + "|".join(str(part) for part in vary)
    return '"' + hashlib.sha256(described.encode()).hexdigest()[:32] + '"'


def last_modified(version: Version, page: Any = None) -> datetime:
    """THE Last-Modified rule: when ``version`` last changed; before any change, when ``page``
    was last published; else now."""
    return version.changed_at or getattr(page, "last_published_at", None) or timezone.now()


# --- The cache: generations and stored validators ------------------------------------------


def get_cache() -> BaseCache | None:
    """The Django cache named by ``CACHE_ALIAS``; ``None`` when it is off."""
    alias = series_settings.CACHE_ALIAS
    return caches[alias] if alias else None


def cache_key(*parts: object) -> str:
    """A key in ``get_cache()`` that no other app's key can collide with."""
    return ":".join(str(part) for part in (KEY_PREFIX, *parts))


def _generation_key(series_id: int) -> str:
    return cache_key("api", "generation", series_id)


def current_generation(series_id: int) -> str | None:
    """The token that entries of ``series_id`` (``ALL_SERIES``: the listing) are stored under.

    Read before the database; ``None`` if the cache is off or down (store nothing then).
    """
    cache = get_cache()
    if cache is None:
        return None
    try:
        token = cache.get(_generation_key(series_id))
        if token is None:
            cache.add(_generation_key(series_id), secrets.token_hex(8), timeout=None)
            token = cache.get(_generation_key(series_id))
        return token
    except Exception:
        logger.warning("wagtail-series: the validator cache is unavailable", exc_info=True)
        return None


def invalidate(series_ids: Iterable[int]) -> None:
    """Make the stored validators of ``series_ids`` unreachable. Logs, never raises."""
    cache = get_cache()
    if cache is None:
        return
    try:
        cache.set_many(
            {_generation_key(series_id): secrets.token_hex(8) for series_id in series_ids},
            timeout=None,
        )
    except Exception:
        logger.warning(
            "wagtail-series: could not invalidate API validators; stored ones expire after "
            "API_CACHE_MAX_AGE seconds",
            exc_info=True,
        )


def _entry_key(request: HttpRequest, token: str) -> str:
    # Everything in the request a response's validators depend on for an anonymous reader:
    # the site (host, scheme), the endpoint and its parameters, the negotiated renderer, and the
    # active language (LocaleMiddleware's: it picks the series a slug names).
    described = "|".join(
        (
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
            translation.get_language() or "",
        )
    )
    return cache_key("api", "validators", token, hashlib.sha256(described.encode()).hexdigest())


def store_validators(
    request: HttpRequest, token: str | None, etag: str, changed_at: datetime
) -> None:
    """Remember the validators of a public response computed under generation ``token``."""
    cache = get_cache()
    if cache is None or token is None:
        return
    try:
        cache.set(
            _entry_key(request, token),
            (etag, changed_at.timestamp()),
            timeout=series_settings.API_CACHE_MAX_AGE or None,
        )
    except Exception:
        logger.warning("wagtail-series: could not store API validators", exc_info=True)


def stored_validators(request: HttpRequest, series_id: int) -> tuple[str, datetime] | None:
    """The (ETag, Last-Modified) stored for ``request`` under the current generation of
    ``series_id``; ``None`` if there are none, or the cache is off or down."""
    cache = get_cache()
    if cache is None:
        return None
    try:
        token = cache.get(_generation_key(series_id))
        stored = cache.get(_entry_key(request, token)) if token is not None else None
    except Exception:  # a cache that is down, a host that is not allowed: the full view says
        return None
    if stored is None:
        return None
    tag, timestamp = stored
    return tag, datetime.fromtimestamp(timestamp, tz=UTC)
