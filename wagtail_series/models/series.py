from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as routable_path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.search import index

from .. import surface_hooks
from ..admin.forms import SeriesPageForm
from ..admin.panels import SeriesContentsPanel
from ..compat import get_page_model, page_parent_link_name
from ..frontend_cache.tags import add_cache_tags, series_tag
from .indexes import NullsLastIndex
from .parts import get_part_models, part_content_type_ids

# The page model (swappable in Wagtail 8) is only known at runtime; the type checker sees Page.
if TYPE_CHECKING:
    from wagtail.models import Page as BasePage
else:
    BasePage = get_page_model()


class SeriesStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    COMPLETE = "complete", _("Complete")
    HIATUS = "hiatus", _("On hiatus")
    CANCELLED = "cancelled", _("Cancelled")


class SeriesPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_series.SeriesPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class SeriesPage(RoutablePageMixin, BasePage):
    """A series: its parts are the part pages directly beneath it, in the page tree's order.

    It also serves the series' feeds at ``feed/``, ``feed/atom/`` and ``feed/json/`` below its
    URL (a part page with the slug "feed" would be hidden by them).
    """

    description = RichTextField(_("description"), blank=True)
    cover_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=SeriesPageTag, blank=True, verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=16, choices=SeriesStatus.choices, default=SeriesStatus.ONGOING
    )
    part_label = models.CharField(
        _("part label"),
        max_length=40,
        default="Part",
        help_text=_('What each part is called: "Part", "Chapter", "Episode"…'),
    )
    planned_parts = models.PositiveIntegerField(
        _("planned parts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Optional: how many parts the series will have in total."),
    )
    # What listings are ordered by by default: the newest first publication date among the live
    # parts that anonymous readers may see (None: no such part). Derived, never edited: written
    # by ``propagation.series_changed`` in the transaction of every change, computed by
    # ``reader.latest_public_part_dates``. Not content: revisions and copies don't carry it.
    latest_public_part_published_at = models.DateTimeField(
        _("latest public part published at"), null=True, blank=True, editable=False
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("part_label"),
                FieldPanel("planned_parts"),
                FieldPanel("tags"),
            ],
            heading=_("Series"),
        ),
        # Read-only: every part with its state (published, scheduled, forthcoming, hidden, private).
        SeriesContentsPanel(),
    ]

    search_fields = BasePage.search_fields + [index.SearchField("description")]

    template = "wagtail_series/series_page.html"
    base_form_class = SeriesPageForm

    # The page explorer lists a series' children in series order (the tree's), where Wagtail's
    # drag and drop reorders them; editors can still sort by another column.
    admin_default_ordering = "ord"

    # Derived from the parts (see the field): a copy or an alias computes its own.
    exclude_fields_in_copy = ["latest_public_part_published_at"]

    class Meta:
        verbose_name = _("series")
        # English "series" is both numbers; French and German aren't ("séries", "Serien").
        verbose_name_plural = pgettext_lazy("plural", "series")
        indexes = [
            # The default listing order, newest part first (ties by id), read by ORDER BY ...
            # LIMIT without sorting every series. NULLS LAST where the database says so
            # (PostgreSQL); SQLite sorts NULL lowest, so last in a descending index anyway.
            NullsLastIndex(
                fields=["-latest_public_part_published_at", page_parent_link_name()],
                name="wagtail_series_latest_part",
            ),
        ]

    @classmethod
    def allowed_subpage_models(cls):
        # Every page type that can be a part, including host-site types using the mixin.
        return [m for m in super().allowed_subpage_models() if m in get_part_models()]

    # The feeds, below the series URL. Wagtail's frontend cache purges them with the page.
    FEED_PATHS = {"rss": "feed/", "atom": "feed/atom/", "json": "feed/json/"}

    # Where routing leaves the series it routed through, on the request (read by the reader's
    # get_part_position): a part page's series chrome then needs no query to find its series.
    ROUTED_SERIES_ATTRIBUTE = "_wagtail_series_routed_series"

    def route(self, request, path_components):
        if path_components:
            setattr(request, self.ROUTED_SERIES_ATTRIBUTE, self)
        try:
            return super().route(request, path_components)
        except Http404:
            # No live page there: a forthcoming part's URL shows its announcement (see
            # wagtail_series.announcement and FORTHCOMING_PART_PAGE); anything else stays a 404.
            if len(path_components) == 1:
                route = surface_hooks.registered(surface_hooks.ROUTE_FORTHCOMING_PART)(
                    self, request, path_components[0]
                )
                if route is not None:
                    return route
            raise

    def with_content_json(self, content: dict) -> SeriesPage:
        """A revision's version of this series, keeping the row's listing date: it describes
        the parts as they are now, not as they were when the revision was saved."""
        obj = super().with_content_json(content)
        obj.latest_public_part_published_at = self.latest_public_part_published_at
        return obj

    def count_part_pages(self) -> int:
        """How many part pages exist under this series, live, draft or private (the editor form's
        check of ``planned_parts``; not a reader's view). One query."""
        return (
            BasePage.objects.child_of(self)
            .filter(content_type_id__in=part_content_type_ids())
            .count()
        )

    def get_cached_paths(self) -> list[str]:
        return ["/", *self.FEED_PATHS.values()]

    def serve(self, request, *args, **kwargs):
        """The page or one of its feeds, with this series' cache tag (``CACHE_TAG_HEADER``)."""
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            add_cache_tags(response, [series_tag(self.pk)])
        return response

    # The routes' views are feeds.views.serve_series_feed, found when a feed is asked for: the
    # feeds import the reader, which imports this module (see wagtail_series.surface_hooks).
    @routable_path("feed/", name="series_feed_rss")
    def rss_feed(self, request):
        return self.serve_feed(request, "rss")

    @routable_path("feed/atom/", name="series_feed_atom")
    def atom_feed(self, request):
        return self.serve_feed(request, "atom")

    @routable_path("feed/json/", name="series_feed_json")
    def json_feed(self, request):
        return self.serve_feed(request, "json")

    def serve_feed(self, request, kind: str):
        """The ``kind`` ("rss", "atom" or "json") feed of this series; 404 unless it is public."""
        return surface_hooks.registered(surface_hooks.SERVE_FEED)(request, self, kind)

    # Feeds show what anonymous readers see; see wagtail_series.feeds.views.hide_private_feeds.
    rss_feed.is_series_feed = atom_feed.is_series_feed = json_feed.is_series_feed = True
