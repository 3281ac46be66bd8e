"""A change whose propagation task was lost (a worker killed mid-task) is propagated again.

The record that a change awaits propagation is its version bump itself, written in the change's
own transaction (``SeriesVersion.propagated_version`` lags ``version``); the task advances the
mark in the transaction that records its deliveries; ``send_pending_webhooks`` hands series
whose mark lags for longer than ``PROPAGATION_TIMEOUT`` to the task again.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends

from tests.conftest import publish
from tests.propagation.test_tasks import DUMMY_TASKS, configure_webhooks
from wagtail_series import propagation
from wagtail_series.models import SeriesVersion, WebhookDelivery
from wagtail_series.propagation import tasks

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(seconds=301)


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Runs on-commit work as a committed transaction would (the test's own never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def marks(series_id: int) -> tuple[int, int]:
    row = SeriesVersion.objects.get(series_id=series_id)
    return row.version, row.propagated_version


def lose_the_queue(settings) -> None:
    """Queue on a backend that never runs anything: as a worker killed before its work."""
    settings.TASKS = DUMMY_TASKS
    # A new dict, so the settings' cache hears of it (setting_changed).
    settings.WAGTAIL_SERIES = {**settings.WAGTAIL_SERIES, "TASK_BACKEND": "later"}


def run_on_the_worker(settings) -> None:
    settings.WAGTAIL_SERIES = {**settings.WAGTAIL_SERIES, "TASK_BACKEND": "default"}


def test_a_propagated_change_is_marked_done(committing, memories, settings, receiver):
    configure_webhooks(settings, receiver.url)
    pages = memories()
    series = pages["series"]
    with propagation.batch(), committing():
        publish(pages["stink"])
    version, propagated = marks(series.pk)
    assert version == propagated
    assert receiver.received


def test_a_change_with_nothing_to_tell_is_never_pending(memories, settings):
    # No CDN, no webhooks: nothing is handed to a task, so nothing can be lost.
    pages = memories()
    publish(pages["stink"])
    version, propagated = marks(pages["series"].pk)
    assert version == propagated
    assert tasks.recover(timezone.now() + LATER) == []


def test_a_lost_task_is_found_and_its_change_propagated_once(
    committing, memories, settings, receiver
):
    configure_webhooks(settings, receiver.url)
    pages = memories()
    series = pages["series"]
    lose_the_queue(settings)
    with propagation.batch(), committing():
        publish(pages["stink"])
    version, propagated = marks(series.pk)
    assert propagated < version
    assert [r.args for r in task_backends["later"].results]  # queued, never run
    assert not receiver.received

    # Not yet: a change younger than PROPAGATION_TIMEOUT may still be in the queue.
    run_on_the_worker(settings)
    assert tasks.recover(timezone.now()) == []
    assert not receiver.received

    # Later, cron's send_pending_webhooks: queued again, run (the immediate backend), sent.
    assert tasks.recover(timezone.now() + LATER) == [series.pk]
    (request,) = receiver.received
    assert request.json["event"] == "updated"
    assert request.json["series"]["id"] == series.pk
    assert "/memories/stink-bomb/" in request.json["paths"]
    assert marks(series.pk)[1] == marks(series.pk)[0]
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED
    # Done: nothing to recover any more.
    assert tasks.recover(timezone.now() + 2 * LATER) == []
    assert len(receiver.received) == 1


def test_a_recovery_is_claimed_once(committing, memories, settings, receiver):
    configure_webhooks(settings, receiver.url)
    pages = memories()
    lose_the_queue(settings)
    with propagation.batch(), committing():
        publish(pages["stink"])
    later = timezone.now() + LATER
    # Two cron runs at once (the second sees the first's claim), the task lost again.
    assert tasks.recover(later) == [pages["series"].pk]
    assert tasks.recover(later) == []
    # A recovery that is itself lost is taken up again once its claim is old.
    assert tasks.recover(later + LATER) == [pages["series"].pk]


def test_a_task_that_fails_before_recording_is_recovered(
    committing, memories, settings, receiver, monkeypatch
):
    configure_webhooks(settings, receiver.url)
    pages = memories()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "webhook_payloads", broken)
    with propagation.batch(), committing():
        publish(pages["stink"])
    assert not WebhookDelivery.objects.exists()
    version, propagated = marks(pages["series"].pk)
    assert propagated < version  # the work was not recorded: the mark did not move

    monkeypatch.undo()
    assert tasks.recover(timezone.now() + LATER) == [pages["series"].pk]
    assert [r.json["event"] for r in receiver.received] == ["updated"]


def test_a_newer_change_stays_pending_when_an_older_task_finishes(
    committing, memories, settings, receiver
):
    configure_webhooks(settings, receiver.url)
    pages = memories()
    series = pages["series"]
    lose_the_queue(settings)
    with propagation.batch(), committing():
        publish(pages["stink"])
    # (The followers app queues its own task for the part's first publish: not this one.)
    (lost,) = [r for r in task_backends["later"].results if r.task.name == "propagate_changes"]
    seen = marks(series.pk)[0]
    with propagation.batch(), committing():
        publish(pages["cannon"])
    # The first task runs only now; it saw the series after both changes, so both are done.
    run_on_the_worker(settings)
    tasks.propagate_changes.call(*lost.args)
    version, propagated = marks(series.pk)
    assert propagated == version > seen


def test_send_pending_webhooks_recovers_lost_propagation(committing, memories, settings, receiver):
    configure_webhooks(settings, receiver.url, PROPAGATION_TIMEOUT=0.001)
    pages = memories()
    lose_the_queue(settings)
    with propagation.batch(), committing():
        publish(pages["stink"])
    run_on_the_worker(settings)
    out = StringIO()
    call_command("send_pending_webhooks", stdout=out)
    assert f"1 series with a lost propagation queued again: {pages['series'].pk}" in out.getvalue()
    assert [r.json["event"] for r in receiver.received] == ["updated"]


def test_migrated_versions_start_propagated(memories, settings):
    # The data migration's rule, on rows written before it: nothing pending.
    pages = memories()
    SeriesVersion.objects.filter(series_id=pages["series"].pk).update(propagated_version=0)
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("wagtail_series.migrations.0006_series_version_propagated")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.mark_existing_versions_propagated(apps, editor)
    version, propagated = marks(pages["series"].pk)
    assert version == propagated
