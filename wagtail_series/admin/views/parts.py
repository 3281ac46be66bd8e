"""The Series area's "Add forthcoming part" action (an announced draft part in one small form),
"Announce several parts" (one row per part, all created at once) and "Link an existing page" (a
published ``LinkedPart`` pointing at a page anywhere in the site, or a placeholder)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ... import propagation, reader
from ...models import SeriesPage
from ..actions import create_forthcoming_part, create_linked_part
from ..forms import (
    ANNOUNCE_EXTRA_ROWS,
    AnnouncedPartFormSet,
    BaseAnnouncedPartFormSet,
    ForthcomingPartForm,
    LinkPageForm,
    PartTypeForm,
)
from ..permissions import (
    can_add_part,
    can_link_page,
    creatable_part_models,
    written_part_models,
)


def get_series_or_404(series_id: Any) -> SeriesPage:
    """The series with this id (any value from a URL), or 404."""
    try:
        pk = int(series_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(SeriesPage, pk=pk)


def announced_part_models(series: SeriesPage) -> list[type[Any]]:
    """The page types "Add forthcoming part" and "Announce several parts" offer: the written part
    types (``written_part_models``), or ``LinkedPart`` if the series takes nothing else (then its
    placeholders)."""
    return written_part_models(series) or creatable_part_models(series)


class SeriesAreaViewMixin:
    """A view of the Series area about one series (``self.series``): where it returns
    (``?next=``, else the Series index, else the dashboard) and its breadcrumbs."""

    request: HttpRequest
    series: SeriesPage
    breadcrumbs_items: list[dict[str, Any]]
    index_url_name = "wagtail_series_seriespage_modeladmin_index"
    """The Series index (see ``modeladmin``)."""
    index_label = pgettext_lazy("admin area", "Series")  # as the menu says

    @cached_property
    def index_url(self) -> str:
        try:
            return reverse(self.index_url_name)
        except NoReverseMatch:  # the Series area is not registered
            return ""

    @cached_property
    def return_url(self) -> str:
        return (
            get_valid_next_url_from_request(self.request)
            or self.index_url
            or reverse("wagtailadmin_home")
        )

    if TYPE_CHECKING:  # WagtailAdminTemplateMixin's, which the views also subclass

        def get_page_title(self) -> str: ...

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


def tree_collision(form: forms.Form) -> None:
    """Say on ``form`` that its page could not be added: another was added under the series at
    the same moment (the page tree's paths collided)."""
    form.add_error(
        None, _("Another page was added to this series at the same time. Please try again.")
    )


class AddForthcomingPartView(SeriesAreaViewMixin, WagtailAdminTemplateMixin, FormView):
    """Create an announced, unpublished part at the end of one series.

    Only for users who may add a subpage to that very series (Wagtail's page permissions): others
    get "permission denied", whatever id they post.
    """

    template_name = "wagtail_series/admin/add_forthcoming_part.html"
    form_class = ForthcomingPartForm
    page_title = gettext_lazy("Add forthcoming part")
    header_icon = "date"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.series = get_series_or_404(kwargs["series_id"])
        if not can_add_part(request.user, self.series):
            raise PermissionDenied
        self.part_models = announced_part_models(self.series)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return self.return_url

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "part_models": self.part_models}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            series=self.series,
            outline=reader.get_editor_outline(self.series, self.request),
            cancel_url=self.return_url,
            action_url=self.request.get_full_path(),
            media=context["form"].media,
            announce_url=self.announce_url,
        )
        return context

    @cached_property
    def announce_url(self) -> str:
        """ "Announce several parts" of this series, returning where this form returns."""
        url = reverse("wagtail_series_admin:announce_parts", args=[self.series.pk])
        next_url = get_valid_next_url_from_request(self.request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

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
            tree_collision(form)
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
        if ADD_ANOTHER in self.request.POST:
            # "Save and add another": an empty form for the same series, keeping ``?next=``.
            return redirect(self.request.get_full_path())
        return redirect(self.return_url)


ADD_ANOTHER = "add-another"
"""The name of the "Save and add another" button."""
ADD_ROWS = "add-rows"
"""The name of the "Add rows" button of "Announce several parts" (no JavaScript needed)."""


class AnnouncePartsView(AddForthcomingPartView):
    """Announce several parts of one series at once: one row per part, created in order at the
    end of the series, in one transaction and one propagation batch (one purge, one webhook).

    The same permission checks as "Add forthcoming part".
    """

    template_name = "wagtail_series/admin/announce_parts.html"
    page_title = gettext_lazy("Announce several parts")

    def get_form(self, form_class: Any = None) -> Any:
        data = self.request.POST.copy() if self.request.method == "POST" else None
        if data is not None and ADD_ROWS in data:
            key = f"{AnnouncedPartFormSet().prefix}-TOTAL_FORMS"
            try:
                total = int(data.get(key, 0))
            except ValueError:
                total = 0
            data[key] = str(min(max(total, 0) + ANNOUNCE_EXTRA_ROWS, AnnouncedPartFormSet.max_num))
        return AnnouncedPartFormSet(data)

    @cached_property
    def type_form(self) -> PartTypeForm:
        data = self.request.POST if self.request.method == "POST" else None
        return PartTypeForm(data, part_models=self.part_models)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        formset = context["form"]
        context.update(
            formset=formset,
            type_form=self.type_form,
            adding_rows=ADD_ROWS in self.request.POST,
            add_one_url=self.add_one_url,
            media=formset.media,
        )
        return context

    @cached_property
    def add_one_url(self) -> str:
        url = reverse("wagtail_series_admin:add_forthcoming_part", args=[self.series.pk])
        next_url = get_valid_next_url_from_request(self.request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        formset = self.get_form()
        if ADD_ROWS in request.POST:
            return self.render_to_response(self.get_context_data(form=formset))
        if formset.is_valid() and self.type_form.is_valid():
            return self.form_valid(formset)
        return self.form_invalid(formset)

    def form_valid(self, form: BaseAnnouncedPartFormSet) -> HttpResponse:  # type: ignore[override]
        rows = form.filled_forms
        model = self.type_form.part_model
        series = self.series
        parts = []
        try:
            with propagation.batch(), transaction.atomic():
                for row in rows:
                    data = row.cleaned_data
                    series.refresh_from_db()  # the tree's child count changed
                    parts.append(
                        create_forthcoming_part(
                            series,
                            title=data["title"],
                            teaser=data["teaser"],
                            expected_date=data["expected_date"],
                            model=model,
                            user=self.request.user,
                            request=self.request,
                        )
                    )
        except IntegrityError:
            form._non_form_errors = form.error_class(  # type: ignore[attr-defined]
                [_("Another page was added to this series at the same time. Please try again.")],
                error_class="nonform",
            )
            return self.form_invalid(form)
        titles = ", ".join(f"“{part.title}”" for part in parts)
        messages.success(
            self.request,
            ngettext(
                "%(count)d forthcoming part added to “%(series)s”: %(titles)s. "
                "It is announced, not published.",
                "%(count)d forthcoming parts added to “%(series)s”: %(titles)s. "
                "They are announced, not published.",
                len(parts),
            )
            % {"count": len(parts), "series": series.title, "titles": titles},
        )
        past = [row for row in rows if row.expected_date_is_past]
        if past:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)d part has an expected date in the past: it is listed as overdue.",
                    "%(count)d parts have an expected date in the past: they are listed as "
                    "overdue.",
                    len(past),
                )
                % {"count": len(past)},
            )
        return redirect(self.return_url)


class LinkPageView(AddForthcomingPartView):
    """Add a linked part (``LinkedPart``) at the end of one series and publish it: readers see
    the linked page as the series' next part as soon as it is live (until then, the
    announcement, if it is announced). No page chosen: a placeholder.

    Only for users who may add a subpage to the series (and only if the series takes linked
    parts); published only for those who may publish there too, saved as a draft otherwise.
    Created and published in one transaction and one propagation batch (one purge, one webhook).
    """

    template_name = "wagtail_series/admin/link_page.html"
    form_class = LinkPageForm  # type: ignore[assignment]
    page_title = gettext_lazy("Link an existing page")
    header_icon = "link"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.series = get_series_or_404(kwargs["series_id"])
        if not can_link_page(request.user, self.series):
            raise PermissionDenied
        self.part_models = creatable_part_models(self.series)
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**FormView.get_form_kwargs(self), "series": self.series}

    @cached_property
    def can_publish(self) -> bool:
        return self.series.permissions_for_user(self.request.user).can_publish_subpage()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_publish"] = self.can_publish
        return context

    def form_valid(self, form: LinkPageForm) -> HttpResponse:  # type: ignore[override]
        data = form.cleaned_data
        target = data["target"]
        try:
            with propagation.batch(), transaction.atomic():
                part = create_linked_part(
                    self.series,
                    target=target,
                    title=data["title"],
                    teaser=data["teaser"],
                    expected_date=data["expected_date"],
                    announce=data["announce"],
                    publish=self.can_publish,
                    user=self.request.user,
                    request=self.request,
                )
        except IntegrityError:
            tree_collision(form)
            return self.form_invalid(form)
        edit_button = messages.button(reverse("wagtailadmin_pages:edit", args=[part.pk]), _("Edit"))
        values = {"title": part.title, "series": self.series.title}
        if not self.can_publish:
            message = _(
                "Linked part “%(title)s” added to “%(series)s” as a draft: someone who may publish "
                "in this series must publish it before readers see it."
            )
            messages.warning(self.request, message % values, buttons=[edit_button])
        elif target is None:
            message = _(
                "Placeholder “%(title)s” added to “%(series)s”. Choose its page in the editor "
                "once it exists."
            )
            messages.success(self.request, message % values, buttons=[edit_button])
        elif target.live:
            message = _("“%(title)s” is now a part of “%(series)s”.")
            messages.success(self.request, message % values, buttons=[edit_button])
        else:
            message = _(
                "“%(title)s” is linked in “%(series)s”. Readers see it once the page is published."
            )
            messages.success(self.request, message % values, buttons=[edit_button])
        if form.expected_date_is_past and (target is None or not target.live):
            messages.warning(
                self.request,
                _("The expected date, %(date)s, is in the past: the part is listed as overdue.")
                % {"date": formats.date_format(data["expected_date"], "DATE_FORMAT")},
            )
        if ADD_ANOTHER in self.request.POST:
            return redirect(self.request.get_full_path())
        return redirect(self.return_url)
