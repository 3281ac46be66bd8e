"""The "Forthcoming parts" report: every announced forthcoming part of the series the user may
work on (``permissions.series_for_user``), overdue first, with CSV/XLSX export.

Its rows, shared with the dashboard panel, come from ``admin.planner``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.contrib import messages
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, LocaleColumn, StatusFlagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import page_permission_policy

from ...models import SeriesPage
from ..locales import (
    LOCALE_PARAM,
    chosen_locale,
    locale_id_for,
    own_locale_code,
    shows_locales,
    unknown_locale_message,
)
from ..permissions import SERIES_ADMIN_ACTIONS, series_for_user
from ..planner import PlannerRow, forthcoming_rows


def _user_series(request: Any) -> QuerySet[SeriesPage]:
    return series_for_user(request.user).order_by("title", "pk")


class ForthcomingPartsFilterSet(WagtailFilterSet):
    # WagtailFilterSet adds Wagtail's own "locale" filter (``?locale=<code>``, "All" is
    # ``?locale=``) when the site has several locales; the view applies it to the series.
    series = django_filters.ModelChoiceFilter(
        label=_("Series"),
        # Only the user's own series can be chosen: any other id is an invalid choice.
        queryset=_user_series,
        empty_label=_("All series"),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if (locale := self.filters.get(LOCALE_PARAM)) is not None:
            # Wagtail's "All" choice is None, which its active-filter pill cannot name; the
            # radio button sends ``?locale=`` anyway.
            locale.null_value = locale.extra["null_value"] = ""

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
    # Wagtail's, with the table in a container that scrolls sideways on a phone.
    results_template_name = "wagtail_series/admin/reports/forthcoming_parts_results.html"
    permission_policy = page_permission_policy
    any_permission_required = sorted(SERIES_ADMIN_ACTIONS)
    paginate_by = 50
    verbose_name = _("forthcoming part")
    verbose_name_plural = _("forthcoming parts")
    export_filename = "forthcoming-parts"
    base_columns = [
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

    @cached_property
    def columns(self) -> list[Column]:
        if not shows_locales(self.request):
            return self.base_columns
        # Wagtail's own locale column, as in its generic listings.
        locale = LocaleColumn(accessor="series_locale_id", sort_key=None)
        return [*self.base_columns[:2], locale, *self.base_columns[2:]]

    @cached_property
    def default_locale(self) -> str:
        """The locale filter's value when the query names none ("" for all): the editor's own
        locale, unless a series is chosen, which has its locale already (the Series index links
        here with ``?series=``)."""
        if self.request.GET.get("series"):
            return ""
        return own_locale_code(self.request) or ""

    @cached_property
    def filter_data(self) -> Any:
        data = self.request.GET
        if shows_locales(self.request) and LOCALE_PARAM not in data:
            data = data.copy()
            data[LOCALE_PARAM] = self.default_locale
        return data

    def get_filterset_kwargs(self) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(), "data": self.filter_data}

    @cached_property
    def filters(self) -> Any:
        filters = super().filters
        if filters is not None and LOCALE_PARAM in filters.form.fields:
            # The default is shown as chosen but is not an active filter (whose "remove" pill
            # would only bring it back).
            filters.form.fields[LOCALE_PARAM].initial = self.default_locale
        return filters

    def get_filename(self) -> str:
        return f"{self.export_filename}-{dt.date.today():%Y-%m-%d}"

    def get_queryset(self) -> list[PlannerRow]:
        series = _user_series(self.request)
        code = chosen_locale(self.request, self.filter_data)
        if code is not None:
            locale_id = locale_id_for(self.request, code)
            if locale_id is None:
                # An unknown code matches nothing (as Wagtail's LocaleFilter does), and says why.
                messages.warning(self.request, unknown_locale_message(code))
                return []
            series = series.filter(locale_id=locale_id)
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
