"""The query fields wagtail-series adds to the site's grapple schema: ``series``, ``seriesList``
and ``seriesCount``. They start from the reader's ``visible_series`` and ``series_is_visible``,
and check their arguments as the REST endpoint does, with the same messages.
"""

from __future__ import annotations

import re
from typing import Any

import graphene
from django.db.models import F, QuerySet
from graphql import GraphQLError

from ... import reader
from ...api.views import DEFAULT_ORDERING, MAX_OFFSET, ORDERINGS, latest_public_part_date
from ...conf import series_settings
from ...models import SeriesPage
from .loaders import get_loader, request_of
from .types import SeriesStatus, series_page_type

_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
_SLUG = re.compile(r"[-\w]{1,255}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_TAG_LENGTH = 100

ORDER_CHOICES = ", ".join(f"{name}, -{name}" for name in ORDERINGS)


def _filter_arguments() -> dict[str, Any]:
    return {
        "tag": graphene.Argument(graphene.String, description="Series with this tag."),
        "status": graphene.Argument(SeriesStatus, description="Series with this status."),
    }


class SeriesQuery:
    """Added to the site's schema through grapple's ``register_schema_query`` hook."""

    series = graphene.Field(
        lambda: series_page_type(),
        id=graphene.Argument(graphene.ID, description="The series page's id."),
        slug=graphene.Argument(graphene.String, description="The series page's slug."),
        description="A live series the request may see, by id or slug (or both); null when "
        "there is none.",
    )
    series_list = graphene.List(
        graphene.NonNull(lambda: series_page_type()),
        required=True,
        **_filter_arguments(),
        order=graphene.Argument(
            graphene.String,
            description=f"One of: {ORDER_CHOICES}. Default {DEFAULT_ORDERING}.",
        ),
        # Int, not grapple's PositiveInt, which takes -1 for null and fails on a string.
        limit=graphene.Argument(
            graphene.Int,
            description="How many series to return: default GRAPPLE['PAGE_SIZE'], at most "
            "WAGTAIL_SERIES['API_LIMIT_MAX'] (more is an error, not a silent cut).",
        ),
        offset=graphene.Argument(graphene.Int, description="How many series to skip."),
        description="The live series the request may see. seriesCount gives their number.",
    )
    series_count = graphene.Int(
        required=True,
        **_filter_arguments(),
        description="How many series seriesList lists with these filters, in all.",
    )

    def resolve_series(
        root: Any, info: Any, id: str | None = None, slug: str | None = None
    ) -> SeriesPage | None:
        if id is None and slug is None:
            raise GraphQLError('series needs an id or a slug, e.g. series(slug: "memories").')
        candidates = SeriesPage.objects.live().select_related("cover_image").order_by("path")
        if id is not None:
            candidates = candidates.filter(pk=parse_id(id))
        if slug is not None:
            candidates = candidates.filter(slug=parse_slug(slug))
        loader = get_loader(info)
        # Slugs are unique among siblings only: the first visible one, in tree order.
        for series in candidates:
            if loader.visible(series):
                loader.add_batch([series])
                return series
        return None

    def resolve_series_list(
        root: Any,
        info: Any,
        tag: str | None = None,
        status: Any = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[SeriesPage]:
        from grapple.settings import grapple_settings

        queryset = ordered(filtered(request_of(info), tag, status), order)
        limit_max = series_settings.API_LIMIT_MAX
        limit = bounded("limit", limit, min(grapple_settings.PAGE_SIZE, limit_max), limit_max)
        offset = bounded("offset", offset, 0, MAX_OFFSET)
        series_list = list(queryset.select_related("cover_image")[offset : offset + limit])
        get_loader(info).add_batch(series_list)
        return series_list

    def resolve_series_count(
        root: Any, info: Any, tag: str | None = None, status: Any = None
    ) -> int:
        return filtered(request_of(info), tag, status).count()


def parse_id(raw: Any) -> int:
    raw = str(raw)
    if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) > 2**31 - 1:
        raise GraphQLError("A series id must be a positive whole number, e.g. series(id: 3).")
    return int(raw)


def parse_slug(raw: str) -> str:
    if not _SLUG.fullmatch(raw):
        raise GraphQLError("slug must be 1 to 255 letters, numbers, underscores or hyphens.")
    return raw


def filtered(request: Any, tag: str | None, status: Any) -> QuerySet[SeriesPage]:
    visible = reader.visible_series(request=request)
    queryset = visible
    if status is not None:
        queryset = queryset.filter(status=getattr(status, "value", status))
    if tag is not None:
        # Control characters can't be in a tag (PostgreSQL rejects NUL in a query outright).
        if _CONTROL.search(tag):
            raise GraphQLError("tag must not contain control characters.")
        if not tag or len(tag) > MAX_TAG_LENGTH or not visible.filter(tags__name=tag).exists():
            raise GraphQLError(f"No series has the tag {tag[:MAX_TAG_LENGTH]!r}.")
        queryset = queryset.filter(tags__name=tag)
    return queryset


def ordered(queryset: QuerySet[SeriesPage], order: str | None) -> QuerySet[SeriesPage]:
    """Order by a name from the allow-list: never a field name passed on to the ORM."""
    ordering = DEFAULT_ORDERING if order is None else order
    name = ordering.removeprefix("-")
    if name not in ORDERINGS:
        raise GraphQLError(f"order must be one of: {ORDER_CHOICES}.")
    if name == "latest_part_published_at":
        queryset = queryset.annotate(latest_part_published_at=latest_public_part_date())
    field = F(name)
    descending = ordering.startswith("-")
    expression = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    return queryset.order_by(expression, "pk")


def bounded(name: str, value: int | None, default: int, maximum: int) -> int:
    if value is None:
        return default
    if value < 0 or value > maximum:
        raise GraphQLError(f"{name} must be a whole number from 0 to {maximum}.")
    return value
