"""The frontend cache: exactly which URLs are purged for each event, in one batch per event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import Page, add_part, make_series, publish, reload, restrict
from wagtail_series import propagation

pytestmark = pytest.mark.django_db

ROOT = "http://localhost"
SITE_FEEDS = {f"{ROOT}/series/feed/", f"{ROOT}/series/feed/atom/", f"{ROOT}/series/feed/json/"}


def series_urls(series) -> set[str]:
    """The series page, its feeds, the site-wide feeds, the REST listing and its detail, and the
    URLs of its parts that are not live (they show announcements, FORTHCOMING_PART_PAGE)."""
    base = f"{ROOT}/{series.slug}/"
    announcements = {
        f"{ROOT}{page.url}" for page in reload(series).get_children().filter(live=False)
    }
    return {
        *announcements,
        base,
        base + "feed/",
        base + "feed/atom/",
        base + "feed/json/",
        *SITE_FEEDS,
        f"{ROOT}/api/v2/series/",
        f"{ROOT}/api/v2/series/{series.pk}/",
    }


def part_urls(*parts) -> set[str]:
    """A live part's page and its REST URL in the stock pages endpoint."""
    urls = set()
    for part in parts:
        part = reload(part)
        urls |= {f"{ROOT}{part.url}", f"{ROOT}/api/v2/pages/{part.pk}/"}
    return urls


def go_live_now(page) -> None:
    """Move a scheduled page's go-live time into the past, as time passing would."""
    revision = reload(page).get_latest_revision()
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])


@pytest.fixture
def demo(memories, purged):
    pages = memories()
    purged.clear()
    return pages


def test_publishing_a_part_purges_every_page_showing_the_series(
    demo, purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stink = publish(demo["stink"])
    assert purged == [series_urls(demo["series"]) | part_urls(demo["rose"], stink)]


def test_unpublishing_purges_the_part_too(demo, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reload(demo["rose"]).unpublish()
    # No live part is left; the unpublished part's own URL still goes.
    assert purged == [series_urls(demo["series"]) | {f"{ROOT}/memories/magnetic-rose/"}]


def test_deleting_a_live_part(demo, purged, django_capture_on_commit_callbacks):
    # Wagtail unpublishes a live page before deleting it: two events, one batch in a request.
    with propagation.batch(), django_capture_on_commit_callbacks(execute=True):
        reload(demo["rose"]).delete()
    assert purged == [series_urls(demo["series"]) | {f"{ROOT}/memories/magnetic-rose/"}]


def test_reordering_parts(demo, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reload(demo["cannon"]).move(reload(demo["rose"]), pos="left")
    assert purged == [series_urls(demo["series"]) | part_urls(demo["rose"])]


def test_moving_a_part_to_another_series_purges_both_and_its_old_url(
    demo, purged, home, django_capture_on_commit_callbacks
):
    other = make_series(home, "Robot Carnival")
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reload(demo["rose"]).move(reload(other), pos="last-child")
    assert purged == [
        series_urls(demo["series"])
        | series_urls(other)
        | part_urls(demo["rose"])  # now /robot-carnival/magnetic-rose/
        | {f"{ROOT}/memories/magnetic-rose/"}
    ]


def test_renaming_a_series_purges_its_old_urls(demo, purged, django_capture_on_commit_callbacks):
    series = reload(demo["series"])
    series.slug = "memories-1995"
    with propagation.batch(), django_capture_on_commit_callbacks(execute=True):
        series.save_revision().publish()
    (batch,) = purged
    assert f"{ROOT}/memories-1995/magnetic-rose/" in batch
    assert {f"{ROOT}/memories/", f"{ROOT}/memories/magnetic-rose/"} <= batch


def test_an_announcement_edit_purges(demo, purged, django_capture_on_commit_callbacks):
    stink = reload(demo["stink"])
    stink.forthcoming_teaser = "New teaser."
    with django_capture_on_commit_callbacks(execute=True):
        stink.save()  # as the editor's "Save draft" does for a page that is not live
    assert purged == [series_urls(demo["series"]) | part_urls(demo["rose"])]


def test_a_revision_of_a_live_part_purges_nothing(demo, purged, django_capture_on_commit_callbacks):
    rose = reload(demo["rose"])
    rose.title = "Draft title"
    with django_capture_on_commit_callbacks(execute=True):
        rose.save_revision()
    assert purged == []


def test_restricting_a_part(demo, purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        restrict(demo["rose"], PageViewRestriction.LOGIN)
    # Still live, so still purged (a cache may hold it), with the series that lists it.
    assert purged == [series_urls(demo["series"]) | part_urls(demo["rose"])]


def test_a_change_outside_any_series_purges_nothing_of_ours(
    home, purged, django_capture_on_commit_callbacks
):
    lone = Page(title="About", slug="about")
    home.add_child(instance=lone)
    with django_capture_on_commit_callbacks(execute=True):
        lone.save_revision().publish()
    assert purged == []


def test_nothing_is_purged_for_a_rolled_back_change(
    demo, purged, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish(demo["stink"])
        raise RuntimeError("the publish failed")
    assert purged == []


def test_scheduled_publishing_purges_once_when_the_part_goes_live(
    demo, purged, client, django_capture_on_commit_callbacks
):
    stink = reload(demo["stink"])
    stink.go_live_at = timezone.now() + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        stink.save_revision().publish()
    # Scheduling changes the announcement (its expected date): the pages showing it are purged.
    assert purged == [series_urls(demo["series"]) | part_urls(demo["rose"])]
    purged.clear()

    go_live_now(stink)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert reload(stink).live
    assert purged == [series_urls(demo["series"]) | part_urls(demo["rose"], stink)]


def test_api_namespaces_setting(demo, purged, settings, django_capture_on_commit_callbacks):
    settings.WAGTAIL_SERIES = {"API_URL_NAMESPACES": ["nowhere"]}
    with django_capture_on_commit_callbacks(execute=True):
        publish(demo["stink"])
    (batch,) = purged
    assert not any("/api/" in url for url in batch)


def test_nothing_to_do_without_a_frontend_cache_or_webhooks(
    demo, settings, django_capture_on_commit_callbacks
):
    del settings.WAGTAILFRONTENDCACHE
    # (The API's validator cache is dropped on commit whatever else listens; see test_caching.)
    settings.WAGTAIL_SERIES = {"API_VALIDATOR_CACHE": None}
    assert not propagation.propagation_enabled()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(demo["stink"])
    # Only the followers app's (tests/contrib/followers), which tells followers of a first publish.
    followers = "wagtail_series.contrib.followers."
    assert [c for c in callbacks if not c.__module__.startswith(followers)] == []


def test_every_series_on_a_site_change(demo, purged, home, django_capture_on_commit_callbacks):
    from wagtail.models import Site

    other = make_series(home, "Robot Carnival")
    add_part(other, "Opening")
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.filter(is_default_site=True).first().save()
    (batch,) = purged
    assert series_urls(demo["series"]) | series_urls(other) <= batch
