"""Locales in the Series area: whether to show them, their labels, and which one a view shows.

Wagtail's own rule decides whether locales are shown: built-in i18n on
(``WAGTAIL_I18N_ENABLED``) and more than one content language with a ``Locale`` (as
``WagtailFilterSet`` adds its locale filter). On a single-language site nothing changes and no
query is made.

Every view reads the ``locale`` query parameter the same way (``chosen_locale``):

- absent: the editor's own locale (the admin's active language, which Wagtail sets from their
  preferred language), else the site's default locale, else all;
- empty (``?locale=``): every locale;
- a language code: that locale (a code without a ``Locale`` matches nothing).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Locale

LOCALE_PARAM = "locale"

_CACHE_ATTR = "_wagtail_series_locales"


def site_locales(request: HttpRequest | None) -> dict[int, Locale]:
    """The locales an editor chooses from, by id: empty unless i18n is on and there are several.

    One query per request (kept on the request), none when i18n is off.
    """
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return {}
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    languages = get_content_languages()
    # Only content languages, as Wagtail's filters offer them: a Locale whose language was
    # removed from the settings is disabled.
    locales = {
        locale.pk: locale for locale in Locale.objects.all() if locale.language_code in languages
    }
    if len(locales) < 2:
        locales = {}
    if request is not None:
        setattr(request, _CACHE_ATTR, locales)
    return locales


def shows_locales(request: HttpRequest | None) -> bool:
    """Whether the admin labels and filters series by locale (Wagtail's rule, see above)."""
    return bool(site_locales(request))


def locale_choices(request: HttpRequest | None) -> list[tuple[str, str]]:
    """(language code, display name) of the site's locales, in Wagtail's order."""
    return [
        (locale.language_code, locale.get_display_name())
        for locale in site_locales(request).values()
    ]


def locale_label(request: HttpRequest | None, locale_id: int) -> str:
    """A series' locale as Wagtail's listings name it ("French"); empty when not shown."""
    locale = site_locales(request).get(locale_id)
    return locale.get_display_name() if locale is not None else ""


def own_locale_code(request: HttpRequest | None) -> str | None:
    """The editor's own locale among the site's: the active language (Wagtail activates the
    user's preferred language in the admin), else the default locale (Wagtail's
    ``Locale.get_active``), else ``None`` (all)."""
    codes = {locale.language_code for locale in site_locales(request).values()}
    for language in (translation.get_language(), settings.LANGUAGE_CODE):
        try:
            code = get_supported_content_language_variant(language)
        except LookupError:
            continue
        if code in codes:
            return code
    return None


def chosen_locale(request: HttpRequest, params: Any = None) -> str | None:
    """The language code a listing shows, or ``None`` for every locale (see the module doc).

    ``params`` defaults to ``request.GET``. Always ``None`` when locales are not shown.
    """
    if not shows_locales(request):
        return None
    params = request.GET if params is None else params
    if LOCALE_PARAM not in params:
        return own_locale_code(request)
    value = params.get(LOCALE_PARAM)
    if isinstance(value, list):  # modeladmin passes lists of values
        value = value[-1] if value else ""
    return value or None


def locale_id_for(request: HttpRequest, code: str) -> int | None:
    """The id of the site locale with ``code``, ``None`` for an unknown code."""
    for locale in site_locales(request).values():
        if locale.language_code == code:
            return locale.pk
    return None


def unknown_locale_message(code: str) -> str:
    return gettext("No locale has the code “%(code)s”: nothing to show.") % {"code": code}
