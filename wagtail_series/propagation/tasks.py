"""Background work after a change is committed: purge the frontend cache, send webhooks.

Both run as django-tasks tasks on ``WAGTAIL_SERIES["TASK_BACKEND"]`` ("default": django-tasks'
ImmediateBackend unless the site configures ``TASKS``, so small sites need nothing). Nothing
here raises: a failure is logged and, for webhooks, recorded on its ``WebhookDelivery``.

What the work is lives in ``propagation``: the batch (``change.ChangeSet``, received as JSON),
the changed series as readers see them now (``snapshot``), the URLs to purge (``urls``) and the
webhook bodies (``payloads``); how a backend purges them (by tag or by URL) in
``frontend_cache.purge``.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task, task_backends
from wagtail.contrib.frontend_cache.utils import get_backends

from .. import webhooks
from ..conf import series_settings
from ..frontend_cache.purge import purge_series
from ..models import WebhookDelivery
from .change import ChangeSet
from .payloads import webhook_payloads
from .snapshot import Snapshot
from .urls import purge_plan

__all__ = ["deliver_webhook", "enqueue", "propagate_changes"]

logger = logging.getLogger("wagtail_series.propagation.tasks")


def enqueue(task_obj: Any, *args: Any, **kwargs: Any) -> Any:
    """Enqueue on the configured backend (``TASK_BACKEND``)."""
    return task_obj.using(backend=series_settings.TASK_BACKEND).enqueue(*args, **kwargs)


@task()
def propagate_changes(description: dict[str, Any]) -> None:
    """Purge and notify for one batch of committed changes: ``description`` is a
    ``propagation.change.ChangeSet`` as JSON (``ChangeSet.to_json``)."""
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


# --- The work ----------------------------------------------------------------------------------


def _propagate(description: dict[str, Any]) -> None:
    change_set = ChangeSet.from_json(description)
    snapshot = Snapshot.load(change_set.series_ids)
    if get_backends():
        # By tag where a backend can (one request for the batch, plus the stale URLs), one
        # Wagtail PurgeBatch of every URL elsewhere (see frontend_cache.purge).
        plan = purge_plan(change_set, snapshot)
        purge_series(
            change_set.series_ids,
            plan.urls,
            stale_urls=plan.stale_urls,
            series_page_urls=plan.series_page_urls,
        )
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
        for payload in webhook_payloads(change_set, snapshot)
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
