"""The cache-tag vocabulary and the header that carries it."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from wagtail_series.frontend_cache.tags import (
    ALL_SERIES_TAG,
    add_cache_tags,
    series_tag,
    split_tags,
    tag_separator,
    tags_for_series,
)


def test_series_tag_and_all_tag():
    assert series_tag(3) == "wagtail-series-3"
    assert ALL_SERIES_TAG == "wagtail-series-all"


def test_tags_for_series_are_unique_and_ordered_by_id():
    assert tags_for_series([12, 3, 12]) == ["wagtail-series-3", "wagtail-series-12"]
    assert tags_for_series([]) == []


@pytest.mark.parametrize(
    ("header", "separator"),
    [
        ("Cache-Tag", ","),
        ("cache-tag", ","),
        ("Edge-Cache-Tag", ","),
        ("X-Cache-Tags", ","),
        ("Surrogate-Key", " "),
        ("xkey", " "),
        ("X-Custom", " "),
    ],
)
def test_separator_follows_the_header_name(header, separator):
    assert tag_separator(header) == separator


def test_cloudflare_tags_are_comma_joined(settings):
    settings.WAGTAIL_SERIES = {}  # the default header, Cache-Tag
    response = add_cache_tags(HttpResponse(), [series_tag(3), ALL_SERIES_TAG])
    assert response["Cache-Tag"] == "wagtail-series-3,wagtail-series-all"


@pytest.mark.parametrize("header", ["Surrogate-Key", "xkey"])
def test_fastly_and_varnish_tags_are_space_joined(settings, header):
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": header}
    response = add_cache_tags(HttpResponse(), tags_for_series([4, 3]))
    assert response[header] == "wagtail-series-3 wagtail-series-4"
    assert "Cache-Tag" not in response


def test_tags_merge_with_those_already_on_the_response(settings):
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": "Surrogate-Key"}
    response = HttpResponse()
    response["Surrogate-Key"] = "page-12 wagtail-series-3"
    add_cache_tags(response, [series_tag(3), ALL_SERIES_TAG])
    assert response["Surrogate-Key"] == "page-12 wagtail-series-3 wagtail-series-all"
    # Twice is the same as once.
    add_cache_tags(response, [series_tag(3)])
    assert split_tags(response["Surrogate-Key"]) == [
        "page-12",
        "wagtail-series-3",
        "wagtail-series-all",
    ]


def test_existing_tags_in_either_separator_are_kept(settings):
    response = HttpResponse()
    response["Cache-Tag"] = "a, b c"
    add_cache_tags(response, ["d"])
    assert response["Cache-Tag"] == "a,b,c,d"


def test_tagging_off(settings):
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": None}
    response = add_cache_tags(HttpResponse(), [series_tag(3)])
    assert "Cache-Tag" not in response


def test_nothing_to_add_leaves_the_header_alone():
    response = add_cache_tags(HttpResponse(), [])
    assert "Cache-Tag" not in response


@pytest.mark.parametrize("bad", ["", "a b", "a,b"])
def test_a_tag_holding_a_separator_is_refused(bad):
    with pytest.raises(ValueError, match="cache tag"):
        add_cache_tags(HttpResponse(), [bad])
