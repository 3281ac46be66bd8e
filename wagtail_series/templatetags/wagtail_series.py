"""Template tags: ``{% load wagtail_series %}``.

Thin wrappers around ``wagtail_series.reader``; each inclusion tag renders one overridable
partial under ``wagtail_series/includes/``. Every tag takes an optional page (default: the
``page`` in the context) and works for a series page, a part page or any other page (rendering
nothing where there is no series).

A page may be a part of several series (a child of one, linked in others): the part tags take
an optional ``series`` (default: the page's primary series, the first of
``get_series_positions``), and ``series_memberships`` shows every series the page is in.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.safestring import SafeString
from wagtail.models import Page

from .. import reader, structured_data
from ..conf import overdue_label, series_settings, toc_window_setting
from ..models import SeriesPage

register = template.Library()


def _page_and_request(context: template.Context, page: Page | None) -> tuple[Page | None, Any]:
    return (page if page is not None else context.get("page")), context.get("request")


@register.simple_tag(takes_context=True)
def get_series_outline(
    context: template.Context, page: Page | None = None, series: SeriesPage | None = None
) -> reader.SeriesOutline | None:
    """``{% get_series_outline [page] [series=...] as outline %}``: the series of a series or
    part page (the part's primary series, or ``series``)."""
    page, request = _page_and_request(context, page)
    if isinstance(page, SeriesPage):
        return reader.get_series_outline(page, request)
    position = get_series_position(context, page, series)
    return position.outline if position else None


@register.simple_tag(takes_context=True)
def get_series_position(
    context: template.Context, page: Page | None = None, series: SeriesPage | None = None
) -> reader.PartPosition | None:
    """``{% get_series_position [page] [series=...] as position %}``: where a part stands in its
    primary series, or in ``series``."""
    page, request = _page_and_request(context, page)
    if page is None:
        return None
    if series is None:
        return reader.get_part_position(page, request)
    positions = reader.get_part_positions(page, request)
    return next((p for p in positions if p.outline.series_id == series.pk), None)


@register.simple_tag(takes_context=True)
def get_series_positions(
    context: template.Context, page: Page | None = None
) -> tuple[reader.PartPosition, ...]:
    """``{% get_series_positions [page] as positions %}``: where the page stands in every series
    it is a part of, its primary series first."""
    page, request = _page_and_request(context, page)
    return reader.get_part_positions(page, request) if page is not None else ()


@register.inclusion_tag("wagtail_series/includes/memberships.html", takes_context=True)
def series_memberships(
    context: template.Context, page: Page | None = None, others: bool = False
) -> dict[str, Any]:
    """``{% series_memberships [page] [others=True] %}``: for every series the page is a part of
    (with ``others``, every one but its primary series), "Part 2 of 5 in ..." and previous/next.
    For any page type: a page linked in series shows its place in them without having moved."""
    positions = get_series_positions(context, page)
    return {
        "positions": positions[1:] if others else positions,
        "overdue_label": overdue_label(),
        "request": context.get("request"),
    }


Window = dict[str, int] | bool | None


@register.simple_tag(takes_context=True)
def get_series_toc(
    context: template.Context,
    page: Page | None = None,
    window: Window = None,
    series: SeriesPage | None = None,
) -> list[reader.SeriesEntry | reader.Gap]:
    """``{% get_series_toc [page] [window=...] [series=...] as items %}``: what ``series_toc``
    lists, as entries and ``Gap``s (``item.is_gap``), for a template of your own."""
    return _toc(context, page, window, series)["items"]


@register.inclusion_tag("wagtail_series/includes/toc.html", takes_context=True)
def series_toc(
    context: template.Context,
    page: Page | None = None,
    window: Window = None,
    series: SeriesPage | None = None,
    current: int | None = None,
) -> dict[str, Any]:
    """``{% series_toc [page] [window=...] %}``: the table of contents, the current part marked.

    On a part page, a window of it (``TOC_WINDOW``): the first parts, those around the current
    one, the next forthcoming ones and the last, gaps shown as an ellipsis with a link to the
    series page. On the series page, every part, ``SERIES_PAGE_SIZE`` a page (``?page=N``).
    ``window`` overrides: a dict of some of ``first``, ``around``, ``last``, ``forthcoming``
    (the others from ``TOC_WINDOW``), or ``False`` for every part on one page. ``series``: which
    of the part's series (default: its primary series). ``current``: the id of the part to mark as
    the current one when ``page`` is the series (a forthcoming part's announcement, see
    ``wagtail_series.announcement``): windowed as on a part page.
    """
    return _toc(context, page, window, series, current)


def _toc(
    context: template.Context,
    page: Page | None,
    window: Window,
    series: SeriesPage | None = None,
    current: int | None = None,
) -> dict[str, Any]:
    page, request = _page_and_request(context, page)
    outline = get_series_outline(context, page, series)
    current_page_id = current if current is not None else (page.pk if page is not None else None)
    # On the series page itself (not an announcement), the heading would link to the same page.
    on_series_page = isinstance(page, SeriesPage) and current is None
    toc_page = None
    if outline is None:
        items: tuple[reader.SeriesEntry | reader.Gap, ...] = ()
    elif window is False:
        items = outline.entries
    elif window is None and on_series_page:
        toc_page = _toc_page(outline, request)
        items = tuple(toc_page.object_list) if toc_page is not None else outline.entries
    else:
        if window is True or window == "":
            window = None
        if window is not None and not isinstance(window, dict):
            raise template.TemplateSyntaxError(
                f"series_toc: window must be a dict or False, not {window!r}"
            )
        settings = toc_window_setting(window)
        items = (
            outline.entries
            if settings is None
            else reader.toc_window(outline, current_page_id, **settings)
        )
    return {
        "outline": outline,
        "items": list(items),
        "windowed": any(item.is_gap for item in items),
        "toc_page": toc_page,
        "current_page_id": current_page_id,
        "heading_links": not on_series_page,
        "overdue_label": overdue_label(),
        "request": request,
    }


def _toc_page(outline: reader.SeriesOutline, request: Any) -> PaginatorPage | None:
    """The page of the series page's table of contents ``request`` asks for (``?page=N``), or
    None when it fits on one page. As Django's ``Paginator.get_page``: a page number that isn't
    one gives the first page, one past the end the last (never an error)."""
    size = series_settings.SERIES_PAGE_SIZE
    if size is None or len(outline.entries) <= size:
        return None
    number = request.GET.get("page") if request is not None else None
    return Paginator(outline.entries, size).get_page(number)


@register.inclusion_tag("wagtail_series/includes/part_label.html", takes_context=True)
def series_part_label(
    context: template.Context, page: Page | None = None, series: SeriesPage | None = None
) -> dict[str, Any]:
    """``{% series_part_label [page] [series=...] %}``: "Part 2 of 3 in Memories"."""
    return {
        "position": get_series_position(context, page, series),
        "request": context.get("request"),
    }


@register.inclusion_tag("wagtail_series/includes/part_nav.html", takes_context=True)
def series_part_nav(
    context: template.Context, page: Page | None = None, series: SeriesPage | None = None
) -> dict[str, Any]:
    """``{% series_part_nav [page] [series=...] %}``: previous and next parts."""
    return {
        "position": get_series_position(context, page, series),
        "overdue_label": overdue_label(),
        "request": context.get("request"),
    }


@register.simple_tag
def series_overdue_label() -> str:
    """``{% series_overdue_label %}``: what an overdue part (``entry.is_overdue``) reads,
    "delayed" or ``OVERDUE_LABEL``, for a template of your own."""
    return overdue_label()


@register.inclusion_tag("wagtail_series/includes/head.html", takes_context=True)
def series_head(context: template.Context, page: Page | None = None) -> dict[str, Any]:
    """``{% series_head [page] %}`` in ``<head>``: ``<link rel="prev/next">``, feed autodiscovery
    ``<link rel="alternate">`` and JSON-LD."""
    page, request = _page_and_request(context, page)
    position = None
    outline = None
    toc_links: dict[str, str] = {}
    json_ld: SafeString | str = ""
    if isinstance(page, SeriesPage):
        outline = reader.get_series_outline(page, request)
        json_ld = structured_data.json_ld_script(structured_data.series_data(outline, request))
        toc_page = _toc_page(outline, request)
        if toc_page is not None and outline.url:
            toc_links = _toc_page_links(outline.url, toc_page)
    elif page is not None:
        positions = reader.get_part_positions(page, request)
        if positions:
            position, *also_in = positions
            outline = position.outline
            json_ld = structured_data.json_ld_script(
                structured_data.part_data(position, request, also_in)
            )
    return {
        "position": position,
        "toc_links": toc_links,
        "json_ld": json_ld,
        "feeds": _feed_links(outline, request),
        "request": request,
    }


def _toc_page_links(url: str, toc_page: PaginatorPage) -> dict[str, str]:
    """``canonical``, ``prev`` and ``next`` for a page of the series page's table of contents."""

    def href(number: int) -> str:
        return url if number == 1 else f"{url}?page={number}"

    links = {"canonical": href(toc_page.number)}
    if toc_page.has_previous():
        links["prev"] = href(toc_page.previous_page_number())
    if toc_page.has_next():
        links["next"] = href(toc_page.next_page_number())
    return links


def _feed_links(outline: reader.SeriesOutline | None, request: Any) -> list[dict[str, str]]:
    """``<link rel="alternate">`` targets for the series' feeds, when it has public feeds."""
    if outline is None or not outline.url or not outline.series.live:
        return []
    if not reader.series_is_public(outline.series, request):  # feeds list public parts only
        return []
    base = outline.url
    return [
        {"type": content_type, "title": f"{outline.title} ({name})", "href": base + path}
        for content_type, name, path in (
            ("application/rss+xml", "RSS", SeriesPage.FEED_PATHS["rss"]),
            ("application/atom+xml", "Atom", SeriesPage.FEED_PATHS["atom"]),
            ("application/feed+json", "JSON Feed", SeriesPage.FEED_PATHS["json"]),
        )
    ]


@register.simple_tag(takes_context=True)
def series_follow_form(context: template.Context, page: Page | None = None) -> str:
    """``{% series_follow_form [page] %}``: the follow form of the page's series when the
    optional app ``wagtail_series.contrib.followers`` is installed; nothing otherwise."""
    if not apps.is_installed("wagtail_series.contrib.followers"):
        return ""
    from ..contrib.followers.templatetags.wagtail_series_followers import follow_series_form

    return follow_series_form(context, page)
