"""series_settings: defaults, overrides, unknown names, reload on setting change."""

import pytest

from wagtail_series.conf import DEFAULTS, series_settings


def test_defaults():
    assert series_settings.API_CACHE_MAX_AGE == DEFAULTS["API_CACHE_MAX_AGE"]


def test_override_settings_is_seen_at_once(settings):
    settings.WAGTAIL_SERIES = {"API_CACHE_MAX_AGE": 5}
    assert series_settings.API_CACHE_MAX_AGE == 5
    assert series_settings.API_MAX_PARTS == DEFAULTS["API_MAX_PARTS"]
    settings.WAGTAIL_SERIES = {}
    assert series_settings.API_CACHE_MAX_AGE == DEFAULTS["API_CACHE_MAX_AGE"]


def test_unknown_name_is_an_error():
    with pytest.raises(AttributeError, match="no setting 'NOPE'"):
        series_settings.NOPE  # noqa: B018


def test_feed_and_propagation_defaults():
    assert series_settings.FEED_ITEMS == 50
    assert series_settings.FEED_CACHE_TIMEOUT == 300
    assert series_settings.API_URL_NAMESPACES == ["wagtailapi"]
    assert series_settings.WEBHOOKS == []
    assert series_settings.WEBHOOK_TIMEOUT == 5.0
    assert series_settings.WEBHOOK_MAX_ATTEMPTS == 4
    assert series_settings.WEBHOOK_BACKOFF == 1.0
    assert series_settings.TASK_BACKEND == "default"


def test_graphql_defaults(settings):
    assert series_settings.GRAPHQL_MAX_DEPTH == 10
    assert series_settings.GRAPHQL_MAX_ALIASES == 30
    assert series_settings.GRAPHQL_INTROSPECTION is True
    settings.WAGTAIL_SERIES = {"GRAPHQL_INTROSPECTION": False, "GRAPHQL_MAX_ALIASES": 0}
    assert series_settings.GRAPHQL_INTROSPECTION is False
    assert series_settings.GRAPHQL_MAX_ALIASES == 0


def test_cache_tag_header_default_and_off(settings):
    assert series_settings.CACHE_TAG_HEADER == "Cache-Tag"
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": None}
    assert series_settings.CACHE_TAG_HEADER is None
