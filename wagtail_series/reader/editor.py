"""The editor outline: every part page of a series with its state, for the admin (not readers).

Editors need more than readers: every part page (hidden drafts and private parts included), its
state, its schedule and whether it is overdue. Built on the reader's own loading, restriction
verdicts and numbering (``outline.number_entries``), so the admin never re-derives order,
numbering or visibility.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from ..compat import get_page_model
from ..models import LinkedPart, SeriesPage, SeriesPartMixin
from .linked import LinkedTargets, linked_targets
from .loading import _part_pages_many
from .outline import NumberedPart, number_entries
from .types import EditorEntry, EditorOutline, PartState
from .urls import page_url
from .visibility import _restriction_verdicts_many

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["get_editor_outline", "get_editor_outlines"]


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
    pages_by_series = _part_pages_many(series_list, content_fields=True)
    # With no request, every restriction counts as failed: exactly the restricted pages.
    verdicts = _restriction_verdicts_many(series_list, None)
    all_pages = [page for pages in pages_by_series.values() for page in pages]
    linked = linked_targets(all_pages, None)
    targets = _target_titles(all_pages)
    outlines = {}
    for series in series_list:
        series_public, restricted_parts = verdicts[series.pk]
        entries = tuple(
            _editor_entry(part, restricted_parts, linked, targets, request, now, today)
            for part in number_entries(
                series, pages_by_series[series.pk], hidden_paths=restricted_parts, linked=linked
            )
        )
        outlines[series.pk] = EditorOutline(
            series=series, entries=entries, private=not series_public
        )
    return outlines


def _target_titles(pages: list[SeriesPartMixin]) -> dict[int, tuple[str, bool]]:
    """(title, live) of the page each linked part points at (its draft's title while it isn't
    live: for editors), by page id. One query, none without linked parts."""
    ids = {page.__dict__.get("target_id") for page in pages if isinstance(page, LinkedPart)}
    ids.discard(None)
    if not ids:
        return {}
    rows = get_page_model().objects.filter(pk__in=ids).values_list("pk", "title", "live")
    return {pk: (title, live) for pk, title, live in rows}


def _editor_entry(
    part: NumberedPart,
    restricted_parts: set[str],
    linked: LinkedTargets,
    targets: dict[int, tuple[str, bool]],
    request: HttpRequest | None,
    now: datetime,
    today: date,
) -> EditorEntry:
    link = part.linked_part
    # The page the editor edits: a linked part, not its target.
    page = link if link is not None else part.page
    private = page.path in restricted_parts or (link is not None and link.pk in linked.hidden)
    target_id = link.__dict__.get("target_id") if link is not None else None
    target_title, target_live = (
        targets.get(target_id, (None, False)) if target_id else (None, False)
    )
    # Shown as published: a live part, or a linked part shown as its target.
    shown_live = part.published if link is not None else page.live
    scheduled_at = None if page.live else page._series_scheduled_at
    if private:
        state = PartState.PRIVATE
    elif shown_live:
        state = PartState.PUBLISHED
    elif scheduled_at is not None:
        state = PartState.SCHEDULED
    elif page.announce_forthcoming:
        state = PartState.FORTHCOMING
    else:
        state = PartState.HIDDEN_DRAFT
    if shown_live:
        overdue = False
    elif scheduled_at is not None:
        overdue = scheduled_at <= now
    else:
        overdue = page.expected_date is not None and page.expected_date < today
    return EditorEntry(
        page_id=page.pk,
        title=page.title,
        reader_title=part.title,
        state=state,
        live=page.live,
        announced=page.announce_forthcoming,
        private=private,
        position=part.position,
        label=part.label,
        teaser=page.forthcoming_teaser,
        has_content=page.has_content(),
        expected_date=page.expected_date,
        scheduled_at=scheduled_at,
        overdue=overdue,
        url=page_url(part.page, request) if shown_live else None,
        # A linked part's are its target's, once shown as it.
        first_published_at=(part.page if shown_live else page).first_published_at,
        last_published_at=(part.page if shown_live else page).last_published_at,
        linked=link is not None,
        target_id=target_id,
        target_title=target_title,
        target_live=target_live,
        page_url=page_url(page, request),
    )
