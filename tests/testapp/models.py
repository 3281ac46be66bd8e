"""A host site's own article page type, turned into a series part with the mixin."""

from typing import TYPE_CHECKING

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField

from wagtail_series.api_fields import SeriesInfoField
from wagtail_series.compat import get_page_model
from wagtail_series.models import SeriesPartMixin

# The page model (swappable in Wagtail 8) is only known at runtime; the type checker sees Page.
if TYPE_CHECKING:
    from wagtail.models import Page
else:
    Page = get_page_model()


# Wagtail's PageManager has no type information, so the Django plugin cannot resolve `objects`
# and falls back to a Manager typed as this model (django-stubs issue 1023).
class BlogPage(SeriesPartMixin, Page):  # type: ignore[django-manager-missing]
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


class ReviewPage(Page):
    """A host site's page type that knows nothing of series: a linked part's target."""

    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    template = "testapp/review_page.html"

    # Its place in the series that link it, in Wagtail's pages API.
    api_fields = [APIField("series", serializer=SeriesInfoField())]
