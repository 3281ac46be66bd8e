"""The Series area's "Add forthcoming part" action: an announced draft part in one small form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ... import reader
from ...models import SeriesPage
from ..actions import create_forthcoming_part
from ..forms import ForthcomingPartForm
from ..permissions import can_add_part, creatable_part_models


def get_series_or_404(series_id: Any) -> SeriesPage:
    """The series with this id (any value from a URL), or 404."""
    try:
        pk = int(series_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(SeriesPage, pk=pk)


class AddForthcomingPartView(WagtailAdminTemplateMixin, FormView):
    """Create an announced, unpublished part at the end of one series.

    Only for users who may add a subpage to that very series (Wagtail's page permissions): others
    get "permission denied", whatever id they post.
    """

    template_name = "wagtail_series/admin/add_forthcoming_part.html"
    form_class = ForthcomingPartForm
    page_title = gettext_lazy("Add forthcoming part")
    header_icon = "date"
    index_url_name = "wagtail_series_seriespage_modeladmin_index"
    """The Series index (see ``modeladmin``): where the form returns, unless given ``?next=``."""
    index_label = pgettext_lazy("admin area", "Series")  # as the menu says

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.series = get_series_or_404(kwargs["series_id"])
        if not can_add_part(request.user, self.series):
            raise PermissionDenied
        self.part_models = creatable_part_models(self.series)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def index_url(self) -> str:
        try:
            return reverse(self.index_url_name)
        except NoReverseMatch:  # the Series area is not registered
            return ""

    @cached_property
    def return_url(self) -> str:
        """Where the form returns: ``?next=``, else the Series index, else the dashboard."""
        return (
            get_valid_next_url_from_request(self.request)
            or self.index_url
            or reverse("wagtailadmin_home")
        )

    def get_success_url(self) -> str:
        return self.return_url

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "part_models": self.part_models}

    def get_page_subtitle(self) -> str:
        return self.series.get_admin_display_title()

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = list(self.breadcrumbs_items)
        if self.index_url:
            items.append({"url": self.index_url, "label": self.index_label})
        return [
            *items,
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            series=self.series,
            outline=reader.get_editor_outline(self.series, self.request),
            cancel_url=self.return_url,
            action_url=self.request.get_full_path(),
            media=context["form"].media,
        )
        return context

    def form_valid(self, form: ForthcomingPartForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            part = create_forthcoming_part(
                self.series,
                title=data["title"],
                teaser=data["teaser"],
                expected_date=data["expected_date"],
                model=form.part_model,
                user=self.request.user,
                request=self.request,
            )
        except IntegrityError:
            # Two pages created under one series at the same moment can collide in the tree.
            form.add_error(
                None, _("Another page was added to this series at the same time. Please try again.")
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Forthcoming part “%(title)s” added to “%(series)s”. It is announced, not published.")
            % {"title": part.title, "series": self.series.title},
            buttons=[
                messages.button(reverse("wagtailadmin_pages:edit", args=[part.pk]), _("Edit"))
            ],
        )
        if form.expected_date_is_past:
            messages.warning(
                self.request,
                _("The expected date, %(date)s, is in the past: the part is listed as overdue.")
                % {"date": formats.date_format(data["expected_date"], "DATE_FORMAT")},
            )
        return redirect(self.return_url)
