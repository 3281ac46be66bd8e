from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import get_page_models
from wagtail.search import index

from .. import surface_hooks
from ..admin.forms import SeriesPartForm
from ..admin.panels import SeriesPartContextPanel, SeriesPartPublishPanel
from ..api_fields import SeriesInfoField, StreamFieldHTMLField
from ..compat import get_page_model
from ..frontend_cache.tags import add_cache_tags, cache_tag_header, series_tag

# The page model (swappable in Wagtail 8) is only known at runtime; the type checker sees Page.
if TYPE_CHECKING:
    from wagtail.models import Page
    from wagtail.models import Page as BasePage
else:
    BasePage = get_page_model()


class SeriesPartMixin(models.Model):
    """Make any page type a series part.

    A page using this mixin is a part of the series page it sits under. While it is not live it
    is a *forthcoming* part: readers see only ``forthcoming_title`` (or the title), the teaser
    and the expected date, and only when ``announce_forthcoming`` is on.

    Add ``SeriesPartMixin.series_panels`` to the page type's panels so editors can fill them in.
    """

    forthcoming_title = models.CharField(
        _("forthcoming title"),
        max_length=255,
        blank=True,
        help_text=_("Shown to readers while this part is not published. Defaults to the title."),
    )
    forthcoming_teaser = models.TextField(
        _("forthcoming teaser"),
        blank=True,
        help_text=_("A sentence or two shown with the announcement, while not published."),
    )
    expected_date = models.DateField(
        _("expected date"),
        null=True,
        blank=True,
        help_text=_("When readers can expect this part. A scheduled go-live date overrides it."),
    )
    announce_forthcoming = models.BooleanField(
        _("announce while unpublished"),
        default=True,
        help_text=_(
            "List this part in the series as “coming soon” before it is published. "
            "Untick to keep the draft invisible until it goes live."
        ),
    )

    # The editor's form: asks for a confirmation before a part with no content goes live (see
    # ``has_content`` and the EMPTY_PART_PUBLISH setting). A page type with a form of its own
    # subclasses ``wagtail_series.admin.forms.SeriesPartForm`` to keep that.
    base_form_class = SeriesPartForm

    series_panels = [
        # Shown only when publishing a part with no content needs a confirmation.
        SeriesPartPublishPanel(),
        # Read-only: the series, the position and what readers see of the part.
        SeriesPartContextPanel(),
        MultiFieldPanel(
            [
                FieldPanel("announce_forthcoming"),
                FieldPanel("forthcoming_title"),
                FieldPanel("forthcoming_teaser"),
                FieldPanel("expected_date"),
            ],
            heading=_("Series announcement"),
        ),
    ]

    # The `series` field in Wagtail's pages API (/api/v2/pages/<id>/). A page type that declares
    # its own api_fields adds it with `*SeriesPartMixin.api_fields`.
    api_fields = [APIField("series", serializer=SeriesInfoField())]

    # The columns the reader module may read from a part that is not live: since Wagtail 6 such
    # a page's row holds its latest draft, so nothing else of it may reach a reader.
    ANNOUNCEMENT_FIELDS = ("forthcoming_title", "forthcoming_teaser", "expected_date")

    # The columns ``get_series_summary`` reads. The reader loads them, in bulk, for live parts only.
    SUMMARY_FIELDS: tuple[str, ...] = ("forthcoming_teaser",)

    # The columns ``has_content`` reads: the part's own content, as opposed to its announcement.
    # Empty (the default): wagtail-series can't tell, and takes every part to have content.
    CONTENT_FIELDS: tuple[str, ...] = ()

    # Columns of its own the reader loads with a live part's announcement (``LinkedPart``: its
    # target). Never read from a part that is not live: its row holds its draft.
    READER_FIELDS: tuple[str, ...] = ()

    if TYPE_CHECKING:
        # Columns of the page model every part type also subclasses (see ``get_part_models``),
        # declared for the type checker only: it sees this mixin as a plain abstract model.
        live: bool
        path: str
        title: str

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        """The page, with its series' cache tag (``CACHE_TAG_HEADER``) when it is a part of a
        live series. A page type overriding ``serve`` keeps the tag by calling ``super()``."""
        # A mixin of page types: Page.serve follows in the MRO (the checker sees a plain model).
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        if cache_tag_header() is None or getattr(request, "is_preview", False):
            return response
        if getattr(response, "is_rendered", True):
            _tag_part_response(self, request, response)
        else:
            # A TemplateResponse renders after this returns, and rendering places the part in
            # its series (the reader memoises that on the request): read it then, for free.
            response.add_post_render_callback(lambda r: _tag_part_response(self, request, r))
        return response

    def get_series_summary(self) -> str:
        """A short plain-text summary of this part, for feeds. Only ever asked of live parts.

        Override it, with ``SUMMARY_FIELDS`` naming the columns it reads, to use a field of your
        page type (``SeriesPart`` uses its intro). The default is the forthcoming teaser.
        """
        return self.forthcoming_teaser

    def has_content(self) -> bool:
        """Whether this part has any content of its own yet (not counting its announcement).

        A part with none gets a confirmation before it is published (``EMPTY_PART_PUBLISH``) and
        shows "no content yet" in the editor's panels. The default: any field named in
        ``CONTENT_FIELDS`` is filled in (text that isn't only spaces, a StreamField with a
        block, any other value that is truthy); True when ``CONTENT_FIELDS`` is empty. Override
        it, with ``CONTENT_FIELDS`` naming the columns it reads, for another rule.
        """
        if not self.CONTENT_FIELDS:
            return True
        return any(_is_filled(getattr(self, name)) for name in self.CONTENT_FIELDS)


def _is_filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, StreamValue):
        return len(value) > 0
    if value is None:
        return False
    return bool(value)


# Wagtail's PageManager has no type information, so the Django plugin cannot resolve `objects`
# and falls back to a Manager typed as this model (django-stubs issue 1023).
class SeriesPart(SeriesPartMixin, BasePage):  # type: ignore[django-manager-missing]
    """A ready-made part page: an intro and a body of headings, rich text and quotes."""

    intro = models.TextField(_("intro"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", icon="title")),
            ("paragraph", blocks.RichTextBlock()),
            ("quote", blocks.BlockQuoteBlock()),
        ],
        blank=True,
        verbose_name=_("body"),
    )

    content_panels = (
        BasePage.content_panels
        + [FieldPanel("intro"), FieldPanel("body")]
        + SeriesPartMixin.series_panels
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    api_fields = [
        APIField("intro"),
        # Rich text as display HTML: links to forthcoming parts resolved as on the site.
        APIField("body", serializer=StreamFieldHTMLField()),
        *SeriesPartMixin.api_fields,
    ]

    parent_page_types = ["wagtail_series.SeriesPage"]
    subpage_types: list[str] = []
    template = "wagtail_series/series_part.html"

    SUMMARY_FIELDS = ("intro", "forthcoming_teaser")
    CONTENT_FIELDS = ("intro", "body")

    class Meta:
        verbose_name = _("series part")
        verbose_name_plural = _("series parts")

    def get_series_summary(self) -> str:
        return self.intro or self.forthcoming_teaser


def _tag_part_response(page: SeriesPartMixin, request, response) -> None:
    # reader.get_part_series, through a surface hook: the reader imports this module.
    series = surface_hooks.registered(surface_hooks.PART_SERIES)(page, request)
    if series is not None:
        add_cache_tags(response, [series_tag(series.pk)])


def get_part_models() -> list[type[Page]]:
    """All concrete page types that use ``SeriesPartMixin``."""
    return [m for m in get_page_models() if issubclass(m, SeriesPartMixin)]


def part_content_type_ids() -> list[int]:
    """Content type ids of the part page types (ContentType's manager caches them)."""
    return [ct.id for ct in ContentType.objects.get_for_models(*get_part_models()).values()]
