"""Background work after a change is committed: purge the frontend cache, send webhooks.

Both run as django-tasks tasks on ``WAGTAIL_SERIES["TASK_BACKEND"]`` ("default": django-tasks'
ImmediateBackend unless the site configures ``TASKS``, so small sites need nothing; production
runs them on a worker, django-tasks-db's ``db_worker``: see docs/caching-and-webhooks.md).
Nothing here raises: a failure is logged and, for webhooks, recorded on its ``WebhookDelivery``.

Nothing here ever sleeps. Each run of ``deliver_webhook`` makes one attempt: a retry is
scheduled on the delivery (``next_attempt_at``) and, on a backend that can run tasks later
(``supports_defer``, a worker), enqueued for then; on one that cannot (the immediate backend,
which runs in the web process), it is left to ``send_pending_webhooks``. So a hanging or failing
endpoint costs a web process at most one attempt of ``WEBHOOK_TIMEOUT`` per endpoint and batch.

Delivery is at least once, never twice at the same time: a sender claims the delivery before
each attempt with a conditional UPDATE (``status = 'pending'`` and not claimed, or claimed
longer than ``WEBHOOK_PENDING_TIMEOUT`` ago), after ``SELECT ... FOR UPDATE SKIP LOCKED`` where
the database has it (PostgreSQL), so a second sender skips it instead of waiting. A sender that
dies mid-attempt leaves its claim behind; once it is older than the timeout the delivery is
claimable again and ``send_pending_webhooks`` sends it. Receivers drop duplicates by the delivery
id (``X-Wagtail-Series-Delivery``), the same on every attempt.

What the work is lives in ``propagation``: the batch (``change.ChangeSet``, received as JSON),
the changed series as readers see them now (``snapshot``), the URLs to purge (``urls``) and the
webhook bodies (``payloads``); how a backend purges them (by tag or by URL) in
``frontend_cache.purge``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task, task_backends
from wagtail.contrib.frontend_cache.utils import get_backends

from .. import versions, webhooks
from ..conf import series_settings
from ..frontend_cache.purge import purge_series
from ..models import WebhookDelivery
from .change import Change, ChangeSet
from .payloads import webhook_payloads
from .snapshot import Snapshot
from .urls import purge_plan

__all__ = [
    "claimable",
    "deliver_webhook",
    "due",
    "enqueue",
    "propagate_changes",
    "recover",
]

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
    """Make one attempt at one pending ``WebhookDelivery`` (if no other sender holds it), record
    the outcome and schedule the retry, if any (see the module's docstring). Never sleeps."""
    try:
        _deliver(delivery_id)
    except Exception:
        logger.exception("wagtail-series: webhook delivery %s failed", delivery_id)


# --- The work ----------------------------------------------------------------------------------


def _propagate(description: dict[str, Any]) -> None:
    change_set = ChangeSet.from_json(description)
    # The versions before the work: what the snapshot below shows at least.
    seen = versions.current(change_set.series_ids)
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
    # The deliveries and the mark that this work is done, together: a task killed before this
    # is found by `recover` and run again, one killed after it leaves pending deliveries.
    with transaction.atomic(using=router.db_for_write(WebhookDelivery)):
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint_url=endpoint.url,
                event=payload["event"],
                series_id=payload["series"]["id"],
                payload=payload,
            )
            for payload in (webhook_payloads(change_set, snapshot) if endpoints else ())
            for endpoint in endpoints
        )
        versions.mark_propagated(seen)
    if not deliveries:
        return
    if _can_defer():
        for delivery in deliveries:
            enqueue(deliver_webhook, delivery.pk)
        return
    # Inline (the immediate backend: a web process, after its response): one attempt each, and
    # none to an endpoint that did not answer at all in this batch, left pending for
    # send_pending_webhooks. A hanging endpoint costs one WEBHOOK_TIMEOUT per batch.
    unanswered: set[str] = set()
    for delivery in deliveries:
        if delivery.endpoint_url in unanswered:
            continue
        try:
            outcome = _deliver(delivery.pk)
        except Exception:
            logger.exception("wagtail-series: webhook delivery %s failed", delivery.pk)
            continue
        if outcome is not None and outcome.status_code is None:
            unanswered.add(delivery.endpoint_url)


def recover(now: datetime | None = None) -> list[int]:
    """Hand the changes whose task was lost (committed more than ``PROPAGATION_TIMEOUT`` ago
    and never propagated: a worker killed mid-task) to ``propagate_changes`` again, as an
    "updated" event for each series. Returns their ids. Run by ``send_pending_webhooks``.

    What the lost batch knew beyond its series (the part, the URLs a move left behind) is
    gone; the purge by series and the webhook's paths cover what readers see now.
    """
    now = now or timezone.now()
    timeout = timedelta(seconds=series_settings.PROPAGATION_TIMEOUT)
    lost = versions.claim_unpropagated(now - timeout, now)
    if lost:
        change_set = ChangeSet.gather(
            [Change(series_ids=frozenset(lost), event="updated", page_id=None)], timestamp=now
        )
        enqueue(propagate_changes, change_set.to_json())
    return lost


def claimable(now: datetime | None = None) -> Q:
    """Pending deliveries that no live sender holds: never claimed, or claimed longer than
    ``WEBHOOK_PENDING_TIMEOUT`` ago (by a sender that died)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=series_settings.WEBHOOK_PENDING_TIMEOUT)
    return Q(status=WebhookDelivery.Status.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def due(now: datetime | None = None) -> Q:
    """Deliveries whose next attempt is due."""
    now = now or timezone.now()
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """Claim the delivery for one attempt, or None if it is not pending and due, or another
    sender holds it. Committed before the attempt (when not inside an outer transaction)."""
    now = timezone.now()
    rows = WebhookDelivery.objects.filter(claimable(now), due(now), pk=delivery_id)
    database = router.db_for_write(WebhookDelivery)
    with transaction.atomic(using=database):
        # PostgreSQL: a row another sender is claiming right now is skipped, not waited for.
        skip_locked = connections[database].features.has_select_for_update_skip_locked
        if skip_locked and not _locked(rows.select_for_update(skip_locked=True)):
            return None
        # The claim itself, on every database: only one UPDATE can match the pending row.
        if not rows.update(claimed_at=now, updated_at=now):
            return None
    return WebhookDelivery.objects.filter(pk=delivery_id, claimed_at=now).first()


def _locked(rows: QuerySet[WebhookDelivery]) -> bool:
    return rows.values_list("pk", flat=True).first() is not None


def _can_defer() -> bool:
    return bool(task_backends[series_settings.TASK_BACKEND].supports_defer)


def _deliver(delivery_id: int) -> webhooks.Outcome | None:
    """One attempt; the outcome, or None if nothing was sent."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    endpoint = webhooks.endpoint_for(delivery.endpoint_url)
    if endpoint is None:
        _record(delivery, WebhookDelivery.Status.FAILED, error="endpoint no longer configured")
        return None
    outcome = webhooks.post(
        endpoint,
        webhooks.encode(delivery.payload),
        event=delivery.event,
        delivery_id=str(delivery.uuid),
    )
    delivery.attempts += 1
    delivery.response_code = outcome.status_code
    delivery.last_error = outcome.error
    if outcome.succeeded:
        _record(delivery, WebhookDelivery.Status.SUCCEEDED)
        return outcome
    if not outcome.retryable or delivery.attempts >= series_settings.WEBHOOK_MAX_ATTEMPTS:
        _record(delivery, WebhookDelivery.Status.FAILED)
        logger.warning(
            "wagtail-series: webhook to %s failed after %d attempt(s): %s",
            delivery.endpoint_url,
            delivery.attempts,
            outcome.error or outcome.status_code,
        )
        return outcome
    delay = series_settings.WEBHOOK_BACKOFF * 2 ** (delivery.attempts - 1)
    retry_at = timezone.now() + timedelta(seconds=delay)
    _record(delivery, WebhookDelivery.Status.PENDING, next_attempt_at=retry_at)
    if _can_defer():
        # A worker backend: the worker comes back then.
        deliver_webhook.using(backend=series_settings.TASK_BACKEND, run_after=retry_at).enqueue(
            delivery.pk
        )
    else:
        logger.info(
            "wagtail-series: webhook to %s failed (%s); send_pending_webhooks retries it",
            delivery.endpoint_url,
            outcome.error or outcome.status_code,
        )
    return outcome


def _record(
    delivery: WebhookDelivery,
    status: str,
    *,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
) -> None:
    """Record the attempt and release the claim, if the claim is still ours (a sender that
    outlived its claim does not overwrite what the next one recorded)."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": status,
        "attempts": delivery.attempts,
        "response_code": delivery.response_code,
        "last_error": delivery.last_error if error is None else error,
        "claimed_at": None,
        "next_attempt_at": next_attempt_at,
        "updated_at": now,
    }
    if status == WebhookDelivery.Status.SUCCEEDED:
        fields["delivered_at"] = now
    WebhookDelivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(**fields)
