"""The listings' stored order (``SeriesPage.latest_public_part_published_at``) stays right.

Each test changes something the way Wagtail does it (publish, unpublish, move, delete, view
restrictions, scheduled publishing) and checks the stored value against the rule read plainly
from the page tree (``rule``), not against the code that stores it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction, Revision

from tests.conftest import Page, add_part, make_series, publish, reload, restrict
from tests.reader.conftest import let_go_live_time_pass, schedule
from wagtail_series import propagation, reader
from wagtail_series.models import SeriesPage, SeriesPartMixin
from wagtail_series.propagation.listing import store_latest_part_dates

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "wagtail_series.migrations.0005_latest_public_part_published_at"
)


def stored(series: Page) -> dt.datetime | None:
    return SeriesPage.objects.values_list("latest_public_part_published_at", flat=True).get(
        pk=series.pk
    )


def rule(series: Page) -> dt.datetime | None:
    """The newest first publication among the live parts with no view restriction of their own,
    read one page at a time from the tree."""
    dates = [
        page.first_published_at
        for page in Page.objects.child_of(Page.objects.get(pk=series.pk)).live().specific()
        if isinstance(page, SeriesPartMixin)
        and not PageViewRestriction.objects.filter(page=page).exists()
    ]
    return max(dates, default=None)


def dated_part(series: Page, title: str, days_ago: int, *, state: str = "published") -> Page:
    """A part published ``days_ago`` (as a real revision publish, then dated: a row write)."""
    part = add_part(series, title, state=state)
    when = timezone.now() - dt.timedelta(days=days_ago)
    Page.objects.filter(pk=part.pk).update(first_published_at=when)
    propagation.series_changed([series.pk], event="saved")  # a row write says so
    return reload(part)


@pytest.fixture
def dated(home):
    series = make_series(home, "Dated")
    old = dated_part(series, "Old", 10)
    new = dated_part(series, "New", 2)
    assert stored(series) == rule(series) == reload(new).first_published_at
    return {"series": series, "old": old, "new": new}


def test_a_publish_stores_the_new_part_date(dated):
    series = dated["series"]
    part = add_part(series, "Newest", state="draft")
    assert stored(series) == reload(dated["new"]).first_published_at  # a draft changes nothing
    publish(part)
    assert stored(series) == rule(series) == reload(part).first_published_at


def test_a_series_with_no_public_part_stores_none(home):
    series = make_series(home, "Empty")
    add_part(series, "Draft", state="draft")
    assert stored(series) is None


def test_an_unpublish_falls_back_to_the_previous_part(dated):
    series = dated["series"]
    reload(dated["new"]).unpublish()
    assert stored(series) == rule(series) == reload(dated["old"]).first_published_at
    reload(dated["old"]).unpublish()
    assert stored(series) is None


def test_a_move_updates_both_series(dated, home):
    series, new = dated["series"], dated["new"]
    other = make_series(home, "Other")
    assert stored(other) is None
    reload(new).move(reload(other), pos="last-child")
    assert stored(other) == rule(other) == reload(new).first_published_at
    assert stored(series) == rule(series) == reload(dated["old"]).first_published_at
    # Reordering within the series changes nothing.
    reload(dated["old"]).move(reload(series), pos="last-child")
    assert stored(series) == rule(series)


def test_moving_a_part_out_of_any_series(dated, home):
    series = dated["series"]
    reload(dated["new"]).move(reload(home), pos="last-child")
    assert stored(series) == rule(series) == reload(dated["old"]).first_published_at


def test_a_delete_falls_back(dated):
    series = dated["series"]
    reload(dated["new"]).delete()
    assert stored(series) == rule(series) == reload(dated["old"]).first_published_at


def test_a_restriction_on_a_part_hides_its_date_and_lifting_it_shows_it(dated):
    series, new = dated["series"], dated["new"]
    restriction = restrict(new, PageViewRestriction.LOGIN)
    assert stored(series) == rule(series) == reload(dated["old"]).first_published_at
    restriction.delete()
    assert stored(series) == rule(series) == reload(new).first_published_at


def test_a_restriction_on_the_series_keeps_the_date(dated):
    # Only a part's own restriction hides its date: a restricted series is listed only to
    # readers who may see its parts, in the same order as before.
    series = dated["series"]
    restrict(series, PageViewRestriction.LOGIN)
    assert stored(series) == rule(series) == reload(dated["new"]).first_published_at


def test_a_scheduled_publish(dated):
    series = dated["series"]
    part = add_part(series, "Scheduled", state="draft")
    revision = schedule(part, timezone.now() + dt.timedelta(hours=1))
    assert not reload(part).live
    assert stored(series) == reload(dated["new"]).first_published_at  # not live yet
    let_go_live_time_pass(revision)
    call_command("publish_scheduled", stdout=StringIO())
    assert reload(part).live
    assert stored(series) == rule(series) == reload(part).first_published_at


def test_publishing_an_old_revision_of_the_series_keeps_its_date(home):
    series = make_series(home, "Revisions")
    revision = reload(series).save_revision()  # saved before any part
    part = add_part(series, "Part")
    Revision.objects.get(pk=revision.pk).publish()  # as the editor's "publish this revision"
    assert stored(series) == rule(series) == reload(part).first_published_at
    # And the revision's content never carries the value back.
    page = reload(series)
    assert page.with_content_json(revision.content).latest_public_part_published_at == (
        reload(part).first_published_at
    )


def test_a_copy_gets_its_own_date(dated, home):
    series = reload(dated["series"])
    copy = series.copy(to=home, update_attrs={"slug": "dated-copy", "title": "Copy"})
    assert stored(copy) is None  # no parts copied
    copy_with_parts = series.copy(
        recursive=True, to=home, update_attrs={"slug": "dated-copy-2", "title": "Copy 2"}
    )
    assert stored(copy_with_parts) == rule(copy_with_parts)


def test_a_rolled_back_change_leaves_the_stored_date(home):
    # (A savepoint inside the test's transaction: rolled back like the change's own.)
    series = make_series(home, "Rolled back")
    part = add_part(series, "Draft", state="draft")
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(part)
        assert stored(series) is not None  # seen inside the transaction
        raise RuntimeError("the publish failed")
    assert stored(series) is None


@pytest.mark.parametrize("count", [3, 30])
def test_storing_takes_two_queries_whatever_the_number_of_series(
    home, count, django_assert_num_queries
):
    many = [make_series(home, f"Many {number}") for number in range(count)]
    for series in many:
        add_part(series, "Part", state="live")
    SeriesPage.objects.update(latest_public_part_published_at=None)
    with django_assert_num_queries(2):  # compute, write
        store_latest_part_dates([series.pk for series in many])
    assert all(stored(series) == rule(series) is not None for series in many)


def test_the_site_event_leaves_the_dates_alone(dated, django_assert_num_queries):
    # A site's hostnames and root change no part's date: only versions bump (one upsert).
    with django_assert_num_queries(1):
        propagation.series_changed([dated["series"].pk], event="site")


def test_the_data_migration_fills_every_series(dated, home):
    empty = make_series(home, "Empty")
    private = make_series(home, "Private part")
    restrict(dated_part(private, "Private", 1), PageViewRestriction.LOGIN)
    public = dated_part(private, "Public", 5)
    unlisted = make_series(home, "Not live", live=False)
    SeriesPage.objects.update(latest_public_part_published_at=None)

    migration.fill_latest_public_part_published_at(apps, connection.schema_editor())

    assert stored(dated["series"]) == reload(dated["new"]).first_published_at
    assert stored(private) == reload(public).first_published_at
    assert stored(empty) is None and stored(unlisted) is None
    for series in SeriesPage.objects.all():
        assert (
            stored(series)
            == rule(series)
            == reader.latest_public_part_dates([series.pk])[series.pk]
        )


def test_the_data_migration_works_in_batches(home, monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)
    many = [make_series(home, f"Batch {number}") for number in range(5)]
    for series in many:
        add_part(series, "Part", state="live")
    SeriesPage.objects.update(latest_public_part_published_at=None)
    migration.fill_latest_public_part_published_at(apps, connection.schema_editor())
    assert all(stored(series) == rule(series) is not None for series in many)


# --- What a change costs: nothing, one UPDATE of one part, or the rule -----------------------


def listing_statements(queries) -> list[str]:
    """The statements that compute (``_latest``) or write the stored date."""
    marks = ('"_latest"', 'SET "latest_public_part_published_at"')
    return [q["sql"] for q in queries if any(mark in q["sql"] for mark in marks)]


def test_a_republished_older_part_leaves_the_newer_date(dated):
    series, old = dated["series"], dated["old"]
    reload(old).unpublish()
    publish(old)  # its first publication stays 10 days ago
    assert stored(series) == rule(series) == reload(dated["new"]).first_published_at


def test_a_restricted_part_published_leaves_the_date(dated):
    series = dated["series"]
    part = add_part(series, "Private", state="draft")
    restrict(part, PageViewRestriction.LOGIN)
    publish(part)
    assert stored(series) == rule(series) == reload(dated["new"]).first_published_at


def test_a_publish_into_a_series_with_no_date_stores_it(home):
    series = make_series(home, "Empty")
    part = add_part(series, "First", state="draft")
    assert stored(series) is None
    publish(part)
    assert stored(series) == rule(series) == reload(part).first_published_at


@pytest.mark.parametrize("count", [3, 300])
def test_drafts_cost_nothing_and_a_publish_one_update_reading_one_part(home, count):
    from django.test.utils import CaptureQueriesContext

    series = make_series(home, "Long")
    for number in range(count - 1):
        add_part(series, f"Part {number}", state="live")
    propagation.series_changed([series.pk], event="saved")  # rows written without signals
    part = add_part(series, "Finale", state="draft")
    with CaptureQueriesContext(connection) as drafts:
        part = reload(part)
        part.forthcoming_teaser = "Soon."
        part.save_revision()
    assert listing_statements(drafts.captured_queries) == []
    with CaptureQueriesContext(connection) as publishing:
        publish(part)
    (update,) = listing_statements(publishing.captured_queries)
    assert update.startswith("UPDATE") and "ORDER BY" not in update  # no part but this one
    assert stored(series) == rule(series) == reload(part).first_published_at
