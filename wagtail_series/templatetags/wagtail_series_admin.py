"""Template tags of the editor panels (``admin.panels``): ``{% load wagtail_series_admin %}``.

The panels are declared in model class bodies, so they can't import the reader (which imports the
models); their templates ask these tags for their data at render time instead. Each tag takes the
bound panel (``self`` in a panel's template) and returns a dict of template variables.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import reader
from ..admin.permissions import (
    can_add_part,
    can_reorder_parts,
    linked_part_allowed,
    write_part_url,
)
from ..conf import overdue_label
from ..models import SeriesPage

register = template.Library()


@register.simple_tag
def series_contents_panel_data(panel: Any) -> dict[str, Any]:
    """``{% series_contents_panel_data self as data %}``: the series being edited, as saved.

    ``outline``: its editor outline (None while the series is being created); ``can_add_part``:
    whether the user may add a part to it; ``can_link_page``: whether they may add a linked part
    ("Link an existing page"); ``can_reorder``: whether they may reorder its parts.
    """
    series, request = panel.instance, panel.request
    outline = None
    if series.pk and series.path:
        outline = reader.get_editor_outline(series, request)
    may_add = bool(outline) and can_add_part(request.user, series)
    return {
        "outline": outline,
        "can_add_part": may_add,
        "write_part_url": write_part_url(series) if may_add else "",
        "can_link_page": may_add and linked_part_allowed(series),
        "can_reorder": bool(outline and len(outline.entries) > 1)
        and can_reorder_parts(request.user, series),
    }


@register.simple_tag
def part_context_panel_data(panel: Any) -> dict[str, Any]:
    """``{% part_context_panel_data self as data %}``: the series of the part being edited.

    ``series`` (None outside a series), its editor ``outline`` and the part's ``entry`` in it
    (None for a part being created); ``rich_text``: what the rich-text editors of the page need to
    know of the series (``static/wagtail_series/editor.js``), or None outside a series.
    """
    page, request = panel.instance, panel.request
    series = _series_of(panel)
    outline = entry = rich_text = None
    if series is not None:
        outline = reader.get_editor_outline(series, request)
        if page.pk:
            entry = outline.entry_for(page.pk)
        rich_text = rich_text_config(outline)
    return {
        "series": series,
        "outline": outline,
        "entry": entry,
        "rich_text": rich_text,
        "overdue_label": overdue_label(),
    }


def rich_text_config(outline: reader.EditorOutline) -> dict[str, Any]:
    """For the rich-text editors of a part page: the page chooser of a new link opens at the
    series (``seriesChooserUrl`` instead of ``pageChooserUrl``), and links to the series'
    forthcoming parts (their ``forthcomingUrls``) are marked "coming soon", as readers will see
    them (plain text until the part is published)."""
    return {
        "pageChooserUrl": reverse("wagtailadmin_choose_page"),
        "seriesChooserUrl": reverse("wagtailadmin_choose_page_child", args=[outline.series_id]),
        "forthcomingUrls": [e.page_url for e in outline.entries if not e.live and e.page_url],
        "forthcomingLabel": _("coming soon"),
    }


def _series_of(panel: Any) -> SeriesPage | None:
    page = panel.instance
    if page.pk and page.path:
        return reader.get_parent_series(page)
    parent = getattr(panel.form, "parent_page", None)  # a page being created
    if parent is None:
        return None
    return SeriesPage.objects.filter(pk=parent.pk).first()
