"""A translated series is read per locale tree: each language's parts, numbering, table of
contents, previous/next and rich-text auto-links are its own (Wagtail's built-in i18n,
``copy_for_translation``, French under ``/fr/``)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html

from tests.conftest import add_part, page_link, publish, reload
from tests.sites_and_locales import FRENCH_TITLES
from wagtail_series.models import SeriesPart
from wagtail_series.rich_text import forthcoming_link_tag

ENGLISH_TITLES = {
    "series": "Memories",
    "rose": "Magnetic Rose",
    "stink": "Stink Bomb",
    "cannon": "Cannon Fodder",
}


def text(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def tidy(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def with_draft_canaries(pages, canary) -> dict[str, str]:
    """Put a canary in each language's draft Stink Bomb (its row holds the draft)."""
    canaries = {}
    for language in ("en", "fr"):
        stink = reload(pages[language]["stink"])
        canaries[language] = canary(f"{language} draft")
        stink.intro = canaries[language]
        stink.save()
        stink.save_revision()
    return canaries


def test_the_french_part_page_shows_the_french_series_only(bilingual, client):
    pages = bilingual()
    html = tidy(text(client, pages["fr"]["rose"]))
    assert "Part 1 sur 3 de" in html
    assert '<a href="/fr/souvenirs/">Souvenirs</a>' in html
    # Table of contents: the French parts, numbered within the French series.
    toc = html[html.index('class="series-toc"') :]
    labels = re.findall(r'series-toc__label">(Part \d)\s?:</span>', toc)  # French: "Part 1 :"
    assert labels == ["Part 1", "Part 2", "Part 3"]
    for key in ("rose", "stink", "cannon"):
        assert FRENCH_TITLES[key] in toc
    assert "Un remède contre le rhume tourne très mal." in toc  # the French teaser
    assert '<html lang="fr">' in html
    # Next: the French forthcoming part.
    assert re.search(r"Suivant\s?: Part 2\s?: Boule puante \(bientôt disponible", html)
    for title in ENGLISH_TITLES.values():
        assert title not in html


def test_the_english_pages_show_the_english_series_only(bilingual, client):
    pages = bilingual()
    for key in ("rose", "series"):
        html = tidy(text(client, pages["en"][key]))
        assert ENGLISH_TITLES["stink"] in html and ENGLISH_TITLES["cannon"] in html
        for title in FRENCH_TITLES.values():
            assert title not in html
        assert "/fr/" not in html
    html = tidy(text(client, pages["en"]["rose"]))
    assert "Part 1 of 3 in" in html
    assert "Part 2: Stink Bomb (coming soon" in html


def test_the_french_series_page_lists_the_french_parts(bilingual, client):
    pages = bilingual()
    html = tidy(text(client, pages["fr"]["series"]))
    positions = [html.index(FRENCH_TITLES[key]) for key in ("rose", "stink", "cannon")]
    assert positions == sorted(positions)
    assert '<a href="/fr/souvenirs/la-rose-magnetique/"' in html
    for title in ENGLISH_TITLES.values():
        assert title not in html


def test_a_draft_never_shows_in_the_other_language_nor_its_own(bilingual, client, canary):
    pages = bilingual()
    canaries = with_draft_canaries(pages, canary)
    for language in ("en", "fr"):
        for key in ("series", "rose"):
            html = text(client, pages[language][key])
            for value in canaries.values():
                assert value not in html


def test_previous_and_next_stay_in_the_locale_tree(bilingual, client):
    pages = bilingual()
    publish(pages["fr"]["stink"])
    html = tidy(text(client, reload(pages["fr"]["stink"])))
    assert "Part 2 sur 3 de" in html
    assert '<a href="/fr/souvenirs/la-rose-magnetique/"' in html  # previous
    assert "Chair à canon" in html  # next, forthcoming
    assert "Magnetic Rose" not in html and "Cannon Fodder" not in html
    # The English Stink Bomb is still a draft: English readers see it coming.
    html = tidy(text(client, pages["en"]["rose"]))
    assert "Part 2: Stink Bomb (coming soon" in html


# --- Auto-links: the done-when scenario ----------------------------------------------------------

STINK_FR = '<a href="/fr/souvenirs/boule-puante/">Boule puante</a>'
STINK_EN = '<a href="/memories/stink-bomb/">Stink Bomb</a>'


def body(client, page) -> str:
    html = text(client, page)
    return html[html.index('class="series-part__body"') : html.index("series-part-nav")]


@pytest.mark.parametrize("links_to", ["fr", "en"])
def test_publishing_the_french_stink_bomb_links_only_the_french_mentions(
    bilingual, client, links_to
):
    pages = bilingual(links_to=links_to)
    publish(pages["fr"]["stink"])
    assert STINK_FR in body(client, pages["fr"]["rose"])
    english = body(client, pages["en"]["rose"])
    assert f"{forthcoming_link_tag()}Stink Bomb</a>" in english
    assert "/fr/" not in english and 'href="/memories/stink-bomb/"' not in english


@pytest.mark.parametrize("links_to", ["fr", "en"])
def test_publishing_the_english_stink_bomb_links_only_the_english_mentions(
    bilingual, client, links_to
):
    pages = bilingual(links_to=links_to)
    publish(pages["en"]["stink"])
    assert STINK_EN in body(client, pages["en"]["rose"])
    french = body(client, pages["fr"]["rose"])
    # A French reader is not sent to the English part while the French one is coming.
    assert f"{forthcoming_link_tag()}Boule puante</a>" in french
    assert "/memories/" not in french


# --- Links to a part in another locale --------------------------------------------------------


def test_a_link_to_an_english_part_follows_the_readers_locale(bilingual, client):
    pages = bilingual(links_to="en")
    french = body(client, pages["fr"]["rose"])
    assert french.count("series-forthcoming-link") == 2
    for key in ("stink", "cannon"):
        publish(pages["fr"][key])
    french = body(client, pages["fr"]["rose"])
    assert STINK_FR in french
    assert '<a href="/fr/souvenirs/chair-a-canon/">Chair à canon</a>' in french


def test_a_link_follows_the_active_language_both_ways(bilingual):
    pages = bilingual()
    publish(pages["en"]["stink"])
    french_link = page_link(pages["fr"]["stink"], "x")
    english_link = page_link(pages["en"]["stink"], "x")
    with translation.override("en"):
        # The French part is linked, the English reader gets the English one (live).
        assert expand_db_html(french_link) == '<a href="/memories/stink-bomb/">x</a>'
    with translation.override("fr"):
        # The English part is linked, the French reader gets the French one (forthcoming).
        assert expand_db_html(english_link) == f"{forthcoming_link_tag()}x</a>"


def test_a_link_without_a_translation_falls_back_to_the_linked_page(bilingual):
    pages = bilingual(links_to="en")
    english_only = add_part(pages["en"]["series"], "Akira notes")
    draft_only = add_part(pages["en"]["series"], "Roujin Z", state="draft")
    html = page_link(english_only, "Akira") + page_link(draft_only, "Roujin")
    with translation.override("fr"):
        assert expand_db_html(html) == (
            f'<a href="/memories/akira-notes/">Akira</a>{forthcoming_link_tag()}Roujin</a>'
        )


def test_a_draft_translation_that_is_no_part_falls_back_as_wagtail_does(bilingual, home):
    # Wagtail's page.localized: a translation that is not live is not linked.
    pages = bilingual()
    french_home = home.get_translation(Locale.objects.get(language_code="fr"))
    french_home.unpublish()
    with translation.override("fr"):
        assert expand_db_html(page_link(home, "home")) == f'<a href="{home.url}">home</a>'
    assert pages["fr"]["series"].live


def translated_parts(pages, count: int) -> str:
    """``count`` English parts in the English series, each with a French translation (a third
    of them drafts, so forthcoming) in the French series; a body linking to the English ones."""
    english, french = pages["en"]["series"], pages["fr"]["series"]
    fr = Locale.objects.get(language_code="fr")
    links = []
    for i in range(count):
        source = add_part(english, f"Extra {i}", state="live")
        part = SeriesPart(
            title=f"Supplément {i}",
            slug=f"supplement-{i}",
            live=i % 3 != 0,
            locale=fr,
            translation_key=source.translation_key,
        )
        french.add_child(instance=part)
        links.append(page_link(source, f"lien {i}"))
    return "".join(links)


@pytest.mark.parametrize("count", [3, 300])
def test_cross_locale_links_take_constant_queries(bilingual, count):
    pages = bilingual()
    html = translated_parts(pages, count)
    with translation.override("fr"):
        expand_db_html(html)  # warm the content type and site caches
        with CaptureQueriesContext(connection) as queries:
            out = expand_db_html(html)
    # The pages and their translations, the part type, the parts' series: as without i18n.
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert out.count("series-forthcoming-link") == len(range(0, count, 3))
    assert out.count('href="/fr/souvenirs/supplement-') == count - len(range(0, count, 3))
