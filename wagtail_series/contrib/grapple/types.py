"""GraphQL types for series. They mirror the reader's dataclasses, and every value comes from it.

- ``SeriesEntry``: a ``reader.SeriesEntry`` (one visible part, published or forthcoming);
- ``SeriesInfo``: a ``reader.PartPosition`` (a part's place in its series: "Part 2 of 3");
- ``SeriesInterface``: the series fields of the ``SeriesPage`` type (description, cover image,
  tags, status, part label, planned parts, the parts themselves);
- ``SeriesPartInterface``: ``seriesInfo``, on every page type that is a series part.

The ``SeriesPage``, ``SeriesPart`` and ``LinkedPart`` types are built here and put in grapple's
registry as grapple builds its schema (``install_page_types``), so the models never import grapple
or graphene. A host
page type using ``SeriesPartMixin``, whose type grapple builds, gets ``seriesInfo`` with one line
(see ``SERIES_PART_INTERFACE``)::

    graphql_interfaces = ("wagtail_series.contrib.grapple.types.SeriesPartInterface",)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import graphene
from grapple.registry import registry
from grapple.types.images import get_image_type
from grapple.types.interfaces import get_page_interface
from wagtail.rich_text import expand_db_html

from ... import reader
from ...conf import series_settings
from ...models import LinkedPart, SeriesPage, SeriesPart
from ...models import SeriesStatus as SeriesStatusChoices
from ...reader import EntryStatus, PartPosition
from .loaders import get_loader

if TYPE_CHECKING:
    from django.db.models import Model
    from graphene_django import DjangoObjectType

# The dotted path a host page type names in its `graphql_interfaces` to get `seriesInfo`.
SERIES_PART_INTERFACE = "wagtail_series.contrib.grapple.types.SeriesPartInterface"


def series_page_type() -> type:
    """The grapple type of ``SeriesPage`` (built by grapple once apps are ready)."""
    return registry.pages[SeriesPage]


class SeriesEntryStatus(graphene.Enum):
    """PUBLISHED: the part is live and has a URL. FORTHCOMING: announced, not published yet."""

    PUBLISHED = EntryStatus.PUBLISHED.value
    FORTHCOMING = EntryStatus.FORTHCOMING.value


SeriesStatus = graphene.Enum(
    "SeriesStatus",
    [(value.upper(), value) for value in SeriesStatusChoices.values],
    description="Where a series stands: ongoing, complete, on hiatus or cancelled.",
)


class SeriesEntry(graphene.ObjectType):
    """One part of a series as the request may see it: published, or a forthcoming placeholder.

    A forthcoming part shows only its announcement (forthcoming title, teaser, expected date).
    """

    id = graphene.ID(required=True, description="The part page's id.")
    position = graphene.Int(
        required=True, description="Its number among the parts this request sees, from 1."
    )
    label = graphene.String(required=True, description='Part label and position: "Part 2".')
    title = graphene.String(
        required=True, description="The title; while forthcoming, the forthcoming title."
    )
    status = graphene.Field(SeriesEntryStatus, required=True)
    url = graphene.String(description="The part's URL; null while forthcoming.")
    teaser = graphene.String(required=True, description="The forthcoming teaser (may be empty).")
    expected_date = graphene.Date(
        description="When a forthcoming part is expected: its scheduled go-live date if it is "
        "scheduled, otherwise the date the editor gave. Null when published or unknown."
    )
    first_published_at = graphene.DateTime(description="Null while forthcoming.")
    page = graphene.Field(
        get_page_interface,
        description="The part page itself; null while forthcoming.",
    )

    @staticmethod
    def resolve_id(entry: reader.SeriesEntry, info: Any) -> int:
        return entry.page_id

    @staticmethod
    def resolve_status(entry: reader.SeriesEntry, info: Any) -> str:
        return entry.status.value

    @staticmethod
    def resolve_page(entry: reader.SeriesEntry, info: Any) -> Any:
        return get_loader(info).page(entry, info)


class SeriesInfo(graphene.ObjectType):
    """Where a part stands in its series, for this request: "Part 2 of 3", previous and next."""

    series = graphene.Field(lambda: series_page_type(), required=True)
    position = graphene.Int(required=True, description="The part's number, from 1.")
    label = graphene.String(required=True, description='Part label and position: "Part 2".')
    total = graphene.Int(
        required=True, description="Parts this request sees, published and forthcoming."
    )
    planned = graphene.Int(description="The planned number of parts, if the series gives one.")
    display_total = graphene.Int(
        required=True,
        description='The "of M" in "Part N of M": the planned number when given and not '
        "exceeded, otherwise total.",
    )
    summary = graphene.String(required=True, description='E.g. "Part 2 of 3 in Memories".')
    previous = graphene.Field(SeriesEntry, description="The part before; null for the first.")
    next = graphene.Field(SeriesEntry, description="The part after; null for the last.")
    memberships = graphene.List(
        graphene.NonNull(lambda: SeriesInfo),
        required=True,
        description="The page's place in every series it is a part of (it may be linked in "
        "several), its primary series first: the one these fields describe.",
    )

    @staticmethod
    def resolve_memberships(position: PartPosition, info: Any) -> tuple[PartPosition, ...]:
        return get_loader(info).part_positions_of(position)

    @staticmethod
    def resolve_series(position: PartPosition, info: Any) -> SeriesPage:
        return position.outline.series

    @staticmethod
    def resolve_label(position: PartPosition, info: Any) -> str:
        return position.entry.label

    @staticmethod
    def resolve_planned(position: PartPosition, info: Any) -> int | None:
        return position.planned_total


def _if_visible(series: SeriesPage, info: Any, value: Any) -> Any:
    # A series normally comes from this app's fields, which only return series the request may
    # see. Through grapple's own fields (e.g. `parent` outside SeriesGraphQLView) it may not be:
    # then its row may hold a draft, and nothing of it is shown.
    return value if get_loader(info).visible(series) else None


class SeriesInterface(graphene.Interface):
    """The fields of a series, beside grapple's page fields: what this request may see of it.

    Metadata fields are null only for a series the request may not see, which this app's fields
    never return (grapple's own `parent` field can, outside SeriesGraphQLView).
    """

    description = graphene.String(
        description="Rich text as display HTML, resolved as on the site: a link to a "
        "forthcoming part has no href until the part is published."
    )
    cover_image = graphene.Field(lambda: get_image_type())
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    status = graphene.Field(SeriesStatus)
    part_label = graphene.String(description='What each part is called: "Part", "Chapter"...')
    planned_parts = graphene.Int(description="How many parts are planned, if the series says.")
    parts = graphene.List(
        graphene.NonNull(SeriesEntry),
        required=True,
        description="Every part this request may see, in order, forthcoming placeholders "
        "included. Never cut silently: at most WAGTAIL_SERIES['API_MAX_PARTS'] (2000 by "
        "default), and partsTotal and partsTruncated say when the list stops short.",
    )
    parts_total = graphene.Int(
        required=True, description="How many parts there are, whether or not parts lists them all."
    )
    parts_truncated = graphene.Boolean(
        required=True, description="True when parts stops short of partsTotal."
    )
    published_count = graphene.Int(required=True)
    forthcoming_count = graphene.Int(required=True)
    display_total = graphene.Int(
        required=True,
        description='The "of M" in "Part N of M": the planned number when given and not '
        "exceeded, otherwise partsTotal.",
    )
    latest_part_published_at = graphene.DateTime(
        description="When the most recent part was first published."
    )
    locale = graphene.String(
        required=True,
        description='The series\' language code (its Wagtail locale), e.g. "fr"; the default '
        "locale's without Wagtail i18n.",
    )

    @classmethod
    def resolve_type(cls, instance: Any, info: Any) -> type:
        return registry.pages[type(instance)]

    def resolve_description(series: SeriesPage, info: Any) -> str | None:
        return _if_visible(series, info, expand_db_html(series.description))

    def resolve_cover_image(series: SeriesPage, info: Any) -> Any:
        return _if_visible(series, info, series.cover_image)

    def resolve_tags(series: SeriesPage, info: Any) -> list[str]:
        return get_loader(info).tag_names(series) if get_loader(info).visible(series) else []

    def resolve_status(series: SeriesPage, info: Any) -> str | None:
        return _if_visible(series, info, series.status)

    def resolve_part_label(series: SeriesPage, info: Any) -> str | None:
        return _if_visible(series, info, series.part_label)

    def resolve_planned_parts(series: SeriesPage, info: Any) -> int | None:
        return _if_visible(series, info, series.planned_parts)

    def resolve_parts(series: SeriesPage, info: Any) -> tuple[reader.SeriesEntry, ...]:
        return get_loader(info).outline(series, info).entries[: series_settings.API_MAX_PARTS]

    def resolve_parts_total(series: SeriesPage, info: Any) -> int:
        return get_loader(info).outline(series, info).total

    def resolve_parts_truncated(series: SeriesPage, info: Any) -> bool:
        return get_loader(info).outline(series, info).total > series_settings.API_MAX_PARTS

    def resolve_published_count(series: SeriesPage, info: Any) -> int:
        return get_loader(info).outline(series, info).published_count

    def resolve_forthcoming_count(series: SeriesPage, info: Any) -> int:
        return get_loader(info).outline(series, info).forthcoming_count

    def resolve_display_total(series: SeriesPage, info: Any) -> int:
        return get_loader(info).outline(series, info).display_total

    def resolve_latest_part_published_at(series: SeriesPage, info: Any) -> Any:
        return get_loader(info).outline(series, info).latest_published_at

    def resolve_locale(series: SeriesPage, info: Any) -> str:
        return get_loader(info).language_code(series)


class SeriesPartInterface(graphene.Interface):
    """Implemented by the page types that are series parts: their place in their series."""

    series_info = graphene.Field(
        SeriesInfo,
        description="The part's series, position, previous and next, for this request; null "
        "when the page is not a published part of a live series that the request may see.",
    )

    @classmethod
    def resolve_type(cls, instance: Any, info: Any) -> type:
        return registry.pages[type(instance)]

    def resolve_series_info(page: Any, info: Any) -> PartPosition | None:
        return get_loader(info).part_position(page)


def grapple_prefix() -> str:
    """The type name prefix the site gives wagtail_series in GRAPPLE["APPS"], if any."""
    from grapple.settings import grapple_settings

    configured = grapple_settings.APPS
    return configured.get("wagtail_series", "") if isinstance(configured, dict) else ""


def _visible_parent(page: Any, info: Any) -> Any:
    parent = page.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    return parent if get_loader(info).may_see(parent) else None


def build_page_types(prefix: str = "") -> dict[type[Model], type[DjangoObjectType]]:
    """The graphene types of SeriesPage and SeriesPart, by model.

    Their model fields are an allow-list (only ``id``); the rest comes from grapple's page
    interface and ours. So unlike grapple's generated page types, they have no ``draftTitle``,
    ``hasUnpublishedChanges`` or ``latestRevisionCreatedAt``, which show what a live page's
    unpublished draft holds, and their ``parent`` is null when the request may not see it.
    """
    from graphene_django import DjangoObjectType
    from grapple.types.streamfield import StreamFieldInterface

    page_interface = get_page_interface()

    class SeriesPageType(DjangoObjectType):
        """A series: grapple's page fields, and the series with its parts as the request sees it."""

        class Meta:
            model = SeriesPage
            name = f"{prefix}SeriesPage"
            interfaces = (page_interface, SeriesInterface)
            fields = ("id",)

        resolve_parent = staticmethod(_visible_parent)

    class SeriesPartType(DjangoObjectType):
        """A ready-made part page (``SeriesPart``): its content and its place in its series."""

        class Meta:
            model = SeriesPart
            name = f"{prefix}SeriesPart"
            interfaces = (page_interface, SeriesPartInterface)
            fields = ("id", "intro")

        body = graphene.List(
            StreamFieldInterface,
            description="The body blocks; rich text as display HTML, resolved as on the site.",
        )
        resolve_parent = staticmethod(_visible_parent)

        @staticmethod
        def resolve_body(page: SeriesPart, info: Any) -> Any:
            return page.body

    class LinkedPartType(DjangoObjectType):
        """A linked part (``LinkedPart``): an entry of its series pointing at a page elsewhere.
        Readers meet the page it links (the series' ``parts``), not this page: only grapple's
        generic page lists (``pages``, ``children``) return it, with grapple's page fields."""

        class Meta:
            model = LinkedPart
            name = f"{prefix}LinkedPart"
            interfaces = (page_interface,)
            fields = ("id",)

        resolve_parent = staticmethod(_visible_parent)

    return {SeriesPage: SeriesPageType, SeriesPart: SeriesPartType, LinkedPart: LinkedPartType}


def install_page_types() -> None:
    """Put the series page types in grapple's registry, where its schema and its page interface
    find them (so ``page(id:)`` returns a series as this app's SeriesPage type).

    Called by this app's ``register_schema_query`` hook as grapple builds its schema: after every
    app is ready (grapple has built the types of the site's GRAPPLE["APPS"], and these replace any
    it built for the same models) and before the schema lists the registry's types. The site need
    not list "wagtail_series" in GRAPPLE["APPS"]. Building a schema again reuses the same types.
    """
    if getattr(registry.pages.get(SeriesPage), "_wagtail_series_type", False):
        return
    for model, node in build_page_types(grapple_prefix()).items():
        node._wagtail_series_type = True
        registry.pages[model] = node
