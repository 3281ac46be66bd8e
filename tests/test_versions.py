"""versions.py: series versions, the one ETag recipe and Last-Modified rule, generation tokens,
the one cache alias (and its deprecated name).

How the REST API answers from the validator cache is tested in tests/api/test_caching.py; the
feeds' conditional GET in tests/feeds/test_views.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.conftest import add_part, make_series
from wagtail_series import versions
from wagtail_series.conf import series_settings
from wagtail_series.models.versions import ALL_SERIES, SeriesVersion
from wagtail_series.versions import NO_VERSION, Version

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


# --- Versions ------------------------------------------------------------------------------


def test_bump_counts_the_series_and_the_listing(home):
    assert versions.read(12345) == NO_VERSION
    before = timezone.now()
    assert versions.bump([12345, 12346]) == {12345, 12346, ALL_SERIES}
    versions.bump([12345])
    assert versions.read(12345).number == 2
    assert versions.read(12346).number == 1
    assert versions.read(ALL_SERIES).number >= 2
    assert versions.read(12345).changed_at >= before


def test_bump_drops_stored_validators(home):
    token = versions.current_generation(12345)
    versions.bump([12345])
    assert versions.current_generation(12345) != token


def test_with_versions_annotates_in_the_same_query(home, django_assert_num_queries):
    series = make_series(home, "Versioned")
    add_part(series, "Part 1")  # publishing bumps the series
    row = SeriesVersion.objects.get(series_id=series.pk)
    with django_assert_num_queries(1):
        annotated = versions.with_versions(type(series).objects.filter(pk=series.pk)).get()
    assert versions.version_of(annotated) == Version(row.version, row.changed_at)
    assert versions.version_of(row) == Version(row.version, row.changed_at)
    assert versions.version_of(None) == NO_VERSION
    unversioned = versions.with_versions(type(series).objects.filter(pk=series.pk))
    SeriesVersion.objects.filter(series_id=series.pk).delete()
    assert versions.version_of(unversioned.get()) == NO_VERSION


# --- The ETag recipe and the Last-Modified rule --------------------------------------------


def test_one_etag_recipe():
    tag = versions.etag("detail:3", Version(4, WHEN), "public", "json", "")
    assert tag.startswith('"') and tag.endswith('"') and len(tag) == 34
    assert tag == versions.etag("detail:3", Version(4, WHEN), "public", "json", "")
    others = {
        versions.etag("detail:4", Version(4, WHEN), "public", "json", ""),
        versions.etag("detail:3", Version(5, WHEN), "public", "json", ""),
        # Versions start again from 0 in a new database; the time of the change does not.
        versions.etag("detail:3", Version(4, WHEN + dt.timedelta(seconds=1)), "public", "json", ""),
        versions.etag("detail:3", Version(4, WHEN), "user:1", "json", ""),
        versions.etag("detail:3", Version(4, WHEN), "public", "api", ""),
        versions.etag("detail:3", Version(4, WHEN), "public", "json", "order=title"),
        versions.etag("detail:3", NO_VERSION, "public", "json", ""),
    }
    assert tag not in others and len(others) == 7


def test_the_etag_changes_with_the_package_version(monkeypatch):
    tag = versions.etag("listing", Version(1, WHEN))
    monkeypatch.setattr(versions, "__version__", "99.0")
    assert versions.etag("listing", Version(1, WHEN)) != tag


def test_one_last_modified_rule():
    class Page:
        last_published_at = WHEN - dt.timedelta(days=1)

    assert versions.last_modified(Version(1, WHEN), Page()) == WHEN
    assert versions.last_modified(NO_VERSION, Page()) == Page.last_published_at
    before = timezone.now()
    assert versions.last_modified(NO_VERSION) >= before
    assert versions.last_modified(NO_VERSION, object()) >= before


# --- Generation tokens and stored validators -----------------------------------------------


def test_the_listing_and_each_series_have_their_own_generation(memories):
    series = memories()["series"]
    listing, one = (versions.current_generation(i) for i in (ALL_SERIES, series.pk))
    assert listing and one and listing != one
    versions.invalidate([series.pk])
    assert versions.current_generation(ALL_SERIES) == listing
    assert versions.current_generation(series.pk) != one


def test_validators_are_stored_per_request_and_generation(rf):
    request = rf.get("/api/v2/series/3/", HTTP_ACCEPT="application/json")
    token = versions.current_generation(3)
    versions.store_validators(request, token, '"tag"', WHEN)
    assert versions.stored_validators(request, 3) == ('"tag"', WHEN)
    assert versions.stored_validators(rf.get("/api/v2/series/3/?x=1"), 3) is None
    assert (
        versions.stored_validators(rf.get("/api/v2/series/3/", HTTP_ACCEPT="text/html"), 3) is None
    )
    assert versions.stored_validators(request, 4) is None
    versions.invalidate([3])
    assert versions.stored_validators(request, 3) is None
    # Nothing is stored without a generation (the cache was off or down when it was read).
    versions.store_validators(request, None, '"tag"', WHEN)
    assert versions.stored_validators(request, 3) is None


def test_keys_are_prefixed():
    assert versions.cache_key("feed", "abc") == "wagtail_series:feed:abc"


# --- The one cache alias -------------------------------------------------------------------


def test_the_cache_alias_is_one_setting(settings):
    assert series_settings.CACHE_ALIAS == "default"
    assert versions.get_cache() is caches["default"]
    settings.CACHES = {
        **settings.CACHES,
        "other": {"BACKEND": settings.CACHES["default"]["BACKEND"], "LOCATION": "other"},
    }
    settings.WAGTAIL_SERIES = {"CACHE_ALIAS": "other"}
    assert versions.get_cache() is caches["other"]
    settings.WAGTAIL_SERIES = {"CACHE_ALIAS": None}
    assert versions.get_cache() is None
    assert versions.current_generation(3) is None
    versions.invalidate([3])  # nothing to do, no error


def test_api_validator_cache_is_the_deprecated_name_of_cache_alias(settings):
    settings.WAGTAIL_SERIES = {"API_VALIDATOR_CACHE": None}
    assert series_settings.CACHE_ALIAS is None
    assert series_settings.API_VALIDATOR_CACHE is None
    assert versions.get_cache() is None
    # The new name wins when both are given.
    settings.WAGTAIL_SERIES = {"API_VALIDATOR_CACHE": None, "CACHE_ALIAS": "default"}
    assert versions.get_cache() is caches["default"]
    assert series_settings.API_VALIDATOR_CACHE == "default"


def test_both_names_are_checked(settings):
    from wagtail_series.checks import check_series_settings

    for name in ("CACHE_ALIAS", "API_VALIDATOR_CACHE"):
        settings.WAGTAIL_SERIES = {name: "nope"}
        (error,) = check_series_settings()
        assert error.id == "wagtail_series.E007" and repr(name) in error.msg
        settings.WAGTAIL_SERIES = {name: 0}
        assert [error.id for error in check_series_settings()] == ["wagtail_series.E003"]
        settings.WAGTAIL_SERIES = {name: None}
        assert check_series_settings() == []


def test_feeds_keep_rendered_feeds_in_the_same_cache(client, home, settings):
    settings.CACHES = {
        **settings.CACHES,
        "other": {"BACKEND": settings.CACHES["default"]["BACKEND"], "LOCATION": "other"},
    }
    settings.WAGTAIL_SERIES = {"CACHE_ALIAS": "other"}
    caches["other"].clear()
    series = make_series(home, "Cached feed")
    add_part(series, "Part 1")
    assert client.get(series.url + "feed/").status_code == 200
    assert any(":feed:" in key for key in caches["other"]._cache)
    assert not any(":feed:" in key for key in caches["default"]._cache)
