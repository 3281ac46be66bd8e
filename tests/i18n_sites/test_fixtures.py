"""The multilingual and multi-site fixtures build what they say (the other tests rely on it)."""

from __future__ import annotations

from wagtail.models import Locale

from tests.sites_and_locales import FRENCH_TITLES


def test_bilingual_series_has_a_french_tree_under_fr(bilingual, client):
    pages = bilingual()
    french = pages["fr"]
    assert french["series"].locale == Locale.objects.get(language_code="fr")
    assert french["series"].translation_key == pages["en"]["series"].translation_key
    assert not french["stink"].live and french["rose"].live
    assert french["rose"].url.startswith("/fr/")
    assert [p.title for p in french["series"].get_children()][0] == FRENCH_TITLES["rose"]
    response = client.get(french["rose"].url)
    assert response.status_code == 200
    assert FRENCH_TITLES["rose"] in response.content.decode()
    # English keeps its unprefixed URLs.
    assert client.get(pages["en"]["rose"].url).status_code == 200
    assert not pages["en"]["rose"].url.startswith("/en/")


def test_two_sites_each_serve_their_own_home(two_sites, client):
    response = client.get("/", HTTP_HOST="b.example")
    assert response.status_code == 200
    assert "Site B home" in response.content.decode()
    assert client.get("/other-site-series/", HTTP_HOST="b.example").status_code == 200
    assert client.get("/other-site-series/").status_code == 404
