"""Each feed declares its real language, is written in it, and never serves one language's bytes,
ETag or 304 for another's."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from lxml import etree

from tests.feeds.validation import check_feed
from wagtail_series.feeds.views import serve_series_feed

pytestmark = pytest.mark.django_db

SITE_FEEDS = {"rss": "/series/feed/", "atom": "/series/feed/atom/", "json": "/series/feed/json/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def declared_language(kind: str, body: bytes) -> str:
    """The language a feed declares: RSS <language>, Atom xml:lang, JSON Feed "language"."""
    check_feed(kind, body)
    if kind == "json":
        return json.loads(body)["language"]
    root = etree.fromstring(body)
    if kind == "atom":
        return root.get(XML_LANG)
    return root.findtext("channel/language")


def titles(kind: str, body: bytes) -> list[str]:
    if kind == "json":
        return [item["title"] for item in json.loads(body)["items"]]
    root = etree.fromstring(body)
    if kind == "atom":
        return [e.text for e in root.iterfind("{http://www.w3.org/2005/Atom}entry/{*}title")]
    return [e.text for e in root.iterfind("channel/item/title")]


@pytest.fixture
def locale_middleware(i18n, settings):
    """The language chosen from the request (cookie, Accept-Language), as most sites do: the
    ``i18n`` fixture installs LocaleMiddleware; without ``i18n_patterns`` (which fix unprefixed
    URLs to the default language), so the request's Accept-Language decides."""
    settings.ROOT_URLCONF = "tests.urls"


def feed_of(series, kind: str, **headers):
    request = RequestFactory().get(series.url + "feed/", **headers)
    request.user = AnonymousUser()
    return serve_series_feed(request, series, kind)


@pytest.mark.parametrize("kind", SITE_FEEDS)
def test_a_series_feed_is_in_its_series_language(memories, translate, kind):
    pages = memories()
    french = translate(pages["series"], "fr")
    translate(pages["rose"], "fr")

    english_feed = feed_of(pages["series"], kind)
    # Whatever the reader's browser prefers: the French series' feed is French.
    french_feed = feed_of(french, kind, HTTP_ACCEPT_LANGUAGE="de")
    assert declared_language(kind, english_feed.content) == "en"
    assert declared_language(kind, french_feed.content) == "fr"
    assert titles(kind, french_feed.content) == [
        "Part 1 : Magnetic Rose"
    ]  # French ":" (feeds fold the no-break space)
    assert titles(kind, english_feed.content) == ["Part 1: Magnetic Rose"]
    assert english_feed["ETag"] != french_feed["ETag"]


def test_without_wagtail_i18n_a_series_feed_is_in_language_code(client, memories, settings):
    memories()
    settings.LANGUAGE_CODE = "de"
    body = client.get("/memories/feed/json/").content
    assert json.loads(body)["language"] == "de"


@pytest.mark.parametrize("kind", SITE_FEEDS)
def test_the_site_feed_is_in_the_request_language_with_its_own_etag(
    client, bilingual, locale_middleware, kind
):
    bilingual()
    url = SITE_FEEDS[kind]
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de")

    assert declared_language(kind, french.content) == "fr"
    assert declared_language(kind, german.content) == "de"
    # One feed per language: the French one lists the French series only; German, which has
    # no locale of its own, the default locale's (English) series, with German words.
    assert titles(kind, french.content) == ["Souvenirs, Part 1 : La Rose magnétique"]
    assert titles(kind, german.content) == ["Memories, Part 1: Magnetic Rose"]
    assert "nouvelles parties" in french.content.decode()
    assert "neue Teile" in german.content.decode()
    assert french["ETag"] != german["ETag"]
    for response in (french, german):
        assert "Accept-Language" in response["Vary"]

    # One language's validator is no validator for the other: a full answer, in German.
    conditional = client.get(url, HTTP_ACCEPT_LANGUAGE="de", HTTP_IF_NONE_MATCH=french["ETag"])
    assert conditional.status_code == 200
    assert declared_language(kind, conditional.content) == "de"
    # ...while each language's own is a 304 that still varies on the language.
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=french["ETag"])
    assert again.status_code == 304
    assert "Accept-Language" in again["Vary"]


def test_the_site_feed_cache_keeps_each_language_apart(client, memories, locale_middleware):
    """The rendered feed is cached: a French request first must not fix the language for all."""
    memories()
    assert (
        b"<language>fr</language>" in client.get("/series/feed/", HTTP_ACCEPT_LANGUAGE="fr").content
    )
    english = client.get("/series/feed/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"<language>en</language>" in english.content
    assert b"<language>fr</language>" not in english.content
