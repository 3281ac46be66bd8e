"""api/caching.py: anonymous conditional requests answered from the validator cache.

The full view's own conditional handling is covered in test_views.py ("HTTP caching"); these
tests prove the cached answer is the same answer, costs no query, and is never given when the
full view would answer differently. The versions, generation tokens and ETag recipe themselves
are tested in tests/test_versions.py.
"""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.api.test_views import VISIBLE_CHANGES
from tests.conftest import add_part, make_series, publish, reload, restrict
from wagtail_series import versions
from wagtail_series.api import caching

pytestmark = pytest.mark.django_db

LIST = "/api/v2/series/"

# Headers that differ between any two responses, whoever answers them.
_PER_RESPONSE = {"Date", "X-Frame-Options"}


def detail(series) -> str:
    return f"/api/v2/series/{series.pk}/"


def urls(series) -> list[str]:
    return [LIST, LIST + "?order=title&limit=5", detail(series)]


def queries(client, url, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    return len(context.captured_queries), response


@pytest.fixture
def uncached(settings):
    """Turn the validator cache off: every request runs the full view."""

    def turn_off():
        settings.WAGTAIL_SERIES = {"CACHE_ALIAS": None}

    return turn_off


def test_a_current_copy_is_confirmed_without_a_query(client, memories, django_assert_num_queries):
    series = memories()["series"]
    for url in urls(series):
        response = client.get(url)
        with django_assert_num_queries(0):
            by_tag = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
            head = client.head(url, HTTP_IF_NONE_MATCH=response["ETag"])
        for answer in (by_tag, by_date, head):
            assert answer.status_code == 304, url
            assert answer.content == b""
            assert answer["ETag"] == response["ETag"]


def test_the_cached_304_has_the_headers_of_the_full_views_304(client, memories, uncached):
    series = memories()["series"]
    cached = {}
    for url in urls(series):
        tag = client.get(url)["ETag"]
        count, response = queries(client, url, HTTP_IF_NONE_MATCH=tag)
        assert (count, response.status_code) == (0, 304)
        cached[url] = response
    uncached()
    for url, from_cache in cached.items():
        count, full = queries(client, url, HTTP_IF_NONE_MATCH=from_cache["ETag"])
        assert full.status_code == 304 and count > 0
        assert {k: v for k, v in full.items() if k not in _PER_RESPONSE} == {
            k: v for k, v in from_cache.items() if k not in _PER_RESPONSE
        }


@pytest.mark.parametrize(
    "change",
    [
        *VISIBLE_CHANGES,
        pytest.param(
            lambda p: restrict(p["series"], PageViewRestriction.LOGIN), id="series-hidden"
        ),
    ],
)
def test_a_change_is_never_confirmed_from_the_cache(client, memories, change):
    pages = memories()
    stale = {url: client.get(url) for url in urls(pages["series"])}
    change(pages)
    for url, before in stale.items():
        # The first request after the change: nothing has stored the new validators yet.
        answer = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        assert answer.status_code in (200, 404), url
        answer = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
        assert answer.status_code != 304 or answer["ETag"] != before["ETag"], url


def test_a_series_change_leaves_other_series_confirmed_from_the_cache(client, memories, home):
    pages = memories()
    other = make_series(home, "Other")
    add_part(other, "Other part 1")
    tag = client.get(detail(other))["ETag"]
    publish(pages["stink"])
    count, response = queries(client, detail(other), HTTP_IF_NONE_MATCH=tag)
    assert (count, response.status_code) == (0, 304)


def test_signed_in_readers_are_answered_by_the_full_view(client, memories, django_user_model):
    series = memories()["series"]
    public_tag = client.get(detail(series))["ETag"]
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    count, response = queries(client, detail(series), HTTP_IF_NONE_MATCH=public_tag)
    assert count > 0
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_readers_who_passed_a_password_are_answered_by_the_full_view(client, home):
    series = make_series(home, "Open")
    secret = add_part(series, "Secret part")
    restrict(secret, PageViewRestriction.PASSWORD, password="swordfish")
    public_tag = client.get(detail(series))["ETag"]
    form = client.post(
        f"/_util/authenticate_with_password/{PageViewRestriction.objects.get().pk}/{secret.pk}/",
        {"password": "swordfish", "return_url": "/"},
    )
    assert form.status_code == 302
    count, response = queries(client, detail(series), HTTP_IF_NONE_MATCH=public_tag)
    assert count > 0 and response.status_code == 200
    assert "Secret part" in [part["title"] for part in response.json()["parts"]]


def test_credentials_are_left_to_the_full_view(client, memories, django_user_model):
    series = memories()["series"]
    django_user_model.objects.create_user("reader", password="x")
    public_tag = client.get(detail(series))["ETag"]
    basic = "Basic " + base64.b64encode(b"reader:x").decode()
    count, response = queries(
        client, detail(series), HTTP_IF_NONE_MATCH=public_tag, HTTP_AUTHORIZATION=basic
    )
    assert count > 0
    assert response.status_code != 304 or response["ETag"] != public_tag


def test_other_representations_and_preconditions_are_left_to_the_full_view(client, memories):
    series = memories()["series"]
    tag = client.get(detail(series))["ETag"]
    count, html = queries(client, detail(series), HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT="text/html")
    assert count > 0 and html.status_code == 200
    count, _ = queries(client, detail(series) + "?format=api", HTTP_IF_NONE_MATCH=tag)
    assert count > 0
    count, failed = queries(client, detail(series), HTTP_IF_MATCH='"other"')
    assert count > 0 and failed.status_code == 412


def test_bad_ids_are_left_to_the_full_view(client, memories):
    for pk in ("abc", "1" * 11, "٣"):
        response = client.get(f"/api/v2/series/{pk}/", HTTP_IF_NONE_MATCH='"x"')
        assert response.status_code == 400, pk


def test_validators_computed_before_a_change_are_never_served(rf, memories):
    """A full request reads the generation before the database; a change in between wins."""
    series = memories()["series"]
    request = rf.get(detail(series), HTTP_IF_NONE_MATCH='"before"')
    generation = versions.current_generation(series.pk)
    versions.invalidate([series.pk])  # a publish commits while the request runs
    versions.store_validators(request, generation, '"before"', timezone.now())
    assert caching.answer_from_cache(request, series.pk, lambda r, *a: r) is None


def test_an_unreachable_cache_costs_nothing_but_speed(client, memories, settings):
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails to connect.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.WAGTAIL_SERIES = {"CACHE_ALIAS": "unreachable"}
    pages = memories()
    for url in urls(pages["series"]):
        response = client.get(url)
        assert response.status_code == 200
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    publish(pages["stink"])  # invalidating fails, the publish does not
    assert reload(pages["stink"]).live
