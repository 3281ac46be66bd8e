"""Webhook payloads: one per changed (series, part), from what anonymous readers see now.

The format is public (docs/caching-and-webhooks.md): ``event``, ``series`` (``id``, ``slug``,
``url``), ``part`` (``id``, ``url``, ``status``) or null, ``paths`` and ``timestamp``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .change import ChangeSet, SeriesChange
from .snapshot import Snapshot
from .urls import moved_urls, series_urls, site_feed_paths

__all__ = ["webhook_payloads"]


def webhook_payloads(change_set: ChangeSet, snapshot: Snapshot) -> list[dict[str, Any]]:
    """One payload per changed (series, part), from what anonymous readers see now."""
    timestamp = change_set.timestamp.isoformat()
    return [
        {
            "event": change.event,
            "series": _series_info(change.series_id, snapshot),
            "part": _part_info(change, snapshot),
            "paths": _paths(change.series_id, change_set, snapshot),
            "timestamp": timestamp,
        }
        for change in change_set.changes
    ]


def _series_info(series_id: int, snapshot: Snapshot) -> dict[str, Any]:
    series = snapshot.public_series.get(series_id)
    if series is None:  # deleted, unpublished or private: only its id
        return {"id": series_id, "slug": None, "url": None}
    return {"id": series_id, "slug": series.slug, "url": series.get_full_url()}


def _part_info(change: SeriesChange, snapshot: Snapshot) -> dict[str, Any] | None:
    series_id, page_id = change.series_id, change.page_id
    if page_id is None:
        return None
    for page in snapshot.public_parts.get(series_id, ()):
        if page.pk == page_id:
            return {"id": page_id, "url": page.get_full_url(), "status": "published"}
    outline = snapshot.outlines.get(series_id)
    entry = outline.entry_for(page_id) if outline else None
    if entry is not None and entry.is_forthcoming:
        return {"id": page_id, "url": None, "status": "forthcoming"}
    # Draft, unannounced, private, deleted or moved elsewhere: nothing but its id.
    return {"id": page_id, "url": None, "status": "hidden"}


def _paths(series_id: int, change_set: ChangeSet, snapshot: Snapshot) -> list[str]:
    """Paths a frontend may hold for this series: public now, or public until this change."""
    urls = set(
        series_urls(snapshot.public_series.get(series_id), snapshot.public_parts.get(series_id, ()))
    )
    urls.update(change_set.stale_public_urls)
    urls.update(old for old, new in moved_urls(change_set.moves, set(urls)) if new in urls)
    paths = {urlsplit(url).path for url in urls if url}
    paths.update(site_feed_paths())
    return sorted(paths)
