"""``SeriesAPIViewSet``: a Wagtail API v2 endpoint serving whole series in one request.

Every value comes from ``wagtail_series.reader``: which series a request may see, the parts, their
order, numbering and state. Bad input is a 400 ``{"message": ...}`` that says what to fix; an
unknown, unpublished or private series is a 404. Responses carry ETag and Last-Modified from
``SeriesVersion``, so a conditional request is answered (304) before anything is serialised.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError, get_full_url
from wagtail.api.v2.views import BaseAPIViewSet

from .. import __version__, reader
from ..conf import series_settings
from ..models import SeriesPage, SeriesStatus
from ..models.versions import ALL_SERIES, SeriesVersion
from ..reader import PUBLIC_VIEWER, latest_public_part_date, viewer_key
from . import conditional
from .conditional import answers_conditional_requests
from .serializers import series_data, series_detail_data

ORDERINGS = ("title", "first_published_at", "latest_part_published_at")
DEFAULT_ORDERING = "-latest_part_published_at"
MAX_OFFSET = 100_000
MAX_SEARCH_LENGTH = 200
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
_SLUG = re.compile(r"[-\w]{1,255}")
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SeriesAPIViewSet(BaseAPIViewSet):
    """``/series/``: listing, filters, order, pagination; ``/series/<id>/``: a whole series."""

    model = SeriesPage
    name = "series"
    listing_parameters = frozenset(["limit", "offset", "order", "search", "tag", "status", "slug"])
    detail_parameters: frozenset[str] = frozenset()
    find_query_parameters = frozenset(["id", "slug"])
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
        generation = conditional.current_generation(ALL_SERIES)  # before reading the database
        visible = reader.visible_series(request=request)
        queryset = self.order(self.filter(visible, request), request)
        limit, offset = self.pagination(request)

        version = SeriesVersion.objects.filter(series_id=ALL_SERIES).first()
        validators = self.validators(request, "listing", version, request.GET.urlencode())
        self.remember(request, generation, *validators)
        not_modified = self.not_modified(request, *validators)
        if not_modified is not None:
            return not_modified

        total_count = queryset.count()
        series_list = list(
            queryset.select_related("cover_image").prefetch_related("tags")[offset : offset + limit]
        )
        outlines = reader.get_series_outlines(series_list, request)
        items = [
            series_data(
                outlines[series.pk],
                request,
                detail_url=self.detail_url(request, series.pk),
                cover_filter_spec=series_settings.API_COVER_IMAGE_FILTER,
            )
            for series in series_list
        ]
        return self.respond(
            request, {"meta": {"total_count": total_count}, "items": items}, *validators
        )

    def detail_view(self, request: HttpRequest, pk: str) -> HttpResponseBase:
        self.check_parameters(self.detail_parameters)
        series_id = self.parse_id(pk)
        generation = conditional.current_generation(series_id)  # before reading the database
        series = (
            with_versions(SeriesPage.objects.filter(pk=series_id))
            .select_related("cover_image")
            .first()
        )
        if series is None or not reader.series_is_visible(series, request):
            raise Http404(f"There is no series with id {series_id}.")

        validators = self.validators(request, f"detail:{series.pk}", series, "")
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
        visible = reader.visible_series(request=request)
        if "id" in request.GET:
            visible = visible.filter(pk=self.parse_id(request.GET["id"]))
        if "slug" in request.GET:
            visible = visible.filter(slug=self.parse_slug(request.GET["slug"]))
        if not request.GET:
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
        if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) > 2**31 - 1:
            raise BadRequestError("A series id must be a positive whole number, e.g. /series/3/.")
        return int(raw)

    @staticmethod
    def parse_slug(raw: str) -> str:
        if not _SLUG.fullmatch(raw):
            raise BadRequestError("slug must be 1 to 255 letters, numbers, underscores or hyphens.")
        return raw

    def filter(self, visible: QuerySet[SeriesPage], request: HttpRequest) -> QuerySet[SeriesPage]:
        queryset = visible
        params = request.GET
        if "status" in params:
            if params["status"] not in SeriesStatus.values:
                raise BadRequestError(f"status must be one of: {', '.join(SeriesStatus.values)}.")
            queryset = queryset.filter(status=params["status"])
        if "slug" in params:
            queryset = queryset.filter(slug=self.parse_slug(params["slug"]))
        if "tag" in params:
            tag = params["tag"]
            # Control characters can't be in a tag (PostgreSQL rejects NUL in a query outright).
            if _CONTROL.search(tag):
                raise BadRequestError("tag must not contain control characters.")
            if not tag or len(tag) > 100 or not visible.filter(tags__name=tag).exists():
                raise BadRequestError(f"No series has the tag {tag[:100]!r}.")
            queryset = queryset.filter(tags__name=tag)
        if "search" in params:
            query = params["search"].strip()
            if not query:
                raise BadRequestError("search must not be empty.")
            if len(query) > MAX_SEARCH_LENGTH:
                raise BadRequestError(
                    f"search must be at most {MAX_SEARCH_LENGTH} characters long."
                )
            # Words only: search backends give quotes and operators meanings of their own (SQLite's
            # full-text syntax raises on an unbalanced quote), and readers mean plain words.
            words = _WORD.findall(query)
            if not words:
                raise BadRequestError("search must contain at least one letter or digit.")
            # Search the index for matching series, then keep the visible, filtered ones.
            matches = [result.pk for result in SeriesPage.objects.search(" ".join(words))[:1000]]
            queryset = queryset.filter(pk__in=matches)
        return queryset

    def order(self, queryset: QuerySet[SeriesPage], request: HttpRequest) -> QuerySet[SeriesPage]:
        ordering = request.GET.get("order", DEFAULT_ORDERING)
        name = ordering.removeprefix("-")
        if name not in ORDERINGS:
            choices = ", ".join(f"{n}, -{n}" for n in ORDERINGS)
            raise BadRequestError(f"order must be one of: {choices}.")
        if name == "latest_part_published_at":
            queryset = queryset.annotate(latest_part_published_at=latest_public_part_date())
        field = F(name)
        expression = (
            field.desc(nulls_last=True) if ordering.startswith("-") else field.asc(nulls_last=True)
        )
        return queryset.order_by(expression, "pk")

    def pagination(self, request: HttpRequest) -> tuple[int, int]:
        limit_max = series_settings.API_LIMIT_MAX
        limit = self.whole_number(request, "limit", default=min(20, limit_max), maximum=limit_max)
        offset = self.whole_number(request, "offset", default=0, maximum=MAX_OFFSET)
        return limit, offset

    @staticmethod
    def whole_number(request: HttpRequest, name: str, *, default: int, maximum: int) -> int:
        raw = request.GET.get(name)
        if raw is None:
            return default
        if not _WHOLE_NUMBER.fullmatch(raw):
            raise BadRequestError(f"{name} must be a whole number from 0 to {maximum}.")
        if int(raw) > maximum:
            raise BadRequestError(f"{name} cannot be higher than {maximum}.")
        return int(raw)

    # --- Output --------------------------------------------------------------------------

    def detail_url(self, request: HttpRequest, pk: int) -> str:
        # Reverse within the namespace this endpoint was registered under on the host's router
        # (the router's own lookup would pick the pages endpoint: a series is a page).
        namespace = request.resolver_match.namespace
        return get_full_url(request, reverse(f"{namespace}:detail", args=[pk]))

    def validators(
        self, request: HttpRequest, scope: str, versioned: Any, extra: str
    ) -> tuple[str, datetime, bool]:
        """(ETag, Last-Modified, public?) for what ``request`` sees at the current version."""
        version = getattr(versioned, "_series_version", None)
        changed_at = getattr(versioned, "_series_changed_at", None)
        if isinstance(versioned, SeriesVersion):
            version, changed_at = versioned.version, versioned.changed_at
        if changed_at is None:
            changed_at = getattr(versioned, "last_published_at", None) or timezone.now()
        viewer = viewer_key(request)
        # JSON and the browsable HTML view of the same data are different representations.
        renderer = getattr(getattr(request, "accepted_renderer", None), "format", "")
        tag = f"{__version__}|{scope}|{version or 0}|{viewer}|{renderer}|{extra}"
        etag = '"' + hashlib.sha256(tag.encode()).hexdigest()[:32] + '"'
        return etag, changed_at, viewer == PUBLIC_VIEWER

    @staticmethod
    def remember(
        request: HttpRequest, generation: str | None, etag: str, changed_at: datetime, public: bool
    ) -> None:
        # Only what every anonymous reader gets: the cache answers no one else.
        if public:
            conditional.store(request, generation, etag, changed_at)

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


def with_versions(queryset: QuerySet[SeriesPage]) -> QuerySet[SeriesPage]:
    """Annotate each series with its ``SeriesVersion`` (in the same query)."""
    versions = SeriesVersion.objects.filter(series_id=OuterRef("pk"))
    return queryset.annotate(
        _series_version=Subquery(versions.values("version")[:1]),
        _series_changed_at=Subquery(versions.values("changed_at")[:1]),
    )
