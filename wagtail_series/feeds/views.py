"""Feed views: RSS 2.0 and Atom 1.0 through Django's syndication framework, and JSON Feed 1.1.

Feeds are public documents: they list what an anonymous reader sees (``reader`` with no
request), whoever asks, so every subscriber, cache and CDN gets the same bytes. A series that
anonymous readers can't see (not live, or under a view restriction) has no feed: 404.

Items are the published parts only, newest first. Conditional GET: the ETag and Last-Modified
come from the series' ``SeriesVersion`` through ``wagtail_series.versions`` (the same recipe
and rule as the REST API's), so a 304 is answered without building the feed, and a rendered feed
is kept in the ``CACHE_ALIAS`` cache under a key holding that version.

Languages: a series feed is in its series' language (its locale's under Wagtail i18n, see
``wagtail_series.languages``), whatever the request asks; the site-wide feed is in the active
language, and says ``Vary: Accept-Language`` unless the URL names the language. The feed is built
and rendered with that language active, declares it (RSS ``<language>``, Atom ``xml:lang``, JSON
Feed ``language``), and the ETag and cache key hold it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import condition, require_safe
from wagtail.models import Site

from .. import reader, versions
from ..conf import series_settings
from ..frontend_cache.tags import ALL_SERIES_TAG, add_cache_tags, series_tag
from ..languages import active_language, language_from_path, page_language
from ..models import SeriesPage
from ..models.versions import ALL_SERIES
from .text import SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH, clean, plain_text

__all__ = [
    "FEED_KINDS",
    "FeedData",
    "FeedItem",
    "hide_private_feeds",
    "serve_series_feed",
    "series_feed_data",
    "site_feed",
    "site_feed_data",
]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_KINDS = ("rss", "atom", "json")
COVER_IMAGE_FILTER = "fill-512x512"


@dataclass(frozen=True)
class FeedItem:
    id: str
    """A tag: URI from the part's page id: stable across edits, moves and republishing."""
    title: str
    link: str
    summary: str
    published: datetime | None
    updated: datetime | None
    author: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class FeedData:
    """One feed, whatever its format: cleaned text and absolute URLs only."""

    title: str
    link: str
    description: str
    feed_url: str
    author: str
    language: str
    """A Django language code ("fr", "en-us"): what the feed declares."""
    categories: tuple[str, ...] = ()
    image_url: str | None = None
    items: tuple[FeedItem, ...] = field(default=())


# --- Building the data, from the reader ----------------------------------------------------


def series_feed_data(series: SeriesPage, request: HttpRequest, kind: str) -> FeedData:
    """The feed of one series, as anonymous readers see it; call it with the series' language
    active (``serve_series_feed`` does), since item titles are translated."""
    outline = reader.get_series_outline(series, None)
    categories = tuple(sorted(clean(tag.name) for tag in series.tags.all()))
    root_url = outline.root_url or _site_root_url(request)
    link = outline.full_url or f"{root_url}/"
    items = _items(
        [(outline, entry) for entry in outline.published],
        request,
        categories={series.pk: categories},
        with_series_title=False,
    )
    return FeedData(
        title=clean(series.title, TITLE_MAX_LENGTH),
        link=link,
        description=plain_text(series.description, SUMMARY_MAX_LENGTH)
        or clean(series.title, TITLE_MAX_LENGTH),
        feed_url=root_url + request.get_full_path(),
        author=_site_name(request),
        language=page_language(series, request),
        categories=categories,
        image_url=_cover_image_url(series, root_url),
        items=items,
    )


def site_feed_data(request: HttpRequest, kind: str) -> FeedData:
    """New parts across every live series of the request's site that anyone may read, in the
    active language (under Wagtail i18n, the series of that language: one feed per language)."""
    series_list = list(reader.site_feed_series(request).prefetch_related("tags"))
    outlines = reader.get_series_outlines(series_list, None)
    published = [(outline, entry) for outline in outlines.values() for entry in outline.published]
    categories = {
        series.pk: tuple(sorted(clean(tag.name) for tag in series.tags.all()))
        for series in series_list
    }
    site_name = _site_name(request)
    root_url = _site_root_url(request)
    return FeedData(
        title=clean(_("%(site)s: new parts of every series") % {"site": site_name}),
        link=f"{root_url}/",
        description=clean(_("The latest parts of every series on %(site)s.") % {"site": site_name}),
        feed_url=root_url + request.get_full_path(),
        author=site_name,
        language=active_language(),
        items=_items(published, request, categories=categories, with_series_title=True),
    )


def _items(
    published: list[tuple[reader.SeriesOutline, reader.SeriesEntry]],
    request: HttpRequest,
    *,
    categories: dict[int, tuple[str, ...]],
    with_series_title: bool,
) -> tuple[FeedItem, ...]:
    oldest = datetime(1970, 1, 1, tzinfo=UTC)
    published.sort(key=lambda pair: pair[1].first_published_at or oldest, reverse=True)
    published = published[: series_settings.FEED_ITEMS]
    details = reader.get_part_details(entry for _outline, entry in published)
    items = []
    for outline, entry in published:
        detail = details.get(entry.page_id)
        if detail is None:  # unpublished since the outline was read
            continue
        # Whole patterns, translated: punctuation and order differ ("Partie 1 : ...").
        values = {"label": entry.label, "title": entry.title, "series": outline.title}
        if with_series_title:
            title = _("%(series)s, %(label)s: %(title)s") % values
        else:
            title = _("%(label)s: %(title)s") % values
        # On the series' own Site: the same link, and id, whatever Host the feed was asked on.
        link = outline.absolute(entry.url) or ""
        items.append(
            FeedItem(
                id=_part_id(entry, link),
                title=clean(title, TITLE_MAX_LENGTH),
                link=link,
                summary=clean(detail.summary, SUMMARY_MAX_LENGTH),
                published=entry.first_published_at,
                updated=entry.last_published_at or entry.first_published_at,
                author=clean(detail.author, TITLE_MAX_LENGTH),
                categories=categories.get(outline.series_id, ()),
            )
        )
    return tuple(items)


def _part_id(entry: reader.SeriesEntry, link: str) -> str:
    # RFC 4151 tag URI: the hostname of the part's Site (from its link, which the reader builds
    # from the Site record, never the request's Host), a date the part already existed on, and
    # the page id. Nothing in it changes when the part is edited, moved or republished.
    host = urlsplit(link).hostname or "localhost"
    since = entry.first_published_at.date().isoformat() if entry.first_published_at else "2000"
    return f"tag:{host},{since}:wagtail-series/part/{entry.page_id}"


def _site_name(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    name = (site.site_name if site else "") or getattr(settings, "WAGTAIL_SITE_NAME", "")
    return clean(name or request.get_host(), TITLE_MAX_LENGTH)


def _site_root_url(request: HttpRequest) -> str:
    """The root URL of the request's Site (the Site record's hostname and port, not the Host
    header); the request's own scheme and host only when no Site matches it."""
    site = Site.find_for_request(request)
    if site is None:
        return f"{request.scheme}://{request.get_host()}"
    return site.root_url


def _cover_image_url(series: SeriesPage, root_url: str) -> str | None:
    if not series.cover_image_id:
        return None
    try:
        image = series.cover_image
        if image is None:
            return None
        rendition = image.get_rendition(COVER_IMAGE_FILTER)
    except Exception:  # a missing or broken file must not take the feed down
        return None
    url = rendition.url
    # Renditions on a CDN or object store already have a full URL.
    return url if "://" in url else root_url + url


# --- Rendering -----------------------------------------------------------------------------


class _RssWithImage(Rss201rev2Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            # WebSub: the hub feed readers subscribe through (WEBSUB_HUB).
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})
        if self.feed.get("image_url"):
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["image_url"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")


class _AtomWithLogo(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})
        if self.feed.get("image_url"):
            handler.addQuickElement("logo", self.feed["image_url"])


class _SyndicationFeed(Feed):
    """Django's syndication view over a ``FeedData`` (``get_object`` returns it)."""

    def __init__(self, feed_type: type, language: str) -> None:
        self.feed_type = feed_type
        # Django falls back to the active language; ours is the feed's own.
        self.language = language

    def get_object(self, request: HttpRequest, data: FeedData) -> FeedData:
        return data

    def title(self, data: FeedData) -> str:
        return data.title

    def link(self, data: FeedData) -> str:
        return data.link

    def description(self, data: FeedData) -> str:
        return data.description

    def subtitle(self, data: FeedData) -> str:
        return data.description

    def feed_url(self, data: FeedData) -> str:
        return data.feed_url

    def author_name(self, data: FeedData) -> str:
        return data.author

    def categories(self, data: FeedData) -> tuple[str, ...]:
        return data.categories

    def feed_extra_kwargs(self, data: FeedData) -> dict[str, Any]:
        return {"image_url": data.image_url, "hub": series_settings.WEBSUB_HUB}

    def items(self, data: FeedData) -> tuple[FeedItem, ...]:
        return data.items

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_description(self, item: FeedItem) -> str:
        # RSS descriptions and Atom summaries (type="html") are HTML: the summary is plain text.
        return escape(item.summary)

    def item_guid(self, item: FeedItem) -> str:
        return item.id

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedItem) -> datetime | None:
        return item.published

    def item_updateddate(self, item: FeedItem) -> datetime | None:
        return item.updated

    def item_author_name(self, item: FeedItem) -> str | None:
        return item.author or None

    def item_categories(self, item: FeedItem) -> tuple[str, ...]:
        return item.categories


def _render_json(data: FeedData) -> HttpResponse:
    def date(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": data.title,
        "home_page_url": data.link,
        "feed_url": data.feed_url,
        "description": data.description,
        "language": data.language,
        "authors": [{"name": data.author}],
        "items": [],
    }
    if data.image_url:
        feed["icon"] = data.image_url
    if series_settings.WEBSUB_HUB:
        feed["hubs"] = [{"type": "WebSub", "url": series_settings.WEBSUB_HUB}]
    for item in data.items:
        entry: dict[str, Any] = {
            "id": item.id,
            "url": item.link,
            "title": item.title,
            "content_text": item.summary or item.title,
            "date_published": date(item.published),
            "date_modified": date(item.updated),
        }
        if item.summary:
            entry["summary"] = item.summary
        if item.author:
            entry["authors"] = [{"name": item.author}]
        if item.categories:
            entry["tags"] = list(item.categories)
        feed["items"].append({k: v for k, v in entry.items() if v is not None})
    body = json.dumps(feed, ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/feed+json; charset=utf-8")


_FEED_TYPES = {"rss": _RssWithImage, "atom": _AtomWithLogo}


def _render(kind: str, request: HttpRequest, data: FeedData) -> HttpResponse:
    if kind == "json":
        return _render_json(data)
    response = _SyndicationFeed(_FEED_TYPES[kind], data.language)(request, data=data)
    # Django sets Last-Modified from the newest item; ours comes from the series version.
    del response.headers["Last-Modified"]
    return response


# --- Conditional GET and caching -----------------------------------------------------------


class _Validators:
    """ETag, Last-Modified and cache key of one feed, from its ``SeriesVersion`` (one query)."""

    def __init__(
        self,
        request: HttpRequest,
        version_id: int,
        kind: str,
        page: SeriesPage | None,
        language: str,
    ) -> None:
        version = versions.read(version_id)
        self.etag_value = versions.etag(
            f"feed:{kind}:{version_id}",
            version,
            # What the feed's links are built from: the Site, not the Host header.
            _site_root_url(request),
            series_settings.FEED_ITEMS,
            # The feed's own language: one language's bytes are never another's (nor its 304).
            language,
        )
        self.changed_at = versions.last_modified(version, page)
        self.cache_key = versions.cache_key("feed", self.etag_value.strip('"'))

    def etag(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return self.etag_value

    def last_modified(self, request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
        return self.changed_at


def _serve(
    request: HttpRequest,
    version_id: int,
    kind: str,
    build: Callable[[], FeedData],
    language: str,
    page: SeriesPage | None = None,
) -> HttpResponse:
    if kind not in FEED_KINDS:
        raise Http404
    validators = _Validators(request, version_id, kind, page, language)

    @require_safe
    @condition(etag_func=validators.etag, last_modified_func=validators.last_modified)
    def view(request: HttpRequest) -> HttpResponse:
        timeout = series_settings.FEED_CACHE_TIMEOUT
        cache = versions.get_cache() if timeout else None
        cached = cache.get(validators.cache_key) if cache is not None else None
        if cached is not None:
            content_type, body = cached
            return HttpResponse(body, content_type=content_type)
        with override(language):  # translated strings in the feed's language, not the request's
            response = _render(kind, request, build())
        if cache is not None:
            cache.set(validators.cache_key, (response["Content-Type"], response.content), timeout)
        return response

    # Every answer (200, 304, from the cache) carries the tag a purge of the series clears.
    tag = ALL_SERIES_TAG if version_id == ALL_SERIES else series_tag(version_id)
    return add_cache_tags(view(request), [tag])


# --- Views ---------------------------------------------------------------------------------


def hide_private_feeds(
    page: Any, request: HttpRequest, serve_args: Iterable[Any], serve_kwargs: dict
) -> None:
    """``before_serve_page`` hook: the feed of a series anonymous readers can't see is a 404.

    Runs before Wagtail's own view restriction check, which would otherwise answer with a login
    redirect or a password form: feeds never list private parts, even for those who pass.
    """
    serve_args = tuple(serve_args)
    if not (isinstance(page, SeriesPage) and serve_args):
        return
    if getattr(serve_args[0], "is_series_feed", False) and not reader.series_is_public(
        page, request
    ):
        raise Http404


def serve_series_feed(request: HttpRequest, series: SeriesPage, kind: str) -> HttpResponse:
    """The ``kind`` ("rss", "atom" or "json") feed of ``series``; 404 unless it is public."""
    if not reader.series_is_public(series, request):
        raise Http404
    language = page_language(series, request)
    return _serve(
        request, series.pk, kind, lambda: series_feed_data(series, request, kind), language, series
    )


def site_feed(request: HttpRequest, kind: str = "rss") -> HttpResponse:
    """The feed of new parts across every public series of the request's site, in the active
    language (see the module's docstring)."""
    response = _serve(
        request, ALL_SERIES, kind, lambda: site_feed_data(request, kind), active_language()
    )
    if settings.USE_I18N and not language_from_path(request):
        # The language may come from Accept-Language (LocaleMiddleware): shared caches must key
        # on it, 304s included.
        patch_vary_headers(response, ("Accept-Language",))
    return response
