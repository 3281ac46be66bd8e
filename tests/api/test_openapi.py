"""The OpenAPI document: valid OpenAPI 3.1, served with this site's limits, and true to the API.

Real responses from the test client (listing, detail, 304s, a part page from Wagtail's pages
endpoint, 400s, 404s, find's redirect) are checked against the document: status, headers and body.
Our own objects declare ``additionalProperties: false``, so a field the API adds without
documenting it fails here too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.conftest import add_part, make_series, reload
from wagtail_series import query
from wagtail_series.api import views
from wagtail_series.api.openapi import OPENAPI_FILE, openapi_document, openapi_view
from wagtail_series.conf import DEFAULTS
from wagtail_series.models import SeriesStatus
from wagtail_series.reader import EntryStatus

DOCUMENT_URI = "urn:wagtail-series:openapi"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (``#/components/...``) to what it names."""
    while "$ref" in node:
        target: Any = document
        for key in node["$ref"].removeprefix("#/").split("/"):
            target = target[key]
        node = target
    return node


def validator(document: dict[str, Any], schema: dict[str, Any]) -> OAS31Validator:
    """A JSON Schema validator for ``schema``, its ``$ref`` resolved within ``document``."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource(DOCUMENT_URI, resource)
    if "$ref" in schema:
        schema = {"$ref": DOCUMENT_URI + schema["$ref"]}
    return OAS31Validator(schema, registry=registry, format_checker=OAS31Validator.FORMAT_CHECKER)


def assert_conforms(document: dict[str, Any], template: str, response: Any) -> None:
    """``response`` (to a GET of the path ``template``) is one the document describes."""
    operation = document["paths"][template]["get"]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{template}: status {status} is not documented: {response.content[:300]!r}"
    )
    spec = resolve(document, operation["responses"][status])

    for name, header in spec.get("headers", {}).items():
        header = resolve(document, header)
        if name not in response.headers:
            assert not header.get("required"), f"{template} {status}: no {name} header"
            continue
        errors = list(validator(document, header["schema"]).iter_errors(response.headers[name]))
        assert not errors, f"{template} {status}: header {name}: {[e.message for e in errors]}"

    if "content" not in spec:
        assert response.content == b"", f"{template} {status} has a body"
        return
    content_type = response.headers["Content-Type"].split(";")[0]
    assert content_type in spec["content"], f"{template} {status}: {content_type}"
    schema = spec["content"][content_type]["schema"]
    errors = sorted(
        validator(document, schema).iter_errors(json.loads(response.content)),
        key=lambda e: list(e.path),
    )
    assert not errors, f"{template} {status}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )


# --- The document itself ----------------------------------------------------------------------


def test_the_shipped_document_is_valid_openapi(document):
    assert document["openapi"].startswith("3.1")
    validate_spec(document)
    assert set(document["paths"]) == {"/series/", "/series/{id}/", "/series/find/", "/pages/{id}/"}


def test_the_document_states_the_views_rules(document):
    """The constraints in the document are the ones views.py enforces (through query.py)."""
    parameters = document["components"]["parameters"]
    limit = parameters["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (
        0,
        DEFAULTS["API_LIMIT_MAX"],
        20,
    )
    offset = parameters["offset"]["schema"]
    assert (offset["minimum"], offset["maximum"]) == (0, query.MAX_OFFSET)
    order = parameters["order"]["schema"]
    assert set(order["enum"]) == {f"{sign}{name}" for name in query.ORDERINGS for sign in ("", "-")}
    assert order["default"] == query.DEFAULT_ORDERING
    assert parameters["search"]["schema"]["maxLength"] == query.MAX_SEARCH_LENGTH
    schemas = document["components"]["schemas"]
    assert schemas["SeriesStatus"]["enum"] == list(SeriesStatus.values)
    assert schemas["EntryStatus"]["enum"] == [status.value for status in EntryStatus]
    assert schemas["SeriesDetail"]["properties"]["parts"]["maxItems"] == DEFAULTS["API_MAX_PARTS"]
    assert views.SeriesAPIViewSet.listing_parameters == {
        parameter["name"]
        for parameter in (
            resolve(document, p) for p in document["paths"]["/series/"]["get"]["parameters"]
        )
        if parameter["in"] == "query"
    }


def serve(**kwargs: Any) -> dict[str, Any]:
    request = RequestFactory().get("/api/openapi/series.json", HTTP_HOST="api.example.com")
    response = openapi_view(request, **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_served_document_points_at_the_router_and_is_valid():
    served = serve()
    validate_spec(served)
    assert served["servers"] == [{"url": "http://api.example.com/api/v2"}]
    assert "/pages/{id}/" in served["paths"]


def test_the_served_document_states_this_sites_limits(settings):
    settings.WAGTAIL_SERIES = {"API_LIMIT_MAX": 10, "API_MAX_PARTS": 500}
    served = serve()
    limit = served["components"]["parameters"]["limit"]["schema"]
    assert (limit["maximum"], limit["default"]) == (10, 10)
    assert served["components"]["schemas"]["SeriesDetail"]["properties"]["parts"]["maxItems"] == 500

    settings.WAGTAIL_SERIES = {"API_LIMIT_MAX": 50}
    limit = serve()["components"]["parameters"]["limit"]["schema"]
    assert (limit["maximum"], limit["default"]) == (50, 20)


def test_without_a_pages_endpoint_the_pages_path_is_left_out():
    served = serve(pages_endpoint="no-such-endpoint")
    validate_spec(served)
    # "/follow/": the optional followers app, installed in the tests (its own servers entry).
    assert set(served["paths"]) == {"/series/", "/series/{id}/", "/series/find/", "/follow/"}
    assert [tag["name"] for tag in served["tags"]] == ["series", "followers"]


def test_endpoint_names_are_followed():
    document = openapi_document(server_url="/api", series_endpoint="sagas", pages_endpoint="p")
    assert set(document["paths"]) == {"/sagas/", "/sagas/{id}/", "/sagas/find/", "/p/{id}/"}


# --- Real responses -----------------------------------------------------------------------------


@pytest.fixture
def site_content(home, memories) -> dict[str, Any]:
    """Memories (one published part, two forthcoming), and a longer series with a cover image."""
    pages = memories()
    cover = get_image_model().objects.create(
        title="Cover", file=get_test_image_file(size=(1600, 900))
    )
    long = make_series(home, "Long", cover_image=cover, planned_parts=6)
    long.tags.add("long")
    long.save_revision().publish()
    first = add_part(long, "First", state="live")
    middle = add_part(long, "Middle", state="published", intro="The middle of it.")
    add_part(long, "Later", state="draft", forthcoming_teaser="Soon.")
    add_part(long, "Unannounced", state="draft", announce_forthcoming=False)
    return {**pages, "long": reload(long), "first": first, "middle": middle}


@pytest.mark.django_db
def test_listing_responses_conform(client, document, site_content):
    response = client.get("/api/v2/series/")
    assert response.status_code == 200 and response.json()["meta"]["total_count"] == 2
    assert_conforms(document, "/series/", response)

    filtered = client.get("/api/v2/series/?tag=long&order=title&limit=1&offset=0&status=ongoing")
    assert filtered.status_code == 200, filtered.content
    assert [item["title"] for item in filtered.json()["items"]] == ["Long"]
    assert_conforms(document, "/series/", filtered)

    again = client.get("/api/v2/series/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert_conforms(document, "/series/", again)


@pytest.mark.django_db
def test_detail_responses_conform(client, document, site_content):
    url = f"/api/v2/series/{site_content['series'].pk}/"
    response = client.get(url)
    assert [part["status"] for part in response.json()["parts"]] == [
        "published",
        "forthcoming",
        "forthcoming",
    ]
    assert_conforms(document, "/series/{id}/", response)

    long = client.get(f"/api/v2/series/{site_content['long'].pk}/")
    assert long.json()["cover_image"] is not None and len(long.json()["parts"]) == 3
    assert_conforms(document, "/series/{id}/", long)

    for headers in (
        {"HTTP_IF_NONE_MATCH": response["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": response["Last-Modified"]},
    ):
        not_modified = client.get(url, **headers)
        assert not_modified.status_code == 304
        assert_conforms(document, "/series/{id}/", not_modified)


@pytest.mark.django_db
def test_a_logged_in_readers_responses_conform(client, document, site_content):
    user = get_user_model().objects.create_user("reader", password="x")
    client.force_login(user)
    response = client.get(f"/api/v2/series/{site_content['series'].pk}/")
    assert "private" in response["Cache-Control"]
    assert_conforms(document, "/series/{id}/", response)


@pytest.mark.django_db
def test_part_pages_conform(client, document, site_content, home):
    middle = client.get(f"/api/v2/pages/{site_content['middle'].pk}/")
    series = middle.json()["series"]
    assert (series["previous"]["status"], series["next"]["status"]) == ("published", "forthcoming")
    assert_conforms(document, "/pages/{id}/", middle)

    rose = client.get(f"/api/v2/pages/{site_content['rose'].pk}/")
    assert rose.json()["series"]["previous"] is None
    assert_conforms(document, "/pages/{id}/", rose)

    # A page that is not a part has no series field; the document allows it.
    assert_conforms(document, "/pages/{id}/", client.get(f"/api/v2/pages/{home.pk}/"))

    # A live part of a series that is not live: the field is null.
    hidden = make_series(home, "Hidden", live=False)
    orphan = add_part(hidden, "Orphan", state="live")
    response = client.get(f"/api/v2/pages/{orphan.pk}/")
    assert response.json()["series"] is None
    assert_conforms(document, "/pages/{id}/", response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "url", "status"),
    [
        ("/series/", "/api/v2/series/?limit=-1", 400),
        ("/series/", "/api/v2/series/?order=owner__password", 400),
        ("/series/", "/api/v2/series/?nope=1", 400),
        ("/series/", "/api/v2/series/?tag=no-such-tag", 400),
        ("/series/", "/api/v2/series/?status=paused", 400),
        ("/series/", "/api/v2/series/?search=" + "x" * 10_000, 400),
        ("/series/{id}/", "/api/v2/series/abc/", 400),
        ("/series/{id}/", "/api/v2/series/99999/", 404),
        ("/series/find/", "/api/v2/series/find/", 400),
        ("/series/find/", "/api/v2/series/find/?slug=memories", 302),
        ("/series/find/", "/api/v2/series/find/?slug=nothing-here", 404),
        ("/pages/{id}/", "/api/v2/pages/99999/", 404),
    ],
)
def test_errors_and_redirects_conform(client, document, memories, template, url, status):
    series = memories()["series"]
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    if status == 302:
        assert response["Location"].endswith(f"/api/v2/series/{series.pk}/")
        assert response.content == b""
        return
    assert_conforms(document, template, response)


def test_the_check_catches_an_undocumented_field_and_a_missing_header(document):
    """assert_conforms is not vacuous: the document's strictness reaches the responses."""
    from django.http import JsonResponse

    error = JsonResponse({"message": "No.", "detail": "leaked"}, status=400)
    with pytest.raises(AssertionError, match="detail"):
        assert_conforms(document, "/series/", error)
    without_etag = JsonResponse({"meta": {"total_count": 0}, "items": []})
    without_etag["Last-Modified"] = "Sat, 21 Nov 2026 05:22:11 GMT"
    without_etag["Cache-Control"] = "public, max-age=60"
    without_etag["Vary"] = "Cookie"
    with pytest.raises(AssertionError, match="no ETag header"):
        assert_conforms(document, "/series/", without_etag)
    without_etag["ETag"] = '"abc"'
    assert_conforms(document, "/series/", without_etag)
