"""Loading part pages: which pages are a series' parts, read in a constant number of queries.

A series' parts are the pages of a part type (see ``SeriesPartMixin``) directly under the series
page, in tree order. Every query for them is built here: the rows outlines are built from
(``_part_pages_many``), the pages surfaces hand out (``get_entry_pages``), feed details
(``get_part_details``), the parts caches and frontends must refresh (``get_public_part_pages``,
``get_live_part_pages``).

The plain row loader (``rows.load_pages``) builds page instances from rows without running
``Model.__init__``; the ORM internals it relies on are used nowhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Cast
from wagtail.fields import StreamField
from wagtail.models import Page, Revision, get_default_page_content_type

from ..compat import get_page_model
from ..models import LinkedPart, SeriesPage, SeriesPartMixin, get_part_models
from ..models.parts import part_content_type_ids
from .linked import linked_part_rows, linked_targets, target_summary_field
from .paths import children_of
from .rows import load_pages, loads_plainly
from .types import PartDetails, SeriesEntry
from .visibility import _restriction_verdicts_many

__all__ = [
    "get_part_id_by_slug",
    "get_unpublished_part_pages",
    "get_entry_pages",
    "get_live_part_pages",
    "get_part_details",
    "get_public_part_pages",
]


# Columns read from part pages. Nothing else of a part that is not live may reach a reader.
_PART_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "slug",
    "url_path",
    "live",
    "locale_id",
    "first_published_at",
    "last_published_at",
    "announce_forthcoming",
    *SeriesPartMixin.ANNOUNCEMENT_FIELDS,
)


def get_entry_pages(
    entries: Iterable[SeriesEntry], *, defer_streamfields: bool = False
) -> dict[int, SeriesPartMixin]:
    """The part pages of the published ``entries``, by page id, as their own part type.

    For surfaces that hand out the page object itself (GraphQL's ``SeriesEntry.page``): the entries
    say which parts the request may see; this loads exactly those. Only live pages are read, since
    a page that is not live holds its draft in its row: an entry that is not published, or a page
    unpublished meanwhile, gets no page. At most one query per part type.

    ``defer_streamfields`` leaves StreamFields unread (each is then read on access, one query per
    page): for callers that know they won't read them, as parsing them is most of the cost.
    """
    ids = {entry.page_id for entry in entries if entry.is_published}
    pages: dict[int, SeriesPartMixin] = {}
    for model in _entry_models():
        if len(pages) == len(ids):
            break
        content_type = ContentType.objects.get_for_model(model)
        missing = ids - set(pages)
        queryset = model.objects.filter(pk__in=missing, live=True, content_type=content_type)
        for page in load_pages(model, queryset, _page_fields(model, defer_streamfields)):
            pages[page.pk] = page
    missing = ids - set(pages)
    if missing:
        # Linked parts' targets, of any page type: one query, plus one per page type.
        queryset = get_page_model().objects.filter(pk__in=missing, live=True)
        if defer_streamfields:
            queryset = queryset.defer_streamfields()
        pages |= {page.pk: page for page in queryset.specific()}
    return pages


def _entry_models() -> list[type[Page]]:
    """The part types whose pages can be published entries: a linked part never is one (its
    target is)."""
    return [model for model in get_part_models() if not issubclass(model, LinkedPart)]


def get_part_id_by_slug(series: SeriesPage, slug: str) -> int | None:
    """The id of the part page of ``series`` whose slug is ``slug`` (any state), or None.

    Only the id: nothing of the page (a draft's content) is read. One query.
    """
    return (
        get_page_model()
        .objects.child_of(series)
        .filter(slug=slug, content_type_id__in=part_content_type_ids())
        .values_list("pk", flat=True)
        .first()
    )


def get_part_details(entries: Iterable[SeriesEntry]) -> dict[int, PartDetails]:
    """Summaries and authors of the published ``entries``, by page id: one query per part type.

    Only live pages are read, since a page that is not live holds its draft in its row: an entry
    that is not published, or a page unpublished meanwhile, gets no details.
    """
    ids = {entry.page_id for entry in entries if entry.is_published}
    details: dict[int, PartDetails] = {}
    if not ids:
        return details
    for model in _entry_models():
        content_type = ContentType.objects.get_for_model(model)
        pages = (
            model.objects.filter(pk__in=ids, live=True, content_type=content_type)
            .select_related("owner")
            .only("id", "live", "owner", *model.SUMMARY_FIELDS)
        )
        for page in pages:
            details[page.pk] = _details(page, page.get_series_summary())
    missing = ids - set(details)
    if missing:
        # Linked parts' targets, of any page type: summarised by their search description.
        summary_field = target_summary_field()
        targets = (
            get_page_model()
            .objects.filter(pk__in=missing, live=True)
            .select_related("owner")
            .only("id", "live", "owner", *([summary_field] if summary_field else []))
        )
        for page in targets:
            summary = getattr(page, summary_field) if summary_field else ""
            details[page.pk] = _details(page, summary)
    return details


def _details(page: Page, summary: str | None) -> PartDetails:
    owner = page.owner
    return PartDetails(
        page_id=page.pk,
        summary=summary or "",
        author=(owner.get_full_name() or "").strip() if owner is not None else "",
    )


def get_public_part_pages(series_list: Sequence[SeriesPage]) -> dict[int, list[SeriesPartMixin]]:
    """The live parts of each series that anyone may open, by series id, in order.

    Whether or not the series itself is live: a part of an unpublished series is still served
    (without series chrome). A constant number of queries, however many series and parts.
    Used to tell caches and frontends which pages to refresh; never lists a private part.
    """
    verdicts = _restriction_verdicts_many(series_list, None)
    pages = _part_pages_many(series_list)
    targets = linked_targets([page for parts in pages.values() for page in parts], None)
    public: dict[int, list[SeriesPartMixin]] = {}
    for series in series_list:
        series_ok, failing_parts = verdicts[series.pk]
        public[series.pk] = [
            # A linked part stands for its target, when anyone may open it.
            targets.pages.get(page.pk, page)
            for page in pages[series.pk]
            if series_ok
            and page.path not in failing_parts
            and (page.pk in targets.pages or (page.live and not isinstance(page, LinkedPart)))
        ]
    return public


def get_live_part_pages(series_list: Sequence[SeriesPage]) -> dict[int, list[SeriesPartMixin]]:
    """Every live part page of each series, private or not, by series id: its child parts in
    tree order, then its linked parts' live targets.

    For caches and frontends: any live page may be in a cache, whoever may read it. The pages are
    specific, with their own fields deferred. Two queries (three with linked targets), however
    many series and parts.
    """
    parts = _part_pages_by_liveness(series_list, live=True)
    if not series_list:
        return parts
    # The live targets of linked parts: they show the series too (two queries, when any).
    by_path = {s.path: s.pk for s in series_list}
    links = linked_part_rows(series_list)
    targets = _live_pages_deferred({target_id for _, target_id in links if target_id})
    for path, target_id in links:
        target = targets.get(target_id) if target_id else None
        if target is not None:
            parts[by_path[path[: -Page.steplen]]].append(target)
    return parts


def get_unpublished_part_pages(series_list: Sequence[SeriesPage]) -> dict[int, list[Page]]:
    """Every part page of each series that is not live, by series id, in tree order.

    For caches: the URLs where a forthcoming part's announcement may be cached
    (``FORTHCOMING_PART_PAGE``). Plain page rows, no field of the part type read (nothing of a
    draft). One query, however many series and parts.
    """
    return _part_pages_by_liveness(series_list, live=False)


def _part_pages_by_liveness(series_list: Sequence[SeriesPage], *, live: bool) -> dict[int, list]:
    parts: dict[int, list] = {s.pk: [] for s in series_list}
    if not series_list:
        return parts
    by_path = {s.path: s.pk for s in series_list}
    pages = get_page_model().objects.filter(
        children_of(series_list), live=live, content_type_id__in=part_content_type_ids()
    )
    if live:
        pages = pages.specific(defer=True)
    for page in pages.order_by("path"):
        if live and isinstance(page, LinkedPart):
            continue  # never served: its target is (see get_live_part_pages)
        parts[by_path[page.path[: -Page.steplen]]].append(page)
    return parts


def _live_pages_deferred(ids: set[int]) -> dict[int, Page]:
    if not ids:
        return {}
    pages = get_page_model().objects.filter(pk__in=ids, live=True).specific(defer=True)
    return {page.pk: page for page in pages}


def _part_pages(series: SeriesPage) -> list[SeriesPartMixin]:
    """All part pages under ``series``, of every part type, in tree order: one query per type."""
    return _part_pages_many([series])[series.pk]


def _part_pages_many(
    series_list: Sequence[SeriesPage],
    *,
    whole_live_rows: bool = False,
    defer_streamfields: bool = False,
    content_fields: bool = False,
) -> dict[int, list[SeriesPartMixin]]:
    """The part pages of several series at once: still one query per part type.

    Each is loaded with ``_PART_FIELDS`` only; with ``whole_live_rows``, a live part is loaded
    with all its fields too (as ``get_entry_pages`` loads it) and marked ``WHOLE``, where the
    part type loads plainly. A part that isn't live never gets more than ``_PART_FIELDS``, except
    with ``content_fields`` (for the editor only, never for readers): every part then also has its
    type's ``CONTENT_FIELDS`` (its latest draft's, for a part that isn't live), so that
    ``has_content()`` reads no more.
    """
    if content_fields and whole_live_rows:
        raise ValueError("content_fields and whole_live_rows don't go together.")
    pages: dict[int, list[SeriesPartMixin]] = {series.pk: [] for series in series_list}
    if not series_list:
        return pages
    series_by_path = {series.path: series.pk for series in series_list}
    children = children_of(series_list)
    for model in get_part_models():
        content_type = ContentType.objects.get_for_model(model)
        queryset = (
            # (Keyed by the page content type's id, which the subquery holds.)
            _annotated_part_queryset(model, get_default_page_content_type().pk)  # type: ignore[arg-type]  # mypy#11470
            .filter(children)
            # Exact type only: a subclass of a part type is queried as its own model.
            .filter(content_type=content_type)
        )
        annotations = ["_series_scheduled_at"]
        whole_fields = _page_fields(model, defer_streamfields) if whole_live_rows else None
        if whole_fields is not None and loads_plainly(model, tuple(whole_fields)):  # type: ignore[arg-type]  # mypy#11470
            loaded = load_pages(
                model, queryset, whole_fields, annotations, not_live_fields=_PART_FIELDS
            )
        else:
            extra = model.CONTENT_FIELDS if content_fields else ()
            fields = (*_PART_FIELDS, *model.READER_FIELDS)
            loaded = load_pages(model, queryset, fields, annotations, extra_fields=extra)
        for page in loaded:
            pages[series_by_path[page.path[: -Page.steplen]]].append(page)
    for series_pages in pages.values():
        series_pages.sort(key=lambda p: p.path)
    return pages


# What ``_part_summary_rows_many`` reads of a part: enough to count it, nothing to show.
_SUMMARY_FIELDS = ("path", "live", "announce_forthcoming", "first_published_at")

# And of a linked part's target, read with it (a join), used only while the linked part is live.
_TARGET_SUMMARY_FIELDS = ("target__live", "target__first_published_at", "target__path")

PartSummaryRow = tuple[str, bool, bool, datetime | None, str | None]
"""(path, shown as published, announce_forthcoming, first_published_at, target path) of a part
page. A linked part is shown as published when it and its target are live (with its target's
date and path, to check the target's restrictions); as forthcoming otherwise."""


def _part_summary_rows_many(series_list: Sequence[SeriesPage]) -> dict[int, list[PartSummaryRow]]:
    """``_SUMMARY_FIELDS`` of the part pages of several series, by series id (in no particular
    order): what summaries count, without building pages. One query per part type."""
    rows: dict[int, list[PartSummaryRow]] = {series.pk: [] for series in series_list}
    if not series_list:
        return rows
    series_by_path = {series.path: series.pk for series in series_list}
    children = children_of(series_list)
    for model in get_part_models():
        content_type_id = ContentType.objects.get_for_model(model).pk
        # Exact type only (a subclass of a part type is read as its own model), checked here: with
        # the content type in the query, SQLite reads every part of the site through its index
        # instead of the series' path ranges.
        queryset = model.objects.filter(children).order_by()
        if issubclass(model, LinkedPart):
            values = queryset.values_list(
                *_SUMMARY_FIELDS, "content_type_id", *_TARGET_SUMMARY_FIELDS
            )
            for (
                path,
                live,
                announced,
                own_date,
                type_id,
                target_live,
                target_date,
                target_path,
            ) in values:
                if type_id != content_type_id:
                    continue
                if live and target_live:
                    # (The outline's rule: its own date for a target with none.)
                    date = target_date or own_date
                    row: PartSummaryRow = (path, True, announced, date, target_path)
                else:
                    row = (path, False, announced, None, None)
                rows[series_by_path[path[: -Page.steplen]]].append(row)
            continue
        for *values, row_content_type_id in queryset.values_list(
            *_SUMMARY_FIELDS, "content_type_id"
        ):
            if row_content_type_id == content_type_id:
                path, live, announced, first_published_at = values
                row = (path, live, announced, first_published_at, None)
                rows[series_by_path[path[: -Page.steplen]]].append(row)
    return rows


# The functools.cache functions below take a page type. As Wagtail ships no type information,
# Page is Any to mypy, and mypy finds no type[Any] Hashable (python/mypy#11470): their callers
# ignore that error (arg-type, "mypy#11470").


@functools.cache
def _annotated_part_queryset(model: type[Page], page_content_type_id: int) -> QuerySet:
    """``model``'s pages with the go-live date they are scheduled for, if any.

    Built once per part type (and filtered per call): resolving the correlated subquery costs more
    than running it, for a short series.
    """
    scheduled_go_live = (
        Revision.objects.filter(
            base_content_type_id=page_content_type_id,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            approved_go_live_at__isnull=False,
        )
        .order_by("-created_at")
        .values("approved_go_live_at")[:1]
    )
    # Only a page that isn't live can be waiting for a go-live date: live rows skip the subquery.
    return model.objects.annotate(
        _series_scheduled_at=Case(When(live=False, then=Subquery(scheduled_go_live)), default=None)
    )


def _page_fields(model: type[Page], defer_streamfields: bool) -> list[str]:
    """What ``get_entry_pages`` loads of a live part page: every column, StreamFields optional."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not (defer_streamfields and isinstance(field, StreamField))
    ]
