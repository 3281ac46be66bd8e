"""Series feeds and the site-wide feed: content, validity, visibility, conditional GET, queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from wagtail.models import PageViewRestriction

from tests.conftest import Page, add_part, make_series, publish, reload, restrict
from tests.feeds.validation import check_feed
from tests.testapp.models import BlogPage
from wagtail_series.feeds import views as feed_views
from wagtail_series.feeds.text import clean, plain_text
from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db

KINDS = {"rss": "feed/", "atom": "feed/atom/", "json": "feed/json/"}
SITE_FEEDS = {"rss": "/series/feed/", "atom": "/series/feed/atom/", "json": "/series/feed/json/"}


def items_of(kind: str, parsed) -> list[dict]:
    """(id, title, link, summary, author, tags) of each item, whatever the format."""
    if kind == "json":
        return [
            {
                "id": item["id"],
                "title": item["title"],
                "link": item["url"],
                "summary": item.get("summary", ""),
                "author": (item.get("authors") or [{}])[0].get("name", ""),
                "tags": item.get("tags", []),
            }
            for item in parsed["items"]
        ]
    return [
        {
            "id": entry.id,
            "title": entry.title,
            "link": entry.link,
            "summary": entry.get("summary", ""),
            "author": entry.get("author", ""),
            "tags": [tag.term for tag in entry.get("tags", [])],
        }
        for entry in parsed.entries
    ]


def fetch_feed(client, url: str, kind: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return check_feed(kind, response.content)


@pytest.fixture
def series_with_parts(memories, django_user_model):
    pages = memories()
    author = django_user_model.objects.create_user(
        "satoshi", password="x", first_name="Satoshi", last_name="Kon"
    )
    series = reload(pages["series"])
    series.tags.add("anime", "anthology")
    series.save_revision().publish()
    rose = reload(pages["rose"])
    rose.owner = author
    rose.save_revision().publish()
    return {**pages, "series": reload(series), "rose": reload(rose), "author": author}


@pytest.mark.parametrize("kind", KINDS)
def test_published_parts_only_newest_first_with_their_details(client, series_with_parts, kind):
    pages = series_with_parts
    stink = publish(pages["stink"])
    later = dt.timedelta(hours=1)
    Page.objects.filter(pk=stink.pk).update(first_published_at=stink.first_published_at + later)

    parsed = fetch_feed(client, "/memories/" + KINDS[kind], kind)
    items = items_of(kind, parsed)
    # Stink Bomb is newer; Cannon Fodder is forthcoming, never an item.
    assert [item["title"] for item in items] == [
        "Part 2: Stink Bomb",
        "Part 1: Magnetic Rose",
    ]
    assert [item["link"] for item in items] == [
        "http://localhost/memories/stink-bomb/",
        "http://localhost/memories/magnetic-rose/",
    ]
    rose = items[1]
    assert rose["summary"] == "A salvage crew answers a distress call."  # SeriesPart's intro
    assert rose["author"] == "Satoshi Kon"
    assert items[0]["summary"] == "A cold remedy goes very wrong."  # no intro: the teaser
    assert items[0]["author"] == ""  # no owner's full name: none
    assert sorted(rose["tags"]) == ["anime", "anthology"]
    assert "Cannon Fodder" not in json.dumps(items)


@pytest.mark.parametrize("kind", KINDS)
def test_channel_carries_the_series_metadata(client, series_with_parts, kind):
    body = client.get("/memories/" + KINDS[kind]).content
    parsed = check_feed(kind, body)
    if kind == "json":
        assert parsed["title"] == "Memories"
        assert parsed["description"] == "An anthology, one short at a time."
        assert parsed["home_page_url"] == "http://localhost/memories/"
        assert parsed["feed_url"] == "http://localhost/memories/feed/json/"
    else:
        assert parsed.feed.title == "Memories"
        assert parsed.feed.link == "http://localhost/memories/"
        assert "An anthology, one short at a time." in (
            parsed.feed.get("subtitle") or parsed.feed.get("description")
        )


def test_cover_image_is_the_channel_image(client, series_with_parts):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Cover", file=get_test_image_file())
    series = reload(series_with_parts["series"])
    series.cover_image = image
    series.save_revision().publish()
    rss = check_feed("rss", client.get("/memories/feed/").content)
    atom = check_feed("atom", client.get("/memories/feed/atom/").content)
    as_json = check_feed("json", client.get("/memories/feed/json/").content)
    assert rss.feed.image.href.startswith("http://localhost/media/images/")
    assert atom.feed.logo == rss.feed.image.href == as_json["icon"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_id_never_changes(client, series_with_parts, kind):
    """Ids come from the page id and the first publication: edits, moves, republishing keep them."""
    pages = series_with_parts
    stink = publish(pages["stink"])
    url = "/memories/" + KINDS[kind]

    def stink_id() -> str:
        items = items_of(kind, fetch_feed(client, url, kind))
        (item,) = [i for i in items if "Stink" in i["title"]]
        return item["id"]

    first = stink_id()
    assert first.startswith("tag:localhost,")
    assert first.endswith(f":wagtail-series/part/{stink.pk}")
    retitled = reload(stink)
    retitled.title = "Stink Bomb (director's cut)"
    retitled.save_revision().publish()
    reload(retitled).move(reload(pages["series"]), pos="first-child")
    reload(retitled).unpublish()
    publish(retitled)
    assert stink_id() == first


def test_forthcoming_parts_and_drafts_never_become_items(client, series_with_parts):
    """Their rows hold draft text: nothing of it may reach a feed."""
    pages = series_with_parts
    stink = reload(pages["stink"])
    stink.intro = "DRAFT INTRO"
    stink.save()
    rose = reload(pages["rose"])
    rose.intro = "NEWER DRAFT INTRO"
    rose.save_revision()  # not published
    for kind, path in KINDS.items():
        body = client.get("/memories/" + path).content.decode()
        assert "DRAFT INTRO" not in body, kind
        assert "Stink Bomb" not in body, kind


@pytest.mark.parametrize("kind", KINDS)
def test_private_parts_are_never_in_feeds_even_for_those_who_may_read_them(
    client, series_with_parts, django_user_model, kind
):
    pages = series_with_parts
    members = add_part(pages["series"], "Members only")
    restrict(members, PageViewRestriction.LOGIN)
    club = Group.objects.create(name="Club")
    restrict(add_part(pages["series"], "Club only"), PageViewRestriction.GROUPS, groups=[club])
    for user in (None, django_user_model.objects.create_superuser("boss", password="x")):
        if user:
            client.force_login(user)
        body = client.get("/memories/" + KINDS[kind]).content.decode()
        assert "Magnetic Rose" in body
        assert "Members only" not in body and "Club only" not in body


@pytest.mark.parametrize("kind", KINDS)
def test_a_private_or_unpublished_series_has_no_feed(client, home, django_user_model, kind):
    private = make_series(home, "Private")
    add_part(private, "Secret part")
    restrict(private, PageViewRestriction.LOGIN)
    secret = make_series(home, "Password")
    restrict(secret, PageViewRestriction.PASSWORD, password="x")
    draft = make_series(home, "Draft series", live=False)
    add_part(draft, "Live part of a draft series")
    for url in ("/private/", "/password/", "/draft-series/"):
        # A 404, not Wagtail's login redirect or password form: feeds are public documents.
        assert client.get(url + KINDS[kind]).status_code == 404
    client.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    assert client.get("/private/" + KINDS[kind]).status_code == 404


def test_child_parts_are_still_routed_below_the_series(client, series_with_parts):
    assert client.get("/memories/magnetic-rose/").status_code == 200
    assert client.get("/memories/").status_code == 200
    assert client.get("/memories/feed/nope/").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_conditional_get(client, series_with_parts, kind, monkeypatch):
    url = "/memories/" + KINDS[kind]
    first = client.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]

    # A 304 needs no feed built: fail loudly if the view tried.
    def not_built(*args, **kwargs):
        raise AssertionError("the feed was built for a 304")

    monkeypatch.setattr(feed_views, "series_feed_data", not_built)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    monkeypatch.undo()

    publish(series_with_parts["stink"])
    second = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200
    assert second.headers["ETag"] != etag
    assert b"Stink Bomb" in second.content


def test_feeds_accept_only_safe_methods(client, series_with_parts):
    assert client.post("/memories/feed/").status_code == 405
    assert client.head("/memories/feed/").status_code == 200


def test_a_rendered_feed_is_cached_under_the_series_version(client, series_with_parts, settings):
    url = "/memories/feed/json/"
    assert b"Magnetic Rose" in client.get(url).content
    # A change that bypasses every signal (no version bump) is not seen: the feed came from cache.
    Page.objects.filter(pk=series_with_parts["rose"].pk).update(title="Renamed quietly")
    assert b"Magnetic Rose" in client.get(url).content
    # Any visible change bumps the version, so the next request builds the feed again.
    publish(series_with_parts["stink"])
    body = client.get(url).content
    assert b"Renamed quietly" in body and b"Stink Bomb" in body
    # Caching can be turned off.
    settings.WAGTAIL_SERIES = {"FEED_CACHE_TIMEOUT": 0}
    Page.objects.filter(pk=series_with_parts["rose"].pk).update(title="Renamed again")
    assert b"Renamed again" in client.get(url).content


# PostgreSQL refuses NUL in text and enforces max_length; SQLite (and old data) may hold both.
def hostile(text: str) -> str:
    return text if connection.vendor == "sqlite" else text.replace("\x00", "")


HOSTILE_TITLE = "Bad\x00\x01\x08\x0b\x0c\x0e\x1f\x7f <b>bold</b> & <script>x</script> ]]>"


@pytest.mark.parametrize("kind", KINDS)
def test_control_characters_markup_and_huge_titles_never_break_a_feed(client, home, kind):
    description = hostile("<p>Desc\x00ription \x1f<i>x</i></p>")
    series = make_series(home, "Hostile", description=description)
    series.tags.add("tag\x0bwith control")
    series.save_revision().publish()
    part = add_part(series, "Fine title", intro=hostile("Intro \x00 with \x07 bell & <markup>"))
    huge = add_part(series, "Huge")
    # Straight into the database, as imports and old data do: no validation on the way.
    Page.objects.filter(pk=part.pk).update(title=hostile(HOSTILE_TITLE))
    long_title = "Long " * (2000 if connection.vendor == "sqlite" else 51)  # 10 kB, or 255
    Page.objects.filter(pk=huge.pk).update(title=long_title)
    parsed = fetch_feed(client, "/hostile/" + KINDS[kind], kind)
    titles = [item["title"] for item in items_of(kind, parsed)]
    assert len(titles) == 2
    hostile_title = next(t for t in titles if t.startswith("Part 1"))
    assert "Bad <b>bold</b> & <script>x</script> ]]>" in hostile_title  # text, not markup
    assert all(len(title) <= 300 for title in titles)


def test_text_cleaning():
    every_control = "".join(chr(c) for c in [*range(0x20), 0x7F])
    assert clean(f"a{every_control}b") == "a b"  # tab, newline, return: whitespace
    assert clean("x" * 10_000, 300) == "x" * 299 + "…"
    assert plain_text("<p>Fish &amp; <b>chips</b>\x00</p>") == "Fish & chips"


@pytest.mark.parametrize("kind", SITE_FEEDS)
def test_site_feed_lists_new_parts_of_every_public_series(client, series_with_parts, home, kind):
    other = make_series(home, "Robot Carnival")
    add_part(other, "Opening")
    private = make_series(home, "Private")
    add_part(private, "Secret part")
    restrict(private, PageViewRestriction.LOGIN)
    add_part(series_with_parts["series"], "Members only", state="published")
    restrict(Page.objects.get(title="Members only"), PageViewRestriction.LOGIN)

    parsed = fetch_feed(client, SITE_FEEDS[kind], kind)
    titles = [item["title"] for item in items_of(kind, parsed)]
    assert titles == ["Robot Carnival, Part 1: Opening", "Memories, Part 1: Magnetic Rose"]


def test_site_feed_conditional_get_follows_every_series(client, series_with_parts):
    first = client.get("/series/feed/")
    assert client.get("/series/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    publish(series_with_parts["stink"])
    assert client.get("/series/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_feed_items_setting_caps_the_items(client, home, settings):
    series = make_series(home, "Long")
    for i in range(5):
        add_part(series, f"Part {i}", state="live")
    settings.WAGTAIL_SERIES = {"FEED_ITEMS": 2}
    assert len(check_feed("json", client.get("/long/feed/json/").content)["items"]) == 2
    assert len(check_feed("json", client.get("/series/feed/json/").content)["items"]) == 2


def feed_links(html: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [(link["type"], link["href"]) for link in soup.select('head link[rel="alternate"]')]


def test_autodiscovery_links_on_the_series_and_its_parts(client, series_with_parts, home):
    expected = [
        ("application/rss+xml", "/memories/feed/"),
        ("application/atom+xml", "/memories/feed/atom/"),
        ("application/feed+json", "/memories/feed/json/"),
    ]
    assert feed_links(client.get("/memories/").content.decode()) == expected
    assert feed_links(client.get("/memories/magnetic-rose/").content.decode()) == expected
    # A host page type's template with {% series_head %} gets them too.
    add_part(series_with_parts["series"], "Blog part", model=BlogPage)
    assert feed_links(client.get("/memories/blog-part/").content.decode()) == expected


def test_no_autodiscovery_links_where_there_is_no_public_feed(client, home, django_user_model):
    private = make_series(home, "Private")
    add_part(private, "Secret part")
    restrict(private, PageViewRestriction.LOGIN)
    client.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    assert client.get("/private/").status_code == 200
    assert feed_links(client.get("/private/").content.decode()) == []
    assert feed_links(client.get("/private/secret-part/").content.decode()) == []


def build_long_series(home, parts: int) -> SeriesPage:
    """``parts`` published parts of two page types, with a forthcoming and a private part."""
    series = make_series(home, "Long")
    series.tags.add("one", "two")
    series.save_revision().publish()
    for i in range(parts - 2):
        add_part(series, f"Part {i}", state="live", **({"model": BlogPage} if i % 10 == 5 else {}))
    add_part(series, "Coming", state="draft", forthcoming_teaser="Soon.")
    restrict(add_part(series, "Members", state="live"), PageViewRestriction.LOGIN)
    for i in range(1 if parts < 100 else 4):  # more series too: the site feed reads them all
        add_part(make_series(home, f"Other {i}"), f"Elsewhere {i}", state="live")
    return reload(series)


@pytest.mark.parametrize("parts", [3, 300])
def test_feed_queries_do_not_grow_with_the_series(
    client, home, settings, parts, django_assert_num_queries
):
    settings.WAGTAIL_SERIES = {"FEED_CACHE_TIMEOUT": 0, "FEED_ITEMS": 1000}
    build_long_series(home, parts)
    others = 1 if parts < 100 else 4
    client.get("/long/feed/")  # warm Wagtail's site cache and ContentType's cache
    for kind in KINDS:
        with django_assert_num_queries(FEED_QUERIES):
            response = client.get("/long/" + KINDS[kind])
        assert len(items_of(kind, check_feed(kind, response.content))) == parts - 2
    for kind in SITE_FEEDS:
        with django_assert_num_queries(SITE_FEED_QUERIES):
            response = client.get(SITE_FEEDS[kind])
        items = items_of(kind, check_feed(kind, response.content))
        assert len(items) == parts - 2 + others


# Wagtail's routing and view restriction check (site, 2 page lookups, 2 for restrictions), then:
# is the series public (restrictions and their groups: 2), the series version (1), the outline
# (restrictions and groups: 2, one per part type: 3 with LinkedPart), the series' tags (1),
# summaries and authors (one per part type whose own pages are entries: 2).
FEED_QUERIES = 16
# The version (1), the site (1), the visible series (restrictions, series, their tags: 3), the
# outlines (restrictions and groups: 2, one per part type: 3), summaries and authors (2).
SITE_FEED_QUERIES = 12
