"""The query fields wagtail-series adds to the site's grapple schema: ``series``, ``seriesList``
and ``seriesCount``. They start from the reader's ``series_for_request`` and ``series_in_scope``
(the visible series of the request's Site, as the REST endpoint), and check and apply their
arguments with ``wagtail_series.query``, as the REST endpoint does: an ``InvalidQuery`` becomes
a GraphQL error with the same message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import graphene
from django.db.models import QuerySet
from graphql import GraphQLError

from ... import query, reader
from ...models import SeriesPage
from ...query import DEFAULT_ORDERING, ORDER_CHOICES, InvalidQuery
from .loaders import get_loader, request_of
from .types import SeriesStatus, series_page_type


@contextmanager
def graphql_errors() -> Iterator[None]:
    """An ``InvalidQuery`` raised inside is a GraphQL error with the same message."""
    try:
        yield
    except InvalidQuery as error:
        raise GraphQLError(error.message) from None


def _locale_argument() -> graphene.Argument:
    return graphene.Argument(
        graphene.String,
        description='Series in this locale, by language code ("fr"); an unknown one is an error.',
    )


def _filter_arguments() -> dict[str, Any]:
    return {
        "tag": graphene.Argument(graphene.String, description="Series with this tag."),
        "status": graphene.Argument(SeriesStatus, description="Series with this status."),
        "locale": _locale_argument(),
    }


class SeriesQuery:
    """Added to the site's schema through grapple's ``register_schema_query`` hook."""

    series = graphene.Field(
        lambda: series_page_type(),
        id=graphene.Argument(graphene.ID, description="The series page's id."),
        slug=graphene.Argument(
            graphene.String,
            description="The series page's slug, looked up in `locale`, else in the active "
            "language (the request's), then the default locale.",
        ),
        locale=_locale_argument(),
        description="A live series of the request's Site that the request may see, by id or "
        "slug (or both); null when there is none.",
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
        description="The live series of the request's Site that the request may see (every "
        "Site's with WAGTAIL_SERIES['API_ALL_SITES']). seriesCount gives their number.",
    )
    series_count = graphene.Int(
        required=True,
        **_filter_arguments(),
        description="How many series seriesList lists with these filters, in all.",
    )

    def resolve_series(
        root: Any,
        info: Any,
        id: str | None = None,
        slug: str | None = None,
        locale: str | None = None,
    ) -> SeriesPage | None:
        if id is None and slug is None:
            raise GraphQLError('series needs an id or a slug, e.g. series(slug: "memories").')
        candidates = SeriesPage.objects.live().select_related("cover_image", "locale")
        with graphql_errors():
            if id is not None:
                candidates = candidates.filter(pk=query.parse_id(id, example="series(id: 3)"))
            candidates = query.filter_series(candidates, slug=slug, locale=locale)
        request = request_of(info)
        loader = get_loader(info)
        # Slugs are unique among siblings only: the first visible one of the request's Site, in
        # tree order (its verdicts are memoised for its outline).
        for series in candidates.order_by("path"):
            if reader.series_in_scope(series, request):
                loader.add_batch([series])
                return series
        return None

    def resolve_series_list(
        root: Any,
        info: Any,
        tag: str | None = None,
        status: Any = None,
        locale: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[SeriesPage]:
        from grapple.settings import grapple_settings

        with graphql_errors():
            queryset = query.order_series(filtered(request_of(info), tag, status, locale), order)
            limit_max = query.limit_max()
            default_limit = min(grapple_settings.PAGE_SIZE, limit_max)
            limit = query.check_number("limit", limit, default=default_limit, maximum=limit_max)
            offset = query.check_number("offset", offset, default=0, maximum=query.MAX_OFFSET)
        series_list = list(
            queryset.select_related("cover_image", "locale")[offset : offset + limit]
        )
        get_loader(info).add_batch(series_list)
        return series_list

    def resolve_series_count(
        root: Any, info: Any, tag: str | None = None, status: Any = None, locale: str | None = None
    ) -> int:
        with graphql_errors():
            return filtered(request_of(info), tag, status, locale).count()


def filtered(
    request: Any, tag: str | None, status: Any, locale: str | None = None
) -> QuerySet[SeriesPage]:
    """The series of the request's Site that ``request`` may see, with ``tag``, ``status`` (a
    ``SeriesStatus`` member) and ``locale`` (a language code)."""
    return query.filter_series(
        reader.series_for_request(request),
        status=None if status is None else getattr(status, "value", status),
        tag=tag,
        locale=locale,
    )
