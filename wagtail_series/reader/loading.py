"""Loading part pages: which pages are a series' parts, read in a constant number of queries.

A series' parts are the pages of a part type (see ``SeriesPartMixin``) directly under the series
page, in tree order. Every query for them is built here: the rows outlines are built from
(``_part_pages_many``), the pages surfaces hand out (``get_entry_pages``), feed details
(``get_part_details``), the parts caches and frontends must refresh (``get_public_part_pages``,
``get_live_part_pages``).

The plain row loader (``_load_pages``) builds page instances from rows without running
``Model.__init__``; the ORM internals it relies on are used nowhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, When
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.functions import Cast
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init
from wagtail.fields import StreamField
from wagtail.models import Page, Revision, get_default_page_content_type

from ..compat import get_page_model
from ..models import SeriesPage, SeriesPartMixin, get_part_models
from ..models.parts import part_content_type_ids
from .paths import children_of
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
    for model in get_part_models():
        if len(pages) == len(ids):
            break
        content_type = ContentType.objects.get_for_model(model)
        missing = ids - set(pages)
        queryset = model.objects.filter(pk__in=missing, live=True, content_type=content_type)
        for page in _load_pages(model, queryset, _page_fields(model, defer_streamfields)):
            pages[page.pk] = page
    return pages


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
    for model in get_part_models():
        content_type = ContentType.objects.get_for_model(model)
        pages = (
            model.objects.filter(pk__in=ids, live=True, content_type=content_type)
            .select_related("owner")
            .only("id", "live", "owner", *model.SUMMARY_FIELDS)
        )
        for page in pages:
            owner = page.owner
            details[page.pk] = PartDetails(
                page_id=page.pk,
                summary=page.get_series_summary() or "",
                author=(owner.get_full_name() or "").strip() if owner is not None else "",
            )
    return details


def get_public_part_pages(series_list: Sequence[SeriesPage]) -> dict[int, list[SeriesPartMixin]]:
    """The live parts of each series that anyone may open, by series id, in order.

    Whether or not the series itself is live: a part of an unpublished series is still served
    (without series chrome). A constant number of queries, however many series and parts.
    Used to tell caches and frontends which pages to refresh; never lists a private part.
    """
    verdicts = _restriction_verdicts_many(series_list, None)
    pages = _part_pages_many(series_list)
    public: dict[int, list[SeriesPartMixin]] = {}
    for series in series_list:
        series_ok, failing_parts = verdicts[series.pk]
        public[series.pk] = [
            page
            for page in pages[series.pk]
            if series_ok and page.live and page.path not in failing_parts
        ]
    return public


def get_live_part_pages(series_list: Sequence[SeriesPage]) -> dict[int, list[SeriesPartMixin]]:
    """Every live part page of each series, private or not, by series id, in tree order.

    For caches and frontends: any live page may be in a cache, whoever may read it. The pages are
    specific, with their own fields deferred. One query, however many series and parts.
    """
    return _part_pages_by_liveness(series_list, live=True)


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
        parts[by_path[page.path[: -Page.steplen]]].append(page)
    return parts


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
    with all its fields too (as ``get_entry_pages`` loads it) and marked ``_WHOLE``, where the
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
        if whole_fields is not None and _loads_plainly(model, tuple(whole_fields)):  # type: ignore[arg-type]  # mypy#11470
            loaded = _load_pages(
                model, queryset, whole_fields, annotations, not_live_fields=_PART_FIELDS
            )
        else:
            extra = model.CONTENT_FIELDS if content_fields else ()
            loaded = _load_pages(model, queryset, _PART_FIELDS, annotations, extra_fields=extra)
        for page in loaded:
            pages[series_by_path[page.path[: -Page.steplen]]].append(page)
    for series_pages in pages.values():
        series_pages.sort(key=lambda p: p.path)
    return pages


# What ``_part_summary_rows_many`` reads of a part: enough to count it, nothing to show.
_SUMMARY_FIELDS = ("path", "live", "announce_forthcoming", "first_published_at")

PartSummaryRow = tuple[str, bool, bool, datetime | None]
"""(path, live, announce_forthcoming, first_published_at) of a part page."""


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
        for *row, row_content_type_id in queryset.values_list(*_SUMMARY_FIELDS, "content_type_id"):
            if row_content_type_id == content_type_id:
                rows[series_by_path[row[0][: -Page.steplen]]].append(tuple(row))
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


def _load_pages(
    model: type[Page],
    queryset: QuerySet,
    fields: Sequence[str],
    annotations: Sequence[str] = (),
    *,
    not_live_fields: Sequence[str] | None = None,
    extra_fields: Sequence[str] = (),
) -> list[Page]:
    """The pages of ``queryset`` with only ``fields`` loaded, as ``.only(*fields)`` gives them.

    Building a page instance the usual way runs modelcluster's and Wagtail's ``__init__``, which
    only handle pages being created in code, and cost more than the query for a long series (about
    two thirds of a 300-part outline). When ``__init__`` is Wagtail's and every loaded field is a
    plain Django attribute, the rows are set on instances directly, as ``Model.__init__`` would
    set them, and ``post_init`` is sent. Otherwise (a page type's own ``__init__``, a field whose
    descriptor converts values, such as a StreamField) the usual way, through ``.only()``.

    With ``not_live_fields`` (plain loading only), a row that isn't live keeps only those fields
    and the annotations: the rest of its row is its draft. The others are marked ``_WHOLE``.

    ``extra_fields`` are loaded too, whatever their descriptors (not with ``not_live_fields``):
    ``values()`` hands them over as ``Model.from_db`` would, a StreamField as a lazy StreamValue.
    """
    if not _loads_plainly(model, tuple(fields)):  # type: ignore[arg-type]  # mypy#11470
        if not_live_fields is not None:
            # .only() can't trim rows: it would load the drafts of parts that aren't live.
            raise ValueError(f"{model.__name__} pages can't be loaded with trimmed rows.")
        return list(queryset.only(*fields, *extra_fields))
    db = queryset.db
    kept = None if not_live_fields is None else (*not_live_fields, *annotations)
    pages = []
    for row in queryset.values(*fields, *extra_fields, *annotations):
        if kept is not None:
            if row["live"]:
                row[_WHOLE] = True
            else:
                row = {name: row[name] for name in kept}
        # mypy takes a type[Any]'s __new__ for type.__new__ (Page is Any: Wagtail is untyped).
        page = model.__new__(model)  # type: ignore[call-overload]
        page._state = ModelState()
        page._state.adding, page._state.db = False, db
        page.__dict__.update(row)
        page.pk = row["id"]  # sets the parent links too (e.g. page_ptr_id)
        post_init.send(sender=model, instance=page)
        pages.append(page)
    return pages


# Set on a live part page loaded with all its fields alongside its outline.
_WHOLE = "_wagtail_series_whole"
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _loads_plainly(model: type[Page], fields: tuple[str, ...]) -> bool:
    init_owner = next(klass for klass in model.__mro__ if "__init__" in vars(klass))
    if not init_owner.__module__.startswith("wagtail."):
        return False
    for name in fields:
        attname = model._meta.get_field(name).attname
        descriptor = next(vars(k)[attname] for k in model.__mro__ if attname in vars(k))
        if type(descriptor) not in _PLAIN_DESCRIPTORS:
            return False
    return True
