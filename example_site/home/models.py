from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from wagtail_series.api_fields import SeriesInfoField
from wagtail_series.models import SeriesPage


class HomePage(Page):
    """The example site's root page: an introduction and the list of published series."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Only live series that anyone may read (no view restriction on them or above them).
        context["series_pages"] = (
            SeriesPage.objects.live().public().descendant_of(self).order_by("title")
        )
        return context


class ReviewPage(Page):
    """A standalone review, a page type of the host site that knows nothing of series: linked
    parts put it in series (the demo's "Best of Otomo") without moving it."""

    intro = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types: list[str] = []
    # Its place in every series that links it, in Wagtail's pages API.
    api_fields = [APIField("intro"), APIField("series", serializer=SeriesInfoField())]

    class Meta:
        verbose_name = "review"
