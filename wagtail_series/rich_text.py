"""Rich-text page links that know about forthcoming parts.

A link to a series part that is not live yet renders as a placeholder anchor without an href
(HTML's "placeholder link"), marked as forthcoming; once the part is published the same stored
link renders as a normal link. Every other page link renders exactly as Wagtail renders it.
"""

from __future__ import annotations

from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler

from . import reader

FORTHCOMING_LINK = '<a class="series-forthcoming-link" data-series-forthcoming="true">'


class SeriesPageLinkHandler(PageLinkHandler):
    """Replaces Wagtail's "page" link handler; registered by ``wagtail_hooks``."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        # One query for all the linked pages (Wagtail's get_many), at most one more for the parts.
        pages = cls.get_many(attrs_list)
        forthcoming = reader.forthcoming_part_ids(pages)
        return [
            FORTHCOMING_LINK
            if page is not None and page.pk in forthcoming
            # Wagtail's own rendering (wagtail.rich_text.pages.PageLinkHandler).
            else (f'<a href="{escape(page.localized.url)}">' if page else "<a>")
            for page in pages
        ]
