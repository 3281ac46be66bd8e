"""The Series area's "Reorder parts": a series' parts in order, moved by drag and drop or with the
keyboard, through Wagtail's own page ordering (``actions.move_part``).

Two ways in, one rule:

- Drag and drop, and the drag handle's keyboard control (arrow keys, then Enter), are Wagtail's
  own ``w-orderable`` controller (the explorer's "Sort menu order"). It posts the new index to
  ``SetPartPositionView``, as it posts to Wagtail's ``set_page_position`` in the explorer.
- "Move up" and "Move down" buttons post a plain form to ``ReorderPartsView``: they work without
  JavaScript and with any keyboard or assistive technology.

The numbers shown are the reader's (``reader.get_editor_outline``): parts readers don't see take
no number. Permission: Wagtail's own for reordering a page's children
(``can_reorder_children``, the publish permission), and its move check for the page itself.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.actions.move_page import MovePagePermissionError
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ... import reader
from ...models import SeriesPage
from ..actions import move_part
from ..permissions import can_reorder_parts
from .parts import SeriesAreaViewMixin, get_series_or_404

MOVE = "move"
"""The name of the "Move up"/"Move down" buttons; their value is "<page id>:up" or ":down"."""
STEPS = {"up": -1, "down": 1}


def reorder_url(series: SeriesPage) -> str:
    return reverse("wagtail_series_admin:reorder_parts", args=[series.pk])


class _ReorderMixin:
    request: HttpRequest

    def get_series(self, series_id: Any) -> SeriesPage:
        series = get_series_or_404(series_id)
        if not can_reorder_parts(self.request.user, series):
            raise PermissionDenied
        return series

    def move(self, series: SeriesPage, part_id: int, **where: int) -> bool:
        try:
            return move_part(series, part_id, user=self.request.user, **where)
        except LookupError:
            raise Http404 from None
        except MovePagePermissionError:
            raise PermissionDenied from None


class ReorderPartsView(_ReorderMixin, SeriesAreaViewMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every part page of one series in series order, with its reader number and state."""

    template_name = "wagtail_series/admin/reorder_parts.html"
    page_title = gettext_lazy("Reorder parts")
    header_icon = "order"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.series = self.get_series(kwargs["series_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            series=self.series,
            outline=reader.get_editor_outline(self.series, self.request),
            position_url=reverse(
                "wagtail_series_admin:set_part_position", args=[self.series.pk, 999999]
            ),
            action_url=self.request.get_full_path(),
            done_url=self.return_url,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        part_id, _sep, direction = request.POST.get(MOVE, "").partition(":")
        if direction not in STEPS or not part_id.isdigit():
            messages.error(request, _("Choose a part to move up or down."))
            return redirect(request.get_full_path())
        if self.move(self.series, int(part_id), step=STEPS[direction]):
            entry = reader.get_editor_outline(self.series).entry_for(int(part_id))
            if entry is not None:
                messages.success(request, self.moved_message(entry))
        return redirect(request.get_full_path())

    @staticmethod
    def moved_message(entry: reader.EditorEntry) -> str:
        if entry.label:
            return _("“%(title)s” moved: readers see it as %(label)s.") % {
                "title": entry.title,
                "label": entry.label,
            }
        return _("“%(title)s” moved. Readers don't see it, so it takes no number.") % {
            "title": entry.title
        }


class SetPartPositionView(_ReorderMixin, View):
    """``POST ?position=<index>``: what Wagtail's ``w-orderable`` controller posts after a drag
    (or the drag handle's arrow keys and Enter), as to Wagtail's ``set_page_position``."""

    def post(self, request: HttpRequest, series_id: Any, page_id: int) -> HttpResponse:
        series = self.get_series(series_id)
        try:
            position = int(request.GET["position"])
        except (KeyError, ValueError):
            return HttpResponse(_("A position is needed."), status=400)
        self.move(series, page_id, position=position)
        return HttpResponse("")


__all__ = ["ReorderPartsView", "SetPartPositionView", "reorder_url"]
