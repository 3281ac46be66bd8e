"""The "Forthcoming parts" report: every announced forthcoming part of the series the user may
work on (``permissions.series_for_user``), overdue first, with CSV/XLSX export.

Its rows, shared with the dashboard panel, come from ``admin.planner``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusFlagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import page_permission_policy

from ...models import SeriesPage
from ..permissions import SERIES_ADMIN_ACTIONS, series_for_user
from ..planner import PlannerRow, forthcoming_rows


def _user_series(request: Any) -> QuerySet[SeriesPage]:
    return series_for_user(request.user).order_by("title", "pk")


class ForthcomingPartsFilterSet(WagtailFilterSet):
    series = django_filters.ModelChoiceFilter(
        label=_("Series"),
        # Only the user's own series can be chosen: any other id is an invalid choice.
        queryset=_user_series,
        empty_label=_("All series"),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"))

    class Meta:
        model = SeriesPage
        fields: list[str] = []


class DueColumn(Column):
    cell_template_name = "wagtail_series/admin/cells/due.html"


class StateColumn(Column):
    cell_template_name = "wagtail_series/admin/cells/state.html"


class ForthcomingPartsReportView(ReportView):
    """Every announced forthcoming part in the user's series; CSV/XLSX export from ReportView."""

    page_title = _("Forthcoming parts")
    header_icon = "date"
    index_url_name = "wagtail_series_admin:forthcoming_parts"
    index_results_url_name = "wagtail_series_admin:forthcoming_parts_results"
    filterset_class = ForthcomingPartsFilterSet
    permission_policy = page_permission_policy
    any_permission_required = sorted(SERIES_ADMIN_ACTIONS)
    paginate_by = 50
    verbose_name = _("forthcoming part")
    verbose_name_plural = _("forthcoming parts")
    export_filename = "forthcoming-parts"
    columns = [
        TitleColumn("title", label=_("Part"), get_url=lambda row: row.edit_url),
        TitleColumn("series_title", label=_("Series"), get_url=lambda row: row.series_edit_url),
        Column("label", label=_("Position")),
        StateColumn("state_label", label=_("State")),
        DueColumn("due_date", label=_("Expected or scheduled")),
        StatusFlagColumn("overdue", label=_("Overdue"), true_label=_("Overdue")),
    ]
    list_export = [
        "title",
        "series_title",
        "position",
        "state_label",
        "expected_date",
        "scheduled_at",
        "overdue",
    ]
    export_headings = {
        "title": _("Part"),
        "series_title": _("Series"),
        "position": _("Position"),
        "state_label": _("State"),
        "expected_date": _("Expected date"),
        "scheduled_at": _("Scheduled go-live"),
        "overdue": _("Overdue"),
    }

    def get_filename(self) -> str:
        return f"{self.export_filename}-{dt.date.today():%Y-%m-%d}"

    def get_queryset(self) -> list[PlannerRow]:
        series = _user_series(self.request)
        overdue = None
        if self.filters is not None and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("series")
            if chosen is not None:
                series = series.filter(pk=chosen.pk)
            overdue = self.filters.form.cleaned_data.get("overdue")
        rows = forthcoming_rows(series, self.request)
        if overdue is not None:
            rows = [row for row in rows if row.overdue is overdue]
        return rows

    def filter_queryset(self, queryset: list[PlannerRow]) -> list[PlannerRow]:
        # The filters were applied in get_queryset, where they narrow the series to read.
        return queryset
