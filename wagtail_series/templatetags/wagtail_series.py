"""Template tags: ``{% load wagtail_series %}``.

Thin wrappers around ``wagtail_series.reader``; each inclusion tag renders one overridable
partial under ``wagtail_series/includes/``. Every tag takes an optional page (default: the
``page`` in the context) and works for a series page, a part page or any other page (rendering
nothing where there is no series).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from wagtail.models import Page

from .. import reader, structured_data
from ..models import SeriesPage

register = template.Library()


def _page_and_request(context: template.Context, page: Page | None) -> tuple[Page | None, Any]:
    return (page if page is not None else context.get("page")), context.get("request")


@register.simple_tag(takes_context=True)
def get_series_outline(
    context: template.Context, page: Page | None = None
) -> reader.SeriesOutline | None:
    """``{% get_series_outline [page] as outline %}``: the series of a series or part page."""
    page, request = _page_and_request(context, page)
    if isinstance(page, SeriesPage):
        return reader.get_series_outline(page, request)
    position = reader.get_part_position(page, request) if page is not None else None
    return position.outline if position else None


@register.simple_tag(takes_context=True)
def get_series_position(
    context: template.Context, page: Page | None = None
) -> reader.PartPosition | None:
    """``{% get_series_position [page] as position %}``: where a part stands in its series."""
    page, request = _page_and_request(context, page)
    return reader.get_part_position(page, request) if page is not None else None


@register.inclusion_tag("wagtail_series/includes/toc.html", takes_context=True)
def series_toc(context: template.Context, page: Page | None = None) -> dict[str, Any]:
    """``{% series_toc [page] %}``: the table of contents, the current part marked."""
    page, _ = _page_and_request(context, page)
    return {
        "outline": get_series_outline(context, page),
        "current_page_id": page.pk if page is not None else None,
        "request": context.get("request"),
    }


@register.inclusion_tag("wagtail_series/includes/part_label.html", takes_context=True)
def series_part_label(context: template.Context, page: Page | None = None) -> dict[str, Any]:
    """``{% series_part_label [page] %}``: "Part 2 of 3 in Memories"."""
    return {"position": get_series_position(context, page), "request": context.get("request")}


@register.inclusion_tag("wagtail_series/includes/part_nav.html", takes_context=True)
def series_part_nav(context: template.Context, page: Page | None = None) -> dict[str, Any]:
    """``{% series_part_nav [page] %}``: previous and next parts."""
    return {"position": get_series_position(context, page), "request": context.get("request")}


@register.inclusion_tag("wagtail_series/includes/head.html", takes_context=True)
def series_head(context: template.Context, page: Page | None = None) -> dict[str, Any]:
    """``{% series_head [page] %}`` in ``<head>``: ``<link rel="prev/next">``, feed autodiscovery
    ``<link rel="alternate">`` and JSON-LD."""
    page, request = _page_and_request(context, page)
    position = None
    outline = None
    json_ld: SafeString | str = ""
    if isinstance(page, SeriesPage):
        outline = reader.get_series_outline(page, request)
        json_ld = structured_data.json_ld_script(structured_data.series_data(outline, request))
    elif page is not None:
        position = reader.get_part_position(page, request)
        if position is not None:
            outline = position.outline
            json_ld = structured_data.json_ld_script(structured_data.part_data(position, request))
    return {
        "position": position,
        "json_ld": json_ld,
        "feeds": _feed_links(outline, request),
        "request": request,
    }


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
