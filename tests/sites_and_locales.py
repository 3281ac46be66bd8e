"""Fixtures for multilingual sites and for several sites in one installation.

- ``i18n``: Wagtail's built-in internationalisation on (English and French, German known),
  ``LocaleMiddleware`` and pages under ``i18n_patterns`` (French under ``/fr/``).
- ``bilingual``: the ``memories`` series and its French translation made with
  ``copy_for_translation``, as an editor (or simple_translation) makes one.
- ``two_sites``: a second Site (``b.example``) with its own series beside the default site's.

Imported by ``tests/conftest.py``, so every test can ask for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import cache
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Site

from tests.conftest import (
    Page,
    add_part,
    make_series,
    page_link,
    publish,
    reload,
    rich_text_paragraph,
)

LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]

# French titles of the demo series: what French readers must see, and English ones must not.
FRENCH_TITLES = {
    "series": "Souvenirs",
    "rose": "La Rose magnétique",
    "stink": "Boule puante",
    "cannon": "Chair à canon",
}


@pytest.fixture
def i18n(settings, db) -> Locale:
    """Built-in i18n on, as a multilingual site sets it up; returns the French locale."""
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = LANGUAGES
    settings.WAGTAIL_I18N_ENABLED = True
    settings.WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:1],
        "django.middleware.locale.LocaleMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    settings.ROOT_URLCONF = "tests.urls_i18n"
    cache.clear()  # Wagtail's site root paths, cached before the translations
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def translate(i18n) -> Callable[..., Page]:
    """``translate(page, "fr")``: the page's published copy in that locale (parents copied
    and published as needed)."""

    def copy(page: Page, language: str) -> Page:
        locale, _ = Locale.objects.get_or_create(language_code=language)
        action = CopyPageForTranslationAction(page, locale, copy_parents=True)
        translated = action.execute(skip_permission_checks=True)
        # The copied parents (the home page's translation) are drafts too: readers need them.
        for ancestor in translated.get_ancestors().filter(depth__gt=1, live=False):
            publish(ancestor)
        return publish(translated)

    return copy


def translate_page(page: Page, locale: Locale, *, publish: bool = True, **fields) -> Page:
    """A translation of ``page`` in ``locale`` (``copy_for_translation``), with ``fields``
    (translated titles, teasers...) saved as a revision and published unless ``publish`` is
    false (then it stays a draft, as a copy for translation starts)."""
    copy = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return reload(copy)


@pytest.fixture
def bilingual(i18n, home, memories) -> Callable[[], dict[str, dict[str, Page]]]:
    """The ``memories`` series in English and French: in each language a published Part 1
    ("rose") whose body links to two announced forthcoming parts ("stink" dated, "cannon").

    The French Part 1's body links to the French parts; with ``links_to="en"`` it links to the
    English parts' ids instead, as ``copy_for_translation`` leaves links (French text). Returns
    ``{"en": {...}, "fr": {...}}`` with the keys of ``memories`` (series, rose, stink, cannon).
    """

    def build(*, links_to: str = "fr") -> dict[str, dict[str, Page]]:
        english = memories()
        french_home = translate_page(home, i18n, title="Accueil")
        french: dict[str, Page] = {}
        french["series"] = translate_page(
            english["series"],
            i18n,
            title=FRENCH_TITLES["series"],
            slug="souvenirs",
            description="<p>Une anthologie, un court métrage à la fois.</p>",
        )
        french["stink"] = translate_page(
            english["stink"],
            i18n,
            publish=False,
            title=FRENCH_TITLES["stink"],
            slug="boule-puante",
            forthcoming_teaser="Un remède contre le rhume tourne très mal.",
            expected_date=dt.date(2027, 1, 15),
        )
        french["cannon"] = translate_page(
            english["cannon"],
            i18n,
            publish=False,
            title=FRENCH_TITLES["cannon"],
            slug="chair-a-canon",
            forthcoming_teaser="Une ville bâtie autour de ses canons.",
        )
        linked = french if links_to == "fr" else english
        french["rose"] = translate_page(
            english["rose"],
            i18n,
            title=FRENCH_TITLES["rose"],
            slug="la-rose-magnetique",
            intro="Un équipage de récupération répond à un appel de détresse.",
            body=rich_text_paragraph(
                f"<p>Viennent ensuite {page_link(linked['stink'], 'Boule puante')} et "
                f"{page_link(linked['cannon'], 'Chair à canon')}.</p>"
            ),
        )
        # copy_for_translation keeps the source's tree order among the new siblings only if
        # created in it: put Part 1 first, as in English.
        french["rose"].move(reload(french["series"]), pos="first-child")
        assert french_home.locale == i18n
        return {
            "en": english,
            "fr": {key: reload(page) for key, page in french.items()},
        }

    return build


@pytest.fixture
def two_sites(home) -> dict[str, Site]:
    """The default site (``home``) and a second Site, ``b.example``, with its own root page
    beside it and one series ("Other site series") with a published part."""
    site_a = Site.objects.get(is_default_site=True)
    root = Page.get_first_root_node()
    root_b = Page(title="Site B home", slug="site-b-home")
    root.add_child(instance=root_b)
    root_b.save_revision().publish()
    site_b = Site.objects.create(hostname="b.example", port=80, root_page=root_b)
    series_b = make_series(reload(root_b), "Other site series")
    add_part(series_b, "Other site part", intro="Only on b.example.")
    return {"a": site_a, "b": site_b}
