"""``SeriesAPIViewSet``: a Wagtail API v2 endpoint serving whole series in one request.

Every value comes from ``wagtail_series.reader``: which series a request may see, the parts, their
order, numbering and state. List parameters are checked and applied by ``wagtail_series.query``
(as GraphQL's are): bad input is a 400 ``{"message": ...}`` that says what to fix; an unknown,
unpublished or private series is a 404. Responses carry ETag and Last-Modified from
``wagtail_series.versions``, so a conditional request is answered (304) before anything is
serialised (and, for anonymous readers, before DRF runs: see ``caching.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError, get_full_url
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Site

from .. import query, reader, versions
from ..conf import series_settings
from ..models import SeriesPage, SeriesPageTag
from ..models.versions import ALL_SERIES
from ..query import InvalidQuery
from .caching import answers_conditional_requests
from .serializers import series_data, series_detail_data


class SeriesAPIViewSet(BaseAPIViewSet):
    """``/series/``: listing, filters, order, pagination; ``/series/<id>/``: a whole series."""

    model = SeriesPage
    name = "series"
    listing_parameters = frozenset(
        [
            "limit",
            "offset",
            "order",
            "search",
            "tag",
            "status",
            "slug",
            "locale",
            "translation_of",
            "site",
        ]
    )
    detail_parameters = frozenset(["site"])
    find_query_parameters = frozenset(["id", "slug", "locale", "site"])
    # Accepted everywhere, as in Wagtail's endpoints: "_" (jQuery cache busting) and "format".
    common_parameters = frozenset(["_", "format"])

    @classmethod
    def get_urlpatterns(cls) -> list[Any]:
        return [
            path(
                "",
                answers_conditional_requests(
                    cls.as_view({"get": "listing_view"}), cls.cached_not_modified
                ),
                name="listing",
            ),
            path("find/", cls.as_view({"get": "find_view"}), name="find"),
            # <str:pk>, not <int:pk>: a malformed id is a 400 that says so, not a bare 404.
            path(
                "<str:pk>/",
                answers_conditional_requests(
                    cls.as_view({"get": "detail_view"}), cls.cached_not_modified
                ),
                name="detail",
            ),
        ]

    # --- Views ---------------------------------------------------------------------------

    def listing_view(self, request: HttpRequest) -> HttpResponseBase:
        self.check_parameters(self.listing_parameters)
        generation = versions.current_generation(ALL_SERIES)  # before reading the database
        visible = self.series_in_scope(request)
        queryset = self.order(self.filter(visible, request), request)
        limit, offset = self.pagination(request)

        version = versions.read(ALL_SERIES)
        validators = self.validators(request, "listing", version, None, request.GET.urlencode())
        self.remember(request, generation, *validators)
        not_modified = self.not_modified(request, *validators)
        if not_modified is not None:
            return not_modified

        total_count = queryset.count()
        series_list = list(
            queryset.select_related("cover_image", "locale")[offset : offset + limit]
        )
        tags = tag_names(series_list)
        # Counts and dates only: a listing shows no parts (nor their URLs).
        summaries = reader.get_series_summaries(series_list, request)
        detail_urls = self.detail_url_prefix(request)  # reversed once, not once per series
        items = [
            series_data(
                summaries[series.pk],
                request,
                detail_url=f"{detail_urls}{series.pk}/",
                cover_filter_spec=series_settings.API_COVER_IMAGE_FILTER,
                tags=tags.get(series.pk, []),
            )
            for series in series_list
        ]
        return self.respond(
            request, {"meta": {"total_count": total_count}, "items": items}, *validators
        )

    def detail_view(self, request: HttpRequest, pk: str) -> HttpResponseBase:
        self.check_parameters(self.detail_parameters)
        series_id = self.parse_id(pk)
        generation = versions.current_generation(series_id)  # before reading the database
        series = (
            versions.with_versions(SeriesPage.objects.filter(pk=series_id))
            .select_related("cover_image", "locale")
            .first()
        )
        # Another Site's series is a 404, as in Wagtail's pages endpoint.
        if series is None or not reader.series_in_scope(series, request, site=self.site(request)):
            raise Http404(f"There is no series with id {series_id}.")

        validators = self.validators(
            request, f"detail:{series.pk}", versions.version_of(series), series, ""
        )
        self.remember(request, generation, *validators)
        not_modified = self.not_modified(request, *validators)
        if not_modified is not None:
            return not_modified

        data = series_detail_data(
            reader.get_series_outline(series, request),
            request,
            detail_url=self.detail_url(request, series.pk),
            cover_filter_spec=series_settings.API_COVER_IMAGE_FILTER,
            max_parts=series_settings.API_MAX_PARTS,
        )
        return self.respond(request, data, *validators)

    def find_view(self, request: HttpRequest) -> HttpResponseBase:
        self.check_parameters(self.find_query_parameters)
        visible = self.series_in_scope(request)
        if "id" in request.GET:
            visible = visible.filter(pk=self.parse_id(request.GET["id"]))
        if "slug" in request.GET or "locale" in request.GET:
            visible = query.filter_series(
                visible, slug=request.GET.get("slug"), locale=request.GET.get("locale")
            )
        if not {"id", "slug"} & set(request.GET):
            raise BadRequestError("find needs an id or a slug parameter.")
        series = visible.order_by("path").first()
        if series is None:
            raise Http404("There is no series matching that id or slug.")
        return redirect(self.detail_url(request, series.pk))

    def get_renderer_context(self) -> dict[str, Any]:
        # Wagtail's endpoints indent JSON by 4 for every client; a whole series is sent compact
        # (a third smaller, and encoded by the C encoder). The browsable view still indents, and
        # `Accept: application/json; indent=4` asks for it.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    # --- Input ---------------------------------------------------------------------------

    def handle_exception(self, exc: Exception) -> Response:
        # Every error in the API's {"message": ...} shape, including DRF's own (e.g. a 406).
        if isinstance(exc, InvalidQuery):
            exc = BadRequestError(exc.message)
        if isinstance(exc, APIException) and not isinstance(exc, BadRequestError):
            response = super().handle_exception(exc)
            response.data = {"message": str(exc.detail)}
            return response
        return super().handle_exception(exc)

    def perform_content_negotiation(self, request: Any, force: bool = False) -> Any:
        # DRF answers an unknown ?format= with an empty 404; say what to fix instead.
        formats = sorted(renderer.format for renderer in self.get_renderers())
        # (force=True: DRF is choosing a renderer for an error response; never raise there.)
        if not force and request.query_params.get("format", formats[0]) not in formats:
            raise BadRequestError(f"format must be one of: {', '.join(formats)}.")
        return super().perform_content_negotiation(request, force)

    def check_parameters(self, allowed: frozenset[str]) -> None:
        unknown = set(self.request.GET) - allowed - self.common_parameters
        if unknown:
            known = ", ".join(sorted(allowed)) or "none"
            raise BadRequestError(
                f"Unknown query parameter(s): {', '.join(sorted(unknown))}. "
                f"This endpoint accepts: {known}."
            )

    @staticmethod
    def parse_id(raw: str) -> int:
        return query.parse_id(raw, example="/series/3/")

    @staticmethod
    def site(request: HttpRequest) -> Site | None:
        """The Site ``?site=hostname[:port]`` names (as in Wagtail's pages endpoint), or None."""
        raw = request.GET.get("site")
        return query.parse_site(raw) if raw is not None else None

    def series_in_scope(self, request: HttpRequest) -> QuerySet[SeriesPage]:
        """The series this request may see, of its Site (or ``?site=``'s): the reader says."""
        return reader.series_for_request(request, site=self.site(request))

    def filter(self, visible: QuerySet[SeriesPage], request: HttpRequest) -> QuerySet[SeriesPage]:
        params = request.GET
        return query.filter_series(
            visible,
            status=params.get("status"),
            slug=params.get("slug"),
            tag=params.get("tag"),
            search=params.get("search"),
            locale=params.get("locale"),
            translation_of=params.get("translation_of"),
        )

    def order(self, queryset: QuerySet[SeriesPage], request: HttpRequest) -> QuerySet[SeriesPage]:
        return query.order_series(queryset, request.GET.get("order"))

    def pagination(self, request: HttpRequest) -> tuple[int, int]:
        limit_max = query.limit_max()
        params = request.GET
        limit = query.parse_number(
            "limit", params.get("limit"), default=min(20, limit_max), maximum=limit_max
        )
        offset = query.parse_number(
            "offset", params.get("offset"), default=0, maximum=query.MAX_OFFSET
        )
        return limit, offset

    # --- Output --------------------------------------------------------------------------

    def detail_url(self, request: HttpRequest, pk: int) -> str:
        return f"{self.detail_url_prefix(request)}{pk}/"

    def detail_url_prefix(self, request: HttpRequest) -> str:
        """The full URL of this endpoint's listing: a series' detail URL is it plus ``<id>/``
        (see ``get_urlpatterns``)."""
        # Reverse within the namespace this endpoint was registered under on the host's router
        # (the router's own lookup would pick the pages endpoint: a series is a page).
        match = request.resolver_match
        if match is None:
            raise RuntimeError("detail_url() needs a request routed to this endpoint.")
        namespace = match.namespace
        return get_full_url(request, reverse(f"{namespace}:listing"))

    def validators(
        self,
        request: HttpRequest,
        scope: str,
        version: versions.Version,
        page: SeriesPage | None,
        extra: str,
    ) -> tuple[str, datetime, bool]:
        """(ETag, Last-Modified, public?) for what ``request`` sees at ``version``."""
        viewer = reader.viewer_key(request)
        # JSON and the browsable HTML view of the same data are different representations.
        renderer = getattr(getattr(request, "accepted_renderer", None), "format", "")
        # The active language picks the series a ?slug= names (reader.in_preferred_locale).
        language = translation.get_language() or ""
        etag = versions.etag(scope, version, viewer, renderer, language, extra)
        return etag, versions.last_modified(version, page), viewer == reader.PUBLIC_VIEWER

    @staticmethod
    def remember(
        request: HttpRequest, generation: str | None, etag: str, changed_at: datetime, public: bool
    ) -> None:
        # Only what every anonymous reader gets: the cache answers no one else.
        if public:
            versions.store_validators(request, generation, etag, changed_at)

    @classmethod
    def cached_not_modified(
        cls, response: HttpResponseBase, etag: str, changed_at: datetime
    ) -> HttpResponseBase:
        """A 304 answered from the validator cache, with the headers the full view would send."""
        response = cls.cache_headers(response, etag, changed_at, public=True)
        # What DRF adds to every response of these views (see APIView.finalize_response).
        patch_vary_headers(response, ["Accept"])
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    def not_modified(
        self, request: HttpRequest, etag: str, changed_at: datetime, public: bool
    ) -> HttpResponseBase | None:
        response = get_conditional_response(
            request, etag=etag, last_modified=int(changed_at.timestamp())
        )
        return self.cache_headers(response, etag, changed_at, public) if response else None

    def respond(
        self,
        request: HttpRequest,
        data: dict[str, Any],
        etag: str,
        changed_at: datetime,
        public: bool,
    ) -> Response:
        return self.cache_headers(Response(data), etag, changed_at, public)

    @staticmethod
    def cache_headers(response: Any, etag: str, changed_at: datetime, public: bool) -> Any:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(changed_at.timestamp())
        # What a response holds depends on the reader's session and user.
        patch_vary_headers(response, ["Cookie"])
        if public:
            patch_cache_control(response, public=True, max_age=series_settings.API_CACHE_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response


def tag_names(series_list: list[SeriesPage]) -> dict[int, list[str]]:
    """The tag names of each series, by id: one query for a page of the listing.

    (Prefetching ``tags`` costs a tag manager and a queryset per series, a third of the page.)
    """
    names: dict[int, list[str]] = {}
    rows = SeriesPageTag.objects.filter(
        content_object_id__in=[series.pk for series in series_list]
    ).values_list("content_object_id", "tag__name")
    for series_id, name in rows:
        names.setdefault(series_id, []).append(name)
    return names
