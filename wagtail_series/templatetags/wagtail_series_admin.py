"""Template tags of the editor panels (``admin.panels``): ``{% load wagtail_series_admin %}``.

The panels are declared in model class bodies, so they can't import the reader (which imports the
models); their templates ask these tags for their data at render time instead. Each tag takes the
bound panel (``self`` in a panel's template) and returns a dict of template variables.
"""

from __future__ import annotations

from typing import Any

from django import template

from .. import reader
from ..admin.permissions import can_add_part, can_reorder_parts
from ..models import SeriesPage

register = template.Library()


@register.simple_tag
def series_contents_panel_data(panel: Any) -> dict[str, Any]:
    """``{% series_contents_panel_data self as data %}``: the series being edited, as saved.

    ``outline``: its editor outline (None while the series is being created); ``can_add_part``:
    whether the user may add a part to it; ``can_reorder``: whether they may reorder its parts.
    """
    series, request = panel.instance, panel.request
    outline = None
    if series.pk and series.path:
        outline = reader.get_editor_outline(series, request)
    return {
        "outline": outline,
        "can_add_part": bool(outline) and can_add_part(request.user, series),
        "can_reorder": bool(outline and len(outline.entries) > 1)
        and can_reorder_parts(request.user, series),
    }


@register.simple_tag
def part_context_panel_data(panel: Any) -> dict[str, Any]:
    """``{% part_context_panel_data self as data %}``: the series of the part being edited.

    ``series`` (None outside a series), its editor ``outline`` and the part's ``entry`` in it
    (None for a part being created).
    """
    page, request = panel.instance, panel.request
    series = _series_of(panel)
    outline = entry = None
    if series is not None:
        outline = reader.get_editor_outline(series, request)
        if page.pk:
            entry = outline.entry_for(page.pk)
    return {"series": series, "outline": outline, "entry": entry}


def _series_of(panel: Any) -> SeriesPage | None:
    page = panel.instance
    if page.pk and page.path:
        return reader.get_parent_series(page)
    parent = getattr(panel.form, "parent_page", None)  # a page being created
    if parent is None:
        return None
    return SeriesPage.objects.filter(pk=parent.pk).first()
