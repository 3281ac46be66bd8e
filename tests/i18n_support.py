"""A French translation of a series, made as an editor would (``copy_for_translation``), with
Wagtail's i18n on. For the tests of languages: feeds, JSON-LD."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page

LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]


@pytest.fixture
def i18n(settings) -> None:
    """Wagtail's i18n on, with English (the default), French and German."""
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
    cache.clear()  # Wagtail's site root paths, cached before the translations


@pytest.fixture
def translate(i18n) -> Callable[..., Page]:
    """``translate(page, "fr")``: the page's published copy in that locale (parents copied)."""

    from tests.conftest import publish  # conftest imports these fixtures

    def copy(page: Page, language: str) -> Page:
        locale, _ = Locale.objects.get_or_create(language_code=language)
        action = CopyPageForTranslationAction(page, locale, copy_parents=True)
        translated = action.execute(skip_permission_checks=True)
        # The copied parents (the home page's translation) are drafts too: readers need them live.
        for ancestor in translated.get_ancestors().filter(depth__gt=1, live=False):
            publish(ancestor)
        return publish(translated)

    return copy
