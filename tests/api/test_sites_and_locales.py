"""The series endpoint on several Sites and in several languages: scoped like Wagtail's pages
endpoint, absolute URLs from each page's own Site, ``locale``, ``translation_of``, ``site``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, reload, restrict
from tests.sites_and_locales import FRENCH_TITLES
from wagtail_series.models import SeriesPage

pytestmark = pytest.mark.django_db

LIST = "/api/v2/series/"
B = {"HTTP_HOST": "b.example"}
ENGLISH_TITLES = ("Memories", "Magnetic Rose", "Stink Bomb", "Cannon Fodder")
# Put in a French part's draft: no response may ever show it.
FRENCH_DRAFT_CANARY = "CANARY-brouillon-jamais-publie"


def detail(series) -> str:
    return f"/api/v2/series/{series.pk}/"


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response.json()


def titles(data) -> list[str]:
    return [item["title"] for item in data["items"]]


@pytest.fixture
def sites(two_sites, memories):
    """Site A (the default, localhost) with "Memories", site B (b.example) with its own series."""
    english = memories()
    series_b = SeriesPage.objects.get(title="Other site series")
    return {"a": english["series"], "b": series_b, "sites": two_sites}


# --- Sites -----------------------------------------------------------------------------------


def test_each_host_lists_only_its_own_series_with_its_own_urls(client, sites):
    on_a = get_json(client, LIST)
    on_b = get_json(client, LIST, **B)
    assert titles(on_a) == ["Memories"] and on_a["meta"]["total_count"] == 1
    assert titles(on_b) == ["Other site series"] and on_b["meta"]["total_count"] == 1
    assert on_a["items"][0]["meta"]["html_url"] == "http://localhost/memories/"
    assert on_b["items"][0]["meta"]["html_url"] == "http://b.example/other-site-series/"


def test_detail_has_the_sites_own_absolute_urls(client, sites, settings):
    # The example site sets WAGTAILAPI_BASE_URL to site A's host: it must not leak into site B.
    settings.WAGTAILAPI_BASE_URL = "http://localhost:8000"
    data = get_json(client, detail(sites["b"]), **B)
    assert data["meta"]["html_url"] == "http://b.example/other-site-series/"
    assert [p["url"] for p in data["parts"]] == [
        "http://b.example/other-site-series/other-site-part/"
    ]
    data = get_json(client, detail(sites["a"]))
    assert data["meta"]["html_url"] == "http://localhost/memories/"
    assert data["parts"][0]["url"] == "http://localhost/memories/magnetic-rose/"


def test_urls_do_not_follow_the_host_header(client, sites):
    # A host no Site has falls back to the default Site, whose record gives the URLs.
    data = get_json(client, detail(sites["a"]), HTTP_HOST="127.0.0.1:8000")
    assert data["meta"]["html_url"] == "http://localhost/memories/"


def test_another_sites_series_is_a_404(client, sites):
    get_json(client, detail(sites["b"]), status=404)
    get_json(client, detail(sites["a"]), status=404, **B)
    assert client.get(f"{LIST}find/?slug=other-site-series").status_code == 404
    assert client.get(f"{LIST}find/?slug=memories", **B).status_code == 404
    assert get_json(client, f"{LIST}?slug=memories", **B)["items"] == []


def test_the_pages_endpoints_series_field_uses_the_parts_own_site(client, sites, settings):
    settings.WAGTAILAPI_BASE_URL = "http://localhost:8000"
    part = reload(sites["b"]).get_children().live().first()
    data = get_json(client, f"/api/v2/pages/{part.pk}/", **B)
    assert data["series"]["url"] == "http://b.example/other-site-series/"


def test_site_parameter_picks_a_site_as_in_wagtails_pages_endpoint(client, sites):
    data = get_json(client, f"{LIST}?site=b.example")
    assert titles(data) == ["Other site series"]
    assert data["items"][0]["meta"]["html_url"] == "http://b.example/other-site-series/"
    assert get_json(client, f"{detail(sites['b'])}?site=b.example")["title"] == "Other site series"
    assert client.get(f"{LIST}find/?slug=other-site-series&site=b.example").status_code == 302
    assert get_json(client, f"{LIST}?site=b.example:80")["meta"]["total_count"] == 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("nowhere.example", "There is no site 'nowhere.example'."),
        ("b.example:8080", "There is no site 'b.example:8080'."),
        ("b example", "site must be a hostname"),
    ],
)
def test_an_unknown_site_is_a_400(client, sites, value, message):
    data = get_json(client, f"{LIST}?site={value}", status=400)
    assert message in data["message"]


def test_all_sites_listing_is_an_opt_in(client, sites, settings):
    settings.WAGTAIL_SERIES = {"API_ALL_SITES": True}
    data = get_json(client, LIST + "?order=title")
    assert titles(data) == ["Memories", "Other site series"]
    urls = [item["meta"]["html_url"] for item in data["items"]]
    assert urls == ["http://localhost/memories/", "http://b.example/other-site-series/"]
    assert get_json(client, detail(sites["b"]))["parts"][0]["url"].startswith("http://b.example/")


def test_site_b_never_shows_on_site_a_and_the_reverse(client, sites):
    part_a = reload(sites["a"]).get_children().live().first()
    on_a = b"".join(
        client.get(url).content
        for url in (LIST, detail(sites["a"]), f"/api/v2/pages/{part_a.pk}/", LIST + "?search=site")
    )
    assert b"Other site" not in on_a and b"b.example" not in on_a
    on_b = b"".join(client.get(url, **B).content for url in (LIST, detail(sites["b"])))
    assert not any(title.encode() in on_b for title in ENGLISH_TITLES)


def test_a_sites_queries_do_not_grow_with_the_series(client, two_sites):
    counts = []
    for parts in (3, 300):
        root_b = two_sites["b"].root_page
        series = make_series(root_b, f"Long {parts}")
        for n in range(parts - 1):
            add_part(series, f"P{n}", state="live")
        restrict(add_part(series, "Members", state="live"), PageViewRestriction.LOGIN)
        client.get(detail(series), **B)  # warm caches (site root paths, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert len(get_json(client, detail(series), **B)["parts"]) == parts - 1
        counts.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            get_json(client, LIST, **B)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


# --- Locales ---------------------------------------------------------------------------------


@pytest.fixture
def both(bilingual):
    pages = bilingual()
    stink = reload(pages["fr"]["stink"])
    stink.intro = FRENCH_DRAFT_CANARY
    stink.save_revision()
    return pages


def test_every_series_has_its_locale(client, both):
    data = get_json(client, LIST + "?order=title")
    assert [(i["title"], i["locale"]) for i in data["items"]] == [
        ("Memories", "en"),
        ("Souvenirs", "fr"),
    ]
    assert get_json(client, detail(both["fr"]["series"]))["locale"] == "fr"


def test_locale_filter(client, both):
    assert titles(get_json(client, LIST + "?locale=fr")) == ["Souvenirs"]
    assert titles(get_json(client, LIST + "?locale=en")) == ["Memories"]


@pytest.mark.parametrize("value", ["xx", "f r", "FR-"])
def test_an_unknown_locale_is_a_400_that_says_which_exist(client, both, value):
    data = get_json(client, f"{LIST}?locale={value}", status=400)
    assert data["message"] == "locale must be one of: en, fr."
    assert client.get(f"{LIST}find/?slug=souvenirs&locale={value}").status_code == 400


def test_slug_is_looked_up_in_the_requests_language_then_the_default(client, both):
    assert titles(get_json(client, LIST + "?slug=souvenirs")) == ["Souvenirs"]
    assert titles(get_json(client, LIST + "?slug=memories")) == ["Memories"]
    assert get_json(client, LIST + "?slug=memories&locale=fr")["items"] == []
    french = client.get(f"{LIST}find/?slug=souvenirs")
    assert french.status_code == 302 and french["Location"].endswith(detail(both["fr"]["series"]))
    assert client.get(f"{LIST}find/?slug=souvenirs&locale=en").status_code == 404


def test_a_shared_slug_follows_the_active_language(client, both, settings):
    # Translations often keep their source's slug.
    # Django's LocaleMiddleware keeps the default language on URLs outside i18n_patterns when
    # prefix_default_language=False (tests.urls_i18n): without it, Accept-Language decides.
    settings.ROOT_URLCONF = "tests.urls"
    french = reload(both["fr"]["series"])
    french.slug = "memories"
    french.save_revision().publish()
    english_reader = get_json(client, LIST + "?slug=memories", HTTP_ACCEPT_LANGUAGE="en")
    french_reader = get_json(client, LIST + "?slug=memories", HTTP_ACCEPT_LANGUAGE="fr")
    assert titles(english_reader) == ["Memories"]
    assert titles(french_reader) == ["Souvenirs"]
    found = client.get(f"{LIST}find/?slug=memories", HTTP_ACCEPT_LANGUAGE="fr")
    assert found["Location"].endswith(detail(both["fr"]["series"]))
    # The same URL, two answers: never the same validators.
    assert (
        client.get(LIST + "?slug=memories", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
        != client.get(LIST + "?slug=memories", HTTP_ACCEPT_LANGUAGE="fr")["ETag"]
    )


def test_translation_of(client, both):
    english, french = both["en"]["series"], both["fr"]["series"]
    assert titles(get_json(client, f"{LIST}?translation_of={english.pk}")) == ["Souvenirs"]
    assert titles(get_json(client, f"{LIST}?translation_of={french.pk}")) == ["Memories"]
    message = get_json(client, f"{LIST}?translation_of=999999", status=400)["message"]
    assert message == "translation_of: there is no series with id 999999."
    assert "whole number" in get_json(client, f"{LIST}?translation_of=x", status=400)["message"]


def test_french_series_has_french_urls(client, both):
    data = get_json(client, detail(both["fr"]["series"]))
    assert data["meta"]["html_url"] == "http://localhost/fr/souvenirs/"
    assert data["parts"][0]["url"] == "http://localhost/fr/souvenirs/la-rose-magnetique/"


def test_english_and_french_responses_never_mix(client, both):
    english = b"".join(
        client.get(url).content
        for url in (LIST + "?locale=en", detail(both["en"]["series"]), LIST + "?slug=memories")
    )
    french = b"".join(
        client.get(url).content
        for url in (LIST + "?locale=fr", detail(both["fr"]["series"]), LIST + "?slug=souvenirs")
    )
    assert not any(title.encode() in english for title in FRENCH_TITLES.values())
    assert not any(title.encode() in french for title in ENGLISH_TITLES)
    assert FRENCH_DRAFT_CANARY.encode() not in english + french


def test_without_i18n_locale_is_the_default_locales(client, memories):
    series = memories()["series"]
    assert get_json(client, detail(series))["locale"] == "en"
    assert titles(get_json(client, LIST + "?locale=en")) == ["Memories"]
    assert titles(get_json(client, LIST + "?slug=memories")) == ["Memories"]
    assert (
        "locale must be one of: en." == get_json(client, LIST + "?locale=fr", status=400)["message"]
    )
