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

from ..models import SeriesPage
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
    outlines = {}
    for series in series_list:
        series_public, restricted_parts = verdicts[series.pk]
        entries = tuple(
            _editor_entry(part, part.page.path in restricted_parts, request, now, today)
            for part in number_entries(
                series, pages_by_series[series.pk], hidden_paths=restricted_parts
            )
        )
        outlines[series.pk] = EditorOutline(
            series=series, entries=entries, private=not series_public
        )
    return outlines


def _editor_entry(
    part: NumberedPart,
    private: bool,
    request: HttpRequest | None,
    now: datetime,
    today: date,
) -> EditorEntry:
    page = part.page
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
        url=page_url(page, request) if page.live else None,
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
        page_url=page_url(page, request),
    )
