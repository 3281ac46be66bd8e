"""Outlines: a series as one request sees it, where a part stands in it, and how parts are numbered.

``number_entries`` is the one numbering rule, shared with the editor outline (``editor``): which
parts take a number, their label ("Part 2") and the title readers see. Outlines are memoised on
the request (see ``memo``) and built in a constant number of queries (see ``loading``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from ..models import LinkedPart, SeriesPage, SeriesPartMixin
from .linked import NO_LINKS, LinkedTargets, _under, linked_series, linked_targets
from .loading import (
    PartSummaryRow,
    _part_pages,
    _part_pages_many,
    _part_summary_rows_many,
    get_entry_pages,
)
from .memo import request_memo
from .rows import WHOLE
from .types import EntryStatus, PartPosition, SeriesEntry, SeriesOutline, SeriesSummary
from .urls import page_url, site_root_url
from .visibility import (
    _restriction_verdicts,
    _restriction_verdicts_many,
    failing_paths_above,
    get_series_for_part,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "Gap",
    "NumberedPart",
    "forthcoming_part_ids",
    "get_page_series",
    "get_announcement_position",
    "get_part_position",
    "get_part_positions",
    "get_position_in",
    "get_series_outline",
    "get_series_outlines",
    "get_series_outlines_with_pages",
    "get_series_summaries",
    "number_entries",
    "toc_window",
]


# --- Numbering ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberedPart:
    """One part page of a series and what numbering gives it."""

    page: Page
    """The part page (for the part an editor previews, the previewed page)."""
    position: int | None
    """Its number for readers; None when readers don't see it (it takes no number)."""
    label: str | None
    """The part label and position, e.g. "Part 2"; None when ``position`` is None."""
    title: str
    """The title readers see: the title once published, the forthcoming title (or title) before."""
    published: bool
    """Shown as published: live, or the part an editor previews (as it will be once published)."""
    linked_part: LinkedPart | None = None
    """The linked part this entry is, if it is one: ``page`` is then its target while shown as
    published, the linked part itself otherwise."""


def number_entries(
    series: SeriesPage,
    pages: Iterable[SeriesPartMixin],
    *,
    hidden_paths: AbstractSet[str] = frozenset(),
    previewing: Page | None = None,
    linked: LinkedTargets = NO_LINKS,
) -> list[NumberedPart]:
    """Number the part ``pages`` of ``series`` (in tree order) as readers see them: every page,
    numbered or not.

    A part takes the next number when readers see it: it is not under a restriction readers fail
    (its path is not in ``hidden_paths``) and it is live, announced as forthcoming, or the part
    ``previewing`` shows. Every other part takes no number, so numbering follows what readers see.

    A linked part (``LinkedPart``) is its target for readers when ``linked`` resolved one (live,
    and readers may open it): numbered as a live part, with the target's title. Its target
    hidden by a restriction readers fail, it takes no number. Otherwise it is a part that isn't
    live: forthcoming when announced.
    """
    numbered: list[NumberedPart] = []
    position = 0
    for page in pages:
        link = page if isinstance(page, LinkedPart) else None
        is_link = link is not None
        subject = linked.pages.get(page.pk, page) if is_link else page
        previewed = previewing is not None and subject.pk == previewing.pk
        shown = previewing if previewing is not None and previewed else subject
        published = previewed or (subject is not page if is_link else page.live)
        visible = not (is_link and page.pk in linked.hidden) and _reader_sees(
            page.path, published, page.announce_forthcoming, hidden_paths
        )
        if visible:
            position += 1
        numbered.append(
            NumberedPart(
                page=shown,
                position=position if visible else None,
                label=f"{series.part_label} {position}" if visible else None,
                title=shown.title if published else (page.forthcoming_title or page.title),
                published=published,
                linked_part=link,
            )
        )
    return numbered


def _reader_sees(
    path: str, published: bool, announced: bool, hidden_paths: AbstractSet[str]
) -> bool:
    """Whether readers see a part of a series they see: ``number_entries``' rule, which
    ``get_series_summaries`` counts by too."""
    return path not in hidden_paths and (published or announced)


def _series_shows_parts(series: SeriesPage, request: HttpRequest | None, series_ok: bool) -> bool:
    """Whether ``request`` sees any part of ``series``: it passes the series' restrictions
    (``series_ok``) and the series is live (or previewed)."""
    return series_ok and (series.live or bool(getattr(request, "is_preview", False)))


# --- Outlines -----------------------------------------------------------------------------------


def get_series_outline(series: SeriesPage, request: HttpRequest | None = None) -> SeriesOutline:
    """The series as ``request`` may see it (anonymous and public-only when ``request`` is None).

    Memoised on the request, so template tags on one page share one computation.
    """
    cache = request_memo(request)
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


def get_series_summaries(
    series_list: Sequence[SeriesPage], request: HttpRequest | None = None
) -> dict[int, SeriesSummary]:
    """What a listing shows of each series, by series id: the URL and figures of
    ``get_series_outlines`` (published and forthcoming counts, the newest visible part's first
    publication), counted by the same rules without building the entries: no part URLs, no
    announcements or scheduled dates read. The same constant number of queries. A series whose
    outline is memoised on the request is summarised from it."""
    cache = request_memo(request)
    summaries: dict[int, SeriesSummary] = {}
    missing = []
    for series in series_list:
        outline = cache.get(("outline", series.pk))
        if outline is None:
            missing.append(series)
        else:
            summaries[series.pk] = SeriesSummary(
                series=series,
                url=outline.url,
                published_count=outline.published_count,
                forthcoming_count=outline.forthcoming_count,
                latest_published_at=outline.latest_published_at,
                root_url=outline.root_url,
            )
    if missing:
        verdicts = _restriction_verdicts_many(missing, request)
        rows = _part_summary_rows_many(missing)
        target_paths = [row[4] for series_rows in rows.values() for row in series_rows if row[4]]
        failing_targets = failing_paths_above(target_paths, request)
        for series in missing:
            summaries[series.pk] = _summarise(
                series, request, rows[series.pk], verdicts[series.pk], failing_targets
            )
    return {series.pk: summaries[series.pk] for series in series_list}


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


def get_part_position(page: Page, request: HttpRequest | None = None) -> PartPosition | None:
    """Where ``page`` stands in its primary series for ``request``, or None when it shows no
    series chrome: the first of ``get_part_positions``.

    None when the page is in no live series, or is not a visible published part of any (e.g. a
    draft served to an editor's preview is shown as it will be once published).
    """
    positions = get_part_positions(page, request)
    return positions[0] if positions else None


def get_part_positions(page: Page, request: HttpRequest | None = None) -> tuple[PartPosition, ...]:
    """Where ``page`` stands in every series it is a visible published part of, for ``request``:
    its primary series first (the series it sits under, if it is a part), then the series that
    link it (``LinkedPart``), in tree order.

    Memoised on the request. A constant number of queries: one to find the series that link the
    page, and the outlines' (shared by all its series).
    """
    cache = request_memo(request)
    key = ("part", page.pk)
    if key in cache:
        return cache[key]
    series_list = get_page_series(page, request)
    previewing = page if request is not None and getattr(request, "is_preview", False) else None
    if previewing is not None:
        outlines = {s.pk: _build_outline(s, request, previewing=previewing) for s in series_list}
    else:
        outlines = get_series_outlines(series_list, request)
    positions = []
    for series in series_list:
        position = _position_in(outlines[series.pk], page.pk)
        if position is not None:
            positions.append(position)
    cache[key] = tuple(positions)
    return cache[key]


def get_page_series(page: Page, request: HttpRequest | None = None) -> list[SeriesPage]:
    """The live series ``page`` belongs to: the one it sits under if it is a part (its primary
    series), then those with a live linked part pointing at it, in tree order. Any page type."""
    primary = get_part_series(page, request)
    linked = [s for s in linked_series(page, request) if primary is None or s.pk != primary.pk]
    return [primary, *linked] if primary is not None else linked


def get_part_series(page: Page, request: HttpRequest | None = None) -> SeriesPage | None:
    """The live series ``page`` is a part of, or None: ``get_series_for_part``, memoised on the
    request per parent (parts listed together, e.g. by the pages API, share one lookup). Once
    ``get_part_position`` has placed the page (any template tag of a part page does), free: the
    cache-tag header of a part page reads it after rendering."""
    cache = request_memo(request)
    parent_key = ("series_at", page.path[: -Page.steplen] if page.path else None)
    if parent_key not in cache:
        cache[parent_key] = _routed_series(page, request) or get_series_for_part(page)
    return cache[parent_key]


def get_position_in(outline: SeriesOutline, page_id: int) -> PartPosition | None:
    """Where the part ``page_id`` stands in ``outline``: what ``get_part_position`` answers for a
    page of that series, without looking its series up (for a surface that already holds the
    outline the page came from). None when it is not a published entry of the outline."""
    return _position_in(outline, page_id)


def get_announcement_position(outline: SeriesOutline, page_id: int) -> PartPosition | None:
    """Where the forthcoming part ``page_id`` stands in ``outline``, for its announcement page
    (the part's own URL while it is not live). None unless it is a forthcoming entry of the
    outline: drafts that are not announced and parts ``outline``'s request may not see have no
    announcement."""
    return _position_in(outline, page_id, forthcoming=True)


def forthcoming_part_ids(pages: Iterable[Page | None]) -> set[int]:
    """Ids of the given pages that readers see as forthcoming parts of a series: part pages under
    a series that aren't live, pages that aren't live but a live linked part points at, and
    linked parts whose target isn't live (a linked part's own URL leads to its target).

    Used by rich text: a link to such a page is rendered without an href until it is published.
    At most two queries, whatever the number of pages.
    """
    loaded = [p for p in pages if p is not None]
    candidates = {
        p.pk: p.path[: -Page.steplen]
        for p in loaded
        if isinstance(p, SeriesPartMixin) and not isinstance(p, LinkedPart) and not p.live
    }
    forthcoming: set[int] = set()
    if candidates:
        series_paths = set(
            SeriesPage.objects.filter(path__in=set(candidates.values())).values_list(
                "path", flat=True
            )
        )
        forthcoming = {pk for pk, parent in candidates.items() if parent in series_paths}
    drafts = {p.pk for p in loaded if not p.live and p.pk not in candidates}
    links = {p.pk for p in loaded if isinstance(p, LinkedPart)}
    if drafts or links:
        rows = LinkedPart.objects.filter(
            Q(target_id__in=drafts, live=True) | Q(pk__in=links, live=True, target__live=True)
        ).values_list("pk", "target_id")
        linked_to_live = set()
        for link_id, target_id in rows:
            if target_id in drafts:
                forthcoming.add(target_id)
            if link_id in links:
                linked_to_live.add(link_id)
        forthcoming |= links - linked_to_live
    return forthcoming


# --- Windows -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gap:
    """Entries a table-of-contents window leaves out, between two entries it shows."""

    count: int
    """How many entries are left out (at least 2: a window shows a lone entry instead)."""
    first_position: int
    """The position of the first entry left out."""
    last_position: int
    """The position of the last entry left out."""

    is_gap = True
    """For templates: ``{% if item.is_gap %}``, where a ``SeriesEntry`` answers False."""


def toc_window(
    outline: SeriesOutline,
    current_page_id: int | None,
    *,
    first: int,
    around: int,
    last: int,
    forthcoming: int,
) -> tuple[SeriesEntry | Gap, ...]:
    """The entries of ``outline`` a window of its table of contents shows, with ``Gap``s between.

    The window holds the ``first`` entries, the ``around`` entries either side of the current
    part (``current_page_id``; none when it is not an entry, e.g. on the series page), the next
    ``forthcoming`` forthcoming entries after the current part (from the start without one) and
    the ``last`` entries. A run of entries it leaves out is one ``Gap``, except a single entry,
    which is shown (an ellipsis would take its place and say less). So a series with no more
    entries than the window holds shows every entry, and no gap.
    """
    for name, value in (
        ("first", first),
        ("around", around),
        ("last", last),
        ("forthcoming", forthcoming),
    ):
        if type(value) is not int or value < 0:
            raise ValueError(f"toc_window: {name} must be a whole number, 0 or more, not {value!r}")
    entries = outline.entries
    total = len(entries)
    if total <= first + 2 * around + 1 + last + forthcoming:
        return entries
    current = next((i for i, e in enumerate(entries) if e.page_id == current_page_id), None)
    shown = set(range(min(first, total)))
    shown.update(range(max(total - last, 0), total))
    start = 0
    if current is not None:
        shown.update(range(max(current - around, 0), min(current + around + 1, total)))
        start = current + 1
    if forthcoming:
        upcoming = (i for i in range(start, total) if entries[i].is_forthcoming)
        for _, index in zip(range(forthcoming), upcoming, strict=False):
            shown.add(index)
    window: list[SeriesEntry | Gap] = []
    index = 0
    while index < total:
        if index in shown:
            window.append(entries[index])
            index += 1
            continue
        end = index
        while end + 1 < total and end + 1 not in shown:
            end += 1
        if end == index:  # one entry left out: show it rather than an ellipsis
            window.append(entries[index])
        else:
            window.append(Gap(end - index + 1, entries[index].position, entries[end].position))
        index = end + 1
    return tuple(window)


# --- Internals ----------------------------------------------------------------------------------


def _outlines_and_pages(
    series_list: Sequence[SeriesPage],
    request: HttpRequest | None,
    *,
    with_pages: bool,
    defer_streamfields: bool = False,
) -> tuple[dict[int, SeriesOutline], dict[int, SeriesPartMixin]]:
    """The outlines of ``series_list`` (memoised on the request) and, ``with_pages``, the live part
    pages read whole while building those not memoised yet, by page id."""
    cache = request_memo(request)
    missing = [s for s in series_list if ("outline", s.pk) not in cache]
    whole_pages: dict[int, SeriesPartMixin] = {}
    if missing:
        # Passed on, not only memoised: with no request there is nowhere to memoise them.
        verdicts = _restriction_verdicts_many(missing, request)
        part_pages = _part_pages_many(
            missing, whole_live_rows=with_pages, defer_streamfields=defer_streamfields
        )
        linked = linked_targets([p for pages in part_pages.values() for p in pages], request)
        for series in missing:
            cache[("outline", series.pk)] = _build_outline(
                series,
                request,
                part_pages=part_pages[series.pk],
                verdicts=verdicts[series.pk],
                linked=linked,
            )
            whole_pages |= {
                page.pk: page for page in part_pages[series.pk] if WHOLE in page.__dict__
            }
    return {s.pk: cache[("outline", s.pk)] for s in series_list}, whole_pages


def _build_outline(
    series: SeriesPage,
    request: HttpRequest | None,
    previewing: Page | None = None,
    part_pages: list[SeriesPartMixin] | None = None,
    verdicts: tuple[bool, set[str]] | None = None,
    linked: LinkedTargets | None = None,
) -> SeriesOutline:
    series_url = page_url(series, request)
    root_url = site_root_url(series, request)
    series_ok, failing_parts = (
        verdicts if verdicts is not None else _restriction_verdicts(series, request)
    )
    if not _series_shows_parts(series, request, series_ok):
        return SeriesOutline(series=series, url=series_url, entries=(), root_url=root_url)

    pages = part_pages if part_pages is not None else _part_pages(series)
    if linked is None:
        linked = linked_targets(pages, request)
    entries: list[SeriesEntry] = []
    numbered = number_entries(
        series, pages, hidden_paths=failing_parts, previewing=previewing, linked=linked
    )
    for part in numbered:
        if part.position is None or part.label is None:
            continue  # readers don't see it
        if part.published:
            entries.append(_published_entry(part, request))
        else:
            entries.append(_forthcoming_entry(part))
    return SeriesOutline(series=series, url=series_url, entries=tuple(entries), root_url=root_url)


def _summarise(
    series: SeriesPage,
    request: HttpRequest | None,
    rows: list[PartSummaryRow],
    verdicts: tuple[bool, set[str]],
    failing_targets: set[str],
) -> SeriesSummary:
    series_ok, failing_parts = verdicts
    published = forthcoming = 0
    latest = None
    if _series_shows_parts(series, request, series_ok):
        for path, live, announced, first_published_at, target_path in rows:
            if target_path and failing_targets and _under(target_path, failing_targets):
                continue  # a linked part whose target readers may not open: hidden
            if not _reader_sees(path, live, announced, failing_parts):
                continue
            if not live:
                forthcoming += 1
                continue
            published += 1
            if first_published_at and (latest is None or first_published_at > latest):
                latest = first_published_at
    return SeriesSummary(
        series=series,
        url=page_url(series, request),
        published_count=published,
        forthcoming_count=forthcoming,
        latest_published_at=latest,
        root_url=site_root_url(series, request),
    )


def _published_entry(part: NumberedPart, request: HttpRequest | None) -> SeriesEntry:
    page, link = part.page, part.linked_part
    # A live page's row holds its published content, so its teaser is public. A linked part's
    # teaser is its own (it is live), or its target's search description.
    if link is not None:
        teaser = link.forthcoming_teaser or getattr(page, "search_description", "") or ""
    else:
        teaser = page.forthcoming_teaser
    assert part.position is not None and part.label is not None
    return SeriesEntry(
        page_id=page.pk,
        position=part.position,
        label=part.label,
        title=part.title,
        status=EntryStatus.PUBLISHED,
        url=page_url(page, request),
        teaser=teaser,
        expected_date=None,
        scheduled_at=None,
        # A target made live by code (an import) may have no dates: its linked part's then.
        first_published_at=page.first_published_at
        or (link.first_published_at if link is not None else None),
        last_published_at=page.last_published_at
        or (link.last_published_at if link is not None else None),
        linked_part_id=link.pk if link is not None else None,
    )


def _forthcoming_entry(part: NumberedPart) -> SeriesEntry:
    # Only the announcement fields: the rest of the row of a part that isn't live is its draft.
    page = part.page
    scheduled_at = page._series_scheduled_at
    assert part.position is not None and part.label is not None
    return SeriesEntry(
        page_id=page.pk,
        position=part.position,
        label=part.label,
        title=part.title,
        status=EntryStatus.FORTHCOMING,
        url=None,
        teaser=page.forthcoming_teaser,
        expected_date=timezone.localdate(scheduled_at) if scheduled_at else page.expected_date,
        scheduled_at=scheduled_at,
        first_published_at=None,
        last_published_at=None,
        linked_part_id=page.pk if part.linked_part is not None else None,
    )


def _routed_series(page: Page, request: HttpRequest | None) -> SeriesPage | None:
    """The live series Wagtail routed ``request`` through to ``page``, if it did: the page the
    lookup of ``get_series_for_part`` would find, loaded already (no query)."""
    series = getattr(request, SeriesPage.ROUTED_SERIES_ATTRIBUTE, None)
    is_part = isinstance(page, SeriesPartMixin)  # (not narrowed: page is still a Page)
    if (
        isinstance(series, SeriesPage)
        and is_part
        and series.live
        and page.path
        and page.depth == series.depth + 1
        and page.path[: -Page.steplen] == series.path
    ):
        return series
    return None


def _position_in(
    outline: SeriesOutline, page_id: int, *, forthcoming: bool = False
) -> PartPosition | None:
    """The position of a published entry (a forthcoming one with ``forthcoming``)."""
    entries = outline.entries
    for index, entry in enumerate(entries):
        if entry.page_id == page_id:
            if entry.is_forthcoming != forthcoming:
                return None
            return PartPosition(
                outline=outline,
                entry=entry,
                previous=entries[index - 1] if index > 0 else None,
                next=entries[index + 1] if index + 1 < len(entries) else None,
            )
    return None
