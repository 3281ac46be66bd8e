"""propagation.tasks: the tasks themselves, called as a backend calls them (JSON in)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import restrict
from wagtail_series.models import WebhookDelivery
from wagtail_series.propagation import tasks
from wagtail_series.propagation.change import ChangeSet, SeriesChange
from wagtail_series.propagation.payloads import webhook_payloads
from wagtail_series.propagation.snapshot import Snapshot
from wagtail_series.propagation.urls import purge_urls

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
GONE = "http://localhost/memories/gone/"
DUMMY_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "later": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}


def description(*changes: SeriesChange, **fields) -> dict:
    """A batch as the task receives it: a ChangeSet through JSON."""
    change_set = ChangeSet(
        changes=changes,
        stale_urls=fields.get("stale_urls", ()),
        stale_public_urls=fields.get("stale_public_urls", ()),
        moves=(),
        timestamp=NOW,
    )
    return json.loads(json.dumps(change_set.to_json()))


def configure_webhooks(settings, *urls: str, **options) -> None:
    settings.WAGTAIL_SERIES = {
        "WEBHOOKS": [{"url": url, "secret": "s"} for url in urls],
        "WEBHOOK_TIMEOUT": 0.3,
        "WEBHOOK_BACKOFF": 0.01,
        "WEBHOOK_MAX_ATTEMPTS": 2,
        **options,
    }


# --- propagate_changes -------------------------------------------------------------------------


def test_propagate_changes_purges_what_urls_says_in_one_batch(memories, purged):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    purged.clear()
    data = description(SeriesChange(series.pk, rose.pk, "published"), stale_urls=(GONE,))
    tasks.propagate_changes.call(data)
    expected = purge_urls(ChangeSet.from_json(data), Snapshot.load({series.pk}))
    assert purged == [expected]
    assert GONE in expected


def test_a_private_series_is_still_purged(memories, purged):
    pages = memories()
    series = pages["series"]
    restrict(series, "password", password="x")
    purged.clear()
    tasks.propagate_changes.call(description(SeriesChange(series.pk, None, "restriction")))
    (batch,) = purged
    assert "http://localhost/memories/magnetic-rose/" in batch


def test_propagate_changes_records_one_delivery_per_payload_and_endpoint(
    memories, settings, receiver
):
    pages = memories()
    series, rose, stink = pages["series"], pages["rose"], pages["stink"]
    configure_webhooks(settings, receiver.url, "http://127.0.0.1:9/unused")
    settings.WAGTAIL_SERIES["TASK_BACKEND"] = "later"
    settings.TASKS = DUMMY_TASKS
    data = description(
        SeriesChange(series.pk, rose.pk, "published"),
        SeriesChange(series.pk, stink.pk, "updated"),
    )
    tasks.propagate_changes.call(data)
    deliveries = WebhookDelivery.objects.order_by("pk")
    assert deliveries.count() == 4
    expected = webhook_payloads(ChangeSet.from_json(data), Snapshot.load({series.pk}))
    assert [d.payload for d in deliveries] == [p for p in expected for _endpoint in range(2)]
    assert {d.status for d in deliveries} == {WebhookDelivery.Status.PENDING}
    # Each delivery is its own task, on the configured backend (not run yet: a dummy backend).
    from django_tasks import task_backends

    enqueued = task_backends["later"].results
    assert [r.args for r in enqueued] == [[d.pk] for d in deliveries]
    assert not receiver.received


def test_propagate_changes_with_nothing_configured_does_nothing(memories):
    pages = memories()
    tasks.propagate_changes.call(description(SeriesChange(pages["series"].pk, None, "site")))
    assert not WebhookDelivery.objects.exists()


def test_propagate_changes_logs_and_never_raises(caplog):
    tasks.propagate_changes.call({"changes": [{"nonsense": 1}]})
    assert "propagating" in caplog.text


def test_propagate_changes_takes_only_json(memories, purged):
    # django-tasks checks a task's arguments round-trip through JSON: the ChangeSet's do.
    pages = memories()
    purged.clear()
    data = description(SeriesChange(pages["series"].pk, None, "moved"))
    result = tasks.enqueue(tasks.propagate_changes, data)
    assert result.status == "SUCCESSFUL"
    assert len(purged) == 1


# --- deliver_webhook ---------------------------------------------------------------------------


def delivery(url: str, **fields) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        endpoint_url=url, event="published", series_id=1, payload={"event": "published"}, **fields
    )


def test_deliver_webhook_sends_and_records_success(settings, receiver):
    configure_webhooks(settings, receiver.url)
    sent = delivery(receiver.url)
    tasks.deliver_webhook.call(sent.pk)
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code) == ("succeeded", 1, 200)
    assert sent.delivered_at is not None
    assert [r.json for r in receiver.received] == [{"event": "published"}]


def test_deliver_webhook_skips_missing_and_succeeded_deliveries(settings, receiver):
    configure_webhooks(settings, receiver.url)
    done = delivery(receiver.url, status=WebhookDelivery.Status.SUCCEEDED)
    tasks.deliver_webhook.call(done.pk)
    tasks.deliver_webhook.call(done.pk + 1000)
    assert not receiver.received


def test_deliver_webhook_fails_for_an_endpoint_no_longer_configured(settings, receiver):
    configure_webhooks(settings, receiver.url)
    orphan = delivery("http://127.0.0.1:9/removed")
    tasks.deliver_webhook.call(orphan.pk)
    orphan.refresh_from_db()
    assert (orphan.status, orphan.last_error) == ("failed", "endpoint no longer configured")


def test_deliver_webhook_leaves_the_retry_to_the_command_on_a_backend_that_cannot_defer(
    settings, receiver
):
    configure_webhooks(settings, receiver.url)
    receiver.script = [503]
    sent = delivery(receiver.url)
    tasks.deliver_webhook.call(sent.pk)
    sent.refresh_from_db()
    # One attempt, no sleep: the retry is scheduled for send_pending_webhooks.
    assert (sent.status, sent.attempts, sent.response_code) == ("pending", 1, 503)
    assert sent.next_attempt_at is not None and sent.claimed_at is None
    assert len(receiver.received) == 1
    # Due: the next run sends it.
    WebhookDelivery.objects.filter(pk=sent.pk).update(next_attempt_at=timezone.now())
    tasks.deliver_webhook.call(sent.pk)
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.next_attempt_at) == ("succeeded", 2, None)


def test_a_retry_that_is_not_due_is_not_sent(settings, receiver):
    configure_webhooks(settings, receiver.url)
    later = delivery(receiver.url, next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    tasks.deliver_webhook.call(later.pk)
    later.refresh_from_db()
    assert (later.status, later.attempts) == ("pending", 0)
    assert not receiver.received


# --- claims: never two senders at once, a dead sender's delivery sent again ---------------------


def test_a_delivery_claimed_by_another_sender_is_not_sent(settings, receiver):
    configure_webhooks(settings, receiver.url)
    claimed_at = timezone.now() - dt.timedelta(seconds=10)
    held = delivery(receiver.url, claimed_at=claimed_at)
    tasks.deliver_webhook.call(held.pk)
    held.refresh_from_db()
    assert (held.status, held.attempts, held.claimed_at) == ("pending", 0, claimed_at)
    assert not receiver.received


def test_a_claim_older_than_the_pending_timeout_is_a_dead_senders(settings, receiver):
    configure_webhooks(settings, receiver.url, WEBHOOK_PENDING_TIMEOUT=60)
    abandoned = delivery(receiver.url, claimed_at=timezone.now() - dt.timedelta(seconds=61))
    tasks.deliver_webhook.call(abandoned.pk)
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.attempts, abandoned.claimed_at) == ("succeeded", 1, None)
    (request,) = receiver.received
    assert request.headers["X-Wagtail-Series-Delivery"] == str(abandoned.uuid)


def test_a_sender_that_outlived_its_claim_does_not_overwrite_the_next_ones_outcome(
    settings, receiver
):
    configure_webhooks(settings, receiver.url)
    sent = delivery(receiver.url)
    claimed = tasks._claim(sent.pk)
    assert claimed is not None and tasks._claim(sent.pk) is None  # held: nobody else gets it
    # The claim went stale and another sender took the delivery over.
    WebhookDelivery.objects.filter(pk=sent.pk).update(claimed_at=timezone.now())
    claimed.attempts = 1
    tasks._record(claimed, WebhookDelivery.Status.FAILED)
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("pending", 0)


def test_send_pending_webhooks_sends_what_a_dead_sender_left_and_nothing_held(settings, receiver):
    configure_webhooks(settings, receiver.url, WEBHOOK_PENDING_TIMEOUT=60)
    now = timezone.now()
    abandoned = delivery(receiver.url, claimed_at=now - dt.timedelta(minutes=5))
    lost = delivery(receiver.url)  # its task never ran
    held = delivery(receiver.url, claimed_at=now - dt.timedelta(seconds=5))
    later = delivery(receiver.url, next_attempt_at=now + dt.timedelta(hours=1))
    done = delivery(receiver.url, status=WebhookDelivery.Status.SUCCEEDED)
    failed = delivery(receiver.url, status=WebhookDelivery.Status.FAILED)
    out = StringIO()
    call_command("send_pending_webhooks", "--dry-run", stdout=out)
    assert "2 pending deliveries would be sent" in out.getvalue()
    out = StringIO()
    call_command("send_pending_webhooks", stdout=out)
    assert "2 pending deliveries sent: 2 succeeded, 0 failed" in out.getvalue()
    sent = {r.headers["X-Wagtail-Series-Delivery"] for r in receiver.received}
    assert sent == {str(abandoned.uuid), str(lost.uuid)}
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses[held.pk] == statuses[later.pk] == "pending"
    assert statuses[done.pk] == "succeeded" and statuses[failed.pk] == "failed"


def test_send_pending_webhooks_queues_on_a_worker_backend(settings, receiver):
    configure_webhooks(settings, receiver.url, TASK_BACKEND="later")
    settings.TASKS = DUMMY_TASKS
    lost = delivery(receiver.url)
    call_command("send_pending_webhooks", stdout=StringIO())
    from django_tasks import task_backends

    (queued,) = task_backends["later"].results
    assert queued.args == [lost.pk]
    assert not receiver.received


def test_deliver_webhook_defers_its_retry_on_a_backend_that_can(settings, receiver):
    configure_webhooks(settings, receiver.url, TASK_BACKEND="later")
    settings.TASKS = DUMMY_TASKS
    receiver.script = [503]
    sent = delivery(receiver.url)
    tasks.deliver_webhook.call(sent.pk)
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code) == ("pending", 1, 503)
    from django_tasks import task_backends

    (retry,) = task_backends["later"].results
    assert retry.args == [sent.pk]
    assert retry.task.run_after is not None
    assert len(receiver.received) == 1


def test_deliver_webhook_gives_up_after_the_last_attempt(settings, receiver):
    configure_webhooks(settings, receiver.url)
    receiver.script = [500, 500, 500]
    sent = delivery(receiver.url)
    for _ in range(3):  # the last run finds it failed and sends nothing
        WebhookDelivery.objects.filter(pk=sent.pk).update(next_attempt_at=timezone.now())
        tasks.deliver_webhook.call(sent.pk)
    sent.refresh_from_db()
    assert len(receiver.received) == 2
    assert (sent.status, sent.attempts, sent.response_code) == ("failed", 2, 500)


# --- enqueue -----------------------------------------------------------------------------------


def test_enqueue_uses_the_configured_backend(settings):
    settings.WAGTAIL_SERIES = {"TASK_BACKEND": "later"}
    settings.TASKS = DUMMY_TASKS
    result = tasks.enqueue(tasks.deliver_webhook, 42)
    assert result.backend == "later"
    assert result.args == [42]
