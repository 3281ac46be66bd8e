"""propagation.urls: one function says which URLs show a series; three uses build on it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from tests.conftest import make_series, reload, restrict
from wagtail_series import propagation
from wagtail_series.propagation.change import ChangeSet, Move, SeriesChange
from wagtail_series.propagation.payloads import webhook_payloads
from wagtail_series.propagation.snapshot import Snapshot
from wagtail_series.propagation.urls import (
    moved_urls,
    page_url,
    purge_urls,
    series_urls,
    site_feed_paths,
)

pytestmark = pytest.mark.django_db

ROOT = "http://localhost"
NOW = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
SERIES = [
    f"{ROOT}/memories/",
    *(f"{ROOT}/memories/{p}" for p in ("feed/", "feed/atom/", "feed/json/")),
]
ROSE = f"{ROOT}/memories/magnetic-rose/"


def change_set(series, page=None, event="published", **fields) -> ChangeSet:
    return ChangeSet(
        changes=(SeriesChange(series.pk, page.pk if page else None, event),),
        stale_urls=fields.get("stale_urls", ()),
        stale_public_urls=fields.get("stale_public_urls", ()),
        moves=fields.get("moves", ()),
        timestamp=NOW,
    )


# --- The one function ------------------------------------------------------------------------


def test_the_urls_that_show_a_series_are_its_page_its_feeds_and_its_parts(memories):
    pages = memories()
    assert series_urls(pages["series"], [pages["rose"]]) == [*SERIES, ROSE]
    assert series_urls(pages["series"]) == SERIES


def test_a_series_readers_cant_see_contributes_only_the_parts_given(memories):
    pages = memories()
    assert series_urls(None, [pages["rose"]]) == [ROSE]
    assert series_urls(None) == []


def test_with_cached_paths_they_are_what_wagtails_frontend_cache_purges(memories):
    pages = memories()
    batch = PurgeBatch()
    batch.add_page(pages["series"])
    batch.add_pages([pages["rose"]])
    urls = series_urls(pages["series"], [pages["rose"]], cached_paths=True)
    assert sorted(urls) == sorted(batch.urls)


def test_pages_without_a_url_are_left_out_and_none_repeated(memories):
    pages = memories()
    unrouted = reload(pages["rose"])
    unrouted.url_path = "/somewhere-no-site-serves/"
    assert series_urls(pages["series"], [pages["rose"], pages["rose"], unrouted]) == [*SERIES, ROSE]


def test_page_url_can_say_where_a_page_was(memories):
    pages = memories()
    series = pages["series"]
    assert page_url(series) == f"{ROOT}/memories/"
    assert page_url(series, series.url_path.replace("memories", "recollections")) == (
        f"{ROOT}/recollections/"
    )
    assert series.url_path.endswith("/memories/")  # left as it was


def test_moved_urls_name_the_old_url_of_every_page_below(memories):
    moves = [Move(f"{ROOT}/old/", f"{ROOT}/memories/")]
    assert moved_urls(moves, [ROSE, f"{ROOT}/elsewhere/"]) == [
        (f"{ROOT}/old/", f"{ROOT}/memories/"),
        (f"{ROOT}/old/magnetic-rose/", ROSE),
    ]


# --- Use 1: the URLs a page has before a change ----------------------------------------------


def test_before_a_change_a_series_has_its_urls_and_its_public_parts(memories):
    pages = memories()
    previous = propagation.previous_urls(pages["series"])
    assert set(previous.urls) == {*SERIES, ROSE}
    assert previous.public


def test_before_a_change_a_part_has_its_own_url(memories):
    pages = memories()
    previous = propagation.previous_urls(pages["rose"])
    assert previous.urls == (ROSE,)
    assert previous.public


def test_before_a_change_above_series_names_the_public_series_below(memories, home):
    pages = memories()
    private = make_series(home, "Robot Carnival")
    restrict(private, "password", password="x")
    previous = propagation.previous_urls(home, with_series_below=True)
    assert set(previous.urls) == {f"{ROOT}/", *series_urls(pages["series"], [pages["rose"]])}


def test_before_a_change_a_private_part_is_not_public(memories):
    pages = memories()
    restrict(pages["rose"], "password", password="x")
    assert propagation.previous_urls(pages["series"]).urls == tuple(SERIES)
    previous = propagation.previous_urls(pages["rose"])
    assert (previous.urls, previous.public) == ((ROSE,), False)


# --- Use 2: the URLs to purge ----------------------------------------------------------------


def test_the_purge_is_every_url_showing_the_series_with_its_api_urls(memories):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    urls = purge_urls(change_set(series, rose), Snapshot.load({series.pk}))
    assert urls == {
        *SERIES,
        ROSE,
        # The forthcoming parts' URLs show their announcements (FORTHCOMING_PART_PAGE, issue 14).
        f"{ROOT}/memories/stink-bomb/",
        f"{ROOT}/memories/cannon-fodder/",
        f"{ROOT}/series/feed/",
        f"{ROOT}/series/feed/atom/",
        f"{ROOT}/series/feed/json/",
        f"{ROOT}/api/v2/series/",
        f"{ROOT}/api/v2/series/{series.pk}/",
        f"{ROOT}/api/v2/pages/{rose.pk}/",
    }


def test_announcement_urls_are_purged_by_tag_and_only_when_shown(memories, settings):
    from wagtail_series.propagation.urls import purge_plan

    pages = memories()
    series, stink = pages["series"], pages["stink"]
    announcement = f"{ROOT}/memories/stink-bomb/"
    plan = purge_plan(change_set(series, stink, event="updated"), Snapshot.load({series.pk}))
    # Served by the series page, with its cache tag: purged by tag, not as a stale URL.
    assert announcement in plan.urls and announcement not in plan.stale_urls
    settings.WAGTAIL_SERIES = {"FORTHCOMING_PART_PAGE": False}
    urls = purge_urls(change_set(series, stink, event="updated"), Snapshot.load({series.pk}))
    assert announcement not in urls


def test_the_purge_names_private_live_parts_stale_urls_and_old_urls(memories):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    restrict(rose, "password", password="x")  # still live, maybe still in a cache
    gone = f"{ROOT}/memories/cannon-fodder/"
    moved = change_set(
        series, stale_urls=(gone,), moves=(Move(f"{ROOT}/old/", f"{ROOT}/memories/"),)
    )
    urls = purge_urls(moved, Snapshot.load({series.pk}))
    assert {ROSE, f"{ROOT}/api/v2/pages/{rose.pk}/", gone} <= urls
    assert {f"{ROOT}/old/", f"{ROOT}/old/magnetic-rose/", f"{ROOT}/old/feed/"} <= urls


# --- Use 3: the paths webhooks name ----------------------------------------------------------


def test_webhook_paths_are_the_public_urls_showing_the_series_and_the_site_feeds(memories):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    (payload,) = webhook_payloads(change_set(series, rose), Snapshot.load({series.pk}))
    expected = {urlsplit(url).path for url in series_urls(series, [rose])}
    assert payload["paths"] == sorted(expected | set(site_feed_paths()))
    assert site_feed_paths() == ["/series/feed/", "/series/feed/atom/", "/series/feed/json/"]


def test_webhook_paths_leave_private_parts_out_but_name_what_was_public(memories):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    restrict(rose, "password", password="x")
    changed = change_set(
        series,
        stale_public_urls=(f"{ROOT}/memories/cannon-fodder/",),
        moves=(Move(f"{ROOT}/old/", f"{ROOT}/memories/"),),
    )
    (payload,) = webhook_payloads(changed, Snapshot.load({series.pk}))
    assert "/memories/magnetic-rose/" not in payload["paths"]
    assert "/old/magnetic-rose/" not in payload["paths"]  # never public at its new URL either
    assert {"/memories/cannon-fodder/", "/old/", "/old/feed/"} <= set(payload["paths"])
