"""The URLs that show a series, in one place.

``series_urls`` is the one answer to "which URLs show this series": the series page, its feeds
and the part pages the caller names (which parts: the reader decides, e.g. the public ones for
readers, every live one for a cache). Three uses build on it: the URLs a page has before a
change (``propagation.previous_urls``), the URLs to purge (``purge_urls``) and the paths sent
to webhooks (``payloads``). The site-wide feeds, the REST API's URLs and the URLs below a moved
page are added here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from ..conf import series_settings
from ..frontend_cache import middleware
from ..models import SeriesPage
from .change import ChangeSet, Move

if TYPE_CHECKING:
    from wagtail.models import Page

    from .snapshot import Snapshot

__all__ = [
    "SITE_FEED_URL_NAMES",
    "PurgePlan",
    "api_urls",
    "moved_urls",
    "page_url",
    "purge_plan",
    "purge_urls",
    "series_urls",
    "site_feed_paths",
]

SITE_FEED_URL_NAMES = (
    "wagtail_series_feeds:rss",
    "wagtail_series_feeds:atom",
    "wagtail_series_feeds:json",
)


def series_urls(
    series: SeriesPage | None,
    parts: Iterable[Page] = (),
    *,
    cached_paths: bool = False,
    cache: Any = None,
) -> list[str]:
    """The URLs that show ``series``: its page and feeds, then each of ``parts``' pages.

    ``series`` None gives only the parts' URLs (a series readers can't see). With
    ``cached_paths``, each page's URL is joined with every path of its ``get_cached_paths()``,
    as Wagtail's frontend cache purges a page (a series page's are its feeds). ``cache`` is
    passed to ``get_full_url`` to memoise the sites' root paths over many calls (e.g. a
    ``PurgeBatch``). Pages without a routable URL are left out; no URL is repeated.
    """
    urls: list[str] = []
    if series is not None:
        base = series.get_full_url(cache)
        if base is not None:
            if cached_paths:
                urls += _with_cached_paths(base, series)
            else:
                urls += [base, *(base + path for path in SeriesPage.FEED_PATHS.values())]
    for part in parts:
        url = part.get_full_url(cache)
        if url is None:
            continue
        urls += _with_cached_paths(url, part) if cached_paths else [url]
    return list(dict.fromkeys(urls))


def page_url(page: Page, url_path: str | None = None) -> str | None:
    """The full URL of ``page``, or the one it has at ``url_path`` (e.g. before a move)."""
    if url_path is None:
        return page.get_full_url()
    current = page.url_path
    try:
        page.url_path = url_path
        return page.get_full_url()
    finally:
        page.url_path = current


def site_feed_paths() -> list[str]:
    """The paths of the site-wide feeds, if the project mounts ``wagtail_series.feeds.urls``."""
    return [path for path in (_reverse(name) for name in SITE_FEED_URL_NAMES) if path]


def api_urls(series: SeriesPage, parts: Iterable[Page]) -> list[str]:
    """The REST API's URLs of ``series`` and ``parts`` and the site-wide feeds, on its site."""
    root = _root_url(series)
    if root is None:
        return []
    relative = [_reverse(name) for name in SITE_FEED_URL_NAMES]
    parts = list(parts)
    for namespace in series_settings.API_URL_NAMESPACES:
        relative.append(_reverse(f"{namespace}:series:listing"))
        relative.append(_reverse(f"{namespace}:series:detail", series.pk))
        relative += [_reverse(f"{namespace}:pages:detail", part.pk) for part in parts]
    return [root + path for path in relative if path]


def moved_urls(moves: Iterable[Move], urls: Iterable[str]) -> list[tuple[str, str]]:
    """(old URL, new URL) of every moved or renamed page and, among ``urls`` (current URLs),
    every page below it."""
    urls = list(urls)
    pairs = []
    for move in moves:
        pairs.append((move.old_url, move.new_url))
        pairs += [
            (move.old_url + url[len(move.new_url) :], url)
            for url in urls
            if url.startswith(move.new_url)
        ]
    return pairs


def purge_urls(change_set: ChangeSet, snapshot: Snapshot) -> set[str]:
    """Every URL that shows a changed series: the series page and its feeds, each live part,
    the announcements at its forthcoming parts' URLs, the site-wide feeds, the REST API's series
    and part URLs, and URLs the change left stale."""
    batch = PurgeBatch()
    for series in snapshot.series.values():
        live_parts = snapshot.live_parts[series.pk]
        batch.add_urls(series_urls(series, live_parts, cached_paths=True, cache=batch))
        batch.add_urls(api_urls(series, live_parts))
        batch.add_urls(series_urls(None, snapshot.announcement_parts.get(series.pk, ())))
    batch.add_urls(change_set.stale_urls)
    batch.add_urls(old_url for old_url, _new in moved_urls(change_set.moves, batch.urls))
    return batch.urls


@dataclass(frozen=True)
class PurgePlan:
    """What ``frontend_cache.purge.purge_series`` is given for one batch."""

    urls: tuple[str, ...]
    """Every URL to purge (``purge_urls``): a backend that can't purge by tag gets them all."""
    stale_urls: tuple[str, ...]
    """Those of them whose response carries no tag of the changed series (any more): a
    backend that purges by tag gets these by URL, besides the tags."""
    series_page_urls: tuple[str, ...]
    """The changed series' pages, for wildcard paths (CloudFront, Azure)."""


def purge_plan(change_set: ChangeSet, snapshot: Snapshot) -> PurgePlan:
    """``purge_urls``, split by whether a response carries the changed series' tags now.

    Tagged (see ``frontend_cache.tags``): a public series' page and feeds, its public parts'
    pages, its REST detail, the REST listing and site-wide feeds, and, when
    ``CacheTagMiddleware`` is installed, the pages API's detail of its public parts. Everything
    else purge_urls names is stale for a tag backend: URLs the change left behind (an
    unpublished part, the old URLs of a moved page), the live parts readers can't open (their
    answer is Wagtail's login or password page, not tagged) and the parts of a series readers
    can't see."""
    urls = purge_urls(change_set, snapshot)
    tagged: set[str] = set()
    pages_api_tagged = middleware.is_installed()
    for series in snapshot.public_series.values():
        parts = snapshot.public_parts.get(series.pk, ())
        tagged.update(series_urls(series, parts, cached_paths=True))
        tagged.update(api_urls(series, parts if pages_api_tagged else ()))
        # An announcement is served by the series page: it carries the series' tag.
        tagged.update(series_urls(None, snapshot.announcement_parts.get(series.pk, ())))
    return PurgePlan(
        urls=tuple(sorted(urls)),
        stale_urls=tuple(sorted(urls - tagged)),
        series_page_urls=tuple(
            url for url in (s.get_full_url() for s in snapshot.series.values()) if url
        ),
    )


def _with_cached_paths(url: str, page: Page) -> list[str]:
    # As wagtail.contrib.frontend_cache.utils._get_page_cached_urls.
    return [url + path.lstrip("/") for path in page.specific_deferred.get_cached_paths()]


def _reverse(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def _root_url(page: Page) -> str | None:
    parts = page.get_url_parts()
    return parts[1] if parts else None
