"""The announcement page: what the URL of a forthcoming part shows until the part is published.

A forthcoming part (announced, not live) has a URL readers may already have been given. Wagtail
answers 404 for a page that is not live; with ``FORTHCOMING_PART_PAGE`` on (the default) that URL
shows the part's announcement instead: its forthcoming title, teaser and expected date (or
"delayed"), where it stands in the series, and the series' table of contents. Nothing else of the
draft: everything shown comes from the reader's ``SeriesEntry``, like the table of contents.

Why status 200 and not a 404 with a body: the link is a real one, shared on purpose (by the
editor's announcement, a newsletter, a social post). A 404 tells link checkers, feed readers and
social-card previews that it is broken, and many CDNs and proxies cache a 404 differently (or
not at all) from the page that replaces it. ``<meta name="robots" content="noindex">`` and an
``X-Robots-Tag: noindex`` header keep the announcement out of search results, so it can't be
taken for the part itself; once the part is published, the same URL serves the part (Wagtail's
frontend cache purges the page's URL when it is published).

Parts readers don't see (drafts that are not announced, parts under a restriction the request
doesn't pass) still answer 404, as do all forthcoming parts when the setting is off.

``SeriesPage.route`` calls ``route_forthcoming_part`` (through ``surface_hooks``) when Wagtail's
routing found no live page for a child slug. Constant queries: the slug's page id (one query),
then the series outline (the reader's constant count).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.template.response import TemplateResponse
from wagtail.url_routing import RouteResult

from . import reader
from .conf import overdue_label, series_settings

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import SeriesPage

__all__ = ["TEMPLATE", "route_forthcoming_part", "serve_forthcoming_part"]

TEMPLATE = "wagtail_series/forthcoming_part.html"
"""The announcement's template; a host site overrides it with a template of the same name."""


def route_forthcoming_part(
    series: SeriesPage, request: HttpRequest, slug: str
) -> RouteResult | None:
    """Route ``<series>/<slug>/`` to the announcement of the forthcoming part ``slug`` of
    ``series``, or None (Wagtail's 404 stands) when it has none for ``request``."""
    if not series_settings.FORTHCOMING_PART_PAGE:
        return None
    page_id = reader.get_part_id_by_slug(series, slug)
    if page_id is None:
        return None
    position = reader.get_announcement_position(reader.get_series_outline(series, request), page_id)
    if position is None:
        return None
    # RoutablePageMixin.serve(request, view, args, kwargs) calls view(request, *args, **kwargs);
    # Wagtail's before_serve_page hooks (the series' own view restrictions) run first.
    return RouteResult(series, args=(partial(serve_forthcoming_part, position=position), (), {}))


def serve_forthcoming_part(
    request: HttpRequest, *, position: reader.PartPosition
) -> TemplateResponse:
    """The announcement page of the forthcoming part at ``position``: status 200, noindex."""
    series = position.outline.series
    context = series.get_context(request)
    context.update(
        series=series,
        outline=position.outline,
        position=position,
        entry=position.entry,
        overdue_label=overdue_label(),
    )
    response = TemplateResponse(request, TEMPLATE, context)
    response["X-Robots-Tag"] = "noindex"
    return response
