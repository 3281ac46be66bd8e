"""System checks for WAGTAIL_SERIES."""

import pytest

from wagtail_series.checks import check_series_settings


def ids(settings_value, settings):
    settings.WAGTAIL_SERIES = settings_value
    return [error.id for error in check_series_settings()]


def test_valid_settings_pass(settings):
    assert ids({"API_CACHE_MAX_AGE": 0, "API_MAX_PARTS": 10}, settings) == []
    assert ids({"API_VALIDATOR_CACHE": None}, settings) == []
    assert ids({"API_VALIDATOR_CACHE": "default"}, settings) == []
    for header in ("Cache-Tag", "Surrogate-Key", "xkey", None):
        assert ids({"CACHE_TAG_HEADER": header}, settings) == []
    for window in ({"first": 0, "around": 5}, {}, None):
        assert ids({"TOC_WINDOW": window}, settings) == []
    for mode in ("confirm", "error", "allow"):
        assert ids({"EMPTY_PART_PUBLISH": mode}, settings) == []
    for size in (1, 500, None):
        assert ids({"SERIES_PAGE_SIZE": size}, settings) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], ["wagtail_series.E001"]),
        ({"API_CACHE_MAXAGE": 1}, ["wagtail_series.E002"]),
        ({"API_CACHE_MAX_AGE": "60"}, ["wagtail_series.E003"]),
        ({"API_MAX_PARTS": True}, ["wagtail_series.E003"]),
        ({"API_CACHE_MAX_AGE": -1}, ["wagtail_series.E004"]),
        ({"API_LIMIT_MAX": 0}, ["wagtail_series.E004"]),
        ({"FEED_ITEMS": 0}, ["wagtail_series.E004"]),
        ({"FEED_CACHE_TIMEOUT": -1}, ["wagtail_series.E004"]),
        ({"WEBHOOK_TIMEOUT": 0}, ["wagtail_series.E004"]),
        ({"WEBHOOK_TIMEOUT": "5"}, ["wagtail_series.E003"]),
        ({"WEBHOOK_MAX_ATTEMPTS": 0}, ["wagtail_series.E004"]),
        ({"WEBHOOK_BACKOFF": -0.5}, ["wagtail_series.E004"]),
        # A claim must outlast the attempt it covers (the default timeout is 5 s).
        ({"WEBHOOK_PENDING_TIMEOUT": 5}, ["wagtail_series.E004"]),
        ({"WEBHOOK_TIMEOUT": 400}, ["wagtail_series.E004"]),
        ({"WEBHOOK_PENDING_TIMEOUT": "300"}, ["wagtail_series.E003"]),
        ({"API_URL_NAMESPACES": "wagtailapi"}, ["wagtail_series.E003"]),
        ({"API_URL_NAMESPACES": [1]}, ["wagtail_series.E005"]),
        ({"WEBHOOKS": [{"url": "https://x.example/hook"}]}, ["wagtail_series.E005"]),
        ({"WEBHOOKS": [{"url": "ftp://x.example/", "secret": "s"}]}, ["wagtail_series.E005"]),
        ({"WEBHOOKS": [{"url": "https://x.example/", "secret": ""}]}, ["wagtail_series.E005"]),
        ({"WEBHOOKS": ["https://x.example/"]}, ["wagtail_series.E005"]),
        ({"TASK_BACKEND": "nope"}, ["wagtail_series.E006"]),
        ({"API_VALIDATOR_CACHE": "nope"}, ["wagtail_series.E007"]),
        ({"API_VALIDATOR_CACHE": 0}, ["wagtail_series.E003"]),
        ({"GRAPHQL_MAX_DEPTH": 0}, ["wagtail_series.E004"]),
        ({"GRAPHQL_MAX_ALIASES": -1}, ["wagtail_series.E004"]),
        ({"GRAPHQL_MAX_DEPTH": "10"}, ["wagtail_series.E003"]),
        ({"GRAPHQL_INTROSPECTION": "no"}, ["wagtail_series.E003"]),
        ({"CACHE_TAG_HEADER": ["Cache-Tag"]}, ["wagtail_series.E003"]),
        ({"CACHE_TAG_HEADER": "Cache Tag"}, ["wagtail_series.E005"]),
        ({"CACHE_TAG_HEADER": ""}, ["wagtail_series.E005"]),
        ({"TOC_WINDOW": 3}, ["wagtail_series.E003"]),
        ({"TOC_WINDOW": {"middle": 2}}, ["wagtail_series.E005"]),
        ({"EMPTY_PART_PUBLISH": "warn"}, ["wagtail_series.E005"]),
        ({"EMPTY_PART_PUBLISH": True}, ["wagtail_series.E003"]),
        ({"TOC_WINDOW": {"around": -1}}, ["wagtail_series.E005"]),
        ({"TOC_WINDOW": {"around": "2"}}, ["wagtail_series.E005"]),
        ({"TOC_WINDOW": {"last": True}}, ["wagtail_series.E005"]),
        ({"SERIES_PAGE_SIZE": 0}, ["wagtail_series.E004"]),
        ({"SERIES_PAGE_SIZE": "200"}, ["wagtail_series.E003"]),
    ],
)
def test_bad_settings_are_reported(settings, value, expected):
    assert ids(value, settings) == expected


def test_unknown_setting_hint_lists_the_known_ones(settings):
    settings.WAGTAIL_SERIES = {"TYPO": 1}
    (error,) = check_series_settings()
    assert "API_CACHE_MAX_AGE" in error.hint


def test_part_types_without_the_series_api_field_are_warned_about(monkeypatch):
    from wagtail.api import APIField

    from tests.testapp.models import BlogPage
    from wagtail_series.checks import check_part_api_fields

    assert check_part_api_fields() == []
    monkeypatch.setattr(BlogPage, "api_fields", [APIField("summary")])
    (warning,) = check_part_api_fields()
    assert warning.id == "wagtail_series.W001" and warning.obj is BlogPage


def test_valid_propagation_settings_pass(settings):
    value = {
        "WEBHOOKS": [{"url": "https://frontend.example/api/revalidate", "secret": "s"}],
        "WEBHOOK_TIMEOUT": 2,  # a whole number of seconds is fine
        "WEBHOOK_BACKOFF": 0,
        "WEBHOOK_MAX_ATTEMPTS": 1,
        "FEED_ITEMS": 10,
        "FEED_CACHE_TIMEOUT": 0,
        "API_URL_NAMESPACES": [],
        "TASK_BACKEND": "default",
    }
    assert ids(value, settings) == []
