"""The admin dashboard panel: overdue forthcoming parts and the next ones due.

Added by ``wagtail_hooks`` through ``construct_homepage_panels``. It lists only parts of the series
the user may work on (``permissions.series_for_user``) and renders nothing when there are none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .permissions import series_for_user
from .planner import forthcoming_rows


class ForthcomingPartsPanel(Component):
    name = "wagtail_series_forthcoming_parts"
    template_name = "wagtail_series/admin/home/forthcoming_parts.html"
    # After Wagtail's workflow panels (200s), before "Your most recent edits" (250).
    order = 240
    limit = 6
    """At most this many overdue parts, and this many upcoming parts."""

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        request = parent_context["request"]
        context = dict(super().get_context_data(parent_context) or {})
        rows = forthcoming_rows(series_for_user(request.user), request)
        overdue = [row for row in rows if row.overdue]
        upcoming = [row for row in rows if not row.overdue and row.due_date is not None]
        context.update(
            overdue=overdue[: self.limit],
            overdue_count=len(overdue),
            upcoming=upcoming[: self.limit],
            upcoming_count=len(upcoming),
            undated_count=len(rows) - len(overdue) - len(upcoming),
            report_url=reverse("wagtail_series_admin:forthcoming_parts"),
            request=request,
        )
        return context
