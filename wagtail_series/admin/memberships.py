"""“In these series”: the series a page belongs to, told in its page editor (any page type).

A page belongs to the series it sits under (a part, or a linked part itself) and to every series
with a linked part pointing at it. Wagtail has no hook adding a side panel to every page type's
editor in both 7.4 and 8.0, so ``before_edit_page`` (``wagtail_hooks``) adds an info message at
the top of the edit view, on GET only (a POST redirects: the message would follow elsewhere).

Editors see every series, published or not, and every entry (drafts, hidden and private parts
included): the series are found in one query, their positions through
``reader.get_editor_outlines`` (a constant number of queries, whatever the series' lengths).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .. import reader
from ..models import SeriesPage
from ..reader.linked import series_linking

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page


@dataclass(frozen=True)
class Membership:
    """One series a page belongs to."""

    series: SeriesPage
    entry: reader.EditorEntry | None
    """The page's entry in the series (its linked part's, when linked); None if not listed."""
    linked: bool
    """Linked in the series (``LinkedPart``) rather than sitting under it."""


def page_memberships(page: Page, request: HttpRequest | None = None) -> list[Membership]:
    """Every series ``page`` belongs to, published or not, the one it sits under first.

    One query for a page in no series; otherwise one more set for the series' editor outlines.
    """
    if not page.pk or not page.path:
        return []
    parent_path = page.path[: -page.steplen]
    condition = series_linking([page.pk], live_only=False)
    if parent_path:
        condition |= Q(path=parent_path)
    series_list = list(SeriesPage.objects.filter(condition).order_by("path"))
    if not series_list:
        return []
    outlines = reader.get_editor_outlines(series_list, request)
    primary: list[Membership] = []
    others: list[Membership] = []
    for series in series_list:
        outline = outlines[series.pk]
        if series.path == parent_path:
            primary.append(Membership(series, outline.entry_for(page.pk), linked=False))
        else:
            entries = [e for e in outline.entries if e.linked and e.target_id == page.pk]
            others.append(Membership(series, entries[0] if entries else None, linked=True))
    return [*primary, *others]


def memberships_message(memberships: list[Membership]) -> SafeString:
    """“In these series: Memories (Part 2), Anthology (linked, Part 5)”, each series linking to
    its editor."""
    items = []
    for membership in memberships:
        entry = membership.entry
        if entry is None or entry.label is None:
            position = _("not numbered: readers don't see it")
        else:
            position = entry.label
        if membership.linked:
            position = _("linked, %(position)s") % {"position": position}
        items.append(
            (
                reverse("wagtailadmin_pages:edit", args=[membership.series.pk]),
                membership.series.get_admin_display_title(),
                position,
            )
        )
    return format_html(
        '<span class="series-memberships" data-series-memberships>{} {}</span>',
        _("In these series:"),
        format_html_join(", ", '<a href="{}">{}</a> ({})', items),
    )


def add_memberships_message(request: HttpRequest, page: Page) -> Any:
    """The ``before_edit_page`` hook: an info message listing the page's series (GET only)."""
    if request.method != "GET":
        return None
    memberships = page_memberships(page, request)
    if memberships:
        messages.info(request, memberships_message(memberships))
    return None
