"""Rich-text page links that know about forthcoming parts and the reader's language.

A link to a series part that is not live yet renders as a placeholder anchor without an href
(HTML's "placeholder link"), marked as forthcoming; once the part is published the same stored
link renders as a normal link. Every other page link renders as Wagtail renders it.

With Wagtail's i18n on, a link follows the reader's language (the active one), as Wagtail's
``page.localized`` does, but in bulk: a link to a page in another locale renders as a link to
its translation in the reader's locale when that translation is live, or when it is a
forthcoming part (a placeholder then: ``copy_for_translation`` leaves links pointing at the
source's parts, and a French reader must not be sent to the English part while the French one
is still coming). Otherwise it falls back to the linked page itself. Whether a link is
forthcoming follows the page it resolves to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.rich_text.pages import PageLinkHandler

from . import reader
from .compat import get_page_model

# Set on the pages loaded for links: whether the page is in the reader's locale.
_IN_READER_LOCALE = "_series_in_reader_locale"


def forthcoming_link_tag() -> str:
    """The opening tag for a link to a part that is not published yet (no href)."""
    # The title is only a hover tooltip, which keyboard, touch and most screen-reader users never
    # get; the visually hidden text, read before the link text, says it to everyone else
    # (series.css hides it; a site without that stylesheet shows it, which is no harm).
    return format_html(
        '<a class="series-forthcoming-link" data-series-forthcoming="true" title="{}">'
        '<span class="series-visually-hidden">{} </span>',
        _("Coming soon"),
        _("(coming soon)"),
    )


def reader_language() -> str | None:
    """The content language links follow: the active one (Wagtail's ``Locale.get_active``,
    without its query), or None when Wagtail's i18n is off."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    for code in (translation.get_language(), settings.LANGUAGE_CODE):
        try:
            return get_supported_content_language_variant(code)
        except LookupError:
            continue
    return None


class SeriesPageLinkHandler(PageLinkHandler):
    """Replaces Wagtail's "page" link handler; registered by ``wagtail_hooks``."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        # One query for the linked pages and their translations (plus one per page type, as
        # Wagtail's get_many), at most one more for the parts.
        pages, forthcoming = cls.resolve_many(attrs_list)
        placeholder = forthcoming_link_tag() if forthcoming else ""
        return [
            placeholder
            if page is not None and page.pk in forthcoming
            # Wagtail's own rendering (wagtail.rich_text.pages.PageLinkHandler), of the page
            # localized already.
            else (f'<a href="{escape(page.url)}">' if page else "<a>")
            for page in pages
        ]

    @classmethod
    def resolve_many(cls, attrs_list: list[dict]) -> tuple[list[Any], set[int]]:
        """The pages ``attrs_list`` link to, each resolved for the reader's locale (see the
        module's docstring), and which of them are forthcoming parts. One query for the pages
        and their translations, one per page type, at most one for the parts."""
        language = reader_language()
        if language is None:
            pages = cls.get_many(attrs_list)
            return pages, reader.forthcoming_part_ids(pages)
        Page = get_page_model()
        ids = [attrs.get("id") for attrs in attrs_list]
        in_reader_locale = Q(locale__language_code=language)
        linked_keys = Page.objects.filter(id__in=ids).values("translation_key")
        queryset = (
            Page.objects.filter(
                Q(id__in=ids) | in_reader_locale & Q(translation_key__in=linked_keys)
            )
            .annotate(
                **{
                    _IN_READER_LOCALE: Case(
                        When(in_reader_locale, then=Value(True)),
                        default=Value(False),
                        output_field=BooleanField(),
                    )
                }
            )
            .defer_streamfields()
            .specific()
        )
        loaded = list(queryset)
        # Linked pages and translations at once: the same single query for the parts.
        forthcoming = reader.forthcoming_part_ids(loaded)
        by_id = {str(page.pk): page for page in loaded}
        translations = {
            page.translation_key: page for page in loaded if getattr(page, _IN_READER_LOCALE)
        }
        resolved = []
        for id_ in ids:
            page = by_id.get(str(id_))
            if page is not None and not getattr(page, _IN_READER_LOCALE):
                translated = translations.get(page.translation_key)
                # A draft translation that is no forthcoming part: the page itself, as Wagtail's
                # page.localized does.
                if translated is not None and (translated.live or translated.pk in forthcoming):
                    page = translated
            resolved.append(page)
        return resolved, forthcoming
