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


class SeriesPartPublishPanel(Panel):
    """The confirmation asked before a part with no content goes live (``SeriesPartForm``).

    Shown only when the form asks for it: after an attempt to publish such a part, or with the
    confirmation ticked. Renders nothing for a form without the ``publish_empty`` field.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_series/admin/panels/part_publish.html"

        @property
        def field(self) -> Any:
            if self.form is None or "publish_empty" not in self.form.fields:
                return None
            return self.form["publish_empty"]

        def is_shown(self) -> bool:
            field = self.field
            return field is not None and bool(field.errors or field.value())

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["field"] = self.field
            # With EMPTY_PART_PUBLISH "error" there is nothing to tick: only the error shows.
            context["confirmable"] = getattr(self.form, "empty_part_publish", None) == "confirm"
            return context
