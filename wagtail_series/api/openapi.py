"""The OpenAPI 3.1 document of the series endpoints, shipped in the package, and its view.

``openapi.json`` beside this module describes ``/series/``, ``/series/{id}/``, ``/series/find/``
and the ``series`` field of part pages in Wagtail's ``/pages/{id}/``, with paths relative to the
router's mount point. Serve it from your site's urls.py, before Wagtail's catch-all::

    from wagtail_series.api.openapi import openapi_view

    path("api/openapi/series.json", openapi_view, name="series-openapi"),

The served copy points its ``servers`` entry at the router (found by reversing the series
endpoint's URL) and states this site's own limits (``WAGTAIL_SERIES``).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.http import HttpRequest, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from ..conf import series_settings

OPENAPI_FILE = Path(__file__).with_name("openapi.json")

# Seconds a client or cache may keep the served document: it changes only with a deploy.
CACHE_MAX_AGE = 300


@functools.cache
def _document_text() -> str:
    return OPENAPI_FILE.read_text(encoding="utf-8")


def openapi_document(
    *,
    server_url: str = "/api/v2",
    series_endpoint: str = "series",
    pages_endpoint: str | None = "pages",
    followers_url: str | None = None,
) -> dict[str, Any]:
    """A fresh copy of the document for a router at ``server_url``, with this site's limits.

    ``series_endpoint`` and ``pages_endpoint`` are the names the endpoints were registered under
    on the router; with ``pages_endpoint=None`` the pages endpoint is left out. ``followers_url``
    (where ``wagtail_series.contrib.followers``' JSON endpoints are mounted, e.g.
    ``https://example.com/series/followers/api``) adds its follow endpoint.
    """
    document = json.loads(_document_text())
    document["servers"] = [{"url": server_url}]

    components = document["components"]
    limit_max = series_settings.API_LIMIT_MAX
    limit = components["parameters"]["limit"]["schema"]
    limit["maximum"] = limit_max
    limit["default"] = min(limit["default"], limit_max)
    components["schemas"]["SeriesDetail"]["properties"]["parts"]["maxItems"] = (
        series_settings.API_MAX_PARTS
    )

    paths: dict[str, Any] = {}
    for key, item in document["paths"].items():
        if key.startswith("/pages/"):
            if pages_endpoint is None:
                continue
            key = f"/{pages_endpoint}/" + key.removeprefix("/pages/")
        elif key.startswith("/series/"):
            key = f"/{series_endpoint}/" + key.removeprefix("/series/")
        paths[key] = item
    document["paths"] = paths
    if pages_endpoint is None:
        document["tags"] = [tag for tag in document["tags"] if tag["name"] != "pages"]
    if followers_url is not None:
        from ..contrib.followers import openapi as followers_openapi

        document["paths"][followers_openapi.PATH] = followers_openapi.path_item(followers_url)
        document["tags"].append(
            {"name": "followers", "description": "Follow a series by email (optional app)"}
        )
    return document


@require_safe
def openapi_view(
    request: HttpRequest,
    api_namespace: str = "wagtailapi",
    series_endpoint: str = "series",
    pages_endpoint: str = "pages",
) -> JsonResponse:
    """The OpenAPI document as JSON, its server URL that of the router the series endpoint is on.

    Pass other names in the URL pattern's kwargs if the site's ``WagtailAPIRouter`` namespace or
    endpoint names differ from ``wagtailapi``, ``series`` and ``pages``.
    """
    listing = reverse(f"{api_namespace}:{series_endpoint}:listing")
    router_root = listing.removesuffix(f"{series_endpoint}/").rstrip("/")
    try:
        reverse(f"{api_namespace}:{pages_endpoint}:detail", args=[1])
    except NoReverseMatch:
        has_pages: str | None = None
    else:
        has_pages = pages_endpoint
    followers_url = None
    if apps.is_installed("wagtail_series.contrib.followers"):
        try:
            follow = reverse("wagtail_series_followers:api_follow")
        except NoReverseMatch:
            pass
        else:
            followers_url = request.build_absolute_uri(follow.removesuffix("/follow/"))
    document = openapi_document(
        server_url=request.build_absolute_uri(router_root or "/"),
        series_endpoint=series_endpoint,
        pages_endpoint=has_pages,
        followers_url=followers_url,
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=CACHE_MAX_AGE)
    return response
