"""The tag-purging backends against a real HTTP server on 127.0.0.1: exact requests, and a CDN
that is down or failing is logged, never raised."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from wagtail_series.frontend_cache.backends import (
    CloudflareTagBackend,
    FastlyBackend,
    TagPurgingBackend,
    VarnishXkeyBackend,
)
from wagtail_series.frontend_cache.wildcards import collapse_to_wildcards, series_wildcard_paths

TAGS = ["wagtail-series-3", "wagtail-series-all"]


def many_tags(count: int) -> list[str]:
    return [f"wagtail-series-{i}" for i in range(count)]


def varnish(location: str, **params) -> VarnishXkeyBackend:
    return VarnishXkeyBackend({"LOCATION": location, **params})


def fastly(api_url: str, **params) -> FastlyBackend:
    return FastlyBackend({"API_TOKEN": "t0k3n", "SERVICE_ID": "SVC1", "API_URL": api_url, **params})


def cloudflare(api_url: str, **params) -> CloudflareTagBackend:
    params = {"ZONEID": "zone1", "BEARER_TOKEN": "b34r3r", **params}
    return CloudflareTagBackend({"API_URL": api_url + "/client/v4", **params})


def test_every_backend_purges_tags():
    for backend in (varnish("http://v"), fastly("http://f"), cloudflare("http://c")):
        assert isinstance(backend, TagPurgingBackend)


# --- Varnish xkey ------------------------------------------------------------------------------


def test_varnish_purges_tags_with_one_xkey_purge(cdn):
    varnish(cdn.url).purge_tags(TAGS)
    (request,) = cdn.requests
    assert (request.method, request.path) == ("PURGE", "/")
    assert request.headers["xkey-purge"] == "wagtail-series-3 wagtail-series-all"
    assert request.body == b""


def test_varnish_purge_header_is_configurable(cdn):
    varnish(cdn.url, XKEY_HEADER="xkey-softpurge").purge_tags(TAGS)
    (request,) = cdn.requests
    assert request.headers["xkey-softpurge"] == "wagtail-series-3 wagtail-series-all"
    assert "xkey-purge" not in request.headers


def test_varnish_url_purges_stay_wagtails(cdn):
    varnish(cdn.url).purge("http://www.example.com/memories/?page=2")
    (request,) = cdn.requests
    assert (request.method, request.path) == ("PURGE", "/memories/?page=2")
    assert request.headers["Host"] == "www.example.com"
    assert "xkey-purge" not in request.headers


def test_varnish_sends_many_tags_in_batches(cdn):
    varnish(cdn.url).purge_tags(many_tags(300))
    assert [len(r.headers["xkey-purge"].split()) for r in cdn.requests] == [256, 44]


# --- Fastly ------------------------------------------------------------------------------------


def test_fastly_purges_tags_with_one_surrogate_key_request(cdn):
    fastly(cdn.url).purge_tags(TAGS)
    (request,) = cdn.requests
    assert (request.method, request.path) == ("POST", "/service/SVC1/purge")
    assert request.headers["Surrogate-Key"] == "wagtail-series-3 wagtail-series-all"
    assert request.headers["Fastly-Key"] == "t0k3n"
    assert "Fastly-Soft-Purge" not in request.headers


def test_fastly_purges_a_url_with_purge_to_the_url(cdn):
    fastly("http://unused.invalid").purge(cdn.url + "/memories/stink-bomb/")
    (request,) = cdn.requests
    assert (request.method, request.path) == ("PURGE", "/memories/stink-bomb/")
    assert request.headers["Fastly-Key"] == "t0k3n"
    assert "Surrogate-Key" not in request.headers


def test_fastly_soft_purge(cdn):
    backend = fastly(cdn.url, SOFT_PURGE=True)
    backend.purge_tags(TAGS)
    backend.purge(cdn.url + "/memories/")
    assert [r.headers["Fastly-Soft-Purge"] for r in cdn.requests] == ["1", "1"]


def test_fastly_batches_256_keys_a_request(cdn):
    fastly(cdn.url).purge_tags(many_tags(600))
    assert [len(r.headers["Surrogate-Key"].split()) for r in cdn.requests] == [256, 256, 88]


def test_fastly_default_api_and_required_params():
    assert FastlyBackend({"API_TOKEN": "t", "SERVICE_ID": "s"}).api_url == "https://api.fastly.com"
    with pytest.raises(ImproperlyConfigured, match="SERVICE_ID"):
        FastlyBackend({"API_TOKEN": "t"})
    with pytest.raises(ImproperlyConfigured, match="API_TOKEN"):
        FastlyBackend({"SERVICE_ID": "s"})


# --- Cloudflare --------------------------------------------------------------------------------


def test_cloudflare_purges_tags_through_the_zone_endpoint(cdn):
    cloudflare(cdn.url).purge_tags(TAGS)
    (request,) = cdn.requests
    assert (request.method, request.path) == ("POST", "/client/v4/zones/zone1/purge_cache")
    assert request.json == {"tags": TAGS}
    assert request.headers["Authorization"] == "Bearer b34r3r"
    assert request.headers["Content-Type"] == "application/json"


def test_cloudflare_email_and_key_authentication(cdn):
    backend = cloudflare(cdn.url, BEARER_TOKEN=None, EMAIL="ops@example.com", API_KEY="k3y")
    backend.purge_tags(TAGS)
    (request,) = cdn.requests
    assert request.headers["X-Auth-Email"] == "ops@example.com"
    assert request.headers["X-Auth-Key"] == "k3y"
    assert "Authorization" not in request.headers


def test_cloudflare_batches_30_tags_a_request(cdn):
    cloudflare(cdn.url).purge_tags(many_tags(61))
    assert [len(r.json["tags"]) for r in cdn.requests] == [30, 30, 1]


def test_cloudflare_default_api():
    backend = CloudflareTagBackend({"ZONEID": "z", "BEARER_TOKEN": "b"})
    assert backend.api_url == "https://api.cloudflare.com/client/v4"


def test_cloudflare_url_purges_stay_wagtails(cloudflare_api):
    urls = [f"http://localhost/memories/part-{i}/" for i in range(31)]
    cloudflare(cloudflare_api.url).purge_batch(urls)
    assert [r.json for r in cloudflare_api.requests] == [{"files": urls[:30]}, {"files": urls[30:]}]
    assert {r.path for r in cloudflare_api.requests} == {"/client/v4/zones/zone1/purge_cache"}


def test_cloudflare_refusal_is_logged(cdn, caplog):
    cdn.answer = b'{"success": false, "errors": [{"code": 1134, "message": "Not entitled"}]}'
    with caplog.at_level(logging.ERROR, "wagtail.frontendcache"):
        cloudflare(cdn.url).purge_tags(TAGS)
    assert "Not entitled" in caplog.text


def test_cloudflare_answer_that_isnt_json_is_logged(cdn, caplog):
    cdn.answer = b"<html>oops</html>"
    with caplog.at_level(logging.ERROR, "wagtail.frontendcache"):
        cloudflare(cdn.url).purge_tags(TAGS)
    assert "isn't JSON" in caplog.text


# --- A CDN that is down or failing -------------------------------------------------------------


def tag_backends(base_url: str):
    return {
        "varnish": varnish(base_url),
        "fastly": fastly(base_url),
        "cloudflare": cloudflare(base_url),
    }


@pytest.mark.parametrize("name", ["varnish", "fastly", "cloudflare"])
def test_a_cdn_that_is_down_is_logged_not_raised(dead_cdn, caplog, name):
    backend = tag_backends(dead_cdn)[name]
    with caplog.at_level(logging.ERROR, "wagtail.frontendcache"):
        backend.purge_tags(TAGS)
    assert "Couldn't purge" in caplog.text
    assert "wagtail-series-3" in caplog.text


def test_fastly_url_purge_to_a_dead_cdn_is_logged(dead_cdn, caplog):
    with caplog.at_level(logging.ERROR, "wagtail.frontendcache"):
        fastly(dead_cdn).purge(dead_cdn + "/memories/")
    assert "Couldn't purge" in caplog.text


@pytest.mark.parametrize("name", ["varnish", "fastly", "cloudflare"])
def test_an_error_status_is_logged_not_raised(cdn, caplog, name):
    cdn.status = 503
    with caplog.at_level(logging.ERROR, "wagtail.frontendcache"):
        tag_backends(cdn.url)[name].purge_tags(TAGS)
    assert "answered 503" in caplog.text
    assert len(cdn.requests) == 1  # no retry in the purge: the next change purges again


# --- CloudFront wildcards ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/memories/", ["/memories/*"]),
        ("/memories", ["/memories/*"]),
        ("/anthologies/memories/", ["/anthologies/memories/*"]),
        ("/", []),
        ("", []),
    ],
)
def test_series_wildcard_paths(path, expected):
    assert series_wildcard_paths(path) == expected


def test_collapse_to_wildcards_keeps_what_is_not_under_the_series():
    urls = [
        "http://localhost/memories/",
        "http://localhost/memories/feed/",
        "http://localhost/memories/stink-bomb/",
        "http://localhost/memories-2/",
        "http://other.example/memories/stink-bomb/",
        "http://localhost/api/v2/pages/4/",
    ]
    assert collapse_to_wildcards(urls, ["http://localhost/memories/"]) == [
        "http://localhost/memories/*",
        "http://localhost/memories-2/",
        "http://other.example/memories/stink-bomb/",
        "http://localhost/api/v2/pages/4/",
    ]
    assert collapse_to_wildcards(urls, []) == urls
