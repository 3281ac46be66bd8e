"""GraphQL on several Sites and in several languages: ``series``, ``seriesList`` and
``seriesCount`` answer for the request's Site, ``locale`` fields and arguments."""

from __future__ import annotations

import json

import pytest

from tests.conftest import reload
from tests.contrib.grapple.conftest import URL
from tests.sites_and_locales import FRENCH_TITLES
from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db

ENGLISH_TITLES = ("Memories", "Magnetic Rose", "Stink Bomb", "Cannon Fodder")
LIST = '{ seriesList(order: "title") { title locale url parts { title url } } seriesCount }'


def ask(client, query: str, variables: dict | None = None, **headers) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}})
    response = client.post(URL, body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content[:1000]
    return response.json()


def data(client, query: str, variables: dict | None = None, **headers) -> dict:
    result = ask(client, query, variables, **headers)
    assert "errors" not in result, result["errors"]
    return result["data"]


@pytest.fixture
def sites(two_sites, memories):
    english = memories()
    return {"a": english["series"], "b": SeriesPage.objects.get(title="Other site series")}


def test_each_host_sees_only_its_own_series(client, sites):
    on_a = data(client, LIST)
    on_b = data(client, LIST, HTTP_HOST="b.example")
    assert [s["title"] for s in on_a["seriesList"]] == ["Memories"] and on_a["seriesCount"] == 1
    assert [s["title"] for s in on_b["seriesList"]] == ["Other site series"]
    assert on_b["seriesCount"] == 1
    # Relative on the request's own Site, as Wagtail's page.url.
    assert on_b["seriesList"][0]["parts"][0]["url"] == "/other-site-series/other-site-part/"


def test_another_sites_series_is_null(client, sites):
    query = "query ($id: ID, $slug: String) { series(id: $id, slug: $slug) { title } }"
    assert data(client, query, {"id": sites["b"].pk})["series"] is None
    assert data(client, query, {"slug": "other-site-series"})["series"] is None
    assert data(client, query, {"id": sites["a"].pk}, HTTP_HOST="b.example")["series"] is None
    found = data(client, query, {"slug": "other-site-series"}, HTTP_HOST="b.example")
    assert found["series"] == {"title": "Other site series"}


def test_all_sites_is_an_opt_in(client, sites, settings):
    settings.WAGTAIL_SERIES = {"API_ALL_SITES": True}
    result = data(client, LIST)
    assert [s["title"] for s in result["seriesList"]] == ["Memories", "Other site series"]
    assert result["seriesCount"] == 2
    # Another Site's page: absolute, on that Site.
    assert result["seriesList"][1]["url"] == "http://b.example/other-site-series/"


def test_site_b_never_shows_on_site_a_and_the_reverse(client, sites):
    on_a = json.dumps(ask(client, LIST))
    on_b = json.dumps(ask(client, LIST, HTTP_HOST="b.example"))
    assert "Other site" not in on_a and "b.example" not in on_a
    assert not any(title in on_b for title in ENGLISH_TITLES)


@pytest.fixture
def both(bilingual):
    pages = bilingual()
    stink = reload(pages["fr"]["stink"])
    stink.intro = "CANARY-brouillon"
    stink.save_revision()
    return pages


def test_locale_field_and_argument(client, both):
    result = data(client, LIST)
    assert [(s["title"], s["locale"]) for s in result["seriesList"]] == [
        ("Memories", "en"),
        ("Souvenirs", "fr"),
    ]
    french = data(client, '{ seriesList(locale: "fr") { title locale } seriesCount(locale: "fr") }')
    assert french == {"seriesList": [{"title": "Souvenirs", "locale": "fr"}], "seriesCount": 1}
    english = data(client, '{ seriesCount(locale: "en") }')
    assert english == {"seriesCount": 1}


def test_an_unknown_locale_is_an_error_that_says_which_exist(client, both):
    for query in (
        '{ seriesList(locale: "xx") { title } }',
        '{ seriesCount(locale: "xx") }',
        '{ series(slug: "memories", locale: "xx") { title } }',
    ):
        result = ask(client, query)
        assert [e["message"] for e in result["errors"]] == ["locale must be one of: en, fr."]


def test_series_by_slug_takes_the_locale(client, both):
    query = (
        "query ($slug: String, $locale: String) "
        "{ series(slug: $slug, locale: $locale) { title locale } }"
    )
    assert data(client, query, {"slug": "souvenirs", "locale": "fr"})["series"] == {
        "title": "Souvenirs",
        "locale": "fr",
    }
    assert data(client, query, {"slug": "memories", "locale": "fr"})["series"] is None
    assert data(client, query, {"slug": "memories"})["series"]["title"] == "Memories"
    assert data(client, query, {"slug": "souvenirs"})["series"]["title"] == "Souvenirs"


def test_a_shared_slug_follows_the_active_language(client, both, settings):
    # Django's LocaleMiddleware keeps the default language on URLs outside i18n_patterns when
    # prefix_default_language=False (tests.urls_i18n): without it, Accept-Language decides.
    settings.ROOT_URLCONF = "tests.urls"
    french = reload(both["fr"]["series"])
    french.slug = "memories"
    french.save_revision().publish()
    query = '{ series(slug: "memories") { title } }'
    assert data(client, query, HTTP_ACCEPT_LANGUAGE="fr")["series"]["title"] == "Souvenirs"
    assert data(client, query, HTTP_ACCEPT_LANGUAGE="en")["series"]["title"] == "Memories"


def test_english_and_french_answers_never_mix(client, both):
    entries = "title locale parts { title teaser url }"
    english = json.dumps(ask(client, f'{{ seriesList(locale: "en") {{ {entries} }} }}'))
    french = json.dumps(
        ask(client, f'{{ seriesList(locale: "fr") {{ {entries} }} }}'), ensure_ascii=False
    )
    assert not any(title in english for title in FRENCH_TITLES.values())
    assert not any(title in french for title in ENGLISH_TITLES)
    assert "CANARY" not in english + french
    assert "/fr/souvenirs/la-rose-magnetique/" in french
