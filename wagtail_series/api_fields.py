"""Serializer fields for Wagtail's stock pages endpoint (``api_fields`` on page models).

Models declare these fields in their class bodies (``SeriesPartMixin.api_fields``), and host sites
use them in their own page types' ``api_fields``. So this module imports nothing of wagtail_series
that imports the models: not ``wagtail_series.api`` and not the reader. The ``series`` field asks
the reader for the part's position at call time, through ``surface_hooks`` (see there why).

``link_data`` is shared with the REST API's serializers (``wagtail_series.api.serializers``), which
build the rest of its JSON the same way. Absolute URLs come from the reader's outlines (the series'
own Site), never from the request's host or ``WAGTAILAPI_BASE_URL``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework.fields import Field
from wagtail.blocks import RichTextBlock
from wagtail.rich_text import expand_db_html

from . import surface_hooks
from .frontend_cache.tags import add_request_tags, series_tag

if TYPE_CHECKING:
    from .reader import PartPosition, SeriesEntry, SeriesOutline

__all__ = [
    "RichTextHTMLField",
    "SeriesInfoField",
    "StreamFieldHTMLField",
    "link_data",
    "part_series_data",
]


class SeriesInfoField(Field):
    """The ``series`` field of a part page: its series, position, total, previous and next.

    ``None`` when the page is not a visible part of a live series (e.g. not under a series).
    Those of its primary series (the one it sits under, for a part); ``memberships`` lists the
    same for every series the page is a part of, primary first (a page may be linked in several
    series: any page type can declare this field).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, page: Any) -> dict[str, Any] | None:
        request = self.context.get("request")
        # In a listing, the series linking each page are looked up for the whole list at once.
        listing = getattr(getattr(self.parent, "parent", None), "instance", None)
        if isinstance(listing, list | tuple | QuerySet):
            surface_hooks.registered(surface_hooks.PREFETCH_MEMBERSHIPS)(listing, request)
        positions = surface_hooks.registered(surface_hooks.PART_POSITIONS)(page, request)
        # The response shows these series: their tags, for CacheTagMiddleware (no query: placing
        # the page memoised its series on the request).
        series = surface_hooks.registered(surface_hooks.PART_SERIES)(page, request)
        tags = {p.outline.series_id for p in positions} | ({series.pk} if series else set())
        if tags:
            add_request_tags(request, [series_tag(pk) for pk in sorted(tags)])
        if not positions:
            return None
        return {
            **part_series_data(positions[0]),
            "memberships": [part_series_data(position) for position in positions],
        }


class RichTextHTMLField(Field):
    """A RichTextField as display HTML, links to forthcoming parts resolved as on the site.

    On Wagtail 8, ``?rich_text_format=html`` does the same for every rich text field; this field
    does it on Wagtail 7.4 too, whatever the request asks.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return expand_db_html(str(value or ""))


class StreamFieldHTMLField(Field):
    """A StreamField with its top-level rich text blocks as display HTML (see RichTextHTMLField).

    Other blocks use their own ``get_api_representation``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> list[dict[str, Any]]:
        return [
            {
                "type": child.block_type,
                "value": (
                    expand_db_html(child.value.source)
                    if isinstance(child.block, RichTextBlock)
                    else child.block.get_api_representation(child.value, self.context)
                ),
                "id": child.id,
            }
            for child in value
        ]


# --- JSON of the ``series`` field, built only from the reader's output ----------------------


def link_data(entry: SeriesEntry | None, outline: SeriesOutline) -> dict[str, Any] | None:
    """A previous/next neighbour in ``outline``: enough to link (or announce) it."""
    if entry is None:
        return None
    return {
        "id": entry.page_id,
        "title": entry.title,
        "label": entry.label,
        "position": entry.position,
        "status": entry.status.value,
        # On the series' own Site, whichever host (or WAGTAILAPI_BASE_URL) the request used.
        "url": outline.absolute(entry.url),
    }


def part_series_data(position: PartPosition) -> dict[str, Any]:
    """The ``series`` field of a part page in the pages endpoint (its URLs on its own Site)."""
    outline = position.outline
    return {
        "id": outline.series_id,
        "title": outline.title,
        "url": outline.full_url,
        "position": position.position,
        "label": position.entry.label,
        "total": position.total,
        "planned_total": position.planned_total,
        "previous": link_data(position.previous, outline),
        "next": link_data(position.next, outline),
    }
