"""wagtail_series.propagation: versions bump in the caller's transaction; batches; failures."""

from __future__ import annotations

import pytest
from django.db import transaction

from wagtail_series.models import SeriesVersion
from wagtail_series.models.versions import ALL_SERIES
from wagtail_series.propagation import series_changed


@pytest.mark.django_db
def test_versions_are_created_then_bumped_with_the_all_series_row():
    series_changed([10, 11], event="test")
    series_changed([10], event="test")
    assert dict(SeriesVersion.objects.values_list("series_id", "version")) == {
        10: 2,
        11: 1,
        ALL_SERIES: 2,
    }


@pytest.mark.django_db
def test_nothing_to_do_for_no_series(django_assert_num_queries):
    with django_assert_num_queries(0):
        series_changed([], event="test")


@pytest.mark.django_db
def test_constant_statements_whatever_the_number_of_series(django_assert_num_queries):
    series_changed([1], event="test")  # part types' content types, cached for the process
    # One for versions (an upsert), one to compute the listing dates (no such series: nothing
    # to write).
    with django_assert_num_queries(2):
        series_changed(range(1, 301), event="test")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_trace():
    series_changed([5], event="test")
    with pytest.raises(RuntimeError), transaction.atomic():
        series_changed([5], event="test")
        raise RuntimeError("the publish failed")
    assert SeriesVersion.objects.get(series_id=5).version == 1


@pytest.mark.django_db
def test_a_batch_gathers_committed_changes_into_one_purge(
    memories, settings, django_capture_on_commit_callbacks
):
    from tests.conftest import publish, reload
    from tests.support import RecordingBackend
    from wagtail_series import propagation

    pages = memories()
    settings.WAGTAILFRONTENDCACHE = {"r": {"BACKEND": "tests.support.RecordingBackend"}}
    RecordingBackend.batches = []
    with propagation.batch(), django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
        publish(pages["cannon"])
        reload(pages["rose"]).unpublish()
    assert len(RecordingBackend.batches) == 1
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["rose"])
        reload(pages["stink"]).unpublish()
    assert len(RecordingBackend.batches) == 3  # outside a batch: one per committed change


@pytest.mark.django_db
def test_a_failing_purge_never_fails_the_change(
    memories, settings, django_capture_on_commit_callbacks, caplog
):
    from tests.conftest import publish, reload

    pages = memories()
    settings.WAGTAILFRONTENDCACHE = {"r": {"BACKEND": "tests.support.NoSuchBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        stink = publish(pages["stink"])
    assert reload(stink).live
    assert "propagating" in caplog.text


@pytest.mark.django_db
def test_the_series_a_page_shows_in(memories, home):
    from wagtail_series import propagation

    pages = memories()
    series = pages["series"]
    assert propagation.series_ids_for_page(series) == {series.pk}
    assert propagation.series_ids_for_page(pages["stink"]) == {series.pk}  # a draft too
    assert propagation.series_ids_for_page(home) == set()
    assert propagation.series_ids_under(home) == {series.pk}
    assert propagation.series_ids_for_path(pages["rose"].path) == {series.pk}


@pytest.mark.django_db
def test_the_task_receives_the_batch_as_a_change_set_in_json(
    memories, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import json

    from tests.conftest import publish, reload
    from wagtail_series import propagation
    from wagtail_series.propagation import tasks
    from wagtail_series.propagation.change import ChangeSet, SeriesChange

    pages = memories()
    settings.WAGTAILFRONTENDCACHE = {"r": {"BACKEND": "tests.support.RecordingBackend"}}
    handed: list = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: handed.append((task, args)))
    with propagation.batch(), django_capture_on_commit_callbacks(execute=True):
        stink = publish(pages["stink"])
        reload(pages["rose"]).unpublish()
    ((task, (description,)),) = handed
    assert task is tasks.propagate_changes
    change_set = ChangeSet.from_json(json.loads(json.dumps(description)))
    series_id = pages["series"].pk
    assert set(change_set.changes) == {
        SeriesChange(series_id, pages["rose"].pk, "unpublished"),
        SeriesChange(series_id, stink.pk, "published"),
    }
    assert change_set.stale_public_urls == ("http://localhost/memories/magnetic-rose/",)
