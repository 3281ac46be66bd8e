"""Coherence across processes: two app servers sharing one PostgreSQL database and Redis.

The example site runs twice (``runserver --noreload``, two processes, two ports) on a database
created for this test and on Redis as Django's cache. An editor publishes "Stink Bomb" through
server A's admin; server B's very next responses (Part 1's HTML, the series feed, the site-wide
feed) carry the new link, although B had just cached the feed in Redis.

Run with ``make test-e2e`` (it starts PostgreSQL and Redis first). Outside CI a missing
PostgreSQL or Redis skips the test; under ``CI=true`` it fails it.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.e2e.conftest import REDIS_URL
from tests.example_site_runner import (
    example_site_env,
    free_port,
    last_json_line,
    manage,
    runserver,
)

pytestmark = pytest.mark.e2e

PART_1 = "/memories/magnetic-rose/"
PART_2 = "/memories/stink-bomb/"


@dataclass
class Server:
    name: str
    base_url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)


@pytest.fixture(scope="module")
def servers(database, redis_cache, tmp_path_factory) -> Iterator[tuple[Server, Server, dict]]:
    tmp = tmp_path_factory.mktemp("two_servers")
    env = example_site_env(database, REDIS_URL=REDIS_URL)
    manage(env, "migrate", "--noinput", timeout=300)
    manage(env, "load_demo")
    with contextlib.ExitStack() as stack:
        running = []
        for name in ("A", "B"):
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            log = tmp / f"runserver-{name}.log"
            server_env = {**env, "WAGTAILADMIN_BASE_URL": base_url}
            process = stack.enter_context(runserver(server_env, port, log))
            running.append(Server(name, base_url, process, log))
        yield running[0], running[1], env


def toc_links(html: bytes) -> dict[str, str | None]:
    soup = BeautifulSoup(html, "html.parser")
    entries = {}
    for li in soup.select("nav.series-toc li.series-toc__entry"):
        title = " ".join(li.select_one(".series-toc__title").get_text(" ").split())
        link = li.select_one("a[href]")
        entries[title] = link["href"] if link else None
    return entries


def feed_titles(body: bytes) -> list[str]:
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return [entry.title for entry in parsed.entries]


def publish_through_the_admin(server: Server, page_id: int) -> None:
    """Log in to server A's admin as the demo's editor and publish the page (bulk action)."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    def csrf(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    login = f"{server.base_url}/admin/login/"
    with opener.open(login, timeout=20) as response:
        token = csrf(response.read().decode())
    form = {"csrfmiddlewaretoken": token, "username": "admin", "password": "changeme"}
    with opener.open(login, data=urllib.parse.urlencode(form).encode(), timeout=20) as response:
        assert urllib.parse.urlsplit(response.url).path == "/admin/", "login failed"

    publish = f"{server.base_url}/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
    with opener.open(publish, timeout=20) as response:
        token = csrf(response.read().decode())
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    with opener.open(publish, data=data, timeout=20) as response:
        assert response.status == 200


STINK_BOMB_ID = """
import json
from wagtail_series.models import SeriesPart
page = SeriesPart.objects.get(slug="stink-bomb")
print(json.dumps({"id": page.pk, "live": page.live}))
"""


def test_publishing_through_one_server_shows_at_once_on_the_other(servers, redis_cache):
    a, b, env = servers
    stink = last_json_line(manage(env, "shell", "-c", STINK_BOMB_ID))
    assert stink["live"] is False

    # Before: Stink Bomb is forthcoming on both servers; B caches the feeds (in Redis).
    for server in (a, b):
        status, html, _ = server.get(PART_1)
        assert status == 200
        assert toc_links(html)["Stink Bomb"] is None
    status, feed, headers = b.get("/memories/feed/")
    assert status == 200
    assert feed_titles(feed) == ["Part 1: Magnetic Rose"]
    etag = headers["ETag"]
    assert b.get("/memories/feed/", {"If-None-Match": etag})[0] == 304
    # The site-wide feed: every series' parts (the demo's "Best of Otomo" links Part 1 too).
    site_feed = feed_titles(b.get("/series/feed/")[1])
    assert "Memories, Part 1: Magnetic Rose" in site_feed
    assert not any("Stink Bomb" in title for title in site_feed)
    # The rendered feeds are in Redis, shared by both servers (each host has its own entry:
    # the feeds carry absolute URLs).
    assert any(b"wagtail_series:feed:" in key for key in redis_cache.keys("*"))
    assert feed_titles(a.get("/memories/feed/")[1]) == ["Part 1: Magnetic Rose"]

    # B answers a conditional API request from the validators it stored in Redis (a 304).
    status, listing, _ = b.get("/api/v2/series/?slug=memories")
    api_url = "/api/v2/series/{}/".format(json.loads(listing)["items"][0]["id"])
    api_etag = b.get(api_url)[2]["ETag"]
    assert b.get(api_url, {"If-None-Match": api_etag})[0] == 304
    assert any(b"wagtail_series:api:validators:" in key for key in redis_cache.keys("*"))

    publish_through_the_admin(a, stink["id"])
    assert last_json_line(manage(env, "shell", "-c", STINK_BOMB_ID))["live"] is True

    # After: B's next responses carry the link, and its cached feed is not served any more.
    status, html, _ = b.get(PART_1)
    assert status == 200
    assert toc_links(html)["Stink Bomb"] == PART_2
    assert b.get(PART_2)[0] == 200
    status, feed, headers = b.get("/memories/feed/", {"If-None-Match": etag})
    assert status == 200
    assert headers["ETag"] != etag
    assert feed_titles(feed) == ["Part 2: Stink Bomb", "Part 1: Magnetic Rose"]
    # Newest first, in each series that shows it: its own, and "Best of Otomo", which links it.
    newest = feed_titles(b.get("/series/feed/")[1])[:2]
    assert sorted(newest) == ["Best of Otomo, Pick 3: Stink Bomb", "Memories, Part 2: Stink Bomb"]
    assert b"Stink Bomb" in b.get("/memories/feed/json/")[1]
    # A's publish dropped the validators B stored: B answers in full, with Stink Bomb linked.
    status, body, headers = b.get(api_url, {"If-None-Match": api_etag})
    assert status == 200 and headers["ETag"] != api_etag
    parts = {part["title"]: part for part in json.loads(body)["parts"]}
    assert parts["Stink Bomb"]["status"] == "published" and parts["Stink Bomb"]["url"]
