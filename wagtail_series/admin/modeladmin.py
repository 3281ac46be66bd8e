"""The "Series" admin menu area, built with wagtail-modeladmin (the only module importing it).

- "All series": every series the user may work on (``permissions.series_for_user``) with its
  status, its published, forthcoming and planned parts, next expected part, overdue flag and last
  published part; filters by status and tag; search by title; links to Wagtail's page editor,
  the live page, the "Add forthcoming part" form and the report.
- "Forthcoming parts": the report (``views.planner``).

The figures come from ``reader.get_editor_outlines`` for the listed page of series at once, so
the index costs the same number of queries for 3 series of 3 parts as for 30 series of 300.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import SimpleListFilter, display
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import get_page_models
from wagtail_modeladmin.helpers import PageButtonHelper, PagePermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import IndexView

from .. import reader, surface_hooks
from ..models import SeriesPage
from .locales import (
    LOCALE_PARAM,
    chosen_locale,
    locale_choices,
    locale_id_for,
    locale_label,
    shows_locales,
    unknown_locale_message,
)
from .permissions import (
    can_add_part,
    can_reorder_parts,
    linked_part_allowed,
    series_for_user,
    user_has_series_access,
)


def _outline(series: SeriesPage) -> reader.EditorOutline:
    # Set by SeriesIndexView for every listed series, in one go.
    return series._series_editor_outline


class SeriesTagFilter(SimpleListFilter):
    title = gettext_lazy("tag")
    parameter_name = "tag"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        tags = (
            Tag.objects.filter(
                wagtail_series_seriespagetag_items__content_object__in=model_admin.get_queryset(
                    request
                )
            )
            .distinct()
            .order_by("name")
        )
        return [(tag.slug, tag.name) for tag in tags]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        if self.value():
            return queryset.filter(tags__slug=self.value()).distinct()
        return None


class SeriesLocaleFilter(SimpleListFilter):
    """``?locale=<code>``; by default the editor's own locale, ``?locale=`` for all.

    Offered only when the site shows locales (``locales.shows_locales``). It replaces
    modeladmin's own locale filter (``?locale__id__exact=<id>``) so that the index takes the
    same ``locale`` parameter as Wagtail's listings and the report.
    """

    title = gettext_lazy("locale")
    parameter_name = LOCALE_PARAM

    def __init__(self, request: HttpRequest, *args: Any) -> None:
        self.request = request
        super().__init__(request, *args)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return locale_choices(request)

    def chosen(self) -> str | None:
        value = self.value()
        return chosen_locale(self.request, {} if value is None else {LOCALE_PARAM: value})

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        code = self.chosen()
        if code is None:
            return None
        locale_id = locale_id_for(request, code)
        if locale_id is None:
            # An unknown code matches nothing (as Wagtail's LocaleFilter does), and says why.
            messages.warning(request, unknown_locale_message(code))
            return queryset.none()
        return queryset.filter(locale_id=locale_id)

    def choices(self, changelist: Any) -> Any:
        chosen = self.chosen()
        # "All" must be explicit (``?locale=``): no parameter means the editor's own locale.
        yield {
            "selected": chosen is None,
            "query_string": changelist.get_query_string({LOCALE_PARAM: ""}),
            "display": _("All"),
        }
        for code, name in self.lookup_choices:
            yield {
                "selected": chosen == code,
                "query_string": changelist.get_query_string({LOCALE_PARAM: code}),
                "display": name,
            }


class SeriesIndexView(IndexView):
    def get_filters(self, request: HttpRequest) -> Any:
        specs, has_filters, remaining, use_distinct = super().get_filters(request)
        # wagtail-modeladmin applies any other query parameter as a lookup on the queryset (it
        # has no ``lookup_allowed`` check), which would let an editor probe related data such as
        # ``?owner__password__startswith=``. Only the declared filters are accepted.
        if remaining:
            raise DisallowedModelAdminLookup(f"Filtering by {sorted(remaining)} is not allowed")
        return specs, has_filters, remaining, use_distinct

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        series = list(context["object_list"])
        outlines = reader.get_editor_outlines(series, self.request)
        counts = _follower_counts([item.pk for item in series])
        for item in series:
            item._series_editor_outline = outlines[item.pk]
            item._series_locale_label = locale_label(self.request, item.locale_id)
            item._series_followers = counts.get(item.pk, 0) if counts is not None else None
        context["object_list"] = series
        return context


def _follower_counts(series_ids: list[int]) -> dict[int, int] | None:
    """Followers per series (one query), from the followers app if it is installed, else None."""
    counters = hooks.get_hooks(surface_hooks.FOLLOWER_COUNTS)
    return counters[0](series_ids) if counters else None


class SeriesPermissionHelper(PagePermissionHelper):
    def get_valid_parent_pages(self, user: Any) -> QuerySet:
        """Where "Add series" may create one: modeladmin checks only ``parent_page_types``.

        It misses a parent's own rules (a series only takes parts, through its
        ``allowed_subpage_models``), and offers the tree's root node, which is no page.
        """
        refusing = [m for m in get_page_models() if self.model not in m.allowed_subpage_models()]
        refusing_types = ContentType.objects.get_for_models(*refusing).values()
        return (
            super()
            .get_valid_parent_pages(user)
            .exclude(content_type__in=refusing_types)
            .exclude(depth=1)
        )


class SeriesButtonHelper(PageButtonHelper):
    """Edit (Wagtail's page editor), view live, add forthcoming part, announce several parts,
    link an existing page, reorder parts, forthcoming parts.

    No copy, delete or unpublish here: they are in the page editor, and checking them would
    cost queries for every row.
    """

    def get_buttons_for_obj(
        self,
        obj: SeriesPage,
        exclude: list[str] | None = None,
        classnames_add: list[str] | None = None,
        classnames_exclude: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        exclude = exclude or []
        classnames = self.finalise_classname(classnames_add or [], classnames_exclude or [])
        user = self.request.user
        buttons = []
        if "edit" not in exclude and self.permission_helper.user_can_edit_obj(user, obj):
            buttons.append(self.edit_button(obj.pk, classnames_add, classnames_exclude))
        if "add_part" not in exclude and can_add_part(user, obj):
            add_url = reverse("wagtail_series_admin:add_forthcoming_part", args=[obj.pk])
            buttons.append(
                {
                    "url": f"{add_url}?{urlencode({'next': self.request.get_full_path()})}",
                    "label": _("Add forthcoming part"),
                    "classname": classnames,
                    "title": _("Announce a new part of %(series)s") % {"series": obj.title},
                }
            )
            announce_url = reverse("wagtail_series_admin:announce_parts", args=[obj.pk])
            buttons.append(
                {
                    "url": f"{announce_url}?{urlencode({'next': self.request.get_full_path()})}",
                    "label": _("Announce several parts"),
                    "classname": classnames,
                    "title": _("Announce several new parts of %(series)s") % {"series": obj.title},
                }
            )
            if linked_part_allowed(obj):
                link_url = reverse("wagtail_series_admin:link_page", args=[obj.pk])
                buttons.append(
                    {
                        "url": f"{link_url}?{urlencode({'next': self.request.get_full_path()})}",
                        "label": _("Link an existing page"),
                        "classname": classnames,
                        "title": _("Link an existing page as a part of %(series)s")
                        % {"series": obj.title},
                    }
                )
        if "reorder" not in exclude and can_reorder_parts(user, obj):
            reorder = reverse("wagtail_series_admin:reorder_parts", args=[obj.pk])
            buttons.append(
                {
                    "url": f"{reorder}?{urlencode({'next': self.request.get_full_path()})}",
                    "label": _("Reorder parts"),
                    "classname": classnames,
                    "title": _("Change the order of the parts of %(series)s")
                    % {"series": obj.title},
                }
            )
        if "view_live" not in exclude and obj.live:
            url = obj.get_url(self.request)
            if url:
                buttons.append(
                    {
                        "url": url,
                        "label": _("View live"),
                        "classname": classnames,
                        "title": _("View the live version of %(series)s") % {"series": obj.title},
                    }
                )
        if "report" not in exclude:
            report_url = reverse("wagtail_series_admin:forthcoming_parts")
            buttons.append(
                {
                    "url": f"{report_url}?series={obj.pk}",
                    "label": _("Forthcoming parts"),
                    "classname": classnames,
                    "title": _("Forthcoming parts of %(series)s") % {"series": obj.title},
                }
            )
        return buttons


class SeriesAdmin(ModelAdmin):
    model = SeriesPage
    menu_label = gettext_lazy("All series")
    menu_icon = "list-ol"
    index_view_class = SeriesIndexView
    button_helper_class = SeriesButtonHelper
    permission_helper_class = SeriesPermissionHelper
    list_display = (
        "title",
        "series_status",
        "parts",
        "next_expected",
        "overdue",
        "last_published",
    )
    list_filter = ("status", SeriesTagFilter)
    search_fields = ("title",)
    ordering = ("title", "pk")
    list_per_page = 50
    empty_value_display = "–"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SeriesPage]:
        return series_for_user(request.user)

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        columns: tuple[str, ...] = self.list_display
        if shows_locales(request):
            columns = (columns[0], "series_locale", *columns[1:])
        if hooks.get_hooks(surface_hooks.FOLLOWER_COUNTS):  # the followers app is installed
            columns = (*columns, "followers")
        return columns

    def get_list_filter(self, request: HttpRequest) -> tuple[Any, ...]:
        # Not modeladmin's default, which adds a "locale" field filter whenever i18n is on.
        return (*self.list_filter, SeriesLocaleFilter)

    # --- Columns (values from the editor outline set by SeriesIndexView) ---------------------

    @display(description=gettext_lazy("locale"))
    def series_locale(self, obj: SeriesPage) -> str:
        # The markup of Wagtail's locale labels in its page listings ({% status %}).
        return format_html(
            '<span class="w-status w-status--label">{}</span>', obj._series_locale_label
        )

    @display(description=gettext_lazy("status"))
    def series_status(self, obj: SeriesPage) -> str:
        status = obj.get_status_display()
        if not obj.live:
            return _("%(status)s (series not published)") % {"status": status}
        return status

    @display(description=gettext_lazy("parts"))
    def parts(self, obj: SeriesPage) -> str:
        outline = _outline(obj)
        # ngettext although English doesn't change: French and German participles agree in number.
        lines = [
            (
                "published",
                ngettext("%(count)d published", "%(count)d published", outline.published_count)
                % {"count": outline.published_count},
            ),
            (
                "forthcoming",
                ngettext(
                    "%(count)d forthcoming", "%(count)d forthcoming", outline.forthcoming_count
                )
                % {"count": outline.forthcoming_count},
            ),
        ]
        linked = [entry for entry in outline.entries if entry.linked]
        if linked:
            placeholders = sum(1 for entry in linked if entry.is_placeholder)
            if len(linked) > placeholders:
                lines.append(
                    (
                        "linked",
                        ngettext("%(count)d linked", "%(count)d linked", len(linked) - placeholders)
                        % {"count": len(linked) - placeholders},
                    )
                )
            if placeholders:
                lines.append(
                    (
                        "placeholders",
                        ngettext("%(count)d placeholder", "%(count)d placeholders", placeholders)
                        % {"count": placeholders},
                    )
                )
        if obj.planned_parts:
            planned = obj.planned_parts
            lines.append(
                (
                    "planned",
                    ngettext("%(count)d planned", "%(count)d planned", planned)
                    % {"count": planned},
                )
            )
        return format_html_join("", '<span class="series-count series-count--{}">{}</span>', lines)

    @display(description=gettext_lazy("next expected"))
    def next_expected(self, obj: SeriesPage) -> str:
        entry = _outline(obj).next_expected
        if entry is None:
            return ""
        due = entry.due_date
        # The same "Part 2: Title" as readers see, translated (French puts a space before ":").
        part = _("%(label)s: %(title)s") % {
            "label": entry.label or _("hidden"),
            "title": entry.title,
        }
        if due is None:
            return format_html("{}", part)
        return format_html(
            '{} <span class="series-next-expected__date">({})</span>',
            part,
            formats.date_format(due, "DATE_FORMAT"),
        )

    @display(description=gettext_lazy("overdue"))
    def overdue(self, obj: SeriesPage) -> str:
        count = len(_outline(obj).overdue)
        if not count:
            return ""
        return format_html(
            '<span class="w-status w-status--label series-overdue">{}</span>',
            ngettext("%(count)d overdue", "%(count)d overdue", count) % {"count": count},
        )

    @display(description=gettext_lazy("followers"))
    def followers(self, obj: SeriesPage) -> int | None:
        # Counts only: never an address (wagtail_series.contrib.followers).
        return getattr(obj, "_series_followers", None)

    @display(description=gettext_lazy("last published"))
    def last_published(self, obj: SeriesPage) -> str:
        when = _outline(obj).last_published_at
        if when is None:
            return ""
        return formats.date_format(timezone.localtime(when), "DATE_FORMAT")


class SeriesAdminGroup(ModelAdminGroup):
    # The area of every series (plural in French and German), not one series' column.
    menu_label = pgettext_lazy("admin area", "Series")
    menu_icon = "list-ol"
    menu_order = 250
    items = (SeriesAdmin,)

    def get_submenu_items(self) -> list[MenuItem]:
        return [
            *super().get_submenu_items(),
            ForthcomingPartsMenuItem(
                gettext_lazy("Forthcoming parts"),
                reverse("wagtail_series_admin:forthcoming_parts"),
                name="forthcoming-parts",
                icon_name="date",
                order=len(self.modeladmin_instances) + 1,
            ),
        ]


class ForthcomingPartsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_has_series_access(request.user)


def register() -> None:
    """Register the Series area (called by ``wagtail_hooks``)."""
    modeladmin_register(SeriesAdminGroup)
