from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

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
