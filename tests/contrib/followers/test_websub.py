"""WebSub: series feeds declare the hub (WEBSUB_HUB), and the worker pings it (hub.mode=publish,
hub.url=<feed>) when a part goes live; a failing hub fails nothing."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from django.core import mail

from tests.conftest import publish
from tests.support import Receiver, serve
from wagtail_series.contrib.followers.models import Follower

pytestmark = pytest.mark.django_db

HUB = "https://hub.example.com/"


def test_feeds_declare_the_hub(client, memories, settings):
    memories()
    settings.WAGTAIL_SERIES = {"WEBSUB_HUB": HUB}
    rss = client.get("/memories/feed/").content.decode()
    assert f'<atom:link href="{HUB}" rel="hub"/>' in rss
    atom = client.get("/memories/feed/atom/").content.decode()
    assert f'<link href="{HUB}" rel="hub"' in atom
    feed = json.loads(client.get("/memories/feed/json/").content)
    assert feed["hubs"] == [{"type": "WebSub", "url": HUB}]
    assert 'rel="hub"' in client.get("/series/feed/atom/").content.decode()


def test_no_hub_no_link(client, memories):
    memories()
    assert 'rel="hub"' not in client.get("/memories/feed/").content.decode()
    assert "hubs" not in json.loads(client.get("/memories/feed/json/").content)


@pytest.fixture
def hub():
    receiver = Receiver()
    server = serve(receiver)
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def test_the_hub_is_pinged_when_a_part_goes_live(
    memories, settings, hub, django_capture_on_commit_callbacks
):
    pages = memories()
    settings.WAGTAIL_SERIES = {"WEBSUB_HUB": hub.url}
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
    pinged = [parse_qs(r.body.decode()) for r in hub.received]
    assert {p["hub.mode"][0] for p in pinged} == {"publish"}
    urls = {p["hub.url"][0] for p in pinged}
    assert "http://localhost/memories/feed/" in urls
    assert "http://localhost/memories/feed/atom/" in urls
    assert "http://localhost/series/feed/" in urls
    # A re-publish: no new part, no ping.
    count = len(hub.received)
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
    assert len(hub.received) == count


def test_a_failing_hub_fails_nothing(memories, settings, hub, django_capture_on_commit_callbacks):
    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    hub.script = [500] * 10
    settings.WAGTAIL_SERIES = {"WEBSUB_HUB": hub.url}
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
    assert hub.received
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    settings.WAGTAIL_SERIES = {"WEBSUB_HUB": "http://127.0.0.1:9/nothing-listens/"}
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["cannon"])
    assert len(mail.outbox) == 2
