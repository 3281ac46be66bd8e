"""purge_series against a real HTTP server on 127.0.0.1: the requests one change costs on each
backend at 10, 300 and 2,000 parts (docs/caching-and-webhooks.md's table comes from here)."""

from __future__ import annotations

import logging
import math

import pytest

from tests.frontend_cache.conftest import redirect_cloudflare
from wagtail_series.frontend_cache.purge import BackendPurge, PurgeSummary, purge_series

W = "wagtail.contrib.frontend_cache.backends."
S = "wagtail_series.frontend_cache.backends."
SIZES = [10, 300, 2000]
TAGS = ["wagtail-series-3", "wagtail-series-all"]


def config(kind: str, cdn_url: str) -> dict:
    return {
        "varnish-xkey": {"BACKEND": S + "VarnishXkeyBackend", "LOCATION": cdn_url},
        "fastly": {
            "BACKEND": S + "FastlyBackend",
            "API_TOKEN": "t0k3n",
            "SERVICE_ID": "SVC1",
            "API_URL": cdn_url,
        },
        "cloudflare-tags": {
            "BACKEND": S + "CloudflareTagBackend",
            "ZONEID": "zone1",
            "BEARER_TOKEN": "b34r3r",
            "API_URL": cdn_url + "/client/v4",
        },
        "cloudflare": {"BACKEND": W + "CloudflareBackend", "ZONEID": "zone1", "BEARER_TOKEN": "b"},
        "http": {"BACKEND": W + "HTTPBackend", "LOCATION": cdn_url},
        "cloudfront": {"BACKEND": W + "CloudfrontBackend", "DISTRIBUTION_ID": "E123"},
    }[kind]


@pytest.fixture
def configure(settings, cloudflare_api, cloudfront):
    """Configure WAGTAILFRONTENDCACHE with these backends, all pointing at the local CDN."""

    def configure(*kinds: str) -> None:
        settings.WAGTAILFRONTENDCACHE = {kind: config(kind, cloudflare_api.url) for kind in kinds}

    return configure


def part_urls(root: str, count: int) -> list[str]:
    return [f"{root}/memories/part-{i}/" for i in range(count)]


def publish_urls(root: str, count: int) -> list[str]:
    """What a publish in a series of ``count`` live parts shows it on (2 * count + 9 URLs):
    the series page and its feeds, the site-wide feeds, the API listing and series detail, each
    part page and each part's pages-API detail (docs/caching-and-webhooks.md's list)."""
    series = f"{root}/memories/"
    return [
        series,
        *(series + feed for feed in ("feed/", "feed/atom/", "feed/json/")),
        *(f"{root}/series/{feed}" for feed in ("feed/", "feed/atom/", "feed/json/")),
        f"{root}/api/v2/series/",
        f"{root}/api/v2/series/3/",
        *part_urls(root, count),
        *(f"{root}/api/v2/pages/{100 + i}/" for i in range(count)),
    ]


def sent(cdn, cloudfront) -> int:
    return len(cdn.requests) + len(cloudfront.invalidations)


# --- Requests per change, by backend and series length -----------------------------------------


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("varnish-xkey", lambda n: 1),
        ("fastly", lambda n: 1),
        ("cloudflare-tags", lambda n: 1),
        ("cloudflare", lambda n: math.ceil(n / 30)),
        ("http", lambda n: n),
        ("cloudfront", lambda n: 1),
    ],
)
def test_requests_for_a_series_of_part_urls(
    configure, cloudflare_api, cloudfront, kind, expected, count
):
    cdn = cloudflare_api
    configure(kind)
    summary = purge_series([3], part_urls(cdn.url, count))
    assert sent(cdn, cloudfront) == expected(count) == summary.requests[kind]


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("varnish-xkey", lambda n: 1),
        ("fastly", lambda n: 1),
        ("cloudflare-tags", lambda n: 1),
        ("cloudflare", lambda n: math.ceil((2 * n + 9) / 30)),
        ("http", lambda n: 2 * n + 9),
        ("cloudfront", lambda n: 1),
    ],
)
def test_requests_for_a_publish(configure, cloudflare_api, cloudfront, kind, expected, count):
    cdn = cloudflare_api
    configure(kind)
    summary = purge_series(
        [3], publish_urls(cdn.url, count), series_page_urls=[f"{cdn.url}/memories/"]
    )
    assert sent(cdn, cloudfront) == expected(count) == summary.requests[kind]
    if kind == "cloudfront":
        # One wildcard for the series page, its feeds and its parts; the rest path by path.
        (invalidation,) = cloudfront.invalidations
        paths = invalidation["InvalidationBatch"]["Paths"]
        assert paths["Quantity"] == count + 6
        assert "/memories/*" in paths["Items"]
        assert not [p for p in paths["Items"] if p.startswith("/memories/") and p[-1] != "*"]


# --- What is sent ------------------------------------------------------------------------------


def test_one_tag_purge_for_all_changed_series(configure, cloudflare_api):
    configure("cloudflare-tags")
    summary = purge_series([12, 3, 12], part_urls(cloudflare_api.url, 300))
    (request,) = cloudflare_api.requests
    expected = ["wagtail-series-3", "wagtail-series-12", "wagtail-series-all"]
    assert request.json == {"tags": expected}
    assert summary == PurgeSummary((BackendPurge("cloudflare-tags", tuple(expected), (), 1),))
    assert summary.total_requests == 1


def test_stale_urls_are_purged_by_url_beside_the_tags(configure, cloudflare_api):
    cdn = cloudflare_api
    configure("varnish-xkey")
    stale = [f"{cdn.url}/memories/magnetic-rose/", f"{cdn.url}/old-slug/stink-bomb/"]
    summary = purge_series([3], part_urls(cdn.url, 300), stale_urls=stale)
    sent = [(r.method, r.path, r.headers.get("xkey-purge")) for r in cdn.requests]
    assert sent[0] == ("PURGE", "/", "wagtail-series-3 wagtail-series-all")
    assert sorted(sent[1:]) == sorted(("PURGE", url.removeprefix(cdn.url), None) for url in stale)
    assert summary.requests == {"varnish-xkey": 3}


def test_fastly_stale_urls_are_purged_at_the_url(configure, cloudflare_api):
    cdn = cloudflare_api
    configure("fastly")
    purge_series([3], part_urls(cdn.url, 10), stale_urls=[f"{cdn.url}/memories/gone/"])
    assert sorted((r.method, r.path) for r in cdn.requests) == [
        ("POST", "/service/SVC1/purge"),
        ("PURGE", "/memories/gone/"),
    ]


def test_url_backends_purge_urls_and_stale_urls_in_one_batch(configure, cloudflare_api):
    cdn = cloudflare_api
    configure("cloudflare")
    purge_series([3], part_urls(cdn.url, 29), stale_urls=[f"{cdn.url}/memories/gone/"])
    (request,) = cdn.requests
    assert len(request.json["files"]) == 30


def test_no_series_purges_by_url_everywhere(configure, cloudflare_api):
    cdn = cloudflare_api
    configure("varnish-xkey")
    summary = purge_series([], [f"{cdn.url}/memories/"])
    (request,) = cdn.requests
    assert (request.method, request.path) == ("PURGE", "/memories/")
    assert summary.backends[0].tags == ()


def test_every_configured_backend_gets_its_purge(configure, cloudflare_api, cloudfront):
    cdn = cloudflare_api
    configure("varnish-xkey", "fastly", "cloudflare-tags", "cloudflare", "http", "cloudfront")
    summary = purge_series([3], part_urls(cdn.url, 300))
    assert summary.requests == {
        "varnish-xkey": 1,
        "fastly": 1,
        "cloudflare-tags": 1,
        "cloudflare": 10,
        "http": 300,
        "cloudfront": 1,
    }
    assert sent(cdn, cloudfront) == summary.total_requests == 314


def test_backends_limit_the_purge(configure, cloudflare_api):
    configure("varnish-xkey", "http")
    summary = purge_series([3], part_urls(cloudflare_api.url, 10), backends=["varnish-xkey"])
    assert summary.requests == {"varnish-xkey": 1}
    assert len(cloudflare_api.requests) == 1


def test_nothing_configured_purges_nothing(settings):
    settings.WAGTAILFRONTENDCACHE = {}
    assert purge_series([3], ["http://localhost/memories/"]) == PurgeSummary()


def test_hostnames_a_backend_doesnt_invalidate_are_not_counted(configure, cloudflare_api, settings):
    configure("http")
    settings.WAGTAILFRONTENDCACHE["http"]["HOSTNAMES"] = ["www.example.com"]
    summary = purge_series([3], part_urls(cloudflare_api.url, 10))
    assert summary.requests == {"http": 0} and cloudflare_api.requests == []


# --- A CDN that is down ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["varnish-xkey", "fastly", "cloudflare-tags", "cloudflare", "http", "cloudfront"]
)
def test_a_cdn_that_is_down_never_raises(monkeypatch, settings, cloudfront, dead_cdn, caplog, kind):
    from botocore.exceptions import ClientError

    redirect_cloudflare(monkeypatch, dead_cdn)
    settings.WAGTAILFRONTENDCACHE = {kind: config(kind, dead_cdn)}
    cloudfront.error = ClientError({"Error": {"Code": "Throttling", "Message": "Slow down"}}, "x")
    with caplog.at_level(logging.ERROR):
        purge_series([3], part_urls(dead_cdn, 10), stale_urls=[dead_cdn + "/gone/"])
    if kind == "cloudflare":  # Wagtail's backend raises; Wagtail's purge task records it
        assert "ConnectionError" in caplog.text
    else:
        assert "Couldn't purge" in caplog.text


def test_a_failing_backend_does_not_stop_the_others(configure, cloudflare_api, monkeypatch):
    from wagtail_series.frontend_cache.backends import VarnishXkeyBackend

    def broken(self, tags):
        raise RuntimeError("bug in a backend")

    monkeypatch.setattr(VarnishXkeyBackend, "purge_tags", broken)
    configure("varnish-xkey", "fastly")
    summary = purge_series([3], part_urls(cloudflare_api.url, 10))
    assert [r.path for r in cloudflare_api.requests] == ["/service/SVC1/purge"]
    assert summary.requests == {"varnish-xkey": 1, "fastly": 1}


def test_a_url_both_showing_and_stale_is_purged_by_url(configure, cloudflare_api):
    cdn = cloudflare_api
    configure("varnish-xkey")
    moved = f"{cdn.url}/memories/stink-bomb/"
    purge_series([3], [moved, f"{cdn.url}/memories/"], stale_urls=[moved])
    assert sorted(r.path for r in cdn.requests) == ["/", "/memories/stink-bomb/"]
