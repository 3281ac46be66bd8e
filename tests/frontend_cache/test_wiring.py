"""The frontend cache, wired: responses carry their series' tag, and the propagation task purges
a publish by tag, counted by a real HTTP server on 127.0.0.1 (docs/caching-and-webhooks.md's
"Purge requests per publish" table comes from ``test_requests_per_publish``)."""

from __future__ import annotations

import json
import math
import os

import pytest
from django.utils import timezone

from tests.conftest import add_part, make_series, publish, reload
from tests.frontend_cache.test_purge import config
from wagtail_series.frontend_cache.middleware import MIDDLEWARE_PATH
from wagtail_series.propagation import tasks
from wagtail_series.propagation.change import ChangeSet, SeriesChange

pytestmark = pytest.mark.django_db

XKEY = "wagtail_series.frontend_cache.backends.VarnishXkeyBackend"


@pytest.fixture
def tagging(settings):
    """Tags in Varnish's xkey header, and the middleware that tags the pages API."""
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": "xkey"}
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE_PATH]


@pytest.fixture
def varnish(settings, cdn, tagging):
    settings.WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": XKEY, "LOCATION": cdn.url}}
    return cdn


def long_series(home, count: int):
    """A series of ``count`` live parts and a draft: the part to publish."""
    series = make_series(home, "Memories")
    for i in range(count):
        add_part(series, f"Part {i}", state="live")
    draft = add_part(series, "Finale", state="draft")
    return reload(series), draft


def test_publishing_a_part_of_a_300_part_series_sends_one_purge(
    home, varnish, django_capture_on_commit_callbacks
):
    series, draft = long_series(home, 299)
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)
    (purge,) = varnish.requests
    assert (purge.method, purge.path) == ("PURGE", "/")
    assert purge.headers["xkey-purge"] == f"wagtail-series-{series.pk} wagtail-series-all"


def test_without_the_middleware_the_pages_api_is_purged_by_url(
    home, settings, cdn, django_capture_on_commit_callbacks
):
    # The pages API's detail of a part then carries no tag: each is purged at its URL.
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": "xkey"}
    settings.WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": XKEY, "LOCATION": cdn.url}}
    series, draft = long_series(home, 9)
    cdn.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)
    tag_purges = [r for r in cdn.requests if "xkey-purge" in r.headers]
    assert len(tag_purges) == 1
    by_url = sorted(r.path for r in cdn.requests if "xkey-purge" not in r.headers)
    parts = reload(series).get_children()
    assert by_url == sorted(f"/api/v2/pages/{part.pk}/" for part in parts)


def test_a_moved_part_is_purged_at_its_old_url(home, varnish, django_capture_on_commit_callbacks):
    memories, _ = long_series(home, 2)
    other = make_series(home, "Robot Carnival")
    moving = reload(memories).get_children().first()
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reload(moving).move(reload(other), pos="last-child")
    tag_purges = [r for r in varnish.requests if "xkey-purge" in r.headers]
    assert [r.headers["xkey-purge"] for r in tag_purges] == [
        f"wagtail-series-{memories.pk} wagtail-series-{other.pk} wagtail-series-all"
    ]
    # The old URL no longer answers with the tag: it goes by URL, and only it.
    by_url = [
        (r.method, r.path, r.headers["Host"]) for r in varnish.requests if r not in tag_purges
    ]
    assert by_url == [("PURGE", "/memories/part-0/", "localhost")]


# --- Responses carry the tags ------------------------------------------------------------------


def test_responses_of_a_series_carry_its_tag(home, client, tagging):
    series = make_series(home, "Memories")
    part = add_part(series, "Magnetic Rose")
    tag = f"wagtail-series-{series.pk}"
    for url in [
        "/memories/",
        "/memories/magnetic-rose/",
        "/memories/feed/",
        "/memories/feed/atom/",
        "/memories/feed/json/",
        f"/api/v2/series/{series.pk}/",
        f"/api/v2/pages/{part.pk}/",
    ]:
        response = client.get(url)
        assert (response.status_code, response["xkey"]) == (200, tag), url
    for url in ["/api/v2/series/", "/series/feed/", "/series/feed/atom/", "/series/feed/json/"]:
        response = client.get(url)
        assert (response.status_code, response["xkey"]) == (200, "wagtail-series-all"), url


def test_not_modified_answers_carry_the_tag_too(home, client, tagging):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    for url, tag in [
        (f"/api/v2/series/{series.pk}/", f"wagtail-series-{series.pk}"),
        ("/api/v2/series/", "wagtail-series-all"),
        ("/memories/feed/", f"wagtail-series-{series.pk}"),
    ]:
        etag = client.get(url)["ETag"]
        # The first from the view; for the API the next from the validator cache, before DRF.
        for _ in range(2):
            response = client.get(url, HTTP_IF_NONE_MATCH=etag)
            assert (response.status_code, response["xkey"]) == (304, tag), url


def test_tags_join_with_commas_in_cache_tag_and_can_be_turned_off(home, client, settings):
    series = make_series(home, "Memories")
    settings.WAGTAIL_SERIES = {}
    assert client.get("/memories/")["Cache-Tag"] == f"wagtail-series-{series.pk}"
    settings.WAGTAIL_SERIES = {"CACHE_TAG_HEADER": None}
    assert "Cache-Tag" not in client.get("/memories/")


def test_a_part_outside_any_live_series_carries_no_tag(home, client, tagging):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    reload(series).unpublish()
    response = client.get("/memories/magnetic-rose/")
    assert response.status_code == 200
    assert "xkey" not in response


# --- Requests per publish, per backend ---------------------------------------------------------

KINDS = ["varnish-xkey", "fastly", "cloudflare-tags", "cloudflare", "cloudfront", "http"]


def expected_requests(kind: str, n: int) -> int:
    """A publish in a series of ``n`` live parts shows on 2n + 9 URLs (the series page and its
    3 feeds, the 3 site-wide feeds, the API listing and detail, each part's page and pages-API
    detail)."""
    return {
        "varnish-xkey": 1,
        "fastly": 1,
        "cloudflare-tags": 1,
        "cloudflare": math.ceil((2 * n + 9) / 30),
        "cloudfront": 1,
        "http": 2 * n + 9,
    }[kind]


# 2,000 parts take minutes to build: run them with WAGTAIL_SERIES_SLOW_TESTS=1 (the docs' figures).
SLOW = pytest.mark.skipif(
    not os.environ.get("WAGTAIL_SERIES_SLOW_TESTS"), reason="set WAGTAIL_SERIES_SLOW_TESTS=1"
)


@pytest.mark.parametrize("count", [10, 300, pytest.param(2000, marks=SLOW)])
def test_requests_per_publish(home, settings, tagging, cloudflare_api, cloudfront, count):
    cdn = cloudflare_api
    series, draft = long_series(home, count - 1)
    publish(draft)
    change = ChangeSet(
        changes=(SeriesChange(series.pk, draft.pk, "published"),),
        stale_urls=(f"http://localhost{reload(draft).url}",),  # as previous_urls gives it
        stale_public_urls=(),
        moves=(),
        timestamp=timezone.now(),
    )
    description = json.loads(json.dumps(change.to_json()))
    measured, invalidations = {}, []
    for kind in KINDS:
        cdn.requests.clear()
        cloudfront.invalidations.clear()
        settings.WAGTAILFRONTENDCACHE = {kind: config(kind, cdn.url)}
        tasks.propagate_changes.call(description)
        measured[kind] = len(cdn.requests) + len(cloudfront.invalidations)
        invalidations = invalidations or list(cloudfront.invalidations)
    assert measured == {kind: expected_requests(kind, count) for kind in KINDS}
    # CloudFront: one wildcard for the series page, its feeds and parts; the rest path by path
    # (the 3 site-wide feeds, the API listing and detail, and each part's pages-API detail).
    (invalidation,) = invalidations
    paths = invalidation["InvalidationBatch"]["Paths"]
    assert "/memories/*" in paths["Items"]
    assert paths["Quantity"] == count + 6
