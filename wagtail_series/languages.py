"""The language a page or a response is in, as feeds and JSON-LD declare it.

A page is in its locale's language when Wagtail's i18n is on (``WAGTAIL_I18N_ENABLED``); without
it every page is in ``LANGUAGE_CODE``. Responses that aren't about one page (the site-wide feed)
are in the active language: whatever Django activated for the request (the URL's language prefix
with ``i18n_patterns``, else ``LocaleMiddleware``'s choice from the cookie or
``Accept-Language``), else ``LANGUAGE_CODE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from .reader.memo import memoised

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = ["active_language", "bcp47", "language_from_path", "page_language"]


def page_language(page: Any, request: HttpRequest | None = None) -> str:
    """The Django language code of ``page`` ("fr", "pt-br"), from its locale under Wagtail i18n."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # Without i18n every page is in the default locale: no query.
        return settings.LANGUAGE_CODE
    if type(page).locale.is_cached(page):
        return page.locale.language_code
    locale_id = page.locale_id
    # Pages hold only the locale's id: one small query per request and locale.
    return memoised(
        request,
        ("wagtail_series.languages", locale_id),
        lambda: (
            Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
            or settings.LANGUAGE_CODE
        ),
    )


def active_language() -> str:
    """The language Django has activated (``LANGUAGE_CODE`` when none is)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def language_from_path(request: HttpRequest) -> bool:
    """Whether the request's URL names its language (``i18n_patterns``), so a response in the
    active language needn't vary on ``Accept-Language``."""
    return bool(translation.get_language_from_path(request.path_info))


def bcp47(language_code: str) -> str:
    """A Django language code as a BCP 47 tag: "fr" -> "fr", "en-us" -> "en-US",
    "zh-hans" -> "zh-Hans" (what schema.org's ``inLanguage`` asks for)."""
    return translation.to_locale(language_code).replace("_", "-")
