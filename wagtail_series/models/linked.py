from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from ..admin.forms import LinkedPartForm, linked_target_error
from ..compat import get_page_model, page_model_name
from .parts import SeriesPartMixin, get_part_models

if TYPE_CHECKING:
    from wagtail.models import Page as BasePage
else:
    BasePage = get_page_model()


# Wagtail's PageManager has no type information (django-stubs issue 1023).
class LinkedPart(SeriesPartMixin, BasePage):  # type: ignore[django-manager-missing]
    """An entry of a series that points at a page living elsewhere: a *linked part*.

    It sits under its series like any part, so the page tree's order stays the one ordering and
    reordering, numbering, scheduling and permissions work as for child parts. Readers never see
    this page itself: while it is live and its ``target`` is a live page they may open, the
    series shows the target (its title, URL and first published date); otherwise it is a
    forthcoming entry with this page's announcement (a *placeholder*, when it has no target).
    """

    target = models.ForeignKey(
        page_model_name(),
        verbose_name=_("linked page"),
        null=True,
        blank=True,
        # A deleted target leaves a placeholder, shown as forthcoming while announced.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Any page of the site: it stays where it is. Leave empty for a placeholder, shown as "
            "forthcoming until you choose its page."
        ),
    )

    content_panels = [
        FieldPanel("title", heading=_("Title until the page is live")),
        FieldPanel("target"),
        MultiFieldPanel(
            [
                FieldPanel("announce_forthcoming"),
                FieldPanel("forthcoming_teaser", heading=_("Teaser")),
                FieldPanel("expected_date"),
            ],
            heading=_("Series announcement"),
        ),
    ]
    promote_panels: list[Any] = [FieldPanel("slug")]
    # Not a page readers land on: nothing of it to search.
    search_fields: list[Any] = []

    parent_page_types = ["wagtail_series.SeriesPage"]
    subpage_types: list[str] = []

    base_form_class = LinkedPartForm

    # What the reader loads of a linked part besides its announcement (only while it is live).
    READER_FIELDS = ("target_id",)

    class Meta:
        verbose_name = _("linked part")
        verbose_name_plural = _("linked parts")

    def clean(self) -> None:
        super().clean()
        series_path = self.path[: -self.steplen] if self.path else None
        error = linked_target_error(self.target, series_path, link_id=self.pk)
        if error:
            raise ValidationError({"target": error})

    def get_series_summary(self) -> str:
        return self.forthcoming_teaser

    def serve(self, request, *args, **kwargs):
        # Not a page of its own: its URL leads to the page it links, once that is live, for a
        # request that may open it (the redirect's Location would tell anyone else its URL).
        target = self.target
        if (
            self.live
            and target is not None
            and target.live
            and all(r.accept_request(request) for r in target.get_view_restrictions())
        ):
            url = target.get_url(request)
            if url:
                return redirect(url)
        raise Http404

    def get_sitemap_urls(self, request=None):
        return []


def entry_content_type_ids() -> list[int]:
    """Content type ids of the part types whose own pages readers open: every part type but
    ``LinkedPart`` (readers open its target). ContentType's manager caches them."""
    models = [m for m in get_part_models() if not issubclass(m, LinkedPart)]
    return [ct.id for ct in ContentType.objects.get_for_models(*models).values()]
