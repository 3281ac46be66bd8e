"""What a reader sees of a series: the one place that decides order, numbering and visibility.

Templates, rich text, the REST API, GraphQL, feeds and the admin all call this module; none of them
re-derives these rules. The rules:

- A series' parts are the pages of a part type (see ``SeriesPartMixin``) directly under the series
  page, in the page tree's order (editors reorder them with Wagtail's own child ordering).
- A live part is *published*: it has a URL.
- A part that is not live (never published, unpublished or expired) is *forthcoming* when its
  ``announce_forthcoming`` is on: readers see only its forthcoming title (or title), teaser and
  expected date. Otherwise it is invisible and takes no number.
- A part under a view restriction (its own or inherited from the series and its ancestors) is shown
  only to requests that pass the restriction; otherwise it is invisible and takes no number.
- Positions count the visible entries only, so numbering always follows what the reader sees.
- A series that is not live has no readers: its parts show no series chrome.

Everything is computed in a constant number of queries whatever the length of the series: one per
part page type, one for view restrictions (plus one for group restrictions, if any apply).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.functions import Cast
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Revision, get_default_page_content_type

from .models import SeriesPage, SeriesPartMixin, get_part_models

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "EditorEntry",
    "EditorOutline",
    "EntryStatus",
    "PartDetails",
    "PartPosition",
    "SeriesEntry",
    "SeriesOutline",
    "PartState",
    "forthcoming_part_ids",
    "get_part_details",
    "get_public_part_pages",
    "get_editor_outline",
    "get_editor_outlines",
    "get_entry_pages",
    "get_parent_series",
    "get_part_position",
    "get_position_in",
    "get_series_for_part",
    "get_series_outline",
    "get_series_outlines",
    "get_series_outlines_with_pages",
    "page_is_public",
    "series_is_public",
    "series_is_visible",
    "visible_series",
]


class EntryStatus(StrEnum):
    PUBLISHED = "published"
    FORTHCOMING = "forthcoming"


@dataclass(frozen=True, slots=True)
class SeriesEntry:
    """One visible part of a series, as a reader may see it."""

    page_id: int
    position: int
    label: str
    """The part label and position, e.g. "Part 2" or "Chapter 2"."""
    title: str
    status: EntryStatus
    url: str | None
    """The part's URL; ``None`` while forthcoming."""
    teaser: str
    expected_date: date | None
    """When the part is expected: its scheduled go-live date if it is scheduled."""
    scheduled_at: datetime | None
    """The approved go-live time of a scheduled, not yet live part."""
    first_published_at: datetime | None
    last_published_at: datetime | None

    @property
    def is_published(self) -> bool:
        return self.status is EntryStatus.PUBLISHED

    @property
    def is_forthcoming(self) -> bool:
        return self.status is EntryStatus.FORTHCOMING


@dataclass(frozen=True, slots=True)
class SeriesOutline:
    """A series as one request may see it: its metadata and its visible entries, in order."""

    series: SeriesPage
    url: str | None
    entries: tuple[SeriesEntry, ...]

    @property
    def series_id(self) -> int:
        return self.series.pk

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def part_label(self) -> str:
        return self.series.part_label

    @property
    def planned_parts(self) -> int | None:
        return self.series.planned_parts

    @property
    def total(self) -> int:
        """Visible entries, published and forthcoming."""
        return len(self.entries)

    @property
    def display_total(self) -> int:
        """The "of M" in "Part N of M": the planned total when declared and not exceeded."""
        return max(self.total, self.planned_parts or 0)

    @property
    def published(self) -> tuple[SeriesEntry, ...]:
        return tuple(e for e in self.entries if e.is_published)

    @property
    def forthcoming(self) -> tuple[SeriesEntry, ...]:
        return tuple(e for e in self.entries if e.is_forthcoming)

    @property
    def published_count(self) -> int:
        return len(self.published)

    @property
    def forthcoming_count(self) -> int:
        return len(self.forthcoming)

    @property
    def latest_published_at(self) -> datetime | None:
        dates = [
            e.first_published_at for e in self.entries if e.first_published_at and e.is_published
        ]
        return max(dates, default=None)

    def entry_for(self, page_id: int) -> SeriesEntry | None:
        for entry in self.entries:
            if entry.page_id == page_id:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class PartPosition:
    """Where one part stands in its series, for one request."""

    outline: SeriesOutline
    entry: SeriesEntry
    previous: SeriesEntry | None
    next: SeriesEntry | None

    @property
    def position(self) -> int:
        return self.entry.position

    @property
    def total(self) -> int:
        return self.outline.total

    @property
    def planned_total(self) -> int | None:
        return self.outline.planned_parts

    @property
    def display_total(self) -> int:
        return self.outline.display_total

    @property
    def summary(self) -> str:
        """E.g. "Part 2 of 3 in Memories"."""
        return _("%(label)s of %(total)d in %(series)s") % {
            "label": self.entry.label,
            "total": self.display_total,
            "series": self.outline.title,
        }


# --- Public functions ----------------------------------------------------------------------


def get_series_outline(series: SeriesPage, request: HttpRequest | None = None) -> SeriesOutline:
    """The series as ``request`` may see it (anonymous and public-only when ``request`` is None).

    Memoised on the request, so template tags on one page share one computation.
    """
    cache = _request_cache(request)
    key = ("outline", series.pk)
    if key not in cache:
        cache[key] = _build_outline(series, request)
    return cache[key]


def get_series_outlines(
    series_list: Sequence[SeriesPage], request: HttpRequest | None = None
) -> dict[int, SeriesOutline]:
    """``get_series_outline`` for many series at once, by series id: the same constant number of
    queries as for one series, however many series and parts there are."""
    return _outlines_and_pages(series_list, request, with_pages=False)[0]


def get_series_outlines_with_pages(
    series_list: Sequence[SeriesPage],
    request: HttpRequest | None = None,
    *,
    defer_streamfields: bool = False,
) -> tuple[dict[int, SeriesOutline], dict[int, SeriesPartMixin]]:
    """``get_series_outlines``, and ``get_entry_pages`` for all their entries: for a surface that
    hands out the part pages with the outline (GraphQL's ``parts { page }``).

    The pages come from the rows the outlines are built from where they can: one query per part
    type in all, not two. Only a live part's row is read whole; a part that isn't live is still
    read by its announcement columns only. Pages that can't come from those rows (an outline
    memoised earlier on the request, a part type with its own ``__init__``) are loaded as
    ``get_entry_pages`` loads them.
    """
    outlines, pages = _outlines_and_pages(
        series_list, request, with_pages=True, defer_streamfields=defer_streamfields
    )
    published = [e for o in outlines.values() for e in o.entries if e.is_published]
    visible = {entry.page_id for entry in published}
    pages = {page_id: page for page_id, page in pages.items() if page_id in visible}
    unread = [entry for entry in published if entry.page_id not in pages]
    if unread:
        pages |= get_entry_pages(unread, defer_streamfields=defer_streamfields)
    return outlines, pages


def visible_series(
    queryset: QuerySet[SeriesPage] | None = None, request: HttpRequest | None = None
) -> QuerySet[SeriesPage]:
    """The live series ``request`` may see (its view restrictions and its ancestors' pass).

    ``queryset`` narrows the candidates (default: every series). One query for the restrictions.
    """
    queryset = (queryset if queryset is not None else SeriesPage.objects.all()).live()
    # Only restrictions at or above some series decide whether a series is visible.
    restrictions = (
        PageViewRestriction.objects.filter(
            Exists(SeriesPage.objects.filter(path__startswith=OuterRef("page__path")))
        )
        .annotate(_series_page_path=F("page__path"))
        .prefetch_related("groups")
    )
    checker = _RestrictionChecker(request)
    for restriction in restrictions:
        if not checker.passes(restriction):
            queryset = queryset.exclude(path__startswith=restriction._series_page_path)
    return queryset


def series_is_visible(series: SeriesPage, request: HttpRequest | None = None) -> bool:
    """Whether ``request`` may see ``series`` at all (live, and passes its view restrictions)."""
    return series.live and _restriction_verdicts(series, request)[0]


def series_is_public(series: SeriesPage, request: HttpRequest | None = None) -> bool:
    """Whether anyone at all, signed in or not, may see ``series`` (e.g. it has public feeds).

    Free for an anonymous ``request`` once its outline is built: its verdicts are an anonymous
    reader's, already memoised. Otherwise one query (two if group restrictions apply).
    """
    if request is not None and _is_anonymous(request):
        return series_is_visible(series, request)
    return series_is_visible(series, None)


def page_is_public(page: Page) -> bool:
    """Whether anonymous readers pass the view restrictions on ``page`` and its ancestors (there
    are none), whether or not it is live. One query."""
    return not PageViewRestriction.objects.filter(
        page__path__in=_ancestor_paths(page.path)
    ).exists()


def get_series_for_part(page: Page) -> SeriesPage | None:
    """The live series page directly above ``page``, or None (one query)."""
    if not isinstance(page, SeriesPartMixin) or page.depth is None or page.depth < 2:
        return None
    parent_path = page.path[: -Page.steplen]
    return SeriesPage.objects.live().filter(path=parent_path).first()


def get_part_position(page: Page, request: HttpRequest | None = None) -> PartPosition | None:
    """Where ``page`` stands in its series for ``request``, or None when it shows no series chrome.

    None when the page is not a part, is not under a live series, or is not a visible published
    part (e.g. a draft served to an editor's preview is shown as it will be once published).
    """
    cache = _request_cache(request)
    key = ("part", page.pk)
    if key in cache:
        return cache[key]
    position = None
    # Parts listed together (e.g. the pages API) share one series lookup per parent.
    parent_key = ("series_at", page.path[: -Page.steplen] if page.path else None)
    if parent_key not in cache:
        cache[parent_key] = get_series_for_part(page)
    series = cache[parent_key]
    if series is not None:
        previewing = page if request is not None and getattr(request, "is_preview", False) else None
        if previewing is not None:
            outline = _build_outline(series, request, previewing=previewing)
        else:
            outline = get_series_outline(series, request)
        position = _position_in(outline, page.pk)
    cache[key] = position
    return position


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


def get_position_in(outline: SeriesOutline, page_id: int) -> PartPosition | None:
    """Where the part ``page_id`` stands in ``outline``: what ``get_part_position`` answers for a
    page of that series, without looking its series up (for a surface that already holds the
    outline the page came from). None when it is not a published entry of the outline."""
    return _position_in(outline, page_id)


def forthcoming_part_ids(pages: Iterable[Page | None]) -> set[int]:
    """Ids of the given pages that are part pages of a series but not live.

    Used by rich text: a link to such a page is rendered without an href until it is published.
    At most one query, whatever the number of pages.
    """
    candidates = {
        p.pk: p.path[: -Page.steplen]
        for p in pages
        if p is not None and isinstance(p, SeriesPartMixin) and not p.live
    }
    if not candidates:
        return set()
    series_paths = set(
        SeriesPage.objects.filter(path__in=set(candidates.values())).values_list("path", flat=True)
    )
    return {pk for pk, parent_path in candidates.items() if parent_path in series_paths}


@dataclass(frozen=True, slots=True)
class PartDetails:
    """What feeds show of a published part beyond its entry."""

    page_id: int
    summary: str
    """The part's ``get_series_summary()``: its intro or its teaser."""
    author: str
    """The page owner's full name; empty when unknown (never the username)."""


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


# --- Internals -----------------------------------------------------------------------------

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


def _request_cache(request: HttpRequest | None) -> dict[Any, Any]:
    if request is None:
        return {}
    try:
        return request._wagtail_series_cache  # type: ignore[attr-defined]
    except AttributeError:
        request._wagtail_series_cache = {}  # type: ignore[attr-defined]
        return request._wagtail_series_cache  # type: ignore[attr-defined]


def _is_anonymous(request: HttpRequest) -> bool:
    """Whether ``request`` passes exactly the restrictions an anonymous reader passes (none)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    key = PageViewRestriction.passed_view_restrictions_session_key
    return session is None or not session.get(key)


def _page_url(page: Page, request: HttpRequest | None) -> str | None:
    """``page.get_url(request)``, without its Site lookup when that can't change the answer.

    Wagtail looks up the request's Site (a query per request) to choose between a relative and an
    absolute URL. With one site the URL is relative whichever site it is, so the reader skips the
    lookup then. Page types that override ``get_url`` itself are asked as usual.
    """
    if (
        request is None
        or hasattr(request, "_wagtail_site")  # looked up already: no query
        or type(page).get_url is not Page.get_url
        or not _serves_one_site(page, request)
    ):
        return page.get_url(request)
    url_parts = page.get_url_parts(request=request)
    if url_parts is None or url_parts[1] is None and url_parts[2] is None:
        return None  # not routable, as get_url says
    return url_parts[2]


def _serves_one_site(page: Page, request: HttpRequest) -> bool:
    cache = _request_cache(request)
    if "one_site" not in cache:
        # The root paths Wagtail's get_url_parts reads, from the same copy (cached on the request).
        cache["one_site"] = len({root.site_id for root in page._get_site_root_paths(request)}) == 1
    return cache["one_site"]


def _ancestor_paths(path: str) -> list[str]:
    """The paths of a page and all its ancestors."""
    return [path[:i] for i in range(Page.steplen, len(path) + 1, Page.steplen)]


def _outlines_and_pages(
    series_list: Sequence[SeriesPage],
    request: HttpRequest | None,
    *,
    with_pages: bool,
    defer_streamfields: bool = False,
) -> tuple[dict[int, SeriesOutline], dict[int, SeriesPartMixin]]:
    """The outlines of ``series_list`` (memoised on the request) and, ``with_pages``, the live part
    pages read whole while building those not memoised yet, by page id."""
    cache = _request_cache(request)
    missing = [s for s in series_list if ("outline", s.pk) not in cache]
    whole_pages: dict[int, SeriesPartMixin] = {}
    if missing:
        # Passed on, not only memoised: with no request there is nowhere to memoise them.
        verdicts = _restriction_verdicts_many(missing, request)
        part_pages = _part_pages_many(
            missing, whole_live_rows=with_pages, defer_streamfields=defer_streamfields
        )
        for series in missing:
            cache[("outline", series.pk)] = _build_outline(
                series, request, part_pages=part_pages[series.pk], verdicts=verdicts[series.pk]
            )
            whole_pages |= {
                page.pk: page for page in part_pages[series.pk] if _WHOLE in page.__dict__
            }
    return {s.pk: cache[("outline", s.pk)] for s in series_list}, whole_pages


def _part_pages(series: SeriesPage) -> list[SeriesPartMixin]:
    """All part pages under ``series``, of every part type, in tree order: one query per type."""
    return _part_pages_many([series])[series.pk]


def _part_pages_many(
    series_list: Sequence[SeriesPage],
    *,
    whole_live_rows: bool = False,
    defer_streamfields: bool = False,
) -> dict[int, list[SeriesPartMixin]]:
    """The part pages of several series at once: still one query per part type.

    Each is loaded with ``_PART_FIELDS`` only; with ``whole_live_rows``, a live part is loaded
    with all its fields too (as ``get_entry_pages`` loads it) and marked ``_WHOLE``, where the
    part type loads plainly. A part that isn't live never gets more than ``_PART_FIELDS``.
    """
    pages: dict[int, list[SeriesPartMixin]] = {series.pk: [] for series in series_list}
    if not series_list:
        return pages
    series_by_path = {series.path: series.pk for series in series_list}
    children = Q()
    for series in series_list:
        children |= Q(path__startswith=series.path, depth=series.depth + 1)
    for model in get_part_models():
        content_type = ContentType.objects.get_for_model(model)
        queryset = (
            # (Keyed by the page content type's id, which the subquery holds.)
            _annotated_part_queryset(model, get_default_page_content_type().pk)
            .filter(children)
            # Exact type only: a subclass of a part type is queried as its own model.
            .filter(content_type=content_type)
        )
        annotations = ["_series_scheduled_at"]
        whole_fields = _page_fields(model, defer_streamfields) if whole_live_rows else None
        if whole_fields is not None and _loads_plainly(model, tuple(whole_fields)):
            loaded = _load_pages(
                model, queryset, whole_fields, annotations, not_live_fields=_PART_FIELDS
            )
        else:
            loaded = _load_pages(model, queryset, _PART_FIELDS, annotations)
        for page in loaded:
            pages[series_by_path[page.path[: -Page.steplen]]].append(page)
    for series_pages in pages.values():
        series_pages.sort(key=lambda p: p.path)
    return pages


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
    """
    if not _loads_plainly(model, tuple(fields)):
        if not_live_fields is not None:
            # .only() can't trim rows: it would load the drafts of parts that aren't live.
            raise ValueError(f"{model.__name__} pages can't be loaded with trimmed rows.")
        return list(queryset.only(*fields))
    db = queryset.db
    kept = None if not_live_fields is None else (*not_live_fields, *annotations)
    pages = []
    for row in queryset.values(*fields, *annotations):
        if kept is not None:
            if row["live"]:
                row[_WHOLE] = True
            else:
                row = {name: row[name] for name in kept}
        page = model.__new__(model)
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


class _RestrictionChecker:
    """Wagtail's ``BaseViewRestriction.accept_request`` for many restrictions in one pass.

    The stock method queries the user's groups once per group restriction; here they are read once.
    """

    def __init__(self, request: HttpRequest | None) -> None:
        self.request = request
        self._group_ids: set[int] | None = None

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    def passes(self, restriction: PageViewRestriction) -> bool:
        if self.request is None:
            return False
        kind = restriction.restriction_type
        if kind == PageViewRestriction.PASSWORD:
            session = getattr(self.request, "session", None)
            if session is None:
                return False
            passed = session.get(restriction.passed_view_restrictions_session_key, [])
            return restriction.id in passed
        if kind == PageViewRestriction.LOGIN:
            return bool(self.user is not None and self.user.is_authenticated)
        if kind == PageViewRestriction.GROUPS:
            user = self.user
            if user is None or not user.is_authenticated:
                return False
            if user.is_superuser:
                return True
            if self._group_ids is None:
                self._group_ids = set(user.groups.values_list("id", flat=True))
            return any(g.id in self._group_ids for g in restriction.groups.all())
        # A restriction type this module doesn't know: defer to Wagtail.
        return restriction.accept_request(self.request)


def _restriction_verdicts(series: SeriesPage, request: HttpRequest | None) -> tuple[bool, set[str]]:
    """Whether ``request`` passes the restrictions on the series and its ancestors, and the paths
    of the parts whose own restrictions it fails. One query (two if group restrictions apply)."""
    return _restriction_verdicts_many([series], request)[series.pk]


def _restriction_verdicts_many(
    series_list: Sequence[SeriesPage], request: HttpRequest | None
) -> dict[int, tuple[bool, set[str]]]:
    """``_restriction_verdicts`` for several series in one query; memoised on the request."""
    cache = _request_cache(request)
    missing = [s for s in series_list if ("verdicts", s.pk) not in cache]
    if missing:
        ancestors = {s.pk: set(_ancestor_paths(s.path)) for s in missing}
        scope = Q(page__path__in=set().union(*ancestors.values()))
        for series in missing:
            scope |= Q(page__path__startswith=series.path, page__depth=series.depth + 1)
        restrictions = (
            PageViewRestriction.objects.filter(scope)
            .annotate(_series_page_path=F("page__path"))
            .prefetch_related("groups")
        )
        checker = _RestrictionChecker(request)
        failing_paths = {r._series_page_path for r in restrictions if not checker.passes(r)}
        for series in missing:
            child_depth_length = len(series.path) + Page.steplen
            cache[("verdicts", series.pk)] = (
                not (failing_paths & ancestors[series.pk]),
                {
                    path
                    for path in failing_paths
                    if len(path) == child_depth_length and path.startswith(series.path)
                },
            )
    return {s.pk: cache[("verdicts", s.pk)] for s in series_list}


def _build_outline(
    series: SeriesPage,
    request: HttpRequest | None,
    previewing: Page | None = None,
    part_pages: list[SeriesPartMixin] | None = None,
    verdicts: tuple[bool, set[str]] | None = None,
) -> SeriesOutline:
    series_url = _page_url(series, request)
    is_preview = bool(getattr(request, "is_preview", False))
    series_ok, failing_parts = (
        verdicts if verdicts is not None else _restriction_verdicts(series, request)
    )
    if not series_ok or not (series.live or is_preview):
        return SeriesOutline(series=series, url=series_url, entries=())

    entries: list[SeriesEntry] = []
    for page in part_pages if part_pages is not None else _part_pages(series):
        if page.path in failing_parts:
            continue
        position = len(entries) + 1
        label = f"{series.part_label} {position}"
        if previewing is not None and page.pk == previewing.pk:
            # An editor previewing a part sees it as it will be once published.
            entries.append(_published_entry(previewing, position, label, request))
        elif page.live:
            entries.append(_published_entry(page, position, label, request))
        elif page.announce_forthcoming:
            scheduled_at = page._series_scheduled_at
            entries.append(
                SeriesEntry(
                    page_id=page.pk,
                    position=position,
                    label=label,
                    title=page.forthcoming_title or page.title,
                    status=EntryStatus.FORTHCOMING,
                    url=None,
                    teaser=page.forthcoming_teaser,
                    expected_date=(
                        timezone.localdate(scheduled_at) if scheduled_at else page.expected_date
                    ),
                    scheduled_at=scheduled_at,
                    first_published_at=None,
                    last_published_at=None,
                )
            )
    return SeriesOutline(series=series, url=series_url, entries=tuple(entries))


def _published_entry(
    page: Page, position: int, label: str, request: HttpRequest | None
) -> SeriesEntry:
    return SeriesEntry(
        page_id=page.pk,
        position=position,
        label=label,
        title=page.title,
        status=EntryStatus.PUBLISHED,
        url=_page_url(page, request),
        # A live page's row holds its published content, so its teaser is public.
        teaser=page.forthcoming_teaser,
        expected_date=None,
        scheduled_at=None,
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
    )


def _position_in(outline: SeriesOutline, page_id: int) -> PartPosition | None:
    entries = outline.entries
    for index, entry in enumerate(entries):
        if entry.page_id == page_id:
            if not entry.is_published:
                return None
            return PartPosition(
                outline=outline,
                entry=entry,
                previous=entries[index - 1] if index > 0 else None,
                next=entries[index + 1] if index + 1 < len(entries) else None,
            )
    return None


# --- The editor outline: what the admin shows editors ---------------------------------------
#
# Editors need more than readers: every part page (hidden drafts and private parts included),
# its state, its schedule and whether it is overdue. Built from the same helpers as the reader
# outline, so the admin never re-derives order, numbering or visibility.


class PartState(StrEnum):
    """The state of a part page as the admin shows it."""

    PUBLISHED = "published"
    """Live and public (within the series)."""
    SCHEDULED = "scheduled"
    """Not live; a revision is approved to go live at ``scheduled_at``."""
    FORTHCOMING = "forthcoming"
    """Not live, announced: readers see its announcement."""
    HIDDEN_DRAFT = "hidden_draft"
    """Not live, not announced: readers don't see it at all."""
    PRIVATE = "private"
    """Under a view restriction of its own: only readers who pass it see the part."""


@dataclass(frozen=True, slots=True)
class EditorEntry:
    """One part page of a series, as an editor needs to see it."""

    page_id: int
    title: str
    """The page's title: the published title of a live part, the latest draft's otherwise."""
    reader_title: str
    """What readers see: the title once live, the forthcoming title (or title) before."""
    state: PartState
    live: bool
    announced: bool
    """``announce_forthcoming``: listed as forthcoming while not live."""
    private: bool
    """Under a view restriction of its own (restrictions on the series are on the outline)."""
    position: int | None
    """Its number for readers without access to private parts; None if they don't see it."""
    label: str | None
    """E.g. "Part 2"; None when ``position`` is None."""
    teaser: str
    expected_date: date | None
    """The expected date the editor entered."""
    scheduled_at: datetime | None
    """The approved go-live time of a part that is not live yet."""
    overdue: bool
    """Not live although its scheduled time or (without a schedule) its expected date has passed."""
    url: str | None
    """The live part's URL; None while not live."""
    first_published_at: datetime | None
    last_published_at: datetime | None

    @property
    def due_date(self) -> date | None:
        """When the part is due: its scheduled go-live date if scheduled, else its expected date."""
        if self.scheduled_at is not None:
            return timezone.localdate(self.scheduled_at)
        return self.expected_date

    @property
    def is_forthcoming(self) -> bool:
        """Announced and not live yet (scheduled and private ones included)."""
        return not self.live and self.announced

    @property
    def is_scheduled(self) -> bool:
        return self.scheduled_at is not None

    @property
    def state_label(self) -> str:
        """The state in words, in the active language."""
        return {
            PartState.PUBLISHED: _("published"),
            PartState.SCHEDULED: _("scheduled"),
            PartState.FORTHCOMING: _("forthcoming"),
            PartState.HIDDEN_DRAFT: _("hidden draft"),
            PartState.PRIVATE: _("private"),
        }[self.state]


@dataclass(frozen=True, slots=True)
class EditorOutline:
    """Every part page of a series, in order, with the figures the admin shows."""

    series: SeriesPage
    entries: tuple[EditorEntry, ...]
    private: bool
    """The series (or an ancestor) is under a view restriction."""

    @property
    def series_id(self) -> int:
        return self.series.pk

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def live(self) -> bool:
        return self.series.live

    @property
    def readers_see_series(self) -> bool:
        """Whether readers without special access see the series at all."""
        return self.series.live and not self.private

    @property
    def planned_parts(self) -> int | None:
        return self.series.planned_parts

    @property
    def published_count(self) -> int:
        return sum(1 for e in self.entries if e.live)

    @property
    def forthcoming(self) -> tuple[EditorEntry, ...]:
        return tuple(e for e in self.entries if e.is_forthcoming)

    @property
    def forthcoming_count(self) -> int:
        return len(self.forthcoming)

    @property
    def hidden_count(self) -> int:
        return sum(1 for e in self.entries if not e.live and not e.announced)

    @property
    def reader_total(self) -> int:
        """The parts a reader without access to private parts sees, published and forthcoming."""
        return sum(1 for e in self.entries if e.position is not None)

    @property
    def display_total(self) -> int:
        """The "of M" readers see in "Part N of M"."""
        return max(self.reader_total, self.planned_parts or 0)

    @property
    def overdue(self) -> tuple[EditorEntry, ...]:
        """Forthcoming parts past their due date."""
        return tuple(e for e in self.forthcoming if e.overdue)

    @property
    def next_expected(self) -> EditorEntry | None:
        """The forthcoming part due first (overdue ones included); undated ones come last."""
        forthcoming = self.forthcoming
        if not forthcoming:
            return None
        order = {e.page_id: i for i, e in enumerate(forthcoming)}
        return min(
            forthcoming,
            key=lambda e: (e.due_date is None, e.due_date or date.max, order[e.page_id]),
        )

    @property
    def last_published_at(self) -> datetime | None:
        """When the most recently released part was first published."""
        return max(
            (e.first_published_at for e in self.entries if e.live and e.first_published_at),
            default=None,
        )

    def entry_for(self, page_id: int) -> EditorEntry | None:
        for entry in self.entries:
            if entry.page_id == page_id:
                return entry
        return None


def get_editor_outline(
    series: SeriesPage, request: HttpRequest | None = None, *, now: datetime | None = None
) -> EditorOutline:
    """Every part page of ``series`` with its state, for the admin (not for readers).

    ``request`` only serves to build URLs; ``now`` (default: the current time) decides what is
    overdue. Same number of queries as ``get_series_outline``, see ``get_editor_outlines``.
    """
    return get_editor_outlines([series], request, now=now)[series.pk]


def get_editor_outlines(
    series_list: Iterable[SeriesPage],
    request: HttpRequest | None = None,
    *,
    now: datetime | None = None,
) -> dict[int, EditorOutline]:
    """``get_editor_outline`` for many series at once, keyed by series id.

    Queries do not grow with the number of series or parts: one per part page type and one for
    view restrictions (none for an empty list). Positions are those a reader without access to
    private parts would see once the series is live and public; ``EditorOutline.private`` and
    ``EditorOutline.live`` tell whether readers see the series at all.
    """
    series_list = list(series_list)
    if not series_list:
        return {}
    now = now or timezone.now()
    today = timezone.localdate(now)
    pages_by_series = _part_pages_many(series_list)
    # With no request, every restriction counts as failed: exactly the restricted pages.
    verdicts = _restriction_verdicts_many(series_list, None)
    outlines = {}
    for series in series_list:
        series_public, restricted_parts = verdicts[series.pk]
        entries: list[EditorEntry] = []
        position = 0
        for page in pages_by_series[series.pk]:
            private = page.path in restricted_parts
            visible = not private and (page.live or page.announce_forthcoming)
            if visible:
                position += 1
            entries.append(
                _editor_entry(
                    page, series, position if visible else None, private, request, now, today
                )
            )
        outlines[series.pk] = EditorOutline(
            series=series, entries=tuple(entries), private=not series_public
        )
    return outlines


def get_parent_series(page: Page) -> SeriesPage | None:
    """The series page directly above ``page``, live or not (for the admin), or None.

    Unlike ``get_series_for_part``, which only finds live series, for readers. One query.
    """
    if (
        not isinstance(page, SeriesPartMixin)
        or not page.path
        or page.depth is None
        or page.depth < 2
    ):
        return None
    return SeriesPage.objects.filter(path=page.path[: -Page.steplen]).first()


def _editor_entry(
    page: SeriesPartMixin,
    series: SeriesPage,
    position: int | None,
    private: bool,
    request: HttpRequest | None,
    now: datetime,
    today: date,
) -> EditorEntry:
    scheduled_at = None if page.live else page._series_scheduled_at
    if private:
        state = PartState.PRIVATE
    elif page.live:
        state = PartState.PUBLISHED
    elif scheduled_at is not None:
        state = PartState.SCHEDULED
    elif page.announce_forthcoming:
        state = PartState.FORTHCOMING
    else:
        state = PartState.HIDDEN_DRAFT
    if page.live:
        overdue = False
    elif scheduled_at is not None:
        overdue = scheduled_at <= now
    else:
        overdue = page.expected_date is not None and page.expected_date < today
    return EditorEntry(
        page_id=page.pk,
        title=page.title,
        reader_title=page.title if page.live else (page.forthcoming_title or page.title),
        state=state,
        live=page.live,
        announced=page.announce_forthcoming,
        private=private,
        position=position,
        label=f"{series.part_label} {position}" if position is not None else None,
        teaser=page.forthcoming_teaser,
        expected_date=page.expected_date,
        scheduled_at=scheduled_at,
        overdue=overdue,
        url=_page_url(page, request) if page.live else None,
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
    )


# SHIM(merge): provided by the reader package


def get_live_part_pages(series_list: Sequence[SeriesPage]) -> dict[int, list[Any]]:
    """Every live part page of each series, private or not, specific, in tree order, by series
    id (any of them may be in a cache): one query."""
    from .compat import get_page_model
    from .models.parts import part_content_type_ids

    parts: dict[int, list[Any]] = {s.pk: [] for s in series_list}
    if not series_list:
        return parts
    by_path = {s.path: s.pk for s in series_list}
    children = Q()
    for series in series_list:
        children |= Q(path__startswith=series.path, depth=series.depth + 1)
    pages = (
        get_page_model()
        .objects.filter(children, live=True, content_type_id__in=part_content_type_ids())
        .specific(defer=True)
        .order_by("path")
    )
    for page in pages:
        parts[by_path[page.path[: -page.steplen]]].append(page)
    return parts
