"""The value listings are ordered by, kept right in the transaction of every change.

``SeriesPage.latest_public_part_published_at`` stores ``reader.latest_public_part_dates`` (the
reader is the one home of the rule) so the default listing order reads an indexed column rather
than a subquery per series. ``series_changed`` calls ``store_latest_part_dates`` for the series
of every change, in the caller's transaction: a rolled-back change leaves the stored value as
it was, a committed one is seen with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Case, DateTimeField, Value, When

from .. import reader
from ..models import SeriesPage

if TYPE_CHECKING:
    from wagtail.models import Page

__all__ = ["store_latest_part_dates"]

FIELD = "latest_public_part_published_at"

# Series per UPDATE statement (two parameters each): under every database's parameter limit.
_BATCH = 500


def store_latest_part_dates(
    series_ids: Iterable[int], *, page: Page | None = None, excluding: Iterable[int] = ()
) -> None:
    """Recompute and store the listing date of ``series_ids``: one query to compute (per 500
    series), one to write. ``page``, the instance the change is about, gets the new value too
    if it is one of the series, so saving it again later can't write back an old one.
    ``excluding``: ids of pages being deleted, whose rows may not be gone yet."""
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
