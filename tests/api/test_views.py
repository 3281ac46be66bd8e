"""SeriesAPIViewSet: listing and detail, filters, ordering, errors, HTTP caching, query counts."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from tests.conftest import CATALOGUE_ORDERS, add_part, make_series, publish, reload, restrict
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db

LIST = "/api/v2/series/"


def detail(series) -> str:
    return f"/api/v2/series/{series.pk}/"


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response.json()


# --- Listing ---------------------------------------------------------------------------------


def test_listing_shows_each_visible_series_with_counts_and_meta(client, memories, home):
    pages = memories()
    series = reload(pages["series"])
    series.planned_parts = 3
    series.tags.add("anime", "film")
    series.save_revision().publish()
    make_series(home, "Unpublished", live=False)
    data = get_json(client, LIST)
    assert data["meta"] == {"total_count": 1}
    (item,) = data["items"]
    assert item["id"] == series.pk
    assert (item["title"], item["slug"], item["status"], item["part_label"]) == (
        "Memories",
        "memories",
        "ongoing",
        "Part",
    )
    assert item["tags"] == ["anime", "film"]
    assert item["counts"] == {"published": 1, "forthcoming": 2, "planned": 3}
    assert item["cover_image"] is None
    meta = item["meta"]
    assert meta["type"] == "wagtail_series.SeriesPage"
    assert meta["detail_url"] == f"http://localhost/api/v2/series/{series.pk}/"
    assert meta["html_url"] == "http://localhost/memories/"
    assert meta["first_published_at"].endswith("Z")
    assert meta["latest_part_published_at"] == reload(
        pages["rose"]
    ).first_published_at.isoformat().replace("+00:00", "Z")
    assert "parts" not in item  # the whole series is in the detail view


def test_cover_image_is_a_rendition_of_a_sensible_size(client, home):
    cover = get_image_model().objects.create(
        title="Cover", file=get_test_image_file(size=(1600, 900))
    )
    series = make_series(home, "With cover", cover_image=cover)
    image = get_json(client, detail(series))["cover_image"]
    assert image["url"].startswith("http") and "fill-1200x630" in image["url"]
    assert (image["width"], image["height"]) == (1200, 630)


def titles(client, query: str) -> list[str]:
    return [item["title"] for item in get_json(client, LIST + query)["items"]]


def test_default_order_is_latest_part_first(client, catalogue):
    assert titles(client, "") == ["Blade Runner", "Cowboy Bebop", "Akira notes"]


@pytest.mark.parametrize(
    ("order", "expected"),
    CATALOGUE_ORDERS,
)
def test_order(client, catalogue, order, expected):
    assert titles(client, f"?order={order}") == expected


def test_a_private_part_does_not_move_a_series_in_the_order(client, catalogue):
    private = add_part(catalogue["Akira notes"], "Secret new part")
    restrict(private, PageViewRestriction.LOGIN)
    assert titles(client, "?order=-latest_part_published_at")[-1] == "Akira notes"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?tag=anime", ["Akira notes", "Cowboy Bebop"]),
        ("?status=ongoing", ["Blade Runner"]),
        ("?slug=cowboy-bebop", ["Cowboy Bebop"]),
        ("?slug=nothing-here", []),
        ("?search=bebop", ["Cowboy Bebop"]),
        ("?tag=anime&status=hiatus", ["Cowboy Bebop"]),
    ],
)
def test_filters(client, catalogue, query, expected):
    assert titles(client, query + "&order=title" if "?" in query else "?order=title") == expected


def test_pagination(client, catalogue):
    data = get_json(client, LIST + "?order=title&limit=2&offset=1")
    assert data["meta"]["total_count"] == 3
    assert [i["title"] for i in data["items"]] == ["Blade Runner", "Cowboy Bebop"]
    assert get_json(client, LIST + "?limit=0")["items"] == []
    assert get_json(client, LIST + "?offset=50")["items"] == []


def test_find_redirects_to_the_detail_view(client, catalogue):
    series = catalogue["Blade Runner"]
    response = client.get(LIST + "find/?slug=blade-runner")
    assert response.status_code == 302
    assert response["Location"] == f"http://localhost/api/v2/series/{series.pk}/"
    assert client.get(LIST + f"find/?id={series.pk}").status_code == 302
    assert client.get(LIST + "find/?slug=nope").status_code == 404


# --- Detail ----------------------------------------------------------------------------------


def test_detail_has_the_whole_series_in_order_with_placeholders(client, memories):
    pages = memories()
    data = get_json(client, detail(pages["series"]))
    assert data["description"] == "<p>An anthology, one short at a time.</p>"
    assert data["parts"] == [
        {
            "position": 1,
            "label": "Part 1",
            "id": pages["rose"].pk,
            "title": "Magnetic Rose",
            "status": "published",
            "url": "http://localhost/memories/magnetic-rose/",
            "teaser": "",
            "expected_date": None,
            "first_published_at": reload(pages["rose"])
            .first_published_at.isoformat()
            .replace("+00:00", "Z"),
        },
        {
            "position": 2,
            "label": "Part 2",
            "id": pages["stink"].pk,
            "title": "Stink Bomb",
            "status": "forthcoming",
            "url": None,
            "teaser": "A cold remedy goes very wrong.",
            "expected_date": "2027-01-15",
            "first_published_at": None,
        },
        {
            "position": 3,
            "label": "Part 3",
            "id": pages["cannon"].pk,
            "title": "Cannon Fodder",
            "status": "forthcoming",
            "url": None,
            "teaser": "A city built around its guns.",
            "expected_date": None,
            "first_published_at": None,
        },
    ]
    assert data["meta"]["parts_total"] == 3
    assert data["meta"]["parts_truncated"] is False


def test_description_resolves_forthcoming_links_like_the_html_site(client, memories):
    pages = memories()
    series = reload(pages["series"])
    series.description = f'<p>Soon: <a linktype="page" id="{pages["stink"].pk}">Stink Bomb</a></p>'
    series.save_revision().publish()
    description = get_json(client, detail(series))["description"]
    assert "href" not in description and "series-forthcoming-link" in description
    publish(pages["stink"])
    assert 'href="/memories/stink-bomb/"' in get_json(client, detail(series))["description"]


def test_parts_beyond_the_cap_are_cut_and_the_response_says_so(client, home, settings):
    settings.WAGTAIL_SERIES = {"API_MAX_PARTS": 2}
    series = make_series(home, "Long")
    for n in range(3):
        add_part(series, f"P{n}", state="live")
    data = get_json(client, detail(series))
    assert [p["title"] for p in data["parts"]] == ["P0", "P1"]
    assert data["meta"]["parts_total"] == 3
    assert data["meta"]["parts_truncated"] is True


@pytest.mark.parametrize("kind", ["unknown", "draft", "private"])
def test_unknown_unpublished_or_private_series_is_a_404(client, home, kind):
    series = {
        "unknown": None,
        "draft": make_series(home, "Draft", live=False),
        "private": make_series(home, "Private"),
    }[kind]
    if kind == "private":
        restrict(series, PageViewRestriction.LOGIN)
    series_id = series.pk if series else 999999
    data = get_json(client, f"/api/v2/series/{series_id}/", status=404)
    assert data == {"message": f"There is no series with id {series_id}."}


def test_private_series_is_visible_to_readers_who_pass(client, home, django_user_model):
    series = make_series(home, "Members")
    restrict(series, PageViewRestriction.LOGIN)
    add_part(series, "Members part")
    assert get_json(client, LIST)["items"] == []
    client.force_login(django_user_model.objects.create_user("member", password="x"))
    assert [i["title"] for i in get_json(client, LIST)["items"]] == ["Members"]
    assert [p["title"] for p in get_json(client, detail(series))["parts"]] == ["Members part"]


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (LIST + "?colour=red", "Unknown query parameter(s): colour."),
        (LIST + "?fields=*", "Unknown query parameter(s): fields."),
        (LIST + "?limit=-1", "limit must be a whole number from 0 to 100."),
        (LIST + "?limit=abc", "limit must be a whole number from 0 to 100."),
        (LIST + "?limit=101", "limit cannot be higher than 100."),
        (LIST + "?limit=99999999999999999999", "limit must be a whole number from 0 to 100."),
        (LIST + "?offset=-5", "offset must be a whole number from 0 to 100000."),
        (LIST + "?offset=100001", "offset cannot be higher than 100000."),
        (LIST + "?offset=1e3", "offset must be a whole number from 0 to 100000."),
        (LIST + "?order=owner__password", "order must be one of:"),
        (LIST + "?order=-id", "order must be one of:"),
        (LIST + "?order=", "order must be one of:"),
        (LIST + "?status=paused", "status must be one of: ongoing, complete, hiatus, cancelled."),
        (LIST + "?tag=nonexistent", "No series has the tag 'nonexistent'."),
        (LIST + "?slug=no%20spaces", "slug must be 1 to 255 letters"),
        (LIST + "?search=" + "x" * 10_000, "search must be at most 200 characters long."),
        (LIST + "?search=%20", "search must not be empty."),
        (LIST + "?tag=an%00ime", "tag must not contain control characters."),
        (LIST + "?search=%22%27%3B", "search must contain at least one letter or digit."),
        ("/api/v2/series/abc/", "A series id must be a positive whole number"),
        ("/api/v2/series/-1/", "A series id must be a positive whole number"),
        ("/api/v2/series/99999999999/", "A series id must be a positive whole number"),
        (
            "/api/v2/series/1/?limit=5",
            "Unknown query parameter(s): limit. This endpoint accepts: site.",
        ),
        (LIST + "find/", "find needs an id or a slug parameter."),
        (LIST + "find/?title=x", "Unknown query parameter(s): title."),
    ],
)
def test_bad_input_is_a_400_that_says_what_to_fix(client, catalogue, url, message):
    data = get_json(client, url, status=400)
    assert list(data) == ["message"]
    assert data["message"].startswith(message)


def test_odd_characters_never_cause_a_500(client, catalogue):
    for value in [
        "%00",
        "%C0%AF",
        "%F0%9F%8E%AC",
        "'; DROP TABLE x; --",
        "%E2%80%8B",
        "\\x00",
        '"a',
        "a*",
    ]:
        for name in ("search", "tag", "slug", "status", "order", "limit"):
            assert client.get(f"{LIST}?{name}={value}").status_code in (200, 400), (name, value)
        assert client.get(f"/api/v2/series/{value}/").status_code in (400, 404)


# --- HTTP caching ----------------------------------------------------------------------------


def test_anonymous_responses_are_public_and_validated(client, memories):
    series = memories()["series"]
    for url in (LIST, detail(series)):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=60"
        assert "Cookie" in response["Vary"]
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == response["ETag"]
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert since.status_code == 304


def test_max_age_comes_from_the_setting(client, memories, settings):
    settings.WAGTAIL_SERIES = {"API_CACHE_MAX_AGE": 5}
    assert client.get(LIST)["Cache-Control"] == "public, max-age=5"


def test_user_dependent_responses_are_private(client, memories, django_user_model):
    series = memories()["series"]
    anonymous_etag = client.get(detail(series))["ETag"]
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(detail(series))
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"] != anonymous_etag
    assert client.get(detail(series), HTTP_IF_NONE_MATCH=anonymous_etag).status_code == 200


def etag(client, url):
    return client.get(url)["ETag"]


def retitle(page):
    page = reload(page)
    page.title = "Magnetic Rose (1995)"
    page.save_revision().publish()


def announce(page):
    page = reload(page)
    page.forthcoming_teaser = "Now with a new teaser."
    page.save_revision()


# Changes readers can see, to the pages of the `memories` fixture (also used by test_caching).
VISIBLE_CHANGES = [
    pytest.param(lambda p: publish(p["stink"]), id="published"),
    pytest.param(lambda p: reload(p["rose"]).unpublish(), id="unpublished"),
    pytest.param(
        lambda p: reload(p["cannon"]).move(reload(p["stink"]), pos="left"), id="reordered"
    ),
    pytest.param(lambda p: retitle(p["rose"]), id="retitled"),
    pytest.param(lambda p: announce(p["cannon"]), id="announcement-edited"),
    pytest.param(lambda p: restrict(p["rose"], PageViewRestriction.LOGIN), id="restricted"),
]


@pytest.mark.parametrize("change", VISIBLE_CHANGES)
def test_etag_changes_whenever_anything_visible_changes(client, memories, change):
    pages = memories()
    urls = [LIST, detail(pages["series"])]
    before = {url: etag(client, url) for url in urls}
    change(pages)
    for url in urls:
        assert etag(client, url) != before[url], url
        assert client.get(url, HTTP_IF_NONE_MATCH=before[url]).status_code == 200


def test_etag_is_stable_while_nothing_changes(client, memories):
    series = memories()["series"]
    assert etag(client, detail(series)) == etag(client, detail(series))


def test_conditional_request_does_not_serialise_the_series(
    client, home, django_assert_max_num_queries
):
    series = make_series(home, "Long")
    for n in range(50):
        add_part(series, f"P{n}", state="live")
    tag = etag(client, detail(series))
    # The series (with its version) and its view restrictions: no parts, no tags, no images.
    with django_assert_max_num_queries(2):
        assert client.get(detail(series), HTTP_IF_NONE_MATCH=tag).status_code == 304


# --- Query counts ----------------------------------------------------------------------------

# Detail: series + version (1), view restrictions (1), parts (one per part type: 3 here with
# LinkedPart), tags (1), Wagtail's Site.find_for_request for URLs (1). A site with one part type
# (and LinkedPart) makes 7.
DETAIL_QUERIES = 7 + 1
# Listing: visible series (restrictions 1), the version row (1), count (1), the page of series (1),
# tags (1), outlines (restrictions 1 + 3 part types), Site.find_for_request (1).
LISTING_QUERIES = 11


def build(home, parts: int, title: str = ""):
    series = make_series(home, title or f"Series of {parts}")
    for n in range(parts - 2):
        add_part(series, f"P{n}", state="live", **({"model": BlogPage} if n % 7 == 3 else {}))
    add_part(series, "Forthcoming", state="draft")
    restrict(add_part(series, "Members", state="live"), PageViewRestriction.LOGIN)
    return reload(series)


@pytest.mark.parametrize("parts", [3, 300])
def test_detail_queries_do_not_grow_with_the_series(client, home, parts, django_assert_num_queries):
    series = build(home, parts)
    client.get(detail(series))  # warm caches (site root paths, content types)
    with django_assert_num_queries(DETAIL_QUERIES):
        data = get_json(client, detail(series))
    assert len(data["parts"]) == parts - 1


def test_listing_items_are_the_details_figures_for_every_reader(client, home, django_user_model):
    # The listing counts (reader.get_series_summaries), the detail builds the outline: the same
    # series as the same reader sees it, whoever reads.
    for n in range(3):
        series = build(home, 6, title=f"Series {n}")
        add_part(series, "Hidden draft", state="draft", announce_forthcoming=False)
        restrict(add_part(series, "Members soon", state="draft"), PageViewRestriction.LOGIN)
        series.tags.add(f"tag-{n}")
    restrict(reload(series), PageViewRestriction.LOGIN)  # the last one is for members only
    member = django_user_model.objects.create_user("member", password="x")
    for user in (None, member):
        if user is not None:
            client.force_login(user)
        items = get_json(client, LIST)["items"]
        assert len(items) == (3 if user else 2)
        for item in items:
            whole = get_json(client, item["meta"]["detail_url"])
            for key in ("description", "parts"):
                del whole[key]
            for key in ("parts_total", "parts_truncated"):
                del whole["meta"][key]
            assert item == whole
        if user is not None:
            assert {item["counts"]["forthcoming"] for item in items} == {2}


@pytest.mark.parametrize("count", [3, 30])
def test_listing_queries_do_not_grow_with_series_or_parts(
    client, home, count, django_assert_num_queries
):
    for n in range(count):
        build(home, 3 if n else 30, title=f"Series {n}")
    client.get(LIST + "?limit=50")
    with django_assert_num_queries(LISTING_QUERIES):
        data = get_json(client, LIST + "?limit=50")
    assert data["meta"]["total_count"] == count


def test_group_restrictions_cost_the_same_for_one_or_many(client, home, django_user_model):
    club = Group.objects.create(name="Club")
    user = django_user_model.objects.create_user("member", password="x")
    user.groups.add(club)
    client.force_login(user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for parts in (3, 100):
        series = make_series(home, f"Club {parts}")
        for n in range(parts):
            restrict(
                add_part(series, f"P{n}", state="live"), PageViewRestriction.GROUPS, groups=[club]
            )
        client.get(detail(series))
        with CaptureQueriesContext(connection) as ctx:
            assert len(get_json(client, detail(series))["parts"]) == parts
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_format_and_accept_errors_use_the_message_shape(client, memories):
    series = memories()["series"]
    for url in (LIST + "?format=xml", detail(series) + "?format=xml"):
        data = get_json(client, url, status=400)
        assert data["message"].startswith("format must be one of:")
    response = client.get(detail(series), HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert list(response.json()) == ["message"] and response.json()["message"]


def test_json_and_html_representations_have_different_etags(client, memories):
    series = memories()["series"]
    as_json = client.get(detail(series))
    as_html = client.get(detail(series), HTTP_ACCEPT="text/html")
    assert as_html["Content-Type"].startswith("text/html")
    assert as_json["ETag"] != as_html["ETag"]
    assert (
        client.get(
            detail(series), HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH=as_json["ETag"]
        ).status_code
        == 200
    )


def test_json_is_compact_unless_indentation_is_asked_for(client, memories):
    series = memories()["series"]
    compact = client.get(detail(series)).content
    assert b"\n" not in compact and compact.startswith(b'{"id":')
    indented = client.get(detail(series), HTTP_ACCEPT="application/json; indent=4").content
    assert indented.startswith(b'{\n    "id": ')
    assert json.loads(compact) == json.loads(indented)
