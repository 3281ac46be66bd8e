"""Feed ids and links come from the Site record, not the Host header; each Site has its feed."""

from __future__ import annotations

import pytest

from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db

SITE_FEED = "/series/feed/json/"


def feed(client, url: str, host: str):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.mark.parametrize("url", [SITE_FEED, "/memories/feed/json/"])
def test_ids_and_links_do_not_change_with_the_host_header(client, memories, url):
    memories()
    by_ip, by_name = feed(client, url, "127.0.0.1"), feed(client, url, "localhost")
    assert by_ip.content == by_name.content
    assert by_ip["ETag"] == by_name["ETag"]
    body = by_ip.json()
    (item,) = body["items"]
    assert item["id"].startswith("tag:localhost,")
    assert item["url"] == "http://localhost/memories/magnetic-rose/"
    assert body["home_page_url"].startswith("http://localhost/")
    assert body["feed_url"] == f"http://localhost{url}"


def test_each_site_feed_lists_its_own_series_with_its_own_ids(client, memories, two_sites):
    memories()
    on_a = feed(client, SITE_FEED, "localhost").json()
    on_b = feed(client, SITE_FEED, "b.example").json()
    assert [i["title"] for i in on_a["items"]] == ["Memories, Part 1: Magnetic Rose"]
    assert [i["title"] for i in on_b["items"]] == ["Other site series, Part 1: Other site part"]
    (item,) = on_b["items"]
    assert item["id"].startswith("tag:b.example,")
    assert item["url"] == "http://b.example/other-site-series/other-site-part/"
    assert on_b["home_page_url"] == "http://b.example/"


def test_a_series_feed_links_to_its_own_site(client, two_sites):
    series = SeriesPage.objects.get(title="Other site series")
    body = feed(client, series.url + "feed/json/", "b.example").json()
    assert body["home_page_url"] == "http://b.example/other-site-series/"
    assert body["items"][0]["id"].startswith("tag:b.example,")
