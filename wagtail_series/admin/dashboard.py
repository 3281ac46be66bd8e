"""The admin dashboard panel: overdue forthcoming parts and the next ones due.

Added by ``wagtail_hooks`` through ``construct_homepage_panels``. It lists only parts of the series
the user may work on (``permissions.series_for_user``) and renders nothing when there are none.
On a site with several locales it labels each series' locale and shows the editor's own locale
unless the dashboard's URL chooses another (``?locale=fr``, ``?locale=`` for all), as the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .locales import LOCALE_PARAM, chosen_locale, locale_id_for, shows_locales
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
        series = series_for_user(request.user)
        report_url = reverse("wagtail_series_admin:forthcoming_parts")
        locale_code = chosen_locale(request)
        show_locales = shows_locales(request)
        if locale_code is not None:
            # An unknown code matches nothing (the panel then renders nothing), as in the report.
            locale_id = locale_id_for(request, locale_code)
            series = series.none() if locale_id is None else series.filter(locale_id=locale_id)
        if show_locales:
            # The report opens on the same locale choice as the panel.
            report_url = f"{report_url}?{urlencode({LOCALE_PARAM: locale_code or ''})}"
        rows = forthcoming_rows(series, request)
        overdue = [row for row in rows if row.overdue]
        upcoming = [row for row in rows if not row.overdue and row.due_date is not None]
        listed_overdue, listed_upcoming = overdue[: self.limit], upcoming[: self.limit]
        context.update(
            overdue=listed_overdue,
            overdue_count=len(overdue),
            upcoming=listed_upcoming,
            upcoming_count=len(upcoming),
            undated_count=len(rows) - len(overdue) - len(upcoming),
            # The count says how many of all the forthcoming parts the panel lists, so that the
            # two agree: undated parts are never listed here (the report lists them).
            listed_count=len(listed_overdue) + len(listed_upcoming),
            total_count=len(rows),
            report_url=report_url,
            show_locale_labels=show_locales,
            locale_code=locale_code,
            all_locales_url=f"?{urlencode({LOCALE_PARAM: ''})}",
            request=request,
        )
        return context
