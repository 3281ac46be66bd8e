"""What happens when something a reader of a series could see changes.

Signal handlers (``signal_handlers.py``) translate Wagtail's and Django's events into calls to
``series_changed`` with the ids of the affected series; this module decides what follows. It
bumps each series' ``SeriesVersion`` in the caller's transaction, so HTTP validators change
atomically with the content and never for a change that is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.utils import timezone

from .models import SeriesPage, SeriesPartMixin
from .models.versions import ALL_SERIES, SeriesVersion

if TYPE_CHECKING:
    from wagtail.models import Page

__all__ = ["series_changed", "series_ids_for_page", "series_ids_for_path", "series_ids_under"]


def series_changed(series_ids: Iterable[int], *, event: str) -> None:
    """Record that what readers see of ``series_ids`` changed (``event`` says why)."""
    ids = set(series_ids)
    if not ids:
        return
    ids.add(ALL_SERIES)
    # Two statements whatever the number of series; the rows exist from then on.
    SeriesVersion.objects.bulk_create(
        [SeriesVersion(series_id=series_id) for series_id in ids], ignore_conflicts=True
    )
    SeriesVersion.objects.filter(series_id__in=ids).update(
        version=F("version") + 1, changed_at=timezone.now()
    )


def series_ids_for_page(page: Page) -> set[int]:
    """The series a page shows in: itself if it is a series, its series if it is a part."""
    if isinstance(page, SeriesPage):
        return {page.pk}
    if isinstance(page, SeriesPartMixin) and page.path:
        parent_path = page.path[: -page.steplen]
        return set(SeriesPage.objects.filter(path=parent_path).values_list("pk", flat=True))
    return set()


def series_ids_for_path(path: str) -> set[int]:
    """The series whose parts or URLs depend on the page at ``path``: at, below or just above it."""
    return set(
        SeriesPage.objects.filter(
            Q(path__startswith=path) | Q(path=path[: -SeriesPage.steplen])
        ).values_list("pk", flat=True)
    )


def series_ids_under(page: Page) -> set[int]:
    """The series at or below ``page``: their URLs and view restrictions derive from it."""
    return set(SeriesPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))
