"""Read-only editor panels: a series' parts with their states, and a part's place in its series.

``SeriesPage.content_panels`` shows ``SeriesContentsPanel``; ``SeriesPartMixin.series_panels``
(used by every part page type) shows ``SeriesPartContextPanel``. Both read the series through
``reader.get_editor_outline``, as saved (not the unsaved changes in the form).

Models declare these panels in their class bodies, so this module imports nothing of
wagtail_series: the panels' templates load their data at render time from the
``wagtail_series_admin`` template tag library, which imports the reader as any surface does.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class SeriesContentsPanel(Panel):
    """The parts of the series being edited, in order, each with its state (editor view).

    Its template reads them with ``{% series_contents_panel_data %}``.
    """

    def __init__(self, heading: Any = None, **kwargs: Any) -> None:
        super().__init__(heading=heading or _("Parts"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_series/admin/panels/series_contents.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["request"] = self.request
            return context


class SeriesPartContextPanel(Panel):
    """Which series the part being edited belongs to, its position, and what readers see of it.

    Its template reads them with ``{% part_context_panel_data %}``.
    """

    def __init__(self, heading: Any = None, **kwargs: Any) -> None:
        super().__init__(heading=heading or _("In the series"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_series/admin/panels/part_context.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["request"] = self.request
            return context
