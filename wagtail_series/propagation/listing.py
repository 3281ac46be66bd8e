"""The value listings are ordered by, kept right in the transaction of every change.

``SeriesPage.latest_public_part_published_at`` stores ``reader.latest_public_part_dates`` (the
reader is the one home of the rule) so the default listing order reads an indexed column rather
than a subquery per series. ``series_changed`` calls ``store_latest_part_dates`` for the series
of every change, in the caller's transaction: a rolled-back change leaves the stored value as
it was, a committed one is seen with it.

What a change costs follows from what it can do to the date (``reader.latest_part_date_change``):
nothing, when it changed none of the fields the rule reads (a draft saved, a revision stored);
one UPDATE reading the one part, whatever the series' length, when a part that did not count may
count now (a part published: the editor's publish); otherwise the rule over every part of the
series (an unpublish, a deletion, a move, a restriction, a series page saved).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Case, DateTimeField, Q, Value, When

from .. import reader
from ..models import SeriesPage
from ..reader import DateChange

if TYPE_CHECKING:
    from wagtail.models import Page

__all__ = ["store_latest_part_dates"]

FIELD = "latest_public_part_published_at"

# Series per UPDATE statement (two parameters each): under every database's parameter limit.
_BATCH = 500


def store_latest_part_dates(
    series_ids: Iterable[int],
    *,
    page: Page | None = None,
    excluding: Iterable[int] = (),
    change: DateChange = "any",
) -> None:
    """Store the listing date of ``series_ids`` after a change to ``page``.

    ``change`` (``reader.latest_part_date_change``): "unchanged", no query; "joined", ``page``
    is a part of the series that may count now: one UPDATE, reading that part only; "any":
    recompute, one query (per 500 series) and one to write. ``page``, the instance the change is
    about, gets the new value too if it is one of the series, so saving it again later can't
    write back an old one. ``excluding``: ids of pages being deleted, whose rows may not be gone.
    """
    if change == "unchanged":
        return
    if change == "joined" and page is not None and not isinstance(page, SeriesPage):
        date, counted = reader.counted_part_date(page)
        if date is not None:
            # The later of the stored date and the part's: written only where the part's is
            # later (and the reader counts it). ``series_ids`` are the part's own series.
            SeriesPage.objects.filter(
                counted,
                Q(**{f"{FIELD}__isnull": True}) | Q(**{f"{FIELD}__lt": date}),
                pk__in=set(series_ids),
            ).update(**{FIELD: date})
        return
    dates = reader.latest_public_part_dates(series_ids, excluding=excluding)
    items = sorted(dates.items())
    for start in range(0, len(items), _BATCH):
        batch = items[start : start + _BATCH]
        if len(batch) == 1:
            [(pk, value)] = batch
            SeriesPage.objects.filter(pk=pk).update(**{FIELD: value})
            continue
        whens = [
            When(pk=pk, then=Value(value, output_field=DateTimeField())) for pk, value in batch
        ]
        SeriesPage.objects.filter(pk__in=[pk for pk, _ in batch]).update(
            **{FIELD: Case(*whens, default=None, output_field=DateTimeField())}
        )
    if isinstance(page, SeriesPage) and page.pk in dates:
        setattr(page, FIELD, dates[page.pk])
