"""Per-request batching for the GraphQL resolvers.

GraphQL resolves one field of one object at a time. Asked naively, a list of series would cost an
outline per series and a page query per part. A ``SeriesLoader``, kept on the request for the
length of one GraphQL request, hands the reader whole batches instead: the outlines of series
listed together, their tags, and the page objects of every published entry seen so far. So a query
costs the same number of database queries for 3 parts as for 300.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from graphene.utils.str_converters import to_camel_case
from graphql.language import FieldNode, Visitor, visit
from wagtail.fields import StreamField

from ... import reader
from ...models import SeriesPage, SeriesPartMixin, get_part_models
from ...reader import PartPosition, SeriesEntry, SeriesOutline

_ATTRIBUTE = "_wagtail_series_graphql_loader"
_BATCH = "_wagtail_series_batch"


def request_of(info: Any) -> HttpRequest | None:
    """The request a GraphQL query runs for (graphene-django's context), or None."""
    context = info.context
    return context if isinstance(context, HttpRequest) else None


def get_loader(info: Any) -> SeriesLoader:
    """The loader of the request ``info`` belongs to (a new one when there is no request)."""
    context = info.context
    loader = getattr(context, _ATTRIBUTE, None)
    if loader is None:
        loader = SeriesLoader(request_of(info))
        # Context None, a dict...: no batching beyond this field.
        with suppress(AttributeError):
            setattr(context, _ATTRIBUTE, loader)
    return loader


def field_names_in(info: Any) -> set[str]:
    """Every field name the operation of ``info`` asks for, in its fragments too."""
    names: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            names.add(node.name.value)

    for node in (info.operation, *info.fragments.values()):
        visit(node, Collect())
    return names


def streamfield_names() -> set[str]:
    """The StreamFields of the part page types, as model and as GraphQL (camelCase) names."""
    names: set[str] = set()
    for model in get_part_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                names |= {field.name, to_camel_case(field.name)}
    return names


class SeriesLoader:
    """What one GraphQL request has loaded so far, all of it from ``wagtail_series.reader``."""

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self._outlines: dict[int, SeriesOutline] = {}
        self._visible: dict[int, bool] = {}
        self._pages: dict[int, SeriesPartMixin | None] = {}
        self._expected: dict[int, SeriesEntry] = {}
        self._may_see: dict[int, bool] = {}
        # The outline each published part seen so far belongs to.
        self._outline_of: dict[int, SeriesOutline] = {}
        self._defer_streamfields: bool | None = None

    def add_batch(self, series_list: Iterable[SeriesPage]) -> None:
        """Series the reader found visible, listed together: their outlines load together."""
        batch = list(series_list)
        for series in batch:
            setattr(series, _BATCH, batch)
            self._visible[series.pk] = True

    def visible(self, series: SeriesPage) -> bool:
        """Whether the request may see ``series`` (for series reached through grapple's fields)."""
        if series.pk not in self._visible:
            self._visible[series.pk] = reader.series_is_visible(series, self.request)
        return self._visible[series.pk]

    def may_see(self, page: Any) -> bool:
        """Whether the request may see ``page``, reached through a generic field like ``parent``:
        a series as the reader says; any other page if live and passing its view restrictions."""
        if isinstance(page, SeriesPage):
            return self.visible(page)
        if page.pk not in self._may_see:
            restrictions = page.get_view_restrictions() if page.live else None
            self._may_see[page.pk] = page.live and (
                all(r.accept_request(self.request) for r in restrictions)
                if self.request is not None
                else not restrictions.exists()
            )
        return self._may_see[page.pk]

    def outline(self, series: SeriesPage) -> SeriesOutline:
        if series.pk not in self._outlines:
            batch = [s for s in getattr(series, _BATCH, [series]) if s.pk not in self._outlines]
            for outline in reader.get_series_outlines(batch, self.request).values():
                self.remember(outline)
        return self._outlines[series.pk]

    def part_position(self, page: Any) -> PartPosition | None:
        outline = self._outline_of.get(page.pk)
        if outline is not None:
            # A page handed out from an outline: no need to look its series up again.
            return reader.get_position_in(outline, page.pk)
        position = reader.get_part_position(page, self.request)
        if position is not None:
            self.remember(position.outline)
            self._visible[position.outline.series_id] = True
        return position

    def remember(self, outline: SeriesOutline) -> None:
        """Keep ``outline``, and expect its published entries' pages to be asked for."""
        self._outlines.setdefault(outline.series_id, outline)
        for entry in outline.entries:
            if entry.is_published:
                self._outline_of.setdefault(entry.page_id, outline)
                if entry.page_id not in self._pages:
                    self._expected[entry.page_id] = entry

    def page(self, entry: SeriesEntry, info: Any) -> SeriesPartMixin | None:
        """The page of a published entry; with it, those of every entry expected so far."""
        if not entry.is_published:
            return None
        if entry.page_id not in self._pages:
            self._expected[entry.page_id] = entry
            if self._defer_streamfields is None:
                # Parsing StreamFields is most of the cost of loading pages: skip it unless the
                # query names one (a StreamField exposed under another name is still correct,
                # read on access).
                self._defer_streamfields = not (streamfield_names() & field_names_in(info))
            found = reader.get_entry_pages(
                self._expected.values(), defer_streamfields=self._defer_streamfields
            )
            for page_id in self._expected:
                self._pages[page_id] = found.get(page_id)
            self._expected.clear()
        return self._pages[entry.page_id]

    def tag_names(self, series: SeriesPage) -> list[str]:
        def prefetched(s: SeriesPage) -> bool:
            return "tags" in getattr(s, "_prefetched_objects_cache", {})

        if not prefetched(series):
            batch = [s for s in getattr(series, _BATCH, [series]) if not prefetched(s)]
            prefetch_related_objects(batch, "tags")
        return sorted(tag.name for tag in series.tags.all())
