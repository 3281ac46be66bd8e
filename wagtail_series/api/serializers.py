"""JSON for series, entries and part positions, built only from the reader's output.

Nothing here reads a part page's fields: every value comes from ``wagtail_series.reader``
dataclasses, which carry only what the request may see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from wagtail.rich_text import expand_db_html

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ..models import SeriesPage
    from ..reader import SeriesEntry, SeriesOutline, SeriesSummary

SERIES_TYPE = "wagtail_series.SeriesPage"


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def entry_data(entry: SeriesEntry, outline: SeriesOutline) -> dict[str, Any]:
    """One part of ``outline``: ``url`` (on the series' own Site) is null while forthcoming."""
    return {
        "position": entry.position,
        "label": entry.label,
        "id": entry.page_id,
        "title": entry.title,
        "status": entry.status.value,
        "url": outline.absolute(entry.url),
        "teaser": entry.teaser,
        "expected_date": _iso(entry.expected_date),
        "first_published_at": _iso(entry.first_published_at),
    }


def cover_image_data(series: SeriesPage, filter_spec: str) -> dict[str, Any] | None:
    image = series.cover_image
    if image is None:
        return None
    rendition = image.get_rendition(filter_spec)
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": rendition.alt,
    }


def series_data(
    outline: SeriesOutline | SeriesSummary,
    request: HttpRequest | None,
    *,
    detail_url: str | None,
    cover_filter_spec: str,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """A series as listed: metadata and counts (from its outline or, in a listing, its summary).
    ``tags``: its tag names, if already read."""
    series = outline.series
    if tags is None:
        tags = [tag.name for tag in series.tags.all()]
    return {
        "id": series.pk,
        "title": series.title,
        "slug": series.slug,
        # As Wagtail's pages endpoint's: the language code (the default locale's without i18n).
        "locale": series.locale.language_code,
        "status": series.status,
        "part_label": series.part_label,
        "tags": sorted(tags),
        "counts": {
            "published": outline.published_count,
            "forthcoming": outline.forthcoming_count,
            "planned": outline.planned_parts,
        },
        "cover_image": cover_image_data(series, cover_filter_spec),
        "meta": {
            "type": SERIES_TYPE,
            "detail_url": detail_url,
            # The series' own Site, as Wagtail's html_url (page.full_url): not the request's host.
            "html_url": outline.full_url,
            "first_published_at": _iso(series.first_published_at),
            "latest_part_published_at": _iso(outline.latest_published_at),
        },
    }


def series_detail_data(
    outline: SeriesOutline,
    request: HttpRequest | None,
    *,
    detail_url: str | None,
    cover_filter_spec: str,
    max_parts: int,
) -> dict[str, Any]:
    """A whole series: ``series_data`` plus the description and every visible part, in order."""
    data = series_data(outline, request, detail_url=detail_url, cover_filter_spec=cover_filter_spec)
    entries = outline.entries
    data["description"] = expand_db_html(outline.series.description)
    data["parts"] = [entry_data(entry, outline) for entry in entries[:max_parts]]
    # Never cut silently: say how many parts there are and whether the list stops short.
    data["meta"]["parts_total"] = len(entries)
    data["meta"]["parts_truncated"] = len(entries) > max_parts
    return data
