"""Read-only editor panels: a series' parts with their states, and a part's place in its series.

``SeriesPage.content_panels`` shows ``SeriesContentsPanel``; ``SeriesPartMixin.series_panels``
(used by every part page type) shows ``SeriesPartContextPanel``. Both read the series through
``reader.get_editor_outline``, as saved (not the unsaved changes in the form).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


def _can_add_part(user: Any, series: Any) -> bool:
    from .permissions import can_add_part

    return can_add_part(user, series)


class SeriesContentsPanel(Panel):
    """The parts of the series being edited, in order, each with its state (editor view)."""

    def __init__(self, heading: Any = None, **kwargs: Any) -> None:
        super().__init__(heading=heading or _("Parts"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_series/admin/panels/series_contents.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            from . import reader

            context = super().get_context_data(parent_context)
            series = self.instance
            outline = None
            if series.pk and series.path:
                outline = reader.get_editor_outline(series, self.request)
            context.update(
                outline=outline,
                can_add_part=bool(outline) and _can_add_part(self.request.user, series),
                request=self.request,
            )
            return context


class SeriesPartContextPanel(Panel):
    """Which series the part being edited belongs to, its position, and what readers see of it."""

    def __init__(self, heading: Any = None, **kwargs: Any) -> None:
        super().__init__(heading=heading or _("In the series"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_series/admin/panels/part_context.html"

        def get_series(self) -> Any:
            from . import reader
            from .models import SeriesPage

            page = self.instance
            if page.pk and page.path:
                return reader.get_parent_series(page)
            parent = getattr(self.form, "parent_page", None)  # a page being created
            if parent is None:
                return None
            return SeriesPage.objects.filter(pk=parent.pk).first()

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            from . import reader

            context = super().get_context_data(parent_context)
            series = self.get_series()
            outline = entry = None
            if series is not None:
                outline = reader.get_editor_outline(series, self.request)
                if self.instance.pk:
                    entry = outline.entry_for(self.instance.pk)
            context.update(series=series, outline=outline, entry=entry, request=self.request)
            return context
