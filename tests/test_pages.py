"""The default page templates, served for real: series page, part pages, scheduled publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.conftest import add_part, make_series, reload
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_series_page_shows_description_cover_status_and_toc(client, home):
    cover = get_image_model().objects.create(title="Cover", file=get_test_image_file())
    series = make_series(
        home,
        "Memories",
        description="<p>Three shorts, one review each.</p>",
        cover_image=cover,
        status="hiatus",
    )
    add_part(series, "Magnetic Rose")
    add_part(series, "Stink Bomb", state="draft", forthcoming_teaser="Soon.")
    soup = soup_of(client, series.url)
    assert soup.h1.text == "Memories"
    assert "Three shorts, one review each." in soup.find(class_="series__description").text
    assert soup.find(class_="series__status").text == "On hiatus"
    assert soup.find("img", class_="series__cover")["src"]
    toc = soup.find("nav", class_="series-toc")
    assert [a.text for a in toc.find_all("a", class_="series-toc__title")] == ["Magnetic Rose"]
    assert "Stink Bomb" in toc.text and "Soon." in toc.text


def test_part_page_outside_a_series_renders_without_series_chrome(client, home):
    lone = BlogPage(title="A standalone post", summary="Just a post.")
    home.add_child(instance=lone)
    lone.save_revision().publish()
    soup = soup_of(client, reload(lone).url)
    assert soup.h1.text == "A standalone post"
    for css_class in ("series-toc", "series-part-label", "series-part-nav"):
        assert soup.find(class_=css_class) is None
    assert soup.find("script", type="application/ld+json") is None


def test_series_page_without_parts(client, home):
    soup = soup_of(client, make_series(home, "Empty").url)
    assert soup.find(class_="series-toc") is None


def test_publish_scheduled_turns_a_forthcoming_part_into_links_everywhere(client, memories):
    pages = memories()
    stink = reload(pages["stink"])
    stink.go_live_at = timezone.now() + dt.timedelta(hours=1)
    revision = stink.save_revision()
    revision.publish()  # scheduled: page_published fires with live == False
    assert not reload(stink).live

    rose_url = pages["rose"].url
    before = soup_of(client, rose_url)
    placeholder = before.find("a", class_="series-forthcoming-link")  # only the placeholder...
    assert " ".join(placeholder.text.split()) == "(coming soon) Stink Bomb"
    assert before.find("a", href="/memories/stink-bomb/") is None  # ...never an href
    scheduled_entry = before.find("nav", class_="series-toc").find_all("li")[1]
    expected = timezone.localdate(stink.go_live_at).isoformat()
    assert scheduled_entry.find("time")["datetime"] == expected

    # The go-live time passes and the cron job runs.
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")

    after = soup_of(client, rose_url)
    linked_in = {
        a.find_parent(class_=["series-toc", "series-part-nav", "series-part__body"])["class"][0]
        for a in after.find_all("a", href="/memories/stink-bomb/")
    }
    assert linked_in == {"series-toc", "series-part-nav", "series-part__body"}
    assert after.find("link", rel="next")["href"] == "/memories/stink-bomb/"
    label = " ".join(after.find(class_="series-part-label").text.split())
    assert label == "Part 1 of 3 in Memories"
    part_two = soup_of(client, "/memories/stink-bomb/")
    assert " ".join(part_two.find(class_="series-part-label").text.split()) == (
        "Part 2 of 3 in Memories"
    )
