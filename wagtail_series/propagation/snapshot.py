"""The series of a batch as they are now, read once for the purge and the webhook payloads.

Every rule about what readers see comes from the reader: which series anonymous readers may
see, which parts are public, which are live (any may be in a cache), the outlines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import reader
from ..conf import series_settings
from ..models import SeriesPage

__all__ = ["Snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """The changed series as they are now: pages, live parts, public pages, reader outlines."""

    series: dict[int, SeriesPage]
    """Every changed series that still exists, by id."""
    live_parts: dict[int, list[Any]]
    """Every live part page of each of them, private or not, in order."""
    public_series: dict[int, SeriesPage]
    """Those anonymous readers may see."""
    public_parts: dict[int, list[Any]]
    """The public part pages of the public series. Parts of a series readers can't see are not
    named, even if live and public: their URL holds the series' slug (unpublishing a series
    sends them as stale URLs instead)."""
    outlines: dict[int, reader.SeriesOutline]
    """The public series' outlines, as anonymous readers see them."""
    announcement_parts: dict[int, list[Any]] = field(default_factory=dict)
    """The part pages of the public series that are not live: their URLs show an announcement
    (``FORTHCOMING_PART_PAGE``; none when it is off). Plain page rows, for their URLs only."""

    @classmethod
    def load(cls, series_ids: Iterable[int]) -> Snapshot:
        series_ids = set(series_ids)
        series = {s.pk: s for s in SeriesPage.objects.filter(pk__in=series_ids)}
        public_ids = set(
            reader.visible_series(SeriesPage.objects.filter(pk__in=series_ids), None).values_list(
                "pk", flat=True
            )
        )
        public_series = {pk: s for pk, s in series.items() if pk in public_ids}
        return cls(
            series=series,
            live_parts=reader.get_live_part_pages(list(series.values())),
            public_series=public_series,
            public_parts=reader.get_public_part_pages(list(public_series.values())),
            outlines=reader.get_series_outlines(list(public_series.values()), None),
            announcement_parts=(
                reader.get_unpublished_part_pages(list(public_series.values()))
                if series_settings.FORTHCOMING_PART_PAGE
                else {}
            ),
        )
