"""Background work after a change is committed: purge the frontend cache, send webhooks.

Both run as django-tasks tasks on ``WAGTAIL_SERIES["TASK_BACKEND"]`` ("default": django-tasks'
ImmediateBackend unless the site configures ``TASKS``, so small sites need nothing). Nothing
here raises: a failure is logged and, for webhooks, recorded on its ``WebhookDelivery``.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task, task_backends

from . import reader, webhooks
from .compat import get_page_model
from .conf import series_settings
from .models import SeriesPage, WebhookDelivery
from .models.parts import part_content_type_ids

__all__ = ["deliver_webhook", "enqueue", "propagate_changes", "purge_urls", "webhook_payloads"]

logger = logging.getLogger("wagtail_series.tasks")

SITE_FEED_URL_NAMES = (
    "wagtail_series_feeds:rss",
    "wagtail_series_feeds:atom",
    "wagtail_series_feeds:json",
)


def enqueue(task_obj: Any, *args: Any, **kwargs: Any) -> Any:
    """Enqueue on the configured backend (``TASK_BACKEND``)."""
    return task_obj.using(backend=series_settings.TASK_BACKEND).enqueue(*args, **kwargs)


@task()
def propagate_changes(description: dict[str, Any]) -> None:
    """Purge and notify for one batch of committed changes (see ``propagation._describe``)."""
    try:
        _propagate(description)
    except Exception:
        logger.exception("wagtail-series: propagating %s failed", description.get("changes"))


@task()
def deliver_webhook(delivery_id: int) -> None:
    """Send one ``WebhookDelivery``; retry with exponential backoff; record the outcome."""
    try:
        _deliver(delivery_id)
    except Exception:
        logger.exception("wagtail-series: webhook delivery %s failed", delivery_id)


# --- What a batch of changes touches --------------------------------------------------------


class _Affected:
    """The series of a batch, as they are now: pages, public pages, reader outlines."""

    def __init__(self, series_ids: set[int]) -> None:
        self.series = {s.pk: s for s in SeriesPage.objects.filter(pk__in=series_ids)}
        series_list = list(self.series.values())
        self.live_parts = _live_parts(series_list)
        public_ids = set(
            reader.visible_series(SeriesPage.objects.filter(pk__in=series_ids), None).values_list(
                "pk", flat=True
            )
        )
        self.public_series = {pk: s for pk, s in self.series.items() if pk in public_ids}
        # Parts of a series readers can't see are not named, even if live and public: their URL
        # holds the series' slug (unpublishing a series sends them as stale URLs instead).
        self.public_parts = reader.get_public_part_pages(list(self.public_series.values()))
        self.outlines = reader.get_series_outlines(list(self.public_series.values()), None)


def _live_parts(series_list: list[SeriesPage]) -> dict[int, list[Any]]:
    """Every live part page of each series, private or not (any may be in a cache): one query."""
    parts: dict[int, list[Any]] = {s.pk: [] for s in series_list}
    if not series_list:
        return parts
    from django.db.models import Q

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


def _reverse(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def _root_url(page: Any) -> str | None:
    parts = page.get_url_parts()
    return parts[1] if parts else None


def purge_urls(description: dict[str, Any], affected: _Affected) -> set[str]:
    """Every URL that shows a changed series: the series page and its feeds, each live part,
    the site-wide feeds, the REST API's series and part URLs, and URLs the change left stale."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    for series in affected.series.values():
        batch.add_page(series)  # its URL and get_cached_paths(): the feeds
        batch.add_pages(affected.live_parts[series.pk])
        root = _root_url(series)
        if root is None:
            continue
        relative = [_reverse(name) for name in SITE_FEED_URL_NAMES]
        for namespace in series_settings.API_URL_NAMESPACES:
            relative.append(_reverse(f"{namespace}:series:listing"))
            relative.append(_reverse(f"{namespace}:series:detail", series.pk))
            relative += [
                _reverse(f"{namespace}:pages:detail", part.pk)
                for part in affected.live_parts[series.pk]
            ]
        batch.add_urls(root + path for path in relative if path)
    batch.add_urls(description["stale_urls"])
    batch.add_urls(old_url for old_url, _new in _moved_urls(description, batch.urls))
    return batch.urls


def _moved_urls(description: dict[str, Any], urls: set[str]) -> list[tuple[str, str]]:
    """(old URL, new URL) of every page below a moved or renamed page, from the current URLs."""
    pairs = []
    for old_prefix, new_prefix in description["moves"]:
        pairs.append((old_prefix, new_prefix))
        pairs += [
            (old_prefix + url[len(new_prefix) :], url) for url in urls if url.startswith(new_prefix)
        ]
    return pairs


# --- Webhooks --------------------------------------------------------------------------------


def webhook_payloads(description: dict[str, Any], affected: _Affected) -> list[dict[str, Any]]:
    """One payload per changed (series, part), from what anonymous readers see now."""
    payloads = []
    for change in description["changes"]:
        series_id, page_id = change["series_id"], change["page_id"]
        payloads.append(
            {
                "event": change["event"],
                "series": _series_info(series_id, affected),
                "part": None if page_id is None else _part_info(series_id, page_id, affected),
                "paths": _paths(series_id, description, affected),
                "timestamp": description["timestamp"],
            }
        )
    return payloads


def _series_info(series_id: int, affected: _Affected) -> dict[str, Any]:
    series = affected.public_series.get(series_id)
    if series is None:  # deleted, unpublished or private: only its id
        return {"id": series_id, "slug": None, "url": None}
    return {"id": series_id, "slug": series.slug, "url": series.get_full_url()}


def _part_info(series_id: int, page_id: int, affected: _Affected) -> dict[str, Any]:
    for page in affected.public_parts.get(series_id, ()):
        if page.pk == page_id:
            return {"id": page_id, "url": page.get_full_url(), "status": "published"}
    outline = affected.outlines.get(series_id)
    entry = outline.entry_for(page_id) if outline else None
    if entry is not None and entry.is_forthcoming:
        return {"id": page_id, "url": None, "status": "forthcoming"}
    # Draft, unannounced, private, deleted or moved elsewhere: nothing but its id.
    return {"id": page_id, "url": None, "status": "hidden"}


def _paths(series_id: int, description: dict[str, Any], affected: _Affected) -> list[str]:
    """Paths a frontend may hold for this series: public now, or public until this change."""
    urls: set[str] = set()
    series = affected.public_series.get(series_id)
    if series is not None:
        base = series.get_full_url()
        urls.add(base)
        urls.update(base + path for path in SeriesPage.FEED_PATHS.values())
    public_parts = [page.get_full_url() for page in affected.public_parts.get(series_id, ())]
    urls.update(url for url in public_parts if url)
    urls.update(description["stale_public_urls"])
    urls.update(old for old, new in _moved_urls(description, set(urls)) if new in urls)
    paths = {urlsplit(url).path for url in urls if url}
    paths.update(path for path in (_reverse(name) for name in SITE_FEED_URL_NAMES) if path)
    return sorted(paths)


# --- The work ----------------------------------------------------------------------------------


def _propagate(description: dict[str, Any]) -> None:
    from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

    affected = _Affected({change["series_id"] for change in description["changes"]})
    if get_backends():
        PurgeBatch(purge_urls(description, affected)).purge()
    endpoints = webhooks.endpoints()
    if not endpoints:
        return
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint_url=endpoint.url,
            event=payload["event"],
            series_id=payload["series"]["id"],
            payload=payload,
        )
        for payload in webhook_payloads(description, affected)
        for endpoint in endpoints
    )
    for delivery in deliveries:
        enqueue(deliver_webhook, delivery.pk)


def _deliver(delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.SUCCEEDED:
        return
    endpoint = webhooks.endpoint_for(delivery.endpoint_url)
    if endpoint is None:
        _finish(delivery, WebhookDelivery.Status.FAILED, error="endpoint no longer configured")
        return
    body = webhooks.encode(delivery.payload)
    max_attempts = series_settings.WEBHOOK_MAX_ATTEMPTS
    while True:
        outcome = webhooks.post(
            endpoint, body, event=delivery.event, delivery_id=str(delivery.uuid)
        )
        delivery.attempts += 1
        delivery.response_code = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.succeeded:
            _finish(delivery, WebhookDelivery.Status.SUCCEEDED)
            return
        if not outcome.retryable or delivery.attempts >= max_attempts:
            _finish(delivery, WebhookDelivery.Status.FAILED)
            logger.warning(
                "wagtail-series: webhook to %s failed after %d attempt(s): %s",
                delivery.endpoint_url,
                delivery.attempts,
                outcome.error or outcome.status_code,
            )
            return
        delivery.save(update_fields=["attempts", "response_code", "last_error", "updated_at"])
        delay = series_settings.WEBHOOK_BACKOFF * 2 ** (delivery.attempts - 1)
        backend = task_backends[series_settings.TASK_BACKEND]
        if backend.supports_defer:
            # A worker backend: come back later instead of holding the worker.
            deliver_webhook.using(
                backend=series_settings.TASK_BACKEND,
                run_after=timezone.now() + timedelta(seconds=delay),
            ).enqueue(delivery.pk)
            return
        time.sleep(delay)


def _finish(delivery: WebhookDelivery, status: str, error: str | None = None) -> None:
    delivery.status = status
    if error is not None:
        delivery.last_error = error
    if status == WebhookDelivery.Status.SUCCEEDED:
        delivery.delivered_at = timezone.now()
    delivery.save()
