"""wagtail-localize: the announcement is translated, its date and switch are synced, and a
series translated and published by sync is read per locale (run by ``make test-localize``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import TestCase
from wagtail.models import Locale
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from tests.conftest import publish, reload
from tests.sites_and_locales import FRENCH_TITLES
from wagtail_series.models import SeriesPart
from wagtail_series.rich_text import forthcoming_link_tag

pytestmark = pytest.mark.django_db

FRENCH = {
    "Memories": FRENCH_TITLES["series"],
    "Magnetic Rose": FRENCH_TITLES["rose"],
    "Stink Bomb": FRENCH_TITLES["stink"],
    "Cannon Fodder": FRENCH_TITLES["cannon"],
    "Cannon Fodder (working title)": "Chair à canon (titre provisoire)",
    "A cold remedy goes very wrong.": "Un remède contre le rhume tourne très mal.",
    "A city built around its guns.": "Une ville bâtie autour de ses canons.",
    # The rich text's links keep the English parts' ids (as wagtail-localize leaves them).
    'Next come <a id="a1">Stink Bomb</a> and <a id="a2">Cannon Fodder</a>.': (
        'Viennent ensuite <a id="a1">Boule puante</a> et <a id="a2">Chair à canon</a>.'
    ),
    "memories": "souvenirs",
    "magnetic-rose": "la-rose-magnetique",
    "stink-bomb": "boule-puante",
    "cannon-fodder": "chair-a-canon",
}


@pytest.fixture
def fr(db) -> Locale:
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def english(memories):
    pages = memories()
    cannon = reload(pages["cannon"])
    cannon.forthcoming_title = "Cannon Fodder (working title)"
    cannon.save()
    cannon.save_revision()
    return {**pages, "cannon": reload(cannon)}


def translate(page, locale: Locale, *, publish: bool | None = None):
    """Translate ``page`` with wagtail-localize: every string segment (French where known),
    then ``create_or_update_translation``, published when the source is live."""
    source, _created = TranslationSource.update_or_create_from_instance(reload(page))
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        text = segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": FRENCH.get(text, f"[fr] {text}")},
        )
    live = page.live if publish is None else publish
    # wagtail-localize publishes once the transaction commits (and propagation follows).
    with TestCase.captureOnCommitCallbacks(execute=True):
        translated, _created = source.create_or_update_translation(
            locale, publish=live, copy_parent_pages=True, fallback=True
        )
    return reload(translated)


def contexts(page) -> set[str]:
    source, _created = TranslationSource.get_or_create_from_instance(reload(page))
    return set(StringSegment.objects.filter(source=source).values_list("context__path", flat=True))


def test_the_announcement_is_translatable_and_its_date_and_switch_are_synced():
    fields = {field.field_name: type(field) for field in get_translatable_fields(SeriesPart)}
    assert fields["title"] is TranslatableField  # the forthcoming title's default
    assert fields["forthcoming_title"] is TranslatableField
    assert fields["forthcoming_teaser"] is TranslatableField
    assert fields["expected_date"] is SynchronizedField
    assert fields["announce_forthcoming"] is SynchronizedField


def test_the_announcement_fields_are_extracted_as_segments(english):
    assert {"title", "forthcoming_teaser"} <= contexts(english["stink"])
    assert {"title", "forthcoming_title", "forthcoming_teaser"} <= contexts(english["cannon"])


@pytest.fixture
def french(english, fr, home):
    # The home page first, published: Wagtail serves /fr/ from a live translation of the root.
    translate(home, fr)
    cache.clear()  # Wagtail's site root paths, cached without the translation
    return {key: translate(english[key], fr) for key in ("series", "rose", "stink", "cannon")}


def test_the_translation_syncs_the_expected_date_and_switch(english, french):
    stink, cannon = french["stink"], french["cannon"]
    assert not stink.live and stink.announce_forthcoming
    assert stink.expected_date == dt.date(2027, 1, 15)
    assert stink.forthcoming_teaser == FRENCH["A cold remedy goes very wrong."]
    assert cannon.forthcoming_title == "Chair à canon (titre provisoire)"


def test_a_series_translated_with_wagtail_localize_is_read_per_locale(english, french, client):
    html = client.get(french["rose"].url).content.decode()
    assert french["rose"].url == "/fr/souvenirs/la-rose-magnetique/"
    assert "Part 1 sur 3 de" in html
    assert "Chair à canon (titre provisoire)" in html and "Boule puante" in html
    for title in ("Memories", "Magnetic Rose", "Stink Bomb", "Cannon Fodder"):
        assert title not in html
    # The body's links still point at the English parts: they follow the French reader.
    assert f"{forthcoming_link_tag()}Boule puante</a>" in html
    assert f"{forthcoming_link_tag()}Chair à canon</a>" in html
    english_html = client.get(english["rose"].url).content.decode()
    for title in FRENCH.values():
        assert title not in english_html


def test_publishing_by_sync_links_only_the_french_mentions(english, french, fr, client):
    publish(english["stink"])
    english_html = client.get(english["rose"].url).content.decode()
    assert 'href="/memories/stink-bomb/"' in english_html
    assert "/fr/souvenirs/boule-puante/" not in client.get(french["rose"].url).content.decode()
    # The editor syncs the translation and publishes it.
    stink = translate(reload(english["stink"]), fr)
    assert stink.live
    html = client.get(french["rose"].url).content.decode()
    assert 'href="/fr/souvenirs/boule-puante/"' in html
    assert 'href="/memories/stink-bomb/"' not in html


def test_a_synced_date_purges_the_translated_series(english, french, fr, purged):
    cannon = reload(english["cannon"])
    cannon.expected_date = dt.date(2027, 6, 1)
    cannon.save()
    cannon.save_revision()
    purged.clear()
    synced = translate(cannon, fr)  # a draft: its announcement changed
    assert synced.expected_date == dt.date(2027, 6, 1)
    urls = set().union(*purged)
    assert "http://localhost/fr/souvenirs/" in urls
    assert "http://localhost/fr/souvenirs/la-rose-magnetique/" in urls
