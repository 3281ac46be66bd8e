"""A host site's own article page type, turned into a series part with the mixin."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from wagtail_series.compat import get_page_model
from wagtail_series.models import SeriesPartMixin

Page = get_page_model()


class BlogPage(SeriesPartMixin, Page):
    summary = models.CharField(max_length=255, blank=True)
    body = RichTextField(blank=True)

    content_panels = (
        Page.content_panels
        + [FieldPanel("summary"), FieldPanel("body")]
        + SeriesPartMixin.series_panels
    )

    template = "testapp/blog_page.html"

    # GraphQL (wagtail_series.contrib.grapple): `seriesInfo` on this page type's grapple type.
    graphql_interfaces = ("wagtail_series.contrib.grapple.types.SeriesPartInterface",)
