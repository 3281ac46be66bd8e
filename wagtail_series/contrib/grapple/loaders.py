"""Per-request batching for the GraphQL resolvers.

GraphQL resolves one field of one object at a time. Asked naively, a list of series would cost an
outline per series and a page query per part. A ``SeriesLoader``, kept on the request for the
length of one GraphQL request, hands the reader whole batches instead: the outlines of series
listed together, their tags, and the page objects of every published entry seen so far (read with
the outlines when the operation asks for ``parts { page }``). So a query costs the same number of
database queries for 3 parts as for 300.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from graphene.utils.str_converters import to_camel_case
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from wagtail.fields import StreamField
from wagtail.models import Locale

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


# The fields whose type is SeriesEntry (SeriesInterface.parts, SeriesInfo.previous and next).
ENTRY_FIELDS = frozenset({"parts", "previous", "next"})


@dataclass(frozen=True)
class OperationFields:
    """What one GraphQL operation asks for, as far as loading goes."""

    # Every field name in it, fragments spread in.
    names: frozenset[str]
    # Whether it asks for a SeriesEntry's page: a `page` field right inside `parts`, `previous`
    # or `next` (by name: a host type's own field of those names only costs a wider read).
    entry_pages: bool


def operation_fields(info: Any) -> OperationFields:
    """The ``OperationFields`` of the operation ``info`` belongs to."""
    names: set[str] = set()
    entry_pages = False
    walked: set[tuple[str, str | None]] = set()

    def walk(selection_set: SelectionSetNode, parent: str | None) -> None:
        nonlocal entry_pages
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                names.add(name)
                entry_pages = entry_pages or (name == "page" and parent in ENTRY_FIELDS)
                if selection.selection_set is not None:
                    walk(selection.selection_set, name)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, parent)
            elif isinstance(selection, FragmentSpreadNode):
                # Once per fragment and place (validation has refused cycles and deep nesting).
                fragment = info.fragments.get(selection.name.value)
                if fragment is not None and (selection.name.value, parent) not in walked:
                    walked.add((selection.name.value, parent))
                    walk(fragment.selection_set, parent)

    walk(info.operation.selection_set, None)
    return OperationFields(names=frozenset(names), entry_pages=entry_pages)


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
        # The outline each published part seen so far belongs to.
        self._outline_of: dict[int, SeriesOutline] = {}
        # The pages asked for their place (``seriesInfo``), by id: for their other series.
        self._placed: dict[int, Any] = {}
        self._operations: dict[int, OperationFields] = {}
        self._language_codes: dict[int, str] | None = None

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
        return reader.page_is_visible(page, self.request)

    def operation(self, info: Any) -> OperationFields:
        """What the operation of ``info`` asks for (read once per operation)."""
        key = id(info.operation)
        if key not in self._operations:
            self._operations[key] = operation_fields(info)
        return self._operations[key]

    def defer_streamfields(self, info: Any) -> bool:
        # Parsing StreamFields is most of the cost of loading pages: skip it unless the query names
        # one (a StreamField exposed under another name is still correct, read on access).
        return not (streamfield_names() & self.operation(info).names)

    def outline(self, series: SeriesPage, info: Any) -> SeriesOutline:
        if series.pk not in self._outlines:
            batch = [s for s in getattr(series, _BATCH, [series]) if s.pk not in self._outlines]
            if self.operation(info).entry_pages:
                # Their pages are wanted too: read them with the outlines.
                outlines, pages = reader.get_series_outlines_with_pages(
                    batch, self.request, defer_streamfields=self.defer_streamfields(info)
                )
                self._pages |= pages
            else:
                outlines = reader.get_series_outlines(batch, self.request)
            for outline in outlines.values():
                self.remember(outline)
        return self._outlines[series.pk]

    def part_positions_of(self, position: PartPosition) -> tuple[PartPosition, ...]:
        """Every series' position of the page ``position`` (from ``part_position``) is about."""
        page = self._placed.get(position.entry.page_id)
        positions = reader.get_part_positions(page, self.request) if page is not None else ()
        for other in positions:
            self.remember(other.outline)
            self._visible[other.outline.series_id] = True
        return positions or (position,)

    def part_position(self, page: Any) -> PartPosition | None:
        self._placed[page.pk] = page
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
            found = reader.get_entry_pages(
                self._expected.values(), defer_streamfields=self.defer_streamfields(info)
            )
            for page_id in self._expected:
                self._pages[page_id] = found.get(page_id)
            self._expected.clear()
        return self._pages[entry.page_id]

    def language_code(self, series: SeriesPage) -> str:
        """The language code of ``series``' locale: from its row when read with it, else from
        every locale at once (one query per request, however many series)."""
        if SeriesPage.locale.is_cached(series):
            return series.locale.language_code
        if self._language_codes is None:
            self._language_codes = dict(Locale.objects.values_list("pk", "language_code"))
        return self._language_codes[series.locale_id]

    def tag_names(self, series: SeriesPage) -> list[str]:
        def prefetched(s: SeriesPage) -> bool:
            return "tags" in getattr(s, "_prefetched_objects_cache", {})

        if not prefetched(series):
            batch = [s for s in getattr(series, _BATCH, [series]) if not prefetched(s)]
            prefetch_related_objects(batch, "tags")
        return sorted(tag.name for tag in series.tags.all())
