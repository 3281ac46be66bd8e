"""The call-time link between surfaces that models declare and the code behind them.

Models declare surfaces in their class bodies whose work needs the reader: ``SeriesPage``'s feed
routes (``feed/``, ``feed/atom/``, ``feed/json/``) and its route to forthcoming parts'
announcements, the ``series`` field of
``SeriesPartMixin.api_fields`` and the cache tag ``SeriesPartMixin.serve`` adds (its series). The
reader imports the models, so no module the models import may import the reader: that would be an
import circle, and whichever module of it a host site imports first (say
``wagtail_series.api_fields`` from its own models) would find the other half-initialised.

So ``wagtail_hooks`` (which Wagtail imports once every model is loaded, and which imports the
reader and the feeds normally) registers the implementations under the private hook names below,
and the surfaces look them up when they are called. The routes stay on the model, so their URLs and
``reverse()`` names don't change, and nothing else in Wagtail's serving changes either (a
``before_serve_page`` hook answering the feed would skip the hooks ordered after it).

Surfaces rendered through templates (the editor panels) get their data from a template tag library
instead (``templatetags/wagtail_series_admin.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from wagtail import hooks

SERVE_FEED = "wagtail_series_serve_feed"
"""``(request, series, kind) -> HttpResponse``: ``feeds.views.serve_series_feed``."""

PART_POSITION = "wagtail_series_part_position"
"""``(page, request) -> PartPosition | None``: ``reader.get_part_position``."""

PART_POSITIONS = "wagtail_series_part_positions"
"""``(page, request) -> tuple[PartPosition, ...]``: ``reader.get_part_positions``."""

PREFETCH_MEMBERSHIPS = "wagtail_series_prefetch_memberships"
"""``(pages, request) -> None``: ``reader.prefetch_memberships`` (a listing of pages)."""

FOLLOWER_COUNTS = "wagtail_series_follower_counts"
"""``(series_ids) -> dict[int, int]``: active followers per series, when the followers app
(``wagtail_series.contrib.followers``) is installed; the Series index then has a column."""

PART_SERIES = "wagtail_series_part_series"
"""``(page, request) -> SeriesPage | None``: ``reader.get_part_series`` (the cache tag of a part
page and of its pages-API detail)."""

ROUTE_FORTHCOMING_PART = "wagtail_series_route_forthcoming_part"
"""``(series, request, slug) -> RouteResult | None``: ``announcement.route_forthcoming_part``
(the announcement page at a forthcoming part's URL, routed by ``SeriesPage.route``)."""


def registered(name: str) -> Callable[..., Any]:
    """The one function wagtail-series' ``wagtail_hooks`` registers under ``name``."""
    functions = hooks.get_hooks(name)
    if len(functions) != 1:
        raise ImproperlyConfigured(
            f"The {name!r} hook is wagtail-series' own: it needs exactly one function, "
            f"registered by wagtail_series.wagtail_hooks (found {len(functions)})."
        )
    return functions[0]
