"""Rich-text page links that know about forthcoming parts.

A link to a series part that is not live yet renders as a placeholder anchor without an href
(HTML's "placeholder link"), marked as forthcoming; once the part is published the same stored
link renders as a normal link. Every other page link renders exactly as Wagtail renders it.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from wagtail.rich_text.pages import PageLinkHandler

from . import reader


def forthcoming_link_tag() -> str:
    """The opening tag for a link to a part that is not published yet (no href)."""
    # The title tells pointer and screen-reader users why the text is not a link.
    return format_html(
        '<a class="series-forthcoming-link" data-series-forthcoming="true" title="{}">',
        _("Coming soon"),
    )


class SeriesPageLinkHandler(PageLinkHandler):
    """Replaces Wagtail's "page" link handler; registered by ``wagtail_hooks``."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        # One query for all the linked pages (Wagtail's get_many), at most one more for the parts.
        pages = cls.get_many(attrs_list)
        forthcoming = reader.forthcoming_part_ids(pages)
        placeholder = forthcoming_link_tag() if forthcoming else ""
        return [
            placeholder
            if page is not None and page.pk in forthcoming
            # Wagtail's own rendering (wagtail.rich_text.pages.PageLinkHandler).
            else (f'<a href="{escape(page.localized.url)}">' if page else "<a>")
            for page in pages
        ]
